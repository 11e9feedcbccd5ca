// A small real-time metrics panel: the figures Amazon Connect's GetCurrentMetricData and GetMetricDataV2
// report for the queue, read from the sandbox's same-origin view of them (/sandbox/metrics).

import { clock } from '../../../../widget/src/timers.js';
import { h } from './dom.js';

const SHOWN = [
  ['current', 'AGENTS_ONLINE', 'Agents online'],
  ['current', 'AGENTS_AVAILABLE', 'Agents available'],
  ['current', 'AGENTS_ON_CONTACT', 'Agents on contact'],
  ['current', 'CONTACTS_IN_QUEUE', 'Contacts in queue'],
  ['current', 'OLDEST_CONTACT_AGE', 'Oldest contact age'],
  ['current', 'SLOTS_ACTIVE', 'Slots active'],
  ['current', 'SLOTS_AVAILABLE', 'Slots available'],
  ['totals', 'CONTACTS_CREATED', 'Contacts created'],
  ['totals', 'CONTACTS_QUEUED', 'Contacts queued'],
  ['totals', 'CONTACTS_HANDLED', 'Contacts handled'],
  ['totals', 'AGENT_NON_RESPONSE', 'Agent non-response'],
];

export class MetricsPanel {
  /** `load()`: answers the /sandbox/metrics JSON. */
  constructor(load) {
    this.load = load;
    this.values = new Map(SHOWN.map(([, name]) => [name, h('dd', { 'data-metric': name }, '—')]));
    this.queue = h('span');
    this.element = h('aside', { class: 'metrics', 'aria-label': 'Real-time metrics' },
      h('h2', {}, 'Real-time metrics ', this.queue),
      h('dl', {}, ...SHOWN.flatMap(([, name, label]) => [h('dt', {}, label), this.values.get(name)])));
  }

  /** Read the figures again (at most one request at a time; a burst of changes makes one more). */
  async refresh() {
    if (this.loading) return void (this.again = true);
    this.loading = true;
    try {
      const data = await this.load();
      this.queue.textContent = `(${data.queue})`;
      for (const [group, name] of SHOWN) {
        const value = data[group]?.[name] ?? 0;
        this.values.get(name).textContent = name === 'OLDEST_CONTACT_AGE' ? clock(value * 1000) : String(value);
      }
    } catch {
      // the connection state in the header already says when the sandbox is unreachable
    } finally {
      this.loading = false;
      if (this.again) (this.again = false), this.refresh();
    }
  }
}
