// The contact details beside a chat: what the flow received (its attributes, e.g. customerName), the
// initiation method and the queue, as the agent snapshot reports them.

import { h } from './dom.js';

/** A "Contact details" section for one contact's view from the agent snapshot. */
export function contactDetails(contact) {
  const rows = [
    ['Customer', contact.customerName],
    ['Initiation method', contact.initiationMethod],
    ['Queue', contact.queue || '—'],
    ['Contact ID', contact.contactId],
    ...Object.entries(contact.attributes || {}).sort(([a], [b]) => a.localeCompare(b)),
  ];
  return h('section', { class: 'details', 'aria-label': 'Contact details' },
    h('h3', {}, 'Contact details'),
    h('dl', {}, ...rows.flatMap(([name, value]) => [h('dt', {}, name), h('dd', {}, String(value ?? ''))])));
}
