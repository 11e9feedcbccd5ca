// The agent workspace: wiring only. Log in (or resume this tab's session), follow the agent's event
// stream, and turn each snapshot into the header, the offers and missed chats, and the chat tabs.

import { AgentApi } from './agent_api.js';
import { Chat } from './chat.js';
import { ChatTabs } from './chat_tabs.js';
import { h, uid } from './dom.js';
import { HeaderBar } from './header_bar.js';
import { Incoming } from './incoming.js';
import { MetricsPanel } from './metrics_panel.js';
import { ServerClock } from './server_clock.js';
import { Session } from './session.js';

const TICK_MS = 1_000; // countdowns and timers redraw once a second (and on every snapshot)
const METRICS_EVERY_MS = 5_000;
const OPEN = new Set(['CONNECTED', 'AFTER_CONTACT_WORK']);

export class Workspace {
  constructor(root, { api = new AgentApi(), session = new Session() } = {}) {
    Object.assign(this, { root, api, session });
    this.clock = new ServerClock();
    this.header = new HeaderBar({
      setStatus: (status) => this.call(() => this.api.setStatus(this.session.agentId, status)),
      logout: () => this.logout(),
      advance: (seconds) => this.call(() => this.api.advanceClock(seconds)),
      enableNotifications: () => Notification.requestPermission().then(() => this.showNotifyButton()),
    });
    this.incoming = new Incoming({ serverClock: this.clock, act: (id, action) => this.act(id, action) });
    this.tabs = new ChatTabs();
    this.metrics = new MetricsPanel(() => this.api.metrics());
    this.error = h('p', { class: 'error', role: 'alert' });
    this.loginForm = this.buildLogin();
    this.desk = h('div', { class: 'desk', hidden: true }, this.incoming.element, this.tabs.element);
    this.main = h('main', {}, this.loginForm, this.desk, this.metrics.element);
    root.append(this.header.element, this.error, this.main);
  }

  buildLogin() {
    const id = uid('name');
    const name = h('input', { id, name: 'name', autocomplete: 'name', required: true, maxlength: '256' });
    return h('form', { class: 'login', hidden: true, onsubmit: (event) => (event.preventDefault(), this.login(name.value.trim())) },
      h('h2', {}, 'Log in'), h('label', { for: id }, 'Your name'), name, h('button', { type: 'submit', class: 'primary' }, 'Log in'));
  }

  async start() {
    const info = await this.api.info().catch(() => ({}));
    this.clock.manual = Boolean(info.manualClock);
    this.header.clock.hidden = !info.manualClock;
    this.showNotifyButton();
    setInterval(() => this.render(), TICK_MS);
    setInterval(() => this.session.agentId && this.metrics.refresh(), METRICS_EVERY_MS);
    this.metrics.refresh();
    if (this.session.agentId) {
      try {
        await this.api.agent(this.session.agentId);
        return this.follow();
      } catch (error) {
        if (error.status !== 404) return this.fail(error);
        this.session.end(); // the sandbox restarted or the agent logged out elsewhere
      }
    }
    this.showLogin();
  }

  showLogin() {
    this.header.hide();
    this.desk.hidden = true;
    this.loginForm.hidden = false;
    this.loginForm.querySelector('input').focus();
  }

  async login(name) {
    if (!name) return;
    try {
      const agent = await this.api.login(name);
      this.session.start(agent.agentId);
      this.follow();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Subscribe to the agent's events: every change arrives as a full snapshot. */
  follow() {
    this.loginForm.hidden = true;
    this.desk.hidden = false;
    this.source = this.api.events(this.session.agentId, {
      onSnapshot: (snapshot) => this.apply(snapshot),
      onState: (state) => this.header.showConnection(state),
    });
  }

  apply(snapshot) {
    if (snapshot.loggedOut) return this.loggedOut();
    this.clock.set(snapshot.now);
    this.contacts = new Map(snapshot.contacts.map((c) => [c.contactId, c]));
    this.header.show(snapshot);
    const offered = snapshot.contacts.filter((c) => c.state === 'OFFERED' || c.state === 'MISSED');
    this.notifyNewOffers(offered.filter((c) => c.state === 'OFFERED'));
    this.incoming.update(offered);
    const open = snapshot.contacts.filter((c) => OPEN.has(c.state));
    for (const id of this.tabs.chats.keys()) if (!open.some((c) => c.contactId === id)) this.tabs.remove(id);
    for (const contact of open) {
      const chat = this.tabs.chats.get(contact.contactId);
      if (chat) chat.update(contact);
      else if (this.session.chats[contact.contactId]) this.openChat(contact, this.session.chats[contact.contactId]);
    }
    this.session.keepOnly(new Set(snapshot.contacts.map((c) => c.contactId)));
    this.metrics.refresh();
    this.render();
  }

  openChat(contact, credentials) {
    const chat = new Chat({
      contact,
      credentials,
      serverClock: this.clock,
      act: (action) => this.act(contact.contactId, action),
      isSelected: (c) => this.tabs.selected === c,
    });
    this.tabs.add(chat);
    chat.open();
    return chat;
  }

  /** accept | reject | leave | clear one contact; an accepted chat opens in a tab at once. */
  async act(contactId, action) {
    const answer = await this.call(() => this.api.contact(this.session.agentId, contactId, action));
    if (action !== 'accept' || !answer) return;
    const credentials = { participantToken: answer.participantToken, participantId: answer.participantId };
    this.session.addChat(contactId, credentials);
    // The snapshot saying CONNECTED may come before or after this answer: open the tab now either way.
    const contact = this.contacts?.get(contactId);
    if (contact && !this.tabs.chats.has(contactId)) {
      this.tabs.select(this.openChat({ ...contact, state: contact.state === 'OFFERED' ? 'CONNECTED' : contact.state }, credentials), true);
    }
  }

  /** A browser notification per new offer while this page is hidden (when the agent allowed them). */
  notifyNewOffers(offers) {
    this.notified ||= new Set();
    for (const offer of offers) {
      if (this.notified.has(offer.contactId)) continue;
      this.notified.add(offer.contactId);
      const allowed = globalThis.Notification?.permission === 'granted';
      if (allowed && document.visibilityState === 'hidden') {
        new Notification('Incoming chat', { body: `${offer.customerName} — accept within 20 seconds`, tag: offer.contactId });
      }
    }
  }

  showNotifyButton() {
    this.header.notify.hidden = globalThis.Notification?.permission !== 'default';
  }

  async logout() {
    if (await this.call(() => this.api.logout(this.session.agentId))) this.loggedOut();
  }

  loggedOut() {
    this.source?.close();
    for (const id of [...this.tabs.chats.keys()]) this.tabs.remove(id);
    this.incoming.update([]);
    this.session.end();
    this.showLogin();
  }

  /** Run an agent API call; a refusal is shown, not thrown. */
  async call(fn) {
    this.error.textContent = '';
    try {
      return await fn();
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  fail(error) {
    this.error.textContent = error.status === 0 ? 'The sandbox is not reachable.' : error.message;
  }

  render() {
    this.incoming.render();
    for (const chat of this.tabs.chats.values()) chat.render();
  }
}
