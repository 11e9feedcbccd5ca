// Ending a chat asks first: "End chat" sits next to minimise in the header, and a slip would end the
// conversation for good. The header button opens a short question with the real "End chat" and
// "Keep chatting"; only the first ends the chat.

import { T, h } from './dom.js';

export class EndConfirm {
  /** `onEnd_()`: the customer confirmed. */
  constructor({ onEnd_: onEnd }) {
    this.openButton_ = h('button', { type: 'button', ...T('end'), onclick: () => this.ask_(true) });
    this.endButton_ = h('button', { type: 'button', class: 'primary', ...T('end'), onclick: () => onEnd() });
    this.element_ = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'confirm-end', hidden: true },
      h('p', { id: 'confirm-end', ...T('confirmEnd') }), this.endButton_,
      h('button', { type: 'button', ...T('keepChatting'), onclick: () => this.ask_(false) }));
  }

  /** Show the question (focus on "End chat") or put it away (focus back on the header button). */
  ask_(on) {
    this.element_.hidden = !on;
    this.openButton_.hidden = on;
    (on ? this.endButton_ : this.openButton_).focus();
  }

  /** Whether the header button is offered (during a chat); the question is put away either way. */
  set available_(on) {
    this.element_.hidden = true;
    this.openButton_.hidden = !on;
  }
}
