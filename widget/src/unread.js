// Messages that arrive while the customer is away (panel minimised or tab hidden): a count on the
// launcher and in the page title, and a browser notification when the site allows them.

import { h } from './dom.js';

export class Unread {
  /** `notifications_()`: whether the site asked for browser notifications. */
  constructor(parts) {
    Object.assign(this, parts); // t, roleLabel, notifications_
    this.count_ = 0;
    this.badge_ = h('span', { class: 'badge', hidden: true });
  }

  /** A message from the other side arrived while the customer was away. */
  add_(item) {
    this.count_ += 1;
    this.render();
    if (this.notifications_() && globalThis.Notification?.permission === 'granted' && document.visibilityState !== 'visible') {
      const text = item.Type === 'ATTACHMENT' ? (item.Attachments?.[0]?.AttachmentName || '') : String(item.Content || '');
      new Notification(this.roleLabel(item), { body: text.slice(0, 120), tag: 'connect-chat' });
    }
  }

  /** The customer is looking: nothing is unread. */
  clear_() {
    this.count_ = 0;
    this.render();
  }

  /** The badge and the page title for the current count. */
  render() {
    const { count_: count, badge_: badge } = this;
    badge.hidden = !count;
    badge.textContent = count || '';
    badge.setAttribute('aria-label', this.t('unread', { count }));
    // Touch the page title only while there is something unread (single-page sites change it too).
    if (count) {
      this.pageTitle_ ??= document.title;
      document.title = `(${count}) ${this.pageTitle_}`;
    } else if (this.pageTitle_ != null) {
      document.title = this.pageTitle_;
      this.pageTitle_ = null;
    }
  }
}
