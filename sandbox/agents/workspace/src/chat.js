// One chat the agent accepted: its tab (customer's name, idle marker, two timers, an hourglass in After
// Contact Work), its panel (transcript, idle notice, typing indicator, composer, End chat / Clear contact,
// contact details) and its Participant Service connection with the agent's own ParticipantToken.

import { CHAT_ENDED, ChatConnection, TYPING } from '../../../../widget/src/protocol.js';
import { Receipts } from '../../../../widget/src/receipts.js';
import { clock } from '../../../../widget/src/timers.js';
import { ChatTimers } from './chat_timers.js';
import { Composer } from './composer.js';
import { contactDetails } from './contact_details.js';
import { h, uid } from './dom.js';
import { IdleState } from './idle_state.js';
import { TranscriptView } from './transcript_view.js';

const TYPING_SHOWN_MS = 12_000; // a typing indicator fades unless the customer keeps typing
const ACW = 'AFTER_CONTACT_WORK';

export class Chat {
  /** `contact`: its view in the agent snapshot; `credentials`: the accept answer's participantToken and
   * participantId; `act(action)`: leave or clear it through the agent API; `serverClock`: the sandbox's
   * time; `isSelected(chat)`: whether its tab is the one shown. */
  constructor({ contact, credentials, act, serverClock, isSelected }) {
    Object.assign(this, { contact, act, serverClock, isSelected });
    this.token = credentials.participantToken;
    this.participantId = credentials.participantId;
    this.id = contact.contactId;
    const name = contact.customerName || 'Customer';
    this.timers = new ChatTimers(serverClock, contact.connectedToSystemAt);
    this.acwTime = h('span', { class: 'acw' });
    this.hourglass = h('span', { 'aria-hidden': 'true', hidden: true }, '⌛ ');
    this.timers.element_.className = 'tab-timers';
    // The tab's name is the customer's; the ticking timers are its description, not part of its name.
    this.timers.element_.setAttribute('aria-hidden', 'true');
    this.timers.element_.id = uid('timers');
    this.timers.element_.append(this.acwTime);
    const tabId = uid('tab');
    const panelId = uid('panel');
    this.idleState = new IdleState();
    this.tab = h('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, 'aria-selected': 'false',
      tabindex: '-1', 'aria-describedby': `${this.idleState.marker.id} ${this.timers.element_.id}`, 'data-contact': this.id },
    this.hourglass, h('span', { class: 'name' }, name), this.idleState.marker, this.timers.element_);
    this.transcript = new TranscriptView({ me: () => this.participantId, openAttachment: (id) => this.openAttachment(id), label: `Chat with ${name}` });
    this.receipts = new Receipts({ connection: () => this.connection, chatting: () => !this.connection?.closed });
    this.typing = h('p', { class: 'typing', 'aria-live': 'polite' });
    this.composer = new Composer({
      label: name,
      send: (text) => this.connection.sendMessage(text, 'text/markdown'),
      typing: () => this.connection.sendEvent(TYPING),
      attach: (file) => this.connection.uploadAttachment(file),
    });
    this.state = h('p', { class: 'chat-state', role: 'status' });
    this.endButton = h('button', { type: 'button', class: 'danger', onclick: () => this.act('leave') }, 'End chat');
    this.clearButton = h('button', { type: 'button', class: 'primary', hidden: true, onclick: () => this.act('clear') }, 'Clear contact');
    this.panel = h('section', { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, hidden: true },
      h('div', { class: 'conversation' },
        h('div', { class: 'chat-head' }, h('h2', {}, `Chat with ${name}`), this.state, this.endButton, this.clearButton),
        this.idleState.notice,
        this.transcript.element, this.typing, this.composer.element),
      contactDetails(contact));
    this.update(contact);
  }

  /** Connect with the participant token (again after a refresh) and load the whole transcript. */
  async open() {
    if (this.contact.state === ACW) return; // reopened after a refresh: the agent has left the chat
    const connection = new ChatConnection({ participantToken: this.token, contactId: this.id });
    this.connection = connection;
    connection.on('item', (item) => this.receive(item, true));
    connection.on('status', (status) => this.showConnection(status));
    connection.on('reconnected', () => this.transcript.loadAll(connection).then(() => this.track()));
    connection.on('ended', () => this.composer.disable());
    try {
      await connection.connect();
      await this.transcript.loadAll(connection);
      this.track();
    } catch (error) {
      this.state.textContent = error.status === 403 ? 'The chat has ended' : `Not connected: ${error.message}`;
      this.composer.disable();
    }
  }

  receive(item, live) {
    if (item.ContentType === TYPING) {
      if (item.ParticipantRole !== 'CUSTOMER') return;
      this.typing.textContent = `${item.DisplayName || 'The customer'} is typing…`;
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => (this.typing.textContent = ''), TYPING_SHOWN_MS);
      return;
    }
    if (this.idleState.receive(item)) return;
    if (item.ContentType === CHAT_ENDED) this.composer.disable();
    if (!this.transcript.add(item, live)) return;
    if (item.ParticipantRole === 'CUSTOMER') {
      this.typing.textContent = '';
      this.receipts.acknowledge(item, { live, visible: this.visible(), me: this.participantId, contactId: this.id });
    }
    this.track(item, live);
  }

  /** The "since last message" timer follows the messages. */
  track(item, live = false) {
    const messages = this.transcript.messages();
    if (messages.length) this.timers.track_(item || messages[messages.length - 1], live, messages);
  }

  visible() {
    return this.isSelected(this) && document.visibilityState !== 'hidden';
  }

  /** The tab was shown: the customer's latest message has been read. */
  shown() {
    const theirs = this.transcript.messages().filter((m) => m.ParticipantRole === 'CUSTOMER');
    const last = theirs[theirs.length - 1];
    if (last && this.connection && !this.connection.closed) this.receipts.acknowledge(last, { live: true, visible: true, me: this.participantId, contactId: this.id });
  }

  /** Open an attachment from its short-lived GetAttachment URL (the browser saves or shows it). */
  async openAttachment(attachmentId) {
    const url = await this.connection.attachmentUrl(attachmentId);
    h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', download: '' }).click();
  }

  showConnection(status) {
    if (this.contact.state === ACW) return;
    this.state.textContent = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…' }[status] || status;
  }

  /** The contact's view from a new agent snapshot (a chat ended by either side is in ACW). */
  update(contact) {
    this.contact = contact;
    const acw = contact.state === ACW;
    this.hourglass.hidden = !acw;
    this.endButton.hidden = acw;
    this.clearButton.hidden = !acw;
    if (acw) {
      this.state.textContent = 'After contact work';
      this.composer.disable();
      this.connection?.close();
    }
    this.render();
  }

  /** Redraw the timers (every second, and whenever the sandbox's clock moves). */
  render() {
    this.timers.render();
    const acw = this.contact.state === ACW;
    this.acwTime.textContent = acw ? `After contact work ${clock(this.serverClock.now() - Date.parse(this.contact.acwSince))}` : '';
    this.timers.sinceTime_.hidden = acw;
  }

  close() {
    clearTimeout(this.typingTimer);
    this.connection?.close();
    this.tab.remove();
    this.panel.remove();
  }
}
