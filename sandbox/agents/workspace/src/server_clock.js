// The sandbox's time, as its agent events report it ("now"). Countdowns and timers count against it,
// never against the browser's clock: on the manual clock, time moves only when the sandbox says so.

export class ServerClock {
  constructor() {
    this.manual = false;
    this.at = Date.now();
    this.receivedAt = performance.now();
  }

  /** The sandbox said it is `iso` now. */
  set(iso) {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) return;
    this.at = at;
    this.receivedAt = performance.now();
  }

  /** Milliseconds since the epoch on the sandbox's clock (standing still on the manual clock). */
  now() {
    return this.manual ? this.at : this.at + (performance.now() - this.receivedAt);
  }
}
