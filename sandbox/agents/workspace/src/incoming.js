// Offers and missed chats. An offer shows the customer's name, a visible countdown to the end of its
// 20-second window (on the sandbox's clock) and Accept / Reject; it is never accepted automatically.
// A missed chat shows how long ago it was missed and a Clear contact button that frees its slot.

import { clock } from '../../../../widget/src/timers.js';
import { ago, h } from './dom.js';

export class Incoming {
  /** `act(contactId, action)`: accept, reject or clear through the agent API. */
  constructor({ act, serverClock }) {
    Object.assign(this, { act, serverClock });
    this.cards = new Map(); // contactId → {card, contact, time}
    // Announced once per offer or miss: the countdown ticking inside a live region would be noise.
    this.announcer = h('p', { class: 'sr-only', 'aria-live': 'assertive' });
    this.element = h('section', { class: 'incoming', 'aria-label': 'Incoming and missed chats' }, this.announcer);
  }

  /** Show exactly these offered and missed contacts. */
  update(contacts) {
    const wanted = new Map(contacts.map((c) => [`${c.contactId}:${c.state}`, c]));
    for (const [key, entry] of this.cards) if (!wanted.has(key)) entry.card.remove(), this.cards.delete(key);
    for (const [key, contact] of wanted) {
      if (!this.cards.has(key)) this.cards.set(key, this.build(contact));
      this.cards.get(key).contact = contact;
    }
    this.render();
  }

  build(contact) {
    const name = contact.customerName || 'Customer';
    const time = h('span', { class: 'countdown' });
    const button = (label, action, cls) =>
      h('button', { type: 'button', class: cls, onclick: (event) => this.press(event.target, contact.contactId, action) }, label);
    const card = contact.state === 'OFFERED'
      ? h('div', { class: 'card offer', role: 'group', 'aria-label': `Incoming chat from ${name}`, 'data-contact': contact.contactId },
        h('span', { class: 'what' }, h('strong', {}, `Incoming chat: ${name}`), ' — accept within ', time),
        button('Accept', 'accept', 'primary'), button('Reject', 'reject', 'danger'))
      : h('div', { class: 'card missed', role: 'group', 'aria-label': `Missed chat from ${name}` },
        h('span', { class: 'what' }, h('strong', {}, `Missed chat: ${name}`), ' — missed ', time, ' ago'),
        button('Clear contact', 'clear', 'primary'));
    this.element.append(card);
    this.announcer.textContent = contact.state === 'OFFERED' ? `Incoming chat from ${name}` : `Missed chat from ${name}`;
    return { card, time, contact };
  }

  async press(button, contactId, action) {
    button.disabled = true; // one press, one request
    try {
      await this.act(contactId, action);
    } finally {
      button.disabled = false;
    }
  }

  /** Redraw countdowns and "missed … ago" against the sandbox's clock. */
  render() {
    const now = this.serverClock.now();
    for (const { time, contact } of this.cards.values()) {
      time.textContent = contact.state === 'OFFERED'
        ? `${Math.max(0, Math.ceil((Date.parse(contact.offerExpiresAt) - now) / 1000))} s`
        : ago(now - Date.parse(contact.missedAt), clock);
    }
  }
}
