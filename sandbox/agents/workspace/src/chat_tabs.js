// The open chats as tabs (WAI-ARIA tabs pattern: one tab stop, arrow keys move between tabs). Switching
// only toggles `hidden` on panels that stay built, so a tab with hundreds of messages shows at once.

import { h } from './dom.js';

export class ChatTabs {
  constructor() {
    this.chats = new Map(); // contactId → Chat
    this.selected = null;
    this.list = h('div', { role: 'tablist', 'aria-label': 'Chats' });
    this.list.addEventListener('keydown', (event) => this.onKey(event));
    this.panels = h('div', { class: 'panels' });
    this.empty = h('p', { class: 'empty' }, 'No open chats. Set your status to Available to receive chats.');
    this.element = h('section', { class: 'chats', 'aria-label': 'Open chats' }, this.empty, this.list, this.panels);
  }

  add(chat) {
    this.chats.set(chat.id, chat);
    chat.tab.addEventListener('click', () => this.select(chat));
    this.list.append(chat.tab);
    this.panels.append(chat.panel);
    if (!this.selected) this.select(chat);
    this.empty.hidden = true;
  }

  remove(contactId) {
    const chat = this.chats.get(contactId);
    if (!chat) return;
    this.chats.delete(contactId);
    chat.close();
    if (this.selected === chat) {
      this.selected = null;
      const next = this.chats.values().next().value;
      if (next) this.select(next);
    }
    this.empty.hidden = this.chats.size > 0;
  }

  select(chat, focus = false) {
    if (this.selected && this.selected !== chat) {
      this.selected.tab.setAttribute('aria-selected', 'false');
      this.selected.tab.tabIndex = -1;
      this.selected.panel.hidden = true;
    }
    this.selected = chat;
    chat.tab.setAttribute('aria-selected', 'true');
    chat.tab.tabIndex = 0;
    chat.panel.hidden = false;
    if (focus) chat.tab.focus();
    chat.shown();
  }

  onKey(event) {
    const tabs = [...this.chats.values()];
    const at = tabs.indexOf(this.selected);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined || !tabs.length) return;
    event.preventDefault();
    this.select(tabs[(to + tabs.length) % tabs.length], true);
  }
}
