// The transcript: chat items (messages, attachments, joined/left events) deduped by Id and shown in
// AbsoluteTime order, delivered/read marks on the customer's own messages, and paging through history.
// A continued conversation shows the previous contact's items above a divider. The log stays scrolled to
// the end while the reader is there, also when the log shrinks (the composer's preview opens).

import { CHAT_ENDED, JOINED, LEFT, byTime } from './protocol.js';
import { renderMarkdown } from './markdown.js';
import { T, h, named } from './dom.js';

const PAGE = 15; // transcript page size (a shorter page reached the start of the chat)

export const isMessage = (item) => item.Type === 'MESSAGE' || item.Type === 'ATTACHMENT';

export class Transcript {
  /** `roleLabel(item)`: who said it; `link(att)`: a node that opens an attachment;
   * `onShown(item, live)`: a chat item was added (a pending bubble that settles counts, as live);
   * `receive(item, live)`: where transcript pages go (the element's dispatch, as for the socket). */
  constructor(parts) {
    Object.assign(this, parts); // t, roleLabel, link, onShown, receive, report
    this.items = new Map(); // Id → item, every chat item shown
    this.nodes = new Map(); // Id → <li>
    this.seen = new Set(); // Id of every item received (any type)
    this.metadata = new Map(); // MessageId → latest MessageMetadata, applied when the message is shown
    this.olderButton = h('button', { type: 'button', class: 'older', hidden: true, ...T('older'), onclick: () => this.loadOlder(5) });
    this.list = h('ol');
    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'heading', tabindex: '0' }, this.olderButton, this.list);
    this.divider = h('li', { class: 'divider', role: 'separator' });
    this.atEnd = true; // the reader is at the newest item: keep them there
    this.log.addEventListener('scroll', () => {
      this.atEnd = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 8;
      if (this.log.scrollTop < 40) this.loadOlder(5);
    });
    new ResizeObserver(() => this.atEnd && this.scrollDown()).observe(this.log);
  }

  /** Forget everything shown; `connection` (null: none) serves the pages from now on. */
  reset(connection) {
    this.connection = connection;
    this.contactId = connection?.contactId;
    this.items.clear();
    this.nodes.clear();
    this.seen.clear();
    this.metadata.clear();
    this.list.replaceChildren();
    this.exhausted = false;
    this.oldest = null;
  }

  /** Every message known, in time order. */
  messages() {
    return [...this.items.values()].filter(isMessage).sort(byTime);
  }

  /** Add one chat item (not typing); answers whether it is new and shown. */
  add(item, live) {
    this.seen.add(item.Id);
    if (item.Type === 'MESSAGEMETADATA') return this.receipts(item.MessageMetadata);
    if (item.ContentType === CHAT_ENDED) return;
    const shown = isMessage(item) || item.ContentType === JOINED || item.ContentType === LEFT;
    if (!shown || this.items.has(item.Id)) return;
    // The echo of a message still waiting for its SendMessage answer: that bubble is this message.
    const pending = item.ParticipantRole === 'CUSTOMER' && item.Type === 'MESSAGE' &&
      [...this.list.querySelectorAll('li.pending')].find((li) => li.pendingContent === item.Content);
    if (pending) return this.settle(pending, item);
    this.items.set(item.Id, item);
    // A message's bubble, or a joined/left line.
    const li = isMessage(item) ? this.renderMessage(item) : this.renderWho(h('li', { class: 'event', 'data-id': item.Id }), item);
    this.nodes.set(item.Id, li);
    // Insert in AbsoluteTime order (transcript pages and live pushes can interleave).
    const after = [...this.items.values()].filter((other) => byTime(other, item) > 0).sort(byTime)[0];
    this.list.insertBefore(li, after ? this.nodes.get(after.Id) : null);
    if (this.isPast(item)) li.classList.add('past');
    if (this.list.querySelector(':scope > .past')) {
      // The divider goes between the previous contact's items and this contact's first one.
      const first = this.list.querySelector(':scope > li:not(.past):not(.divider)');
      if (!first) this.divider.remove();
      else {
        this.divider.textContent = this.t('newSession');
        if (first.previousElementSibling !== this.divider) this.list.insertBefore(this.divider, first);
      }
    }
    this.receipts(item.MessageMetadata); // after the insert: it marks this message's element
    this.onShown(item, live);
    if (live) this.scrollDown();
  }

  /** Whether `item` belongs to an earlier contact of a continued conversation. */
  isPast(item) {
    return !!(item.ContactId && this.contactId && item.ContactId !== this.contactId);
  }

  /** A customer's message shown at once, before the service has it; settled by its answer or echo. */
  addPending(pending) {
    const li = this.renderMessage({ ...pending, Type: 'MESSAGE', ParticipantRole: 'CUSTOMER' });
    li.classList.add('pending');
    li.pendingContent = pending.Content;
    this.list.append(li);
    this.scrollDown();
    return li;
  }

  /** A pending bubble becomes the message `item` (its SendMessage answer or its socket echo). */
  settle(li, item) {
    li.classList.remove('pending');
    li.dataset.id = item.Id;
    li.querySelector('.meta').textContent = '';
    this.nodes.set(item.Id, li);
    this.items.set(item.Id, item);
    this.seen.add(item.Id);
    this.receipts({ MessageId: item.Id });
    this.onShown(item, true);
  }

  /** (Re)write who said it, or an event line's sentence, in the current language; answers `li`. */
  renderWho(li, item) {
    const who = li.querySelector('.who');
    if (who) who.textContent = this.roleLabel(item);
    // "Jane joined the chat", "Jane left the chat" (nodes: the name keeps its own direction)
    else li.replaceChildren(...named(this.t, item.ContentType === JOINED ? 'joined' : 'left', this.roleLabel(item)));
    return li;
  }

  /** Re-label every item (the locale or the labels changed). */
  relabel() {
    for (const [id, li] of this.nodes) this.renderWho(li, this.items.get(id));
    if (this.divider.isConnected) this.divider.textContent = this.t('newSession');
  }

  /** A message's or an attachment's bubble, with its sender and a place for its receipt. */
  renderMessage(item) {
    const mine = item.ParticipantRole === 'CUSTOMER';
    // dir=auto: each message and name takes the direction of its own text, not the panel's.
    const bubble = h('div', { class: 'bubble', dir: 'auto' });
    if (item.Type === 'ATTACHMENT') {
      for (const att of item.Attachments || []) bubble.append(this.link(att));
    } else if (item.ContentType === 'text/markdown') {
      bubble.append(renderMarkdown(String(item.Content || '')));
    } else {
      bubble.classList.add('plain'); // its line breaks are kept (CSS white-space)
      bubble.append(String(item.Content || ''));
    }
    const li = h('li', { class: mine ? 'msg mine' : 'msg', 'data-id': item.Id, 'data-role': item.ParticipantRole },
      h('span', { class: 'who', dir: 'auto' }), bubble, h('span', { class: 'meta' }));
    return this.renderWho(li, item);
  }

  /** Delivered/read receipts on the customer's own messages. */
  receipts(metadata) {
    if (metadata?.MessageId && metadata.Receipts?.length) this.metadata.set(metadata.MessageId, metadata);
    else metadata = metadata && this.metadata.get(metadata.MessageId);
    const li = metadata && this.nodes.get(metadata.MessageId);
    if (!li || !li.classList.contains('mine')) return;
    const receipts = metadata.Receipts || [];
    const state = receipts.some((r) => r.ReadTimestamp) ? 'read' : receipts.some((r) => r.DeliveredTimestamp) ? 'delivered' : null;
    const meta = li.querySelector('.meta');
    if (state && meta.dataset.state !== 'read') {
      meta.dataset.state = state;
      meta.textContent = this.t(state);
    }
  }

  /** The most recent page, then (after a reconnect) older pages until one overlaps what is already
   * shown, so nothing said while the socket was down is skipped; then older pages until a screenful
   * of messages is shown. The log is aria-busy meanwhile: history is not announced. */
  async load() {
    const known = new Set(this.seen); // before any push of the new socket
    this.log.setAttribute('aria-busy', 'true');
    this.loading = true;
    try {
      let anchor;
      for (let pages = 0; pages < 50; pages++) {
        const items = (await this.connection.getTranscript(anchor)).Transcript || [];
        this.merge(items);
        if (!known.size || items.length < PAGE || items.some((i) => known.has(i.Id))) break;
        anchor = items.reduce((a, b) => (byTime(b, a) < 0 ? b : a)).Id;
      }
      if (this.nodes.size < 10) await this.loadOlder(10 - this.nodes.size);
      this.scrollDown();
    } catch (error) {
      this.report(error);
    } finally {
      this.loading = false;
      this.log.removeAttribute('aria-busy');
    }
  }

  /** Page back from the oldest item seen (of any type) until `wanted` more items are shown. */
  async loadOlder(wanted = 1) {
    if (this.paging || this.exhausted || !this.oldest || !this.connection) return;
    this.paging = true;
    this.log.setAttribute('aria-busy', 'true');
    const height = this.log.scrollHeight;
    const target = this.nodes.size + wanted;
    try {
      for (let pages = 0; !this.exhausted && this.nodes.size < target && pages < 10; pages++) {
        const anchor = this.oldest;
        const page = await this.connection.getTranscript(anchor.Id);
        this.merge(page.Transcript || [], false);
        if (this.oldest === anchor) break; // nothing older came back
      }
      this.log.scrollTop += this.log.scrollHeight - height; // keep what the reader was looking at in place
    } catch (error) {
      this.report(error);
    } finally {
      this.paging = false;
      if (!this.loading) this.log.removeAttribute('aria-busy');
    }
  }

  /** Show one transcript page (any order), remembering the oldest item for paging back. */
  merge(items, scroll = true) {
    for (const item of items) {
      if (!this.oldest || byTime(item, this.oldest) < 0) this.oldest = item;
      this.receive(item, false);
    }
    // A short page means the scan reached the start of the chat.
    this.exhausted ||= items.length < PAGE;
    this.olderButton.hidden = this.exhausted;
    if (scroll) this.scrollDown();
  }

  /** Scroll to the newest item. */
  scrollDown() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}
