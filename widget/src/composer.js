// The composer: the message box, the markdown toolbar (bold, italic, lists, preview; Ctrl/Cmd+B and
// Ctrl/Cmd+I) and the send button. It hands text to `onSend` and never talks to the service itself.
// Near the service's length limit a counter says how much is left; over it, nothing is cut: the counter
// says how much too long the message is and Send keeps it in the box.

import { renderMarkdown } from './markdown.js';
import { T, h, symbol } from './dom.js';
import { COUNTER_FROM, MESSAGE_LIMITS } from './limits.js';

const TYPING_THROTTLE_MS = 10_000;

export class Composer {
  /** `onSend_()`: Enter or the send button; `onTyping_()`: the customer typed (at most once per 10 s),
   * answers falsy when nothing was sent; `attachments_`: the attach button and file input to include. */
  constructor({ t, onSend_: onSend, onTyping_: onTyping, attachments_: attachments }) {
    this.t = t;
    this.onTyping_ = onTyping;
    const tool = (key, title, action) =>
      h('button', { type: 'button', class: key, 'data-t-label': key, onclick: action }, symbol(title));
    this.previewButton_ = h('button', { type: 'button', 'aria-pressed': 'false', ...T('preview'), onclick: () => this.showPreview_(this.previewButton_.getAttribute('aria-pressed') !== 'true') });
    this.toolbar_ = h('div', { class: 'toolbar', role: 'toolbar', 'data-t-label': 'message' },
      tool('bold', 'B', () => this.wrap_('**')), tool('italic', 'I', () => this.wrap_('*')),
      tool('bullets', '•', () => this.prefix_(() => '- ')), tool('numbers', '', () => this.prefix_((i) => `${i + 1}. `)),
      this.previewButton_);
    this.counter_ = h('p', { class: 'counter', id: 'counter', 'aria-live': 'polite' });
    this.input_ = h('textarea', { rows: '2', 'data-t-ph': 'message', 'data-t-label': 'message', 'aria-describedby': 'counter' });
    this.input_.addEventListener('keydown', (e) => this.key_(e, onSend));
    this.input_.addEventListener('input', () => this.typed_());
    this.preview_ = h('div', { class: 'preview', hidden: true, 'aria-live': 'polite' });
    this.sendButton_ = h('button', { class: 'primary', type: 'submit', ...T('send') });
    this.element_ = h('form', { class: 'composer', onsubmit: (e) => (e.preventDefault(), onSend()) },
      this.toolbar_, this.preview_, h('div', { class: 'row' }, attachments.button_, this.input_, this.sendButton_), this.counter_, attachments.input_);
  }

  /** Markdown on (toolbar shown, messages sent as text/markdown) or off (plain text, no preview). */
  set markdown_(on) {
    this.toolbar_.hidden = !on;
    if (!on) this.showPreview_(false);
  }

  get contentType_() {
    return this.toolbar_.hidden ? 'text/plain' : 'text/markdown';
  }

  /** Characters over the limit of the current content type (0 or less: it fits). */
  get overBy_() {
    return this.input_.value.trim().length - MESSAGE_LIMITS[this.contentType_];
  }

  /** Show how much is left near the limit, or how much too long the message is. */
  renderCounter_() {
    const over = this.overBy_;
    const near = -over <= MESSAGE_LIMITS[this.contentType_] * COUNTER_FROM;
    this.counter_.classList.toggle('error', over > 0);
    this.counter_.textContent = over > 0 ? this.t('charsOver', { count: over }) : near ? this.t('charsLeft', { count: -over }) : '';
  }

  /** The text to send, emptying the box ('' when empty or too long: then it stays in the box). */
  take_() {
    const text = this.input_.value.trim();
    if (!text || this.overBy_ > 0) {
      this.renderCounter_();
      if (text) this.input_.focus();
      return '';
    }
    this.input_.value = '';
    this.renderPreview_();
    this.renderCounter_();
    return text;
  }

  /** Enter sends (Shift+Enter is a new line); with markdown on, Ctrl/Cmd+B and +I format. */
  key_(event, onSend) {
    const marker = (event.ctrlKey || event.metaKey) && !this.toolbar_.hidden && { b: '**', i: '*' }[event.key.toLowerCase()];
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      onSend();
    } else if (marker) {
      event.preventDefault();
      this.wrap_(marker);
    }
  }

  /** Put `marker` around the selection (or the caret). */
  wrap_(marker) {
    const { input_: input } = this;
    const { selectionStart: a, selectionEnd: b, value } = input;
    input.setRangeText(marker + value.slice(a, b) + marker, a, b, 'end');
    if (a === b) input.setSelectionRange(a + marker.length, a + marker.length);
    input.focus();
    this.typed_();
  }

  /** Start every selected line with `start(index)`: a list. */
  prefix_(start) {
    const { input_: input } = this;
    const { value } = input;
    const a = value.lastIndexOf('\n', input.selectionStart - 1) + 1;
    let b = value.indexOf('\n', input.selectionEnd);
    if (b < 0) b = value.length;
    const lines = value.slice(a, b).split('\n').map((line, i) => start(i) + line);
    input.setRangeText(lines.join('\n'), a, b, 'end');
    input.focus();
    this.typed_();
  }

  /** The formatted preview under the toolbar, on or off. */
  showPreview_(on) {
    this.previewButton_.setAttribute('aria-pressed', String(on));
    this.preview_.hidden = !on;
    this.renderPreview_();
  }

  /** Redraw the preview (when shown) from the box's text. */
  renderPreview_() {
    if (!this.preview_.hidden) this.preview_.replaceChildren(renderMarkdown(this.input_.value));
  }

  /** The text changed: update the preview and tell the agent, at most once per 10 s. */
  typed_() {
    this.renderPreview_();
    this.renderCounter_();
    const now = Date.now();
    if (this.input_.value && now - (this.typingSent_ || 0) > TYPING_THROTTLE_MS && this.onTyping_()) this.typingSent_ = now;
  }
}
