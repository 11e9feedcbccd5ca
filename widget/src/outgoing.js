// Sending the customer's messages: shown at once as "Sending…"; on failure kept with Retry, so nothing
// typed is lost.

import { uuid } from './protocol.js';
import { h } from './dom.js';

export class Outgoing {
  /** `connection_()`: the current ChatConnection; `refused_(content, error)`: the service refused the
   * message for good (the element puts the text back in the box). */
  constructor(parts) {
    Object.assign(this, parts); // t, transcript_, connection_, describe_, refused_
  }

  send_(text, contentType) {
    const pending = { Id: `pending-${uuid()}`, Content: text, ContentType: contentType, clientToken: uuid() };
    this.deliver_(pending, this.transcript_.addPending_(pending));
  }

  async deliver_(pending, li) {
    const meta = li.querySelector('.meta');
    meta.textContent = this.t('sending');
    try {
      // Same ClientToken on retry: the service answers a repeated send with the first result.
      const { Id, AbsoluteTime } = await this.connection_().sendMessage(pending.Content, pending.ContentType, pending.clientToken);
      const shown = this.transcript_.nodes_.get(Id);
      if (shown && shown !== li) li.remove(); // shown already (from a transcript reload)
      else if (!shown) this.transcript_.settle_(li, { ...pending, Id, AbsoluteTime, Type: 'MESSAGE', ParticipantRole: 'CUSTOMER' });
    } catch (error) {
      if (!li.classList.contains('pending')) return; // the echo arrived after all
      meta.textContent = `${this.t('failed')} ${this.describe_(error)}`;
      if (error.status !== 403 && error.status !== 400) {
        meta.append(h('button', { type: 'button', onclick: () => this.deliver_(pending, li) }, this.t('retry')));
      } else {
        // Refused for good (even with a fresh ConnectionToken): the text goes back to the box.
        this.refused_(pending.Content, error);
      }
    }
  }
}
