// One chat's transcript as the agent sees it: every item so far (what the customer typed while waiting,
// SYSTEM, BOT and other agents' messages), each with its display name, in AbsoluteTime order, with
// delivered/read marks on this agent's own messages and attachments that open on click. A bot's
// interactive messages and the customer's interactive responses read as text (interactive_text.js).

import { JOINED, LEFT, byTime } from '../../../../widget/src/protocol.js';
import { renderMarkdown } from '../../../../widget/src/markdown.js';
import { h } from './dom.js';
import { interactiveAsText, isInteractive } from './interactive_text.js';

const PAGE = 15; // GetTranscript's page size: a shorter page is the start of the chat
const MAX_PAGES = 1000; // a bound on the history walk, far beyond any real chat

export const isMessage = (item) => item.Type === 'MESSAGE' || item.Type === 'ATTACHMENT';

/** Who said it, as the CCP shows it: SYSTEM and BOT by role, everyone else by display name. Connect posts
 * a Lex bot's messages as SYSTEM named "BOT": those are the bot's. */
export function senderName(item) {
  if (item.ParticipantRole === 'SYSTEM') return item.DisplayName === 'BOT' ? 'BOT' : 'SYSTEM';
  if (item.ParticipantRole === 'CUSTOM_BOT') return 'BOT';
  return item.DisplayName || item.ParticipantRole || '';
}

export class TranscriptView {
  /** `me()`: this agent's ParticipantId; `openAttachment(id)`: opens one; `label`: the log's name. */
  constructor({ me, openAttachment, label }) {
    Object.assign(this, { me, openAttachment });
    this.items = []; // shown items, in time order
    this.nodes = new Map(); // Id → <li>
    this.seen = new Set();
    this.receipts = new Map(); // MessageId → 'delivered' | 'read', for metadata seen before its message
    this.list = h('ol');
    this.element = h('div', { class: 'log', role: 'log', 'aria-label': label, tabindex: '0' }, this.list);
  }

  /** Walk GetTranscript back to the start of the chat (15 items a page). */
  async loadAll(connection) {
    let before;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await connection.getTranscript(before);
      const items = answer.Transcript || [];
      for (const item of items) this.add(item, false);
      if (items.length < PAGE) return;
      before = items[0].Id;
    }
  }

  /** Add one chat item; answers whether it is a message shown for the first time. */
  add(item, live) {
    if (item.Type === 'MESSAGEMETADATA') return this.mark(item.MessageMetadata), false;
    const shown = isMessage(item) || item.ContentType === JOINED || item.ContentType === LEFT;
    if (!shown || this.seen.has(item.Id)) return false;
    this.seen.add(item.Id);
    const li = isMessage(item) ? this.renderMessage(item) : h('li', { class: 'event' }, this.eventText(item));
    this.nodes.set(item.Id, li);
    // Live items are nearly always the newest: append; history pages insert in place.
    let at = this.items.length;
    while (at > 0 && byTime(this.items[at - 1], item) > 0) at--;
    this.list.insertBefore(li, at < this.items.length ? this.nodes.get(this.items[at].Id) : null);
    this.items.splice(at, 0, item);
    this.mark(item.MessageMetadata);
    if (this.receipts.has(item.Id)) this.showReceipt(item.Id, this.receipts.get(item.Id));
    if (live) this.scrollDown();
    return isMessage(item);
  }

  /** Every message, in time order. */
  messages() {
    return this.items.filter(isMessage);
  }

  eventText(item) {
    return `${senderName(item)} ${item.ContentType === JOINED ? 'joined' : 'left'} the chat`;
  }

  renderMessage(item) {
    const bubble = h('div', { class: 'bubble' });
    if (item.Type === 'ATTACHMENT') {
      for (const att of item.Attachments || []) bubble.append(attachmentNode(att, () => this.openAttachment(att.AttachmentId)));
    } else if (item.ContentType === 'text/markdown') {
      bubble.append(renderMarkdown(String(item.Content || '')));
    } else if (isInteractive(item)) {
      bubble.append(interactiveAsText(item));
    } else {
      bubble.append(String(item.Content || ''));
    }
    const mine = item.ParticipantId && item.ParticipantId === this.me();
    return h('li', { class: mine ? 'msg mine' : 'msg', 'data-role': item.ParticipantRole || '', 'data-id': item.Id },
      h('span', { class: 'who' }, senderName(item)), bubble, h('span', { class: 'meta' }));
  }

  /** Delivered/read receipts for this agent's own messages. */
  mark(metadata) {
    if (!metadata?.MessageId) return;
    const receipts = metadata.Receipts || [];
    const state = receipts.some((r) => r.ReadTimestamp) ? 'read' : receipts.some((r) => r.DeliveredTimestamp) ? 'delivered' : null;
    if (!state || this.receipts.get(metadata.MessageId) === 'read') return;
    this.receipts.set(metadata.MessageId, state);
    this.showReceipt(metadata.MessageId, state);
  }

  showReceipt(messageId, state) {
    const li = this.nodes.get(messageId);
    if (li?.classList.contains('mine')) li.querySelector('.meta').textContent = state === 'read' ? 'Read' : 'Delivered';
  }

  scrollDown() {
    this.element.scrollTop = this.element.scrollHeight;
  }
}

/** An attachment opens on click only once the scanner approved it (`Attachments[].Status`; no status: no
 * scanner): a rejected file is never offered, and one still being scanned has nothing to open yet. */
function attachmentNode(att, open) {
  const name = att.AttachmentName || 'attachment';
  if (att.Status === 'REJECTED') return h('span', { class: 'attachment rejected' }, `${name}: rejected by the attachment scanner`);
  if (att.Status === 'IN_PROGRESS') return h('span', { class: 'attachment scanning' }, `${name}: being scanned`);
  return h('button', { type: 'button', class: 'attachment', onclick: open }, name);
}
