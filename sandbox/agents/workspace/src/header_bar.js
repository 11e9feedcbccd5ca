// The workspace's header: who is logged in, the Status control (Available, Break, Offline; only
// Available is routable), capacity, the connection state told honestly, browser notifications, the
// manual clock's fast-forward (only when the sandbox runs on it) and Log out.

import { h, uid } from './dom.js';

export const STATUSES = ['Available', 'Break', 'Offline'];
const CONNECTION = { live: 'Connected', lost: 'Reconnecting…', closed: 'Disconnected', starting: 'Connecting…' };

export class HeaderBar {
  /** Handlers: `setStatus(status)`, `logout()`, `advance(seconds)`, `enableNotifications()`. */
  constructor({ setStatus, logout, advance, enableNotifications }) {
    const statusId = uid('status');
    this.status = h('select', { id: statusId, name: 'status' }, ...STATUSES.map((s) => h('option', { value: s }, s)));
    this.status.addEventListener('change', () => setStatus(this.status.value));
    this.capacity = h('span', { class: 'capacity' });
    this.connection = h('span', { class: 'state', role: 'status', 'data-state': 'starting' }, CONNECTION.starting);
    this.agentName = h('span', { class: 'agent-name' });
    this.notify = h('button', { type: 'button', hidden: true, onclick: () => enableNotifications() }, 'Enable notifications');
    const secondsId = uid('seconds');
    this.seconds = h('input', { id: secondsId, type: 'number', min: '1', max: '604800', value: '20' });
    this.clock = h('div', { class: 'clock', role: 'group', 'aria-label': 'Sandbox clock', hidden: true },
      h('label', { for: secondsId }, 'Seconds'), this.seconds,
      h('button', { type: 'button', onclick: () => advance(Number(this.seconds.value)) }, 'Fast-forward'));
    this.logout = h('button', { type: 'button', onclick: () => logout() }, 'Log out');
    this.session = h('div', { class: 'session', style: 'display: none' },
      this.agentName, h('label', { for: statusId }, 'Status'), this.status, this.capacity, this.notify, this.clock, this.logout);
    this.element = h('header', { class: 'bar' }, h('h1', {}, 'Agent workspace'), this.connection, this.session);
  }

  /** Show the agent's snapshot: name, status, slots in use out of its capacity. */
  show(snapshot) {
    this.session.style.display = 'contents';
    this.agentName.textContent = snapshot.name;
    if (document.activeElement !== this.status) this.status.value = snapshot.status;
    const held = snapshot.contacts.length;
    this.capacity.textContent = `Chats ${held}/${snapshot.capacity}`;
  }

  showConnection(state) {
    this.connection.dataset.state = state;
    this.connection.textContent = CONNECTION[state] || state;
  }

  hide() {
    this.session.style.display = 'none';
  }
}
