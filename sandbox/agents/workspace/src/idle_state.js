// Chat timeouts as the agent sees them (Amazon Connect's UpdateParticipantRoleConfig): who in this chat
// is idle, shown on the chat's tab and in its header until they write again, and a lasting notice when
// the agent was disconnected for inactivity. These events come only over the socket: the service keeps
// them out of the transcript, so a refreshed workspace starts without them, as the CCP does.

import { AUTO_DISCONNECTED, IDLE, RETURNED } from '../../../../widget/src/protocol.js';
import { h, uid } from './dom.js';

export class IdleState {
  constructor() {
    this.idle = new Set(); // roles marked idle now: 'CUSTOMER', 'AGENT'
    // On the tab, a description rather than part of its name: the tab stays "Ann" for whoever looks for it.
    this.marker = h('span', { class: 'idle-marker', id: uid('idle'), 'aria-hidden': 'true', hidden: true });
    this.notice = h('p', { class: 'idle-notice', role: 'status', hidden: true });
  }

  /** Take a timeout event; answers whether the item was one (then nothing else shows it). */
  receive(item) {
    if (item.ContentType === IDLE) this.idle.add(item.ParticipantRole);
    else if (item.ContentType === RETURNED) this.idle.delete(item.ParticipantRole);
    else if (item.ContentType === AUTO_DISCONNECTED) {
      this.idle.clear();
      this.notice.dataset.kind = 'disconnected';
      this.notice.textContent = item.ParticipantRole === 'CUSTOMER'
        ? 'You were disconnected for inactivity: the customer stopped responding'
        : 'You were disconnected for inactivity';
      this.notice.hidden = false;
      this.render();
      return true;
    } else return false;
    this.render();
    return true;
  }

  render() {
    const who = [...this.idle].map((role) => (role === 'CUSTOMER' ? 'Customer idle' : 'You are idle'));
    this.marker.textContent = who.join(' · ');
    this.marker.hidden = !who.length;
    if (this.notice.dataset.kind === 'disconnected') return;
    this.notice.textContent = who.length ? `${who.join(' · ')}: a message resets the timer` : '';
    this.notice.hidden = !who.length;
  }
}
