// Attachments: picking a file (checked against Connect's allow-list before upload), uploading it, and
// opening one from the transcript.

import { T, h, svgIcon } from './dom.js';

// Connect's attachment allow-list (extension → accepted MIME types) and size limit.
const FILE_TYPES = {
  csv: ['text/csv'], doc: ['application/msword'], heic: ['image/heic'], jpg: ['image/jpeg'], jpeg: ['image/jpeg'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  mov: ['video/quicktime'], mp4: ['video/mp4'], pdf: ['application/pdf'], png: ['image/png'],
  ppt: ['application/vnd.ms-powerpoint'], pptx: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  rtf: ['application/rtf', 'text/rtf'], txt: ['text/plain'], wav: ['audio/wav', 'audio/x-wav', 'audio/wave'],
  xls: ['application/vnd.ms-excel'], xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
};
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The MIME type to upload a file as, or an i18n error key. */
export function checkFile(file) {
  const types = FILE_TYPES[file.name.split('.').pop().toLowerCase()];
  if (!types || !file.name.includes('.')) return { error: 'fileType' };
  if (file.size === 0) return { error: 'fileEmpty' };
  if (file.size > MAX_FILE_BYTES) return { error: 'fileSize' };
  return { type: types.includes(file.type) ? file.type : types[0] };
}

export class Attachments {
  /** `connection_()`: the current ChatConnection; `report_(text)`: the panel's status line; `done_()`:
   * called after an upload (the element returns focus to the message box). */
  constructor(parts) {
    Object.assign(this, parts); // t, connection_, describe_, report_, done_
    this.input_ = h('input', { type: 'file', class: 'sr', tabindex: '-1', 'aria-hidden': 'true', accept: Object.keys(FILE_TYPES).map((e) => '.' + e).join(',') });
    this.input_.addEventListener('change', () => this.attach_());
    this.button_ = h('button', { type: 'button', 'data-t-label': 'attach', onclick: () => this.input_.click() }, svgIcon('clip'));
  }

  /** Upload the file just picked. */
  async attach_() {
    const file = this.input_.files?.[0];
    this.input_.value = '';
    if (!file) return;
    const check = checkFile(file);
    if (check.error) {
      this.report_(this.t(check.error));
      return;
    }
    this.report_(this.t('sending'));
    try {
      await this.connection_().uploadAttachment(new File([file], file.name, { type: check.type }));
      this.report_('');
    } catch (error) {
      this.report_(this.describe_(error));
    }
    this.done_();
  }

  /** A transcript's link to an attachment: a button that opens it through its short-lived signed URL
   * (its Status APPROVED or absent). */
  link_(att) {
    const open = async () => {
      try {
        const url = await this.connection_().attachmentUrl(att.AttachmentId);
        // Still within the click's user activation, so this is not treated as a popup. The signed URL
        // answers with Content-Disposition: attachment, so the browser saves the file.
        h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', download: '' }).click();
      } catch (error) {
        this.report_(this.describe_(error));
      }
    };
    const name = String(att.AttachmentName || '');
    // Attachment scanning: a rejected file, or one still being checked, is named but never offered.
    const state = { REJECTED: 'rejected', IN_PROGRESS: 'checking' }[att.Status];
    if (state) return h('span', { class: 'att ' + state }, svgIcon('clip'), name, ' ', h('em', T(state), this.t(state)));
    return h('button', { type: 'button', class: 'att', onclick: open }, svgIcon('clip'), name);
  }
}
