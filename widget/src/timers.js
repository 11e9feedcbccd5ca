// The "Connected" and "Since last message" timers. The second restarts only when the other side
// answers, as in Connect's CCP. Times are the server's (AbsoluteTime); live items tell how far the
// browser's clock is from it.

import { h } from './dom.js';

const SKEW_SAMPLES = 5;

/** Milliseconds as m:ss, or h:mm:ss from an hour on. */
export const clock = (ms) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return (hms[0] ? hms : hms.slice(1)).map((n, i) => (i ? String(n).padStart(2, '0') : n)).join(':');
};

export class Timers {
  /** `t`: the current translate function (it changes with the locale). */
  constructor(t) {
    this.t = t;
    this.skew_ = 0; // browser clock minus server clock, in ms
    this.samples_ = [];
    this.start_(null);
    this.connectedTime_ = h('span');
    this.sinceTime_ = h('span');
    this.element_ = h('div', { class: 'timers' }, this.connectedTime_, this.sinceTime_);
  }

  /** Show the timers of a chat started at `startedAt` (browser time), or none (null). */
  start_(startedAt) {
    this.startedAt_ = startedAt; // browser time; null: no chat, nothing to show
    this.switchedAt_ = null; // server time the sender last changed
    this.stoppedAt_ = null;
  }

  /** The chat is over: the timers keep the time it ended at. */
  stop_() {
    this.stoppedAt_ ??= Date.now();
    this.render();
  }

  /** `item` (a message) arrived; `messages` are all messages known, in time order. Computed from all of
   * them, so pages loaded newest-first give the same answer. */
  track_(item, live, messages) {
    if (live && item.AbsoluteTime) {
      // Delivery delay only ever adds to the difference, so the smallest recent one is the best estimate.
      this.samples_ = [...this.samples_.slice(1 - SKEW_SAMPLES), Date.now() - Date.parse(item.AbsoluteTime)];
      this.skew_ = Math.min(...this.samples_);
    }
    let lastSide = null;
    this.switchedAt_ = null;
    for (const m of messages) {
      const side = m.ParticipantRole === 'CUSTOMER';
      if (side !== lastSide) {
        lastSide = side;
        this.switchedAt_ = Date.parse(m.AbsoluteTime) || Date.now() - this.skew_;
      }
    }
    this.render();
  }

  /** Show the time since the chat started and since the sender last changed. */
  render() {
    if (this.startedAt_ == null) return;
    const now = this.stoppedAt_ ?? Date.now();
    this.connectedTime_.textContent = `${this.t('connected')} ${clock(now - this.startedAt_)}`;
    this.sinceTime_.textContent = this.switchedAt_ ? `${this.t('sinceLast')} ${clock(now - this.skew_ - this.switchedAt_)}` : '';
  }
}
