// The agent's composer: a formatting toolbar (bold, italic, bulleted and numbered lists) writing
// markdown into the text, a Preview of the message as the customer will see it, typing events, and
// attachments. Messages go as text/markdown (the sandbox's chats accept it) so the formatting arrives.

import { renderMarkdown } from '../../../../widget/src/markdown.js';
import { h, uid } from './dom.js';

const TYPING_EVERY_MS = 5_000; // at most one typing event per 5 s, as ChatJS throttles them

// Toolbar button → how it changes the selected text.
const FORMATS = [
  ['Bold', 'B', (text) => `**${text || 'bold'}**`],
  ['Italic', 'I', (text) => `*${text || 'italic'}*`],
  ['Bulleted list', '•', (text) => lines(text).map((line) => `- ${line}`).join('\n')],
  ['Numbered list', '1.', (text) => lines(text).map((line, i) => `${i + 1}. ${line}`).join('\n')],
];
const lines = (text) => (text || 'item').split('\n');

export class Composer {
  /** `send(text)`, `typing()`, `attach(file)`: what the chat does with them (each may reject). */
  constructor({ send, typing, attach, label }) {
    Object.assign(this, { send, typing, attach });
    const id = uid('message');
    this.text = h('textarea', { id, name: 'message', rows: '3' });
    this.text.addEventListener('input', () => this.onInput());
    this.text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    const tools = FORMATS.map(([name, symbol, apply]) =>
      h('button', { type: 'button', title: name, onclick: () => this.format(apply) },
        h('span', { 'aria-hidden': 'true' }, symbol), h('span', { class: 'sr-only' }, name)));
    this.previewButton = h('button', { type: 'button', 'aria-pressed': 'false', onclick: () => this.togglePreview() }, 'Preview');
    this.preview = h('div', { class: 'preview', role: 'region', 'aria-label': 'Message preview', hidden: true });
    this.file = h('input', { type: 'file', class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true' });
    this.file.addEventListener('change', () => this.onFile());
    this.error = h('p', { class: 'error', role: 'alert' });
    this.form = h('form', { class: 'composer', onsubmit: (event) => (event.preventDefault(), this.submit()) },
      h('label', { for: id }, `Message to ${label}`),
      h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Formatting' }, ...tools),
      this.text, this.preview,
      h('div', { class: 'actions' },
        this.previewButton,
        h('button', { type: 'button', onclick: () => this.file.click() }, 'Attach a file'),
        h('button', { type: 'submit', class: 'primary' }, 'Send')),
      this.file, this.error);
    this.element = this.form;
  }

  format(apply) {
    const { selectionStart: start, selectionEnd: end, value } = this.text;
    const replaced = apply(value.slice(start, end));
    this.text.setRangeText(replaced, start, end, 'end');
    this.text.focus();
    this.onInput();
  }

  togglePreview() {
    const showing = this.preview.hidden;
    this.preview.hidden = !showing;
    this.previewButton.setAttribute('aria-pressed', String(showing));
    this.renderPreview();
  }

  renderPreview() {
    if (!this.preview.hidden) this.preview.replaceChildren(renderMarkdown(this.text.value));
  }

  onInput() {
    this.renderPreview();
    const now = Date.now();
    if (this.text.value && !(now - (this.typedAt || 0) < TYPING_EVERY_MS)) {
      this.typedAt = now;
      this.typing().catch(() => {}); // a lost typing event is harmless
    }
  }

  async submit() {
    const text = this.text.value.trim();
    if (!text) return;
    this.error.textContent = '';
    try {
      await this.send(text);
      this.text.value = '';
      this.typedAt = 0;
      this.renderPreview();
    } catch (error) {
      this.error.textContent = `Not sent: ${error.message}`;
    }
  }

  async onFile() {
    const [file] = this.file.files;
    this.file.value = '';
    if (!file) return;
    this.error.textContent = '';
    try {
      await this.attach(file);
    } catch (error) {
      this.error.textContent = `${file.name} not sent: ${error.message}`;
    }
  }

  /** The chat is over: nothing more can be sent. */
  disable() {
    for (const el of this.form.querySelectorAll('button, textarea')) el.disabled = true;
  }
}
