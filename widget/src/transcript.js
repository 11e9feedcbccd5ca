// The transcript: chat items (messages, attachments, joined/left events) deduped by Id and shown in
// AbsoluteTime order, delivered/read marks on the customer's own messages, and paging through history.
// A continued conversation shows the previous contact's items above a divider. The log stays scrolled to
// the end while the reader is there, also when the log shrinks (the composer's preview opens).

import { AUTO_DISCONNECTED, CHAT_ENDED, INTERACTIVE, INTERACTIVE_RESPONSE, JOINED, LEFT, byTime } from './protocol.js';
import { renderMarkdown } from './markdown.js';
import { carouselChoice, renderInteractive } from './interactive.js';
import { T, h, named } from './dom.js';

const PAGE = 15; // transcript page size (a shorter page reached the start of the chat)
// The sentence of an event line, by content type (an agent removed for inactivity: chat timeouts).
const EVENT_LINES = { [JOINED]: 'joined', [LEFT]: 'left', [AUTO_DISCONNECTED]: 'autoLeft' };

export const isMessage = (item) => item.Type === 'MESSAGE' || item.Type === 'ATTACHMENT';

export class Transcript {
  /** `roleLabel(item)`: who said it; `link_(att)`: a node that opens an attachment;
   * `onShown_(item, live)`: a chat item was added (a pending bubble that settles counts, as live);
   * `receive_(item, live)`: where transcript pages go (the element's dispatch, as for the socket);
   * `pick_([content, contentType])`: the customer answered an interactive message (false: not sent). */
  constructor(parts) {
    Object.assign(this, parts); // t, roleLabel, link_, onShown_, receive_, report_, pick_
    this.items_ = new Map(); // Id → item, every chat item shown
    this.nodes_ = new Map(); // Id → <li>
    this.seen_ = new Set(); // Id of every item received (any type)
    this.metadata_ = new Map(); // MessageId → latest MessageMetadata, applied when the message is shown
    this.olderButton_ = h('button', { type: 'button', class: 'older', hidden: true, ...T('older'), onclick: () => this.loadOlder_(5) });
    this.list_ = h('ol');
    this.log_ = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'heading', tabindex: '0' }, this.olderButton_, this.list_);
    this.divider_ = h('li', { class: 'divider', role: 'separator' });
    this.atEnd_ = true; // the reader is at the newest item: keep them there
    this.log_.addEventListener('scroll', () => {
      this.atEnd_ = this.log_.scrollTop + this.log_.clientHeight >= this.log_.scrollHeight - 8;
      if (this.log_.scrollTop < 40) this.loadOlder_(5);
    });
    new ResizeObserver(() => this.atEnd_ && this.scrollDown_()).observe(this.log_);
  }

  /** Forget everything shown; `connection` (null: none) serves the pages from now on. */
  reset_(connection) {
    this.connection_ = connection;
    this.contactId_ = connection?.contactId_;
    this.items_.clear();
    this.nodes_.clear();
    this.seen_.clear();
    this.metadata_.clear();
    this.list_.replaceChildren();
    this.exhausted_ = false;
    this.oldest_ = null;
  }

  /** Every message known, in time order. */
  messages_() {
    return [...this.items_.values()].filter(isMessage).sort(byTime);
  }

  /** Add one chat item (not typing); answers whether it is new and shown. */
  add_(item, live) {
    this.seen_.add(item.Id);
    if (item.Type === 'MESSAGEMETADATA') return this.receipts_(item.MessageMetadata);
    if (item.ContentType === CHAT_ENDED) return;
    // Not shown: the customer's interactive answers to "show more" (JSON for the bot), the customer's
    // own removal, events without a line.
    const shown = isMessage(item) ? item.ContentType !== INTERACTIVE_RESPONSE : EVENT_LINES[item.ContentType] && !(item.ParticipantRole === 'CUSTOMER' && item.ContentType === AUTO_DISCONNECTED);
    // An attachment seen again (pushed once scanned, or reloaded): its links redrawn for its Status now.
    if (this.items_.has(item.Id) && item.Type === 'ATTACHMENT') this.nodes_.get(item.Id).querySelector('.bubble').replaceChildren(...this.attachmentLinks_(item));
    if (!shown || this.items_.has(item.Id)) return;
    // The echo of a message still waiting for its SendMessage answer: that bubble is this message.
    const pending = item.ParticipantRole === 'CUSTOMER' && item.Type === 'MESSAGE' &&
      [...this.list_.querySelectorAll('li.pending')].find((li) => li.pendingContent === item.Content);
    if (pending) return this.settle_(pending, item);
    this.items_.set(item.Id, item);
    // A message's bubble, or a joined/left line.
    const li = isMessage(item) ? this.renderMessage_(item) : this.renderWho_(h('li', { class: 'event', 'data-id': item.Id }), item);
    this.nodes_.set(item.Id, li);
    // Insert in AbsoluteTime order (transcript pages and live pushes can interleave).
    const after = [...this.items_.values()].filter((other) => byTime(other, item) > 0).sort(byTime)[0];
    this.list_.insertBefore(li, after ? this.nodes_.get(after.Id) : null);
    if (this.isPast_(item)) li.classList.add('past');
    if (this.list_.querySelector(':scope > .past')) {
      // The divider goes between the previous contact's items and this contact's first one.
      const first = this.list_.querySelector(':scope > li:not(.past):not(.divider)');
      if (!first) this.divider_.remove();
      else {
        this.divider_.textContent = this.t('newSession');
        if (first.previousElementSibling !== this.divider_) this.list_.insertBefore(this.divider_, first);
      }
    }
    this.receipts_(item.MessageMetadata); // after the insert: it marks this message's element
    this.onShown_(item, live);
    if (live) this.scrollDown_();
  }

  /** Whether `item` belongs to an earlier contact of a continued conversation. */
  isPast_(item) {
    return !!(item.ContactId && this.contactId_ && item.ContactId !== this.contactId_);
  }

  /** A customer's message shown at once, before the service has it; settled by its answer or echo. */
  addPending_(pending) {
    const li = this.renderMessage_({ ...pending, Type: 'MESSAGE', ParticipantRole: 'CUSTOMER' });
    li.classList.add('pending');
    li.pendingContent = pending.Content;
    this.list_.append(li);
    this.scrollDown_();
    return li;
  }

  /** A pending bubble becomes the message `item` (its SendMessage answer or its socket echo). */
  settle_(li, item) {
    li.classList.remove('pending');
    li.dataset.id = item.Id;
    li.querySelector('.meta').textContent = '';
    this.nodes_.set(item.Id, li);
    this.items_.set(item.Id, item);
    this.seen_.add(item.Id);
    this.receipts_({ MessageId: item.Id });
    this.onShown_(item, true);
  }

  /** (Re)write who said it, or an event line's sentence, in the current language; answers `li`. */
  renderWho_(li, item) {
    const who = li.querySelector('.who');
    if (who) who.textContent = this.roleLabel(item);
    // "Jane joined the chat", "Jane left the chat" (nodes: the name keeps its own direction)
    else li.replaceChildren(...named(this.t, EVENT_LINES[item.ContentType], this.roleLabel(item)));
    return li;
  }

  /** Re-label every item (the locale or the labels changed). */
  relabel_() {
    for (const [id, li] of this.nodes_) this.renderWho_(li, this.items_.get(id));
    if (this.divider_.isConnected) this.divider_.textContent = this.t('newSession');
  }

  /** A message's or an attachment's bubble, with its sender and a place for its receipt. */
  renderMessage_(item) {
    const mine = item.ParticipantRole === 'CUSTOMER';
    // dir=auto: each message and name takes the direction of its own text, not the panel's.
    const bubble = h('div', { class: 'bubble', dir: 'auto' });
    const content = String(item.Content || '');
    if (item.Type === 'ATTACHMENT') {
      bubble.append(...this.attachmentLinks_(item));
    } else if (item.ContentType === 'text/markdown') {
      bubble.append(renderMarkdown(content));
    } else if (item.ContentType === INTERACTIVE) {
      bubble.append(renderInteractive(content, this.pick_, this.t('newMessage'), this.t.lang));
    } else {
      bubble.classList.add('plain'); // its line breaks are kept (CSS white-space)
      bubble.append((mine && carouselChoice(content)) || content);
    }
    const li = h('li', { class: mine ? 'msg mine' : 'msg', 'data-id': item.Id, 'data-role': item.ParticipantRole },
      h('span', { class: 'who', dir: 'auto' }), bubble, h('span', { class: 'meta' }));
    return this.renderWho_(li, item);
  }

  attachmentLinks_(item) {
    return (item.Attachments || []).map(this.link_);
  }

  /** Delivered/read receipts on the customer's own messages. */
  receipts_(metadata) {
    if (metadata?.MessageId && metadata.Receipts?.length) this.metadata_.set(metadata.MessageId, metadata);
    else metadata = metadata && this.metadata_.get(metadata.MessageId);
    const li = metadata && this.nodes_.get(metadata.MessageId);
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
  async load_() {
    const known = new Set(this.seen_); // before any push of the new socket
    this.log_.setAttribute('aria-busy', 'true');
    this.loading_ = true;
    try {
      let anchor;
      for (let pages = 0; pages < 50; pages++) {
        const items = (await this.connection_.getTranscript(anchor)).Transcript || [];
        this.merge_(items);
        if (!known.size || items.length < PAGE || items.some((i) => known.has(i.Id))) break;
        anchor = items.reduce((a, b) => (byTime(b, a) < 0 ? b : a)).Id;
      }
      if (this.nodes_.size < 10) await this.loadOlder_(10 - this.nodes_.size);
      this.scrollDown_();
    } catch (error) {
      this.report_(error);
    } finally {
      this.loading_ = false;
      this.log_.removeAttribute('aria-busy');
    }
  }

  /** Page back from the oldest item seen (of any type) until `wanted` more items are shown. */
  async loadOlder_(wanted = 1) {
    if (this.paging_ || this.exhausted_ || !this.oldest_ || !this.connection_) return;
    this.paging_ = true;
    this.log_.setAttribute('aria-busy', 'true');
    const height = this.log_.scrollHeight;
    const target = this.nodes_.size + wanted;
    try {
      for (let pages = 0; !this.exhausted_ && this.nodes_.size < target && pages < 10; pages++) {
        const anchor = this.oldest_;
        const page = await this.connection_.getTranscript(anchor.Id);
        this.merge_(page.Transcript || [], false);
        if (this.oldest_ === anchor) break; // nothing older came back
      }
      this.log_.scrollTop += this.log_.scrollHeight - height; // keep what the reader was looking at in place
    } catch (error) {
      this.report_(error);
    } finally {
      this.paging_ = false;
      if (!this.loading_) this.log_.removeAttribute('aria-busy');
    }
  }

  /** Show one transcript page (any order), remembering the oldest item for paging back. */
  merge_(items, scroll = true) {
    for (const item of items) {
      if (!this.oldest_ || byTime(item, this.oldest_) < 0) this.oldest_ = item;
      this.receive_(item, false);
    }
    // A short page means the scan reached the start of the chat.
    this.exhausted_ ||= items.length < PAGE;
    this.olderButton_.hidden = this.exhausted_;
    if (scroll) this.scrollDown_();
  }

  /** Scroll to the newest item. */
  scrollDown_() {
    this.log_.scrollTop = this.log_.scrollHeight;
  }
}
