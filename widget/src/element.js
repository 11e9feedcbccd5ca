// <connect-chat>: the customer chat widget. Rendering and interaction only; the wire protocol is in
// protocol.js. Every untrusted string (messages, names, file names) reaches the DOM as text nodes or
// through markdown.js, which builds nodes itself: no innerHTML anywhere.

import { ChatConnection, CHAT_ENDED, DELIVERED, JOINED, LEFT, READ, ServiceError, TYPING, byTime, startChat, uuid } from './protocol.js';
import { renderMarkdown } from './markdown.js';
import { translator } from './i18n.js';
import { ChatStore } from './storage.js';
import { css } from './styles.js';

const TYPING_THROTTLE_MS = 10_000;
const TYPING_SHOWN_MS = 12_000;
const RECEIPT_BATCH_MS = 5_000; // as ChatJS: outgoing receipts go out at most once per 5 s
const PAGE = 15; // transcript page size (a shorter page reached the start of the chat)

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
  if (file.size > MAX_FILE_BYTES || file.size === 0) return { error: 'fileSize' };
  return { type: types.includes(file.type) ? file.type : types[0] };
}

/** Tiny element builder: h('button', {class: 'x', onclick}, 'text', child). Strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  el.append(...children.filter((c) => c != null));
  return el;
}

// Icons are SVG paths (emoji depend on the visitor's fonts), decorative: buttons carry the names.
const ICONS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  clip: 'M16.5 6.5 8.4 14.6a1.5 1.5 0 0 0 2.1 2.1l8.1-8.1a3 3 0 0 0-4.2-4.2L6.3 12.5a4.5 4.5 0 0 0 6.4 6.4l6.8-6.8',
};
function svgIcon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const path = document.createElementNS(ns, 'path');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  path.setAttribute('d', ICONS[name]);
  svg.append(path);
  return svg;
}

const clock = (ms) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return (hms[0] ? hms : hms.slice(1)).map((n, i) => (i ? String(n).padStart(2, '0') : n)).join(':');
};

const isMessage = (item) => item.Type === 'MESSAGE' || item.Type === 'ATTACHMENT';

export class ConnectChat extends HTMLElement {
  static observedAttributes = ['locale', 'labels', 'title'];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.items = new Map(); // Id → item, every chat item shown
    this.nodes = new Map(); // Id → <li>
    this.seen = new Set(); // Id of every item received (any type)
    this.metadata = new Map(); // MessageId → latest MessageMetadata, applied when the message is shown
    this.receipted = new Map(); // MessageId → READ | DELIVERED, receipts sent or queued
    this.outbox = new Map(); // MessageId → receipt type waiting for the next batch
    this.skew = 0; // browser clock minus server clock, in ms
    this.unread = 0;
  }

  // Attributes --------------------------------------------------------------------------------

  get apiUrl() {
    return this.getAttribute('api-url') || '/chats';
  }

  /** Absent: the region's Participant Service. Present but empty: this page's origin (the sandbox). */
  get endpoint() {
    const value = this.getAttribute('participant-endpoint');
    if (value !== null) return value;
    return `https://participant.connect.${this.getAttribute('region') || 'us-east-1'}.amazonaws.com`;
  }

  get fields() {
    try {
      const fields = JSON.parse(this.getAttribute('fields') || '[]');
      return Array.isArray(fields) ? fields.filter((f) => f && /^[\w-]{1,128}$/.test(f.name)) : [];
    } catch {
      return [];
    }
  }

  makeTranslator() {
    let labels = {};
    try {
      labels = JSON.parse(this.getAttribute('labels') || '{}');
    } catch {
      // a typo in the site's labels must not break the widget
    }
    const locale = this.getAttribute('locale') || document.documentElement.lang || navigator.language || 'en';
    this.t = translator(locale, labels && typeof labels === 'object' ? labels : {});
  }

  attributeChangedCallback() {
    if (!this.panel) return;
    this.makeTranslator();
    this.applyText();
  }

  // Lifecycle ---------------------------------------------------------------------------------

  connectedCallback() {
    if (this.panel) return;
    this.makeTranslator();
    this.store = new ChatStore(this.getAttribute('storage'), this.apiUrl);
    this.build();
    this.applyText();
    this.onVisible = () => this.visibilityChanged();
    document.addEventListener('visibilitychange', this.onVisible);
    this.tick = setInterval(() => this.renderTimers(), 1000);
    const active = this.store.active;
    if (active) {
      this.resume(active);
    } else {
      this.setState('form');
    }
    if (this.hasAttribute('open') || active?.open) this.open();
  }

  disconnectedCallback() {
    this.connection?.close();
    clearInterval(this.tick);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  // The shell ---------------------------------------------------------------------------------

  build() {
    const T = (key) => ({ 'data-t': key });
    const sr = (key) => h('span', { class: 'sr', ...T(key) });
    // Symbols are hidden from assistive technology: the translated aria-label is the button's name.
    const icon = (text) => h('span', { 'aria-hidden': 'true' }, text);
    this.badge = h('span', { class: 'badge', hidden: true });
    this.launcher = h('button', { class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'panel', onclick: () => this.toggle() },
      svgIcon('chat'), h('span', T('open')), this.badge);

    this.heading = h('h2', { id: 'heading' });
    this.endButton = h('button', { type: 'button', ...T('end'), onclick: () => this.end() });
    this.minButton = h('button', { type: 'button', 'data-t-label': 'close', onclick: () => this.close(true) }, icon('—'));
    this.connectedTime = h('span');
    this.sinceTime = h('span');
    this.timers = h('div', { class: 'timers' }, this.connectedTime, this.sinceTime);
    this.status = h('div', { class: 'status', role: 'status' });

    // Pre-chat form: the name is required; site-defined extra fields become contact attributes.
    this.nameInput = h('input', { name: 'name', required: true, autocomplete: 'name', maxlength: '256' });
    const extra = this.fields.map((f) =>
      h('label', {}, String(f.label || f.name), h('input', {
        name: f.name, type: ['email', 'tel', 'text'].includes(f.type) ? f.type : 'text', required: !!f.required, maxlength: '1024',
      })));
    this.formError = h('p', { class: 'error', role: 'alert' });
    this.startButton = h('button', { class: 'primary', type: 'submit', ...T('start') });
    this.continueButton = h('button', { type: 'button', ...T('continue'), onclick: () => this.start(true) });
    this.form = h('form', { class: 'prechat', novalidate: true, onsubmit: (e) => (e.preventDefault(), this.start(false)) },
      h('label', {}, h('span', T('name')), this.nameInput), ...extra, this.formError, this.startButton, this.continueButton);

    // Conversation.
    this.olderButton = h('button', { type: 'button', class: 'older', hidden: true, ...T('older'), onclick: () => this.loadOlder(5) });
    this.list = h('ol');
    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-labelledby': 'heading', tabindex: '0' }, this.olderButton, this.list);
    this.log.addEventListener('scroll', () => this.log.scrollTop < 40 && this.loadOlder(5));
    this.typing = h('div', { class: 'typing', 'aria-live': 'polite' });

    const tool = (key, title, action) =>
      h('button', { type: 'button', class: key, 'data-t-label': key, onclick: action }, icon(title));
    this.previewButton = h('button', { type: 'button', 'aria-pressed': 'false', ...T('preview'), onclick: () => this.togglePreview() });
    this.toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'data-t-label': 'message' },
      tool('bold', 'B', () => this.wrap('**')), tool('italic', 'I', () => this.wrap('*')),
      tool('bullets', '•', () => this.prefixLines(() => '- ')), tool('numbers', '', () => this.prefixLines((i) => `${i + 1}. `)),
      this.previewButton);
    this.input = h('textarea', { rows: '2', maxlength: '1024', 'data-t-ph': 'message', 'data-t-label': 'message' });
    this.input.addEventListener('keydown', (e) => this.composerKey(e));
    this.input.addEventListener('input', () => this.typed());
    this.preview = h('div', { class: 'preview', hidden: true, 'aria-live': 'polite' });
    this.fileInput = h('input', { type: 'file', class: 'sr', tabindex: '-1', 'aria-hidden': 'true', accept: Object.keys(FILE_TYPES).map((e) => '.' + e).join(',') });
    this.fileInput.addEventListener('change', () => this.attach());
    this.attachButton = h('button', { type: 'button', 'data-t-label': 'attach', onclick: () => this.fileInput.click() }, svgIcon('clip'));
    this.sendButton = h('button', { class: 'primary', type: 'submit', ...T('send') });
    this.composer = h('form', { class: 'composer', onsubmit: (e) => (e.preventDefault(), this.send()) },
      this.toolbar, this.preview, h('div', { class: 'row' }, this.attachButton, this.input, this.sendButton), this.fileInput);

    this.newButton = h('button', { type: 'button', class: 'primary', ...T('newChat'), onclick: () => this.newChat() });
    this.endedView = h('div', { class: 'ended' }, h('p', T('ended')), this.newButton);

    this.panel = h('section', { id: 'panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'heading', hidden: true },
      h('header', {}, this.heading, this.endButton, this.minButton), this.timers, this.status, this.form, this.log, this.typing, this.composer, this.endedView,
      sr('newMessage'));
    this.panel.addEventListener('keydown', (e) => e.key === 'Escape' && this.close(true));
    this.root.append(h('style', {}, css), this.panel, this.launcher);
  }

  /** (Re)apply every translated string: used at start and when `locale`/`labels`/`title` change. */
  applyText() {
    const { t } = this;
    this.panel.setAttribute('dir', t.dir);
    this.setAttribute('dir', t.dir); // the host too: its position uses logical (inline-end) insets
    this.panel.setAttribute('lang', t.lang);
    this.heading.textContent = this.getAttribute('title') || t('title');
    for (const el of this.root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    for (const el of this.root.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
    for (const el of this.root.querySelectorAll('[data-t-ph]')) el.placeholder = t(el.dataset.tPh);
    for (const [id, li] of this.nodes) this.renderWho(li, this.items.get(id));
    this.renderTimers();
    this.renderBadge();
  }

  setState(state) {
    this.state = state;
    this.panel.dataset.state = state;
    const chat = state === 'chat';
    this.form.hidden = state !== 'form';
    this.log.hidden = state === 'form';
    this.composer.hidden = !chat;
    this.typing.hidden = !chat;
    this.timers.hidden = state === 'form';
    this.endButton.hidden = !chat;
    this.endedView.hidden = state !== 'ended';
    this.continueButton.hidden = !this.store.previous;
    if (state !== 'chat') this.typing.textContent = '';
  }

  // Open / close ------------------------------------------------------------------------------

  toggle() {
    this.panel.hidden ? this.open() : this.close(true);
  }

  open() {
    this.panel.hidden = false;
    this.toggleAttribute('data-open', true);
    this.launcher.setAttribute('aria-expanded', 'true');
    this.remember({ open: true });
    this.clearUnread();
    this.focusCurrent();
    this.scrollDown();
  }

  close(focusLauncher) {
    this.panel.hidden = true;
    this.removeAttribute('data-open');
    this.launcher.setAttribute('aria-expanded', 'false');
    this.remember({ open: false });
    if (focusLauncher) this.launcher.focus();
  }

  focusCurrent() {
    const target = { form: this.nameInput, chat: this.input, ended: this.newButton }[this.state];
    target?.focus();
  }

  remember(changes) {
    const active = this.store.active;
    if (active) this.store.active = { ...active, ...changes };
  }

  // Start, resume, end --------------------------------------------------------------------------

  async start(continuePrevious) {
    if (this.starting) return;
    const name = this.nameInput.value.trim();
    const attributes = {};
    for (const input of this.form.querySelectorAll('input')) {
      input.removeAttribute('aria-invalid');
      if (input !== this.nameInput && input.value.trim()) attributes[input.name] = input.value.trim();
    }
    const missing = [...this.form.querySelectorAll('input')].find((i) => i.required && !i.value.trim());
    if (missing) {
      missing.setAttribute('aria-invalid', 'true');
      this.formError.textContent = this.t('required');
      missing.focus();
      return;
    }
    this.formError.textContent = '';
    // Asked here because browsers allow the permission prompt only in response to a click.
    if (this.hasAttribute('notifications') && globalThis.Notification?.permission === 'default') {
      Notification.requestPermission().catch(() => {});
    }
    this.starting = true;
    this.startButton.disabled = this.continueButton.disabled = true;
    this.status.textContent = this.t('connecting');
    const body = { ParticipantDetails: { DisplayName: name }, Attributes: { customerName: name, ...attributes } };
    if (continuePrevious && this.store.previous) {
      body.PersistentChat = { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: this.store.previous };
    }
    // Retrying the same request (its answer was lost) reuses its ClientToken: no second contact.
    const key = JSON.stringify(body);
    if (key !== this.startKey) this.startToken = uuid();
    this.startKey = key;
    try {
      const { startChatResult: r, featurePermissions } = await startChat(this.apiUrl, { ...body, ClientToken: this.startToken });
      this.startKey = null;
      const chat = {
        contactId: r.ContactId, participantId: r.ParticipantId, token: r.ParticipantToken,
        features: featurePermissions, startedAt: Date.now(), open: true, name,
      };
      this.store.active = chat;
      await this.resume(chat);
    } catch (error) {
      this.status.textContent = '';
      if (error.status >= 400 && error.status < 500 && error.status !== 429) this.startKey = null; // refused: a new attempt
      this.formError.textContent = error.status === 403 ? this.t('err403start') : this.describe(error);
    } finally {
      this.starting = false;
      this.startButton.disabled = this.continueButton.disabled = false;
    }
  }

  /** Connect with a stored or fresh ParticipantToken, then load the transcript. */
  async resume(chat) {
    this.chat = chat;
    this.items.clear();
    this.nodes.clear();
    this.seen.clear();
    this.metadata.clear();
    this.list.replaceChildren();
    this.lastSide = null;
    this.switchedAt = null;
    this.exhausted = false;
    this.oldest = null;
    const markdown = !!chat.features?.MESSAGING_MARKDOWN;
    this.toolbar.hidden = !markdown;
    if (!markdown) this.showPreview(false);
    this.attachButton.hidden = !chat.features?.ATTACHMENTS;
    this.setState('chat');
    this.setReady(false);
    this.status.textContent = this.t('connecting');
    const connection = new ChatConnection({ endpoint: this.endpoint, participantToken: chat.token, contactId: chat.contactId });
    this.connection = connection;
    connection
      .on('item', (item) => this.receive(item, true))
      .on('status', (s) => (this.status.textContent = s === 'connected' ? '' : this.t(s)))
      .on('reconnected', () => this.loadTranscript())
      .on('ended', () => connection === this.connection && this.ended());
    try {
      await connection.connect();
      this.setReady(true);
      await this.loadTranscript();
      if (!this.panel.hidden) this.input.focus();
    } catch (error) {
      if (connection !== this.connection) return;
      if (error.status === 403) connection.finish();
      else {
        this.status.textContent = this.describe(error);
        connection.reconnectLater();
      }
    }
  }

  /** Composer usable only once CreateParticipantConnection has answered (text typed before stays). */
  setReady(ready) {
    this.ready = ready;
    this.sendButton.disabled = this.attachButton.disabled = !ready;
  }

  /** The most recent page, then (after a reconnect) older pages until one overlaps what is already
   * shown, so nothing said while the socket was down is skipped; then older pages until a screenful
   * of messages is shown. The log is aria-busy meanwhile: history is not announced. */
  async loadTranscript() {
    const known = new Set(this.seen); // before any push of the new socket
    this.log.setAttribute('aria-busy', 'true');
    this.loadingTranscript = true;
    try {
      let anchor;
      for (let pages = 0; pages < 50; pages++) {
        const items = (await this.connection.getTranscript(anchor)).Transcript || [];
        this.merge(items);
        if (!known.size || items.length < PAGE || items.some((i) => known.has(i.Id))) break;
        anchor = items.reduce((a, b) => (byTime(b, a) < 0 ? b : a)).Id;
      }
      if (this.nodes.size < 10) await this.loadOlder(10 - this.nodes.size);
      this.scrollDown();
    } catch (error) {
      this.status.textContent = this.describe(error);
    } finally {
      this.loadingTranscript = false;
      this.log.removeAttribute('aria-busy');
    }
  }

  /** Page back from the oldest item seen (of any type) until `wanted` more items are shown. */
  async loadOlder(wanted = 1) {
    if (this.loadingOlder || this.exhausted || !this.oldest || this.state === 'form') return;
    this.loadingOlder = true;
    this.log.setAttribute('aria-busy', 'true');
    const height = this.log.scrollHeight;
    const target = this.nodes.size + wanted;
    try {
      for (let pages = 0; !this.exhausted && this.nodes.size < target && pages < 10; pages++) {
        const anchor = this.oldest;
        const page = await this.connection.getTranscript(anchor.Id);
        this.merge(page.Transcript || [], false);
        if (this.oldest === anchor) break; // nothing older came back
      }
      this.log.scrollTop += this.log.scrollHeight - height; // keep what the reader was looking at in place
    } catch (error) {
      this.status.textContent = this.describe(error);
    } finally {
      this.loadingOlder = false;
      if (!this.loadingTranscript) this.log.removeAttribute('aria-busy');
    }
  }

  merge(items, scroll = true) {
    for (const item of items) {
      if (!this.oldest || byTime(item, this.oldest) < 0) this.oldest = item;
      this.receive(item, false);
    }
    // A short page means the scan reached the start of the chat.
    this.exhausted ||= items.length < PAGE;
    this.olderButton.hidden = this.exhausted;
    if (scroll) this.scrollDown();
  }

  async end() {
    try {
      await this.connection?.disconnect();
    } catch {
      // already gone on the server: the chat is over either way
    }
    this.ended();
  }

  ended() {
    if (this.state === 'ended' || !this.chat) return;
    this.store.previous = this.chat.contactId;
    this.store.active = null;
    this.connection?.close();
    this.status.textContent = '';
    this.setState('ended');
    if (!this.panel.hidden) this.newButton.focus();
  }

  newChat() {
    this.chat = null;
    this.list.replaceChildren();
    this.items.clear();
    this.nodes.clear();
    this.startKey = null;
    this.setState('form');
    this.nameInput.focus();
  }

  // Items ---------------------------------------------------------------------------------------

  /** One chat item from the socket (`live`) or a transcript page; deduped by Id. */
  receive(item, live) {
    const mine = item.ParticipantRole === 'CUSTOMER';
    if (item.Type === 'TYPING' || item.ContentType === TYPING) {
      if (!mine) this.showTyping(item);
      return;
    }
    this.seen.add(item.Id);
    if (item.Type === 'MESSAGEMETADATA') return this.receipts(item.MessageMetadata);
    if (item.ContentType === CHAT_ENDED) return;
    const shown = isMessage(item) || item.ContentType === JOINED || item.ContentType === LEFT;
    if (!shown || this.items.has(item.Id)) return;
    // The echo of a message still waiting for its SendMessage answer: that bubble is this message.
    const pending = mine && item.Type === 'MESSAGE' &&
      [...this.list.querySelectorAll('li.pending')].find((li) => li.pendingContent === item.Content);
    if (pending) return this.settle(pending, item);
    if (isMessage(item) && !mine) {
      this.typing.textContent = '';
      this.acknowledge(item, live);
    }
    this.items.set(item.Id, item);
    const li = isMessage(item) ? this.renderMessage(item) : this.renderEvent(item);
    this.nodes.set(item.Id, li);
    // Insert in AbsoluteTime order (transcript pages and live pushes can interleave).
    const after = [...this.items.values()].filter((other) => byTime(other, item) > 0).sort(byTime)[0];
    this.list.insertBefore(li, after ? this.nodes.get(after.Id) : null);
    this.receipts(item.MessageMetadata); // after the insert: it marks this message's element
    if (isMessage(item)) this.trackSide(item, live);
    if (live) this.scrollDown();
    if (live && isMessage(item) && !mine) this.notify(item);
  }

  roleLabel(item) {
    const role = item.ParticipantRole;
    if (role === 'CUSTOMER') return this.t('CUSTOMER');
    if (role === 'SYSTEM') return this.t('SYSTEM');
    if (role === 'CUSTOM_BOT') return this.t('BOT');
    return this.hasAttribute('hide-agent-names') ? this.t('AGENT') : item.DisplayName || this.t('AGENT');
  }

  renderWho(li, item) {
    const who = li.querySelector('.who');
    if (who) who.textContent = this.roleLabel(item);
    else if (li.classList.contains('event')) li.textContent = this.eventText(item);
  }

  renderMessage(item) {
    const mine = item.ParticipantRole === 'CUSTOMER';
    const bubble = h('div', { class: 'bubble' });
    if (item.Type === 'ATTACHMENT') {
      for (const att of item.Attachments || []) {
        bubble.append(h('button', { type: 'button', class: 'att', onclick: () => this.download(att) }, svgIcon('clip'), String(att.AttachmentName || '')));
      }
    } else if (item.ContentType === 'text/markdown') {
      bubble.append(renderMarkdown(String(item.Content || '')));
    } else {
      bubble.append(String(item.Content || ''));
    }
    const li = h('li', { class: mine ? 'msg mine' : 'msg', 'data-id': item.Id, 'data-role': item.ParticipantRole },
      h('span', { class: 'who' }), bubble, h('span', { class: 'meta' }));
    this.renderWho(li, item);
    return li;
  }

  eventText(item) {
    const key = item.ContentType === JOINED ? 'joined' : 'left';
    return this.t(key, { name: item.ParticipantRole === 'CUSTOMER' ? this.t('CUSTOMER') : this.roleLabel(item) });
  }

  renderEvent(item) {
    return h('li', { class: 'event', 'data-id': item.Id }, this.eventText(item));
  }

  /** Delivered/read receipts on the customer's own messages. */
  receipts(metadata) {
    if (metadata?.MessageId && metadata.Receipts?.length) this.metadata.set(metadata.MessageId, metadata);
    else metadata = metadata && this.metadata.get(metadata.MessageId);
    const li = metadata && this.nodes.get(metadata.MessageId);
    if (!li || !li.classList.contains('mine')) return;
    const receipts = metadata.Receipts || [];
    const state = receipts.some((r) => r.ReadTimestamp) ? 'read' : receipts.some((r) => r.DeliveredTimestamp) ? 'delivered' : null;
    const meta = li.querySelector('.meta');
    if (state && meta.dataset.state !== 'read') {
      meta.dataset.state = state;
      meta.textContent = this.t(state);
    }
  }

  /** Tell the agent we got (and, when the panel is visible, read) their message. Receipts are queued
   * and sent in batches, at most one per message and kind; read implies delivered. */
  acknowledge(item, live) {
    const me = this.chat?.participantId;
    const done = item.MessageMetadata?.Receipts?.some((r) => r.RecipientParticipantId === me && r.ReadTimestamp);
    if (done || this.receipted.get(item.Id) === READ || item.ParticipantRole === 'SYSTEM') return;
    const visible = !this.panel.hidden && document.visibilityState === 'visible';
    const kind = visible ? READ : live && !this.receipted.has(item.Id) ? DELIVERED : null;
    if (!kind) return;
    this.receipted.set(item.Id, kind);
    this.outbox.set(item.Id, kind);
    this.flushLater(Math.max(300, RECEIPT_BATCH_MS - (Date.now() - (this.flushedAt || 0))));
  }

  flushLater(ms) {
    this.receiptTimer ||= setTimeout(() => this.flushReceipts(), ms);
  }

  async flushReceipts() {
    this.receiptTimer = null;
    this.flushedAt = Date.now();
    const connection = this.connection;
    const batch = [...this.outbox];
    this.outbox.clear();
    for (const [id, kind] of batch) {
      try {
        await connection.sendReceipt(kind, id);
      } catch (error) {
        if (error.status !== 429 || connection !== this.connection || this.state !== 'chat') continue;
        // Throttled: keep the rest (unless a newer receipt replaced it) and try again later.
        for (const [rest, restKind] of batch.slice(batch.findIndex(([b]) => b === id))) if (!this.outbox.has(rest)) this.outbox.set(rest, restKind);
        return this.flushLater((error.retryAfter || 0) * 1000 || RECEIPT_BATCH_MS);
      }
    }
  }

  showTyping(item) {
    this.typing.textContent = this.t('typing', { name: this.roleLabel(item) });
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => (this.typing.textContent = ''), TYPING_SHOWN_MS);
  }

  // The "since last message" timer restarts only when the other side answers, as in Connect's CCP.
  // Times are the server's (AbsoluteTime); live items tell how far the browser's clock is from it.
  // Computed from every message known, in time order, so pages loaded newest-first give the same answer.
  trackSide(item, live) {
    if (live && item.AbsoluteTime) {
      // Delivery delay only ever adds to the difference, so the smallest recent one is the best estimate.
      this.skewSamples = [...(this.skewSamples || []).slice(-4), Date.now() - Date.parse(item.AbsoluteTime)];
      this.skew = Math.min(...this.skewSamples);
    }
    this.lastSide = this.switchedAt = null;
    for (const m of [...this.items.values()].filter(isMessage).sort(byTime)) {
      const side = m.ParticipantRole === 'CUSTOMER';
      if (side !== this.lastSide) {
        this.lastSide = side;
        this.switchedAt = Date.parse(m.AbsoluteTime) || Date.now() - this.skew;
      }
    }
    this.renderTimers();
  }

  renderTimers() {
    if (!this.chat || this.state === 'form') return;
    const now = Date.now();
    this.connectedTime.textContent = `${this.t('connected')} ${clock(now - this.chat.startedAt)}`;
    this.sinceTime.textContent = this.switchedAt ? `${this.t('sinceLast')} ${clock(now - this.skew - this.switchedAt)}` : '';
  }

  // Sending -------------------------------------------------------------------------------------

  composerKey(event) {
    const mod = event.ctrlKey || event.metaKey;
    const markdown = !this.toolbar.hidden;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (mod && markdown && (event.key === 'b' || event.key === 'B')) {
      event.preventDefault();
      this.wrap('**');
    } else if (mod && markdown && (event.key === 'i' || event.key === 'I')) {
      event.preventDefault();
      this.wrap('*');
    }
  }

  wrap(marker) {
    const { input } = this;
    const { selectionStart: a, selectionEnd: b, value } = input;
    input.setRangeText(marker + value.slice(a, b) + marker, a, b, 'end');
    if (a === b) input.setSelectionRange(a + marker.length, a + marker.length);
    input.focus();
    this.typed();
  }

  prefixLines(prefix) {
    const { input } = this;
    const { value } = input;
    const a = value.lastIndexOf('\n', input.selectionStart - 1) + 1;
    let b = value.indexOf('\n', input.selectionEnd);
    if (b < 0) b = value.length;
    const lines = value.slice(a, b).split('\n').map((line, i) => prefix(i) + line);
    input.setRangeText(lines.join('\n'), a, b, 'end');
    input.focus();
    this.typed();
  }

  togglePreview() {
    this.showPreview(this.previewButton.getAttribute('aria-pressed') !== 'true');
  }

  showPreview(on) {
    this.previewButton.setAttribute('aria-pressed', String(on));
    this.preview.hidden = !on;
    this.renderPreview();
  }

  renderPreview() {
    if (!this.preview.hidden) this.preview.replaceChildren(renderMarkdown(this.input.value));
  }

  typed() {
    this.renderPreview();
    const now = Date.now();
    if (this.input.value && this.connection && now - (this.typingSent || 0) > TYPING_THROTTLE_MS) {
      this.typingSent = now;
      this.connection.sendEvent(TYPING).catch(() => {});
    }
  }

  /** Show the message at once as "Sending…"; on failure keep it with Retry, so nothing typed is lost. */
  send() {
    const text = this.input.value.trim();
    if (!text || this.state !== 'chat' || !this.ready) return; // not connected yet: the text stays
    this.input.value = '';
    this.renderPreview();
    const contentType = this.toolbar.hidden ? 'text/plain' : 'text/markdown';
    const pending = { Id: `pending-${uuid()}`, Content: text, ContentType: contentType, clientToken: uuid() };
    const li = this.renderMessage({ ...pending, Type: 'MESSAGE', ParticipantRole: 'CUSTOMER' });
    li.classList.add('pending');
    li.pendingContent = text;
    this.list.append(li);
    this.scrollDown();
    this.deliver(pending, li);
  }

  async deliver(pending, li) {
    const meta = li.querySelector('.meta');
    meta.textContent = this.t('sending');
    try {
      // Same ClientToken on retry: the service answers a repeated send with the first result.
      const { Id, AbsoluteTime } = await this.connection.sendMessage(pending.Content, pending.ContentType, pending.clientToken);
      const shown = this.nodes.get(Id);
      if (shown && shown !== li) li.remove(); // shown already (from a transcript reload)
      else if (!shown) this.settle(li, { ...pending, Id, AbsoluteTime, Type: 'MESSAGE', ParticipantRole: 'CUSTOMER' });
    } catch (error) {
      if (!li.classList.contains('pending')) return; // the echo arrived after all
      meta.textContent = `${this.t('failed')} ${this.describe(error)}`;
      if (error.status !== 403 && error.status !== 400) {
        meta.append(h('button', { type: 'button', onclick: () => this.deliver(pending, li) }, this.t('retry')));
      } else {
        // Refused for good (even with a fresh ConnectionToken): the text goes back to the box.
        this.input.value ||= pending.Content;
        this.status.textContent = this.describe(error);
      }
    }
  }

  /** A pending bubble becomes the message `item` (its SendMessage answer or its socket echo). */
  settle(li, item) {
    li.classList.remove('pending');
    li.dataset.id = item.Id;
    li.querySelector('.meta').textContent = '';
    this.nodes.set(item.Id, li);
    this.items.set(item.Id, item);
    this.seen.add(item.Id);
    this.receipts({ MessageId: item.Id });
    this.trackSide(item, true);
  }

  async attach() {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = '';
    if (!file) return;
    const check = checkFile(file);
    if (check.error) {
      this.status.textContent = this.t(check.error);
      return;
    }
    this.status.textContent = this.t('sending');
    try {
      await this.connection.uploadAttachment(new File([file], file.name, { type: check.type }));
      this.status.textContent = '';
    } catch (error) {
      this.status.textContent = this.describe(error);
    }
    this.input.focus();
  }

  async download(att) {
    try {
      const url = await this.connection.attachmentUrl(att.AttachmentId);
      // Still within the click's user activation, so this is not treated as a popup. The signed URL
      // answers with Content-Disposition: attachment, so the browser saves the file.
      h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', download: '' }).click();
    } catch (error) {
      this.status.textContent = this.describe(error);
    }
  }

  // Notifications, unread count ----------------------------------------------------------------

  notify(item) {
    const away = this.panel.hidden || document.visibilityState !== 'visible';
    if (!away) return;
    this.unread += 1;
    this.renderBadge();
    if (this.hasAttribute('notifications') && globalThis.Notification?.permission === 'granted' && document.visibilityState !== 'visible') {
      const text = item.Type === 'ATTACHMENT' ? (item.Attachments?.[0]?.AttachmentName || '') : String(item.Content || '');
      new Notification(this.roleLabel(item), { body: text.slice(0, 120), tag: 'connect-chat' });
    }
  }

  visibilityChanged() {
    if (document.visibilityState === 'visible' && !this.panel.hidden) this.clearUnread();
  }

  /** The customer is looking at the chat: clear the count and send read receipts for what they see. */
  clearUnread() {
    this.unread = 0;
    this.renderBadge();
    for (const item of this.items.values()) if (isMessage(item) && item.ParticipantRole !== 'CUSTOMER') this.acknowledge(item, false);
  }

  renderBadge() {
    this.badge.hidden = !this.unread;
    this.badge.textContent = this.unread ? String(this.unread) : '';
    this.badge.setAttribute('aria-label', this.t('unread', { count: this.unread }));
    // Touch the page title only while there is something unread (single-page sites change it too).
    if (this.unread) {
      this.originalTitle ??= document.title;
      document.title = `(${this.unread}) ${this.originalTitle}`;
    } else if (this.originalTitle != null) {
      document.title = this.originalTitle;
      this.originalTitle = null;
    }
  }

  // Helpers -------------------------------------------------------------------------------------

  scrollDown() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  /** A failure in plain words. */
  describe(error) {
    const status = error instanceof ServiceError ? error.status : 0;
    if (status === 400) return this.t('err400', { detail: error.message });
    if (status === 403 || status === 429 || status === 0) return this.t(`err${status}`);
    return this.t('err5xx');
  }
}
