// Outgoing delivered/read receipts: telling the agent we got (and, when the panel is visible, read)
// their message. Queued and sent in batches, at most one per message and kind; read implies delivered.

import { DELIVERED, READ } from './protocol.js';

const RECEIPT_BATCH_MS = 5_000; // as ChatJS: outgoing receipts go out at most once per 5 s

export class Receipts {
  /** `connection()`: the current ChatConnection; `chatting()`: whether a chat is going on; `timers`:
   * setTimeout's owner (tests pass their own). */
  constructor(parts) {
    Object.assign(this, { timers: globalThis }, parts); // connection, chatting, timers
    this.receipted_ = new Map(); // MessageId → READ | DELIVERED, receipts sent or queued
    this.outbox = new Map(); // MessageId → receipt type waiting for the next batch
  }

  /** Queue the receipt due for `item` from the other side, if any: read when `visible`, else delivered
   * when it arrived `live`. `me`: the customer's ParticipantId; `contactId`: the current contact. The
   * service refuses receipts for another contact's messages (400: a continued chat shows the previous
   * contact's) and after the end (403), so none are sent for those. */
  acknowledge(item, { live, visible, me, contactId }) {
    if (!this.chatting() || (item.ContactId && item.ContactId !== contactId)) return;
    const done = item.MessageMetadata?.Receipts?.some((r) => r.RecipientParticipantId === me && r.ReadTimestamp);
    if (done || this.receipted_.get(item.Id) === READ || item.ParticipantRole === 'SYSTEM') return;
    const kind = visible ? READ : live && !this.receipted_.has(item.Id) ? DELIVERED : null;
    if (!kind) return;
    this.receipted_.set(item.Id, kind);
    this.outbox.set(item.Id, kind);
    this.flushLater_(Math.max(300, RECEIPT_BATCH_MS - (Date.now() - (this.flushedAt_ || 0))));
  }

  /** Send the queued receipts in `ms`, unless a batch is already due. */
  flushLater_(ms) {
    this.timer ||= this.timers.setTimeout(() => this.flush_(), ms);
  }

  /** The chat is over: drop what is queued (the service would refuse it). */
  stop() {
    this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.outbox.clear();
    this.receipted_.clear();
  }

  /** Send the queued receipts; on throttling, keep what is left for a later batch. */
  async flush_() {
    this.timer = null;
    this.flushedAt_ = Date.now();
    if (!this.chatting()) return this.outbox.clear();
    const connection = this.connection();
    const batch = [...this.outbox];
    this.outbox.clear();
    for (const [i, [id, kind]] of batch.entries()) {
      try {
        await connection.sendReceipt(kind, id);
      } catch (error) {
        if (error.status !== 429 || connection !== this.connection() || !this.chatting()) continue;
        // Throttled: keep the rest (unless a newer receipt replaced it) and try again later.
        for (const [rest, restKind] of batch.slice(i)) if (!this.outbox.has(rest)) this.outbox.set(rest, restKind);
        return this.flushLater_((error.retryAfter || 0) * 1000 || RECEIPT_BATCH_MS);
      }
    }
  }
}
