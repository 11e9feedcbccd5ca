// The pre-chat form: the name is required; site-defined extra fields (the `fields` attribute) become
// contact attributes. Offers "Continue previous conversation" when there is one, and to forget it. A
// short intro line (the `intro` label; an empty label hides it) says what happens next.

import { T, h } from './dom.js';

/** The site's extra fields from the `fields` attribute (JSON); anything malformed is left out. */
export function parseFields(json) {
  try {
    const fields = JSON.parse(json || '[]');
    return Array.isArray(fields) ? fields.filter((f) => f && /^[\w-]{1,128}$/.test(f.name)) : [];
  } catch {
    return [];
  }
}

export class PrechatForm {
  /** `onStart_(continuePrevious)`: the customer asked to start (a new chat, or the previous one);
   * `onForget_()`: the customer asked to forget the previous one. */
  constructor({ t, fields, onStart_: onStart, onForget_: onForget }) {
    this.t = t;
    this.nameInput_ = h('input', { name: 'name', required: true, autocomplete: 'name', maxlength: '256' });
    const extra = fields.map((f) =>
      h('label', {}, String(f.label || f.name), h('input', {
        name: f.name, type: ['email', 'tel', 'text'].includes(f.type) ? f.type : 'text', required: !!f.required, maxlength: '1024',
      })));
    this.error_ = h('p', { class: 'error', role: 'alert' });
    this.startButton_ = h('button', { class: 'primary', type: 'submit', ...T('start') });
    this.continueButton_ = h('button', { type: 'button', ...T('continue'), onclick: () => onStart(true) });
    this.forgetButton_ = h('button', { type: 'button', ...T('forget'), onclick: () => onForget() });
    this.element_ = h('form', { class: 'prechat', novalidate: true, onsubmit: (e) => (e.preventDefault(), onStart(false)) },
      h('p', { class: 'intro', ...T('intro') }), h('label', {}, h('span', T('name')), this.nameInput_), ...extra, this.error_, this.startButton_, this.continueButton_, this.forgetButton_);
  }

  /** `{name, attributes}` when every required field is filled; otherwise null, with the first empty
   * required field marked and focused. */
  read_() {
    const inputs = [...this.element_.querySelectorAll('input')];
    const attributes = {};
    for (const input of inputs) {
      input.removeAttribute('aria-invalid');
      if (input !== this.nameInput_ && input.value.trim()) attributes[input.name] = input.value.trim();
    }
    const missing = inputs.find((i) => i.required && !i.value.trim());
    if (missing) {
      missing.setAttribute('aria-invalid', 'true');
      this.error_.textContent = this.t('required');
      missing.focus();
      return null;
    }
    this.error_.textContent = '';
    return { name: this.nameInput_.value.trim(), attributes };
  }

  /** The service refused the name: mark the field and say so (the form stays as typed). */
  nameRefused_() {
    this.nameInput_.setAttribute('aria-invalid', 'true');
    this.error_.textContent = this.t('nameInvalid');
    this.nameInput_.focus();
  }

  /** Buttons disabled while a start request is under way. */
  set busy_(on) {
    this.startButton_.disabled = this.continueButton_.disabled = on;
  }
}
