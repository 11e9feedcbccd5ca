// The widget's safe element builder (strings become text nodes, never markup), re-exported here so the
// workspace's parts import one name; plus the few helpers only the workspace needs.

export { h } from '../../../../widget/src/dom.js';

let counter = 0;

/** A page-unique element id (labels, tabs and panels refer to each other by id). */
export const uid = (prefix) => `${prefix}-${++counter}`;

/** Seconds as "12 s" below a minute, else m:ss (or h:mm:ss). */
export function ago(ms, clock) {
  return ms < 60_000 ? `${Math.max(0, Math.floor(ms / 1000))} s` : clock(ms);
}
