// A chat tab's two timers, with the widget's logic (widget/src/timers.js: "since last message" restarts
// only when the other side answers), counted on the sandbox's clock instead of the browser's.

import { Timers, clock } from '../../../../widget/src/timers.js';

const LABELS = { connected: 'Connected', sinceLast: 'Since last message' };

export class ChatTimers extends Timers {
  /** `serverClock`: the sandbox's time; `connectedAt`: when the contact reached the contact center. */
  constructor(serverClock, connectedAt) {
    super((key) => LABELS[key]);
    this.serverClock = serverClock;
    this.start_(Date.parse(connectedAt));
  }

  /** Both timers read the sandbox's clock (message times are the sandbox's too: no skew to correct). */
  render() {
    if (this.startedAt_ == null) return;
    const now = this.serverClock.now();
    this.connectedTime_.textContent = `${this.t('connected')} ${clock(now - this.startedAt_)}`;
    this.sinceTime_.textContent = this.switchedAt_ ? `${this.t('sinceLast')} ${clock(now - this.switchedAt_)}` : '';
  }
}
