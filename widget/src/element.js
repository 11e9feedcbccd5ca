// <connect-chat>: the customer chat widget. This class is the wiring: each part builds its own DOM and
// keeps its own state (prechat.js, transcript.js, composer.js, outgoing.js, attachments.js, receipts.js,
// timers.js, unread.js, confirm.js, session.js with storage.js); the wire protocol is protocol.js. Every untrusted
// string reaches the DOM as text nodes (dom.js), also through markdown.js, which builds its nodes with dom.js.

// The CSS and the string tables (through i18n.js) first: esbuild emits modules in import order, and the
// code, kept together after the data, compresses better (the order below gzips smallest: bench widget_size).
import css from './styles.css';
import { describeError, translator } from './i18n.js';
import { ChatConnection, IDLE, JOINED, RETURNED, TYPING } from './protocol.js';
import { ChatStarter } from './session.js';
import { ChatStore } from './storage.js';
import { Attachments } from './attachments.js';
import { PrechatForm, parseFields } from './prechat.js';
import { T, h, named, svgIcon, symbol } from './dom.js';
import { EndConfirm } from './confirm.js';
import { Transcript, isMessage } from './transcript.js';
import { Outgoing } from './outgoing.js';
import { Unread } from './unread.js';
import { Composer } from './composer.js';
import { Receipts } from './receipts.js';
import { Timers } from './timers.js';

const TYPING_SHOWN_MS = 12_000;

export class ConnectChat extends HTMLElement {
  static observedAttributes = ['locale', 'labels', 'title'];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
  }

  // Attributes --------------------------------------------------------------------------------

  get apiUrl() {
    return this.getAttribute('api-url') || '/chats';
  }

  /** Absent: the region's Participant Service. Present but empty: this page's origin (the sandbox). */
  get endpoint() {
    return this.getAttribute('participant-endpoint') ?? `https://participant.connect.${this.getAttribute('region') || 'us-east-1'}.amazonaws.com`;
  }

  attributeChangedCallback() {
    if (this.panel_) this.relabel_();
  }

  // Lifecycle ---------------------------------------------------------------------------------

  connectedCallback() {
    if (this.panel_) return;
    this.store_ = new ChatStore(this.getAttribute('storage'), this.apiUrl);
    this.starter_ = new ChatStarter(this.store_, undefined, this.getAttribute('auth-token-url'));
    this.build_();
    this.relabel_();
    this.prechat_.nameInput_.value = this.store_.get('name'); // null: empty
    // The tab came back into view: with the panel open, what is there is read.
    this.onVisible_ = () => document.visibilityState === 'visible' && !this.panel_.hidden && this.clearUnread_();
    document.addEventListener('visibilitychange', this.onVisible_);
    this.tick_ = setInterval(() => (this.timers_.render(), this.offerPrevious_()), 1000);
    const active = this.store_.get('active');
    if (active) {
      this.resume_(active);
    } else {
      this.setState_('form');
    }
    if (this.hasAttribute('open') || active?.open) this.open();
  }

  disconnectedCallback() {
    this.connection_?.close();
    clearInterval(this.tick_);
    document.removeEventListener('visibilitychange', this.onVisible_);
  }

  // The shell ---------------------------------------------------------------------------------

  /** The parts, given what they need (the translator may change, so they get a function calling it). */
  makeParts_() {
    const t = (key, vars) => this.t(key, vars);
    const connection = () => this.connection_;
    const describe = (error) => describeError(this.t, error);
    const report = (text) => (this.status_.textContent = text);
    const roleLabel = (item) => this.roleLabel(item);
    this.unread_ = new Unread({ t, roleLabel, notifications_: () => this.hasAttribute('notifications') });
    this.timers_ = new Timers(t);
    this.prechat_ = new PrechatForm({ t, fields: parseFields(this.getAttribute('fields')), onStart_: (again) => this.start_(again), onForget_: () => this.forgetPrevious_() });
    this.attachments_ = new Attachments({ t, connection_: connection, describe_: describe, report_: report, done_: () => this.composer_.input_.focus() });
    this.transcript_ = new Transcript({
      t, roleLabel, link_: (att) => this.attachments_.link_(att), onShown_: (item, live) => this.shown_(item, live),
      receive_: (item, live) => this.receive_(item, live), report_: (error) => report(describe(error)), pick_: (answer) => this.pick_(answer),
    });
    this.composer_ = new Composer({
      t, onSend_: () => this.send_(), onTyping_: () => this.connection_?.sendEvent(TYPING).catch(() => {}), attachments_: this.attachments_,
    });
    this.outgoing_ = new Outgoing({
      t, transcript_: this.transcript_, connection_: connection, describe_: describe,
      refused_: (content, error) => {
        this.composer_.input_.value ||= content;
        report(describe(error));
      },
    });
    this.receipts = new Receipts({ connection, chatting: () => this.state_ === 'chat' });
    this.confirm_ = new EndConfirm({ onEnd_: () => this.end_() });
  }

  /** The shadow DOM: the launcher and the panel around the parts. */
  build_() {
    this.makeParts_();
    this.launcher_ = h('button', { class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'panel', onclick: () => (this.panel_.hidden ? this.open() : this.close(true)) },
      svgIcon('chat'), h('span', T('open')), this.unread_.badge_);
    this.heading_ = h('h2', { id: 'heading' });
    const minimise = h('button', { type: 'button', 'data-t-label': 'close', onclick: () => this.close(true) }, symbol('—'));
    this.status_ = h('div', { class: 'status', role: 'status' });
    this.typing_ = h('div', { class: 'typing', 'aria-live': 'polite' });
    // Until an agent joins, the customer sees that someone is coming (no queue position is invented).
    this.waiting_ = h('p', { class: 'waiting', role: 'status', ...T('waiting') });
    // Chat timeouts: the customer was marked idle (empty, hence hidden, otherwise).
    this.idle_ = h('p', { class: 'idle', 'aria-live': 'polite' });
    this.newButton_ = h('button', { type: 'button', class: 'primary', ...T('newChat'), onclick: () => this.newChat_() });
    this.endedView_ = h('div', { class: 'ended' }, h('p', T('ended')), this.newButton_);
    this.panel_ = h('section', { id: 'panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'heading', hidden: true },
      h('header', {}, this.heading_, this.confirm_.openButton_, minimise), this.confirm_.element_, this.timers_.element_, this.status_,
      this.prechat_.element_, this.transcript_.log_, this.waiting_, this.idle_, this.typing_, this.composer_.element_, this.endedView_, h('span', { class: 'sr', ...T('newMessage') }));
    this.panel_.addEventListener('keydown', (e) => e.key === 'Escape' && this.close(true));
    this.root.append(h('style', {}, css), this.panel_, this.launcher_);
  }

  /** The translate function for the `locale` and `labels` attributes (else the page's language), and
   * every translated string applied: at start and when `locale`/`labels`/`title` change. */
  relabel_() {
    let labels = {};
    try {
      labels = JSON.parse(this.getAttribute('labels') || '{}');
    } catch {
      // a typo in the site's labels must not break the widget
    }
    const locale = this.getAttribute('locale') || document.documentElement.lang || navigator.language || 'en';
    const t = (this.t = translator(locale, labels && typeof labels === 'object' ? labels : {}));
    this.panel_.setAttribute('dir', t.dir);
    this.setAttribute('dir', t.dir); // the host too: its position uses logical (inline-end) insets
    this.panel_.setAttribute('lang', t.lang);
    this.heading_.textContent = this.getAttribute('title') || t('title');
    if (this.idle_.textContent) this.setIdle_(true);
    for (const el of this.root.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    for (const el of this.root.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
    for (const el of this.root.querySelectorAll('[data-t-ph]')) el.placeholder = t(el.dataset.tPh);
    this.transcript_.relabel_();
    this.composer_.renderCounter_();
    this.timers_.render();
    this.unread_.render();
  }

  /** 'form' (pre-chat), 'chat' or 'ended': what the panel shows. */
  setState_(state) {
    this.state_ = state;
    this.panel_.dataset.state = state;
    const chat = state === 'chat';
    this.prechat_.element_.hidden = state !== 'form';
    this.transcript_.log_.hidden = state === 'form';
    this.composer_.element_.hidden = !chat;
    this.typing_.hidden = !chat;
    this.timers_.element_.hidden = state === 'form';
    this.confirm_.available_ = chat;
    this.waiting_.hidden = !chat || !!this.chat?.agentJoined;
    this.endedView_.hidden = state !== 'ended';
    this.offerPrevious_();
    if (state !== 'chat') this.typing_.textContent = this.idle_.textContent = '';
  }

  /** "Continue previous conversation" and "Forget this conversation", while there is one to continue
   * (checked every second too: the offer disappears when the continuation expires). */
  offerPrevious_() {
    this.prechat_.continueButton_.hidden = this.prechat_.forgetButton_.hidden = !this.starter_.previous_.current;
  }

  /** The customer (on a shared computer, say) wants this browser to keep no way back into it. */
  forgetPrevious_() {
    this.starter_.previous_.forget();
    this.offerPrevious_();
    this.prechat_.nameInput_.focus();
  }

  // Open / close ------------------------------------------------------------------------------

  /** Show the panel; what is on screen counts as read. */
  open() {
    this.panel_.hidden = false;
    this.toggleAttribute('data-open', true);
    this.launcher_.setAttribute('aria-expanded', 'true');
    this.remember_({ open: true });
    this.clearUnread_();
    // Focus where the customer goes next in the current state.
    ({ form: this.prechat_.nameInput_, chat: this.composer_.input_, ended: this.newButton_ })[this.state_]?.focus();
    this.transcript_.scrollDown_();
  }

  /** Minimise to the launcher; `focusLauncher`: the customer closed the panel, focus goes back there. */
  close(focusLauncher) {
    this.panel_.hidden = true;
    this.removeAttribute('data-open');
    this.launcher_.setAttribute('aria-expanded', 'false');
    this.remember_({ open: false });
    if (focusLauncher) this.launcher_.focus();
  }

  /** Keep `changes` with the active chat, so a refresh restores them. */
  remember_(changes) {
    const active = this.store_.get('active');
    if (active) this.store_.set('active', { ...active, ...changes });
  }

  // Start, resume, end --------------------------------------------------------------------------

  /** Start a chat from the pre-chat form (or continue the previous one). */
  async start_(continuePrevious) {
    if (this.starting_) return;
    const request = this.prechat_.read_();
    if (!request) return;
    // Asked here because browsers allow the permission prompt only in response to a click.
    if (this.hasAttribute('notifications') && globalThis.Notification?.permission === 'default') {
      Notification.requestPermission().catch(() => {});
    }
    this.starting_ = true;
    this.prechat_.busy_ = true;
    this.prechat_.error_.textContent = '';
    this.status_.textContent = this.t('connecting');
    try {
      await this.resume_(await this.starter_.start(this.apiUrl, { ...request, continuePrevious }));
    } catch (error) {
      this.status_.textContent = '';
      if (error.fields?.some((f) => f.field === 'ParticipantDetails.DisplayName')) this.prechat_.nameRefused_();
      else this.prechat_.error_.textContent = this.startRefusal_(error);
    } finally {
      this.starting_ = false;
      this.prechat_.busy_ = false;
    }
  }

  /** What to tell the customer when a start is refused. A refused continuation is forgotten. */
  startRefusal_(error) {
    if (error.type?.startsWith('CONTINUATION_TOKEN')) {
      this.forgetPrevious_();
      return this.t('errContinue');
    }
    if (error.status === 401) return this.t('err401start');
    return error.status === 403 ? this.t('err403start') : describeError(this.t, error);
  }

  /** Connect with a stored or fresh ParticipantToken, then load the transcript. */
  async resume_(chat) {
    this.chat = chat;
    const connection = new ChatConnection({ endpoint: this.endpoint, participantToken: chat.token, contactId: chat.contactId });
    this.connection_ = connection;
    this.transcript_.reset_(connection);
    this.timers_.start_(chat.startedAt);
    this.composer_.markdown_ = !!chat.features?.MESSAGING_MARKDOWN;
    this.attachments_.button_.hidden = !chat.features?.ATTACHMENTS;
    this.setState_('chat');
    this.setReady_(false);
    this.status_.textContent = this.t('connecting');
    connection
      .on('item', (item) => this.receive_(item, true))
      .on('status', (s) => (this.status_.textContent = s === 'connected' ? '' : this.t(s)))
      .on('reconnected', () => this.transcript_.load_())
      .on('ended', () => connection === this.connection_ && this.ended_());
    try {
      await connection.connect();
      this.setReady_(true);
      await this.transcript_.load_();
      if (!this.panel_.hidden) this.composer_.input_.focus();
    } catch (error) {
      if (connection !== this.connection_) return;
      if (error.status === 403) connection.finish_();
      else {
        this.status_.textContent = describeError(this.t, error);
        connection.reconnectLater_();
      }
    }
  }

  /** Composer usable only once CreateParticipantConnection has answered (text typed before stays). */
  setReady_(ready) {
    this.ready_ = ready;
    this.composer_.sendButton_.disabled = this.attachments_.button_.disabled = !ready;
  }

  /** The customer ends the chat. */
  async end_() {
    try {
      await this.connection_?.disconnect();
    } catch {
      // already gone on the server: the chat is over either way
    }
    this.ended_();
  }

  /** The chat is over (ended here, by the agent or by the service): offer a new one. */
  ended_() {
    if (this.state_ === 'ended' || !this.chat) return;
    this.starter_.previous_.remember(this.chat);
    this.store_.set('active', null);
    this.connection_?.close();
    this.timers_.stop_();
    this.receipts.stop();
    this.prechat_.nameInput_.value ||= this.chat.name || '';
    this.status_.textContent = '';
    this.setState_('ended');
    if (!this.panel_.hidden) this.newButton_.focus();
  }

  /** Back to the pre-chat form, without a reload. */
  newChat_() {
    this.chat = null;
    this.transcript_.reset_(null);
    this.timers_.start_(null);
    this.starter_.forget();
    this.setState_('form');
    this.prechat_.nameInput_.focus();
  }

  // Items ---------------------------------------------------------------------------------------

  /** One chat item from the socket (`live`) or a transcript page. */
  receive_(item, live) {
    // The customer was marked idle; back (the service says so, or they sent something): notice gone.
    // Agents' idleness is not the customer's business.
    if (live && item.ParticipantRole === 'CUSTOMER' && (item.Type !== 'EVENT' || item.ContentType === IDLE || item.ContentType === RETURNED)) {
      this.setIdle_(item.ContentType === IDLE);
    }
    if (item.Type !== 'TYPING' && item.ContentType !== TYPING) return this.transcript_.add_(item, live);
    if (item.ParticipantRole === 'CUSTOMER') return;
    // "Jane is typing…", for a while or until her message arrives.
    this.typing_.replaceChildren(...named(this.t, 'typing', this.roleLabel(item)));
    clearTimeout(this.typingTimer_);
    this.typingTimer_ = setTimeout(() => (this.typing_.textContent = ''), TYPING_SHOWN_MS);
  }

  setIdle_(idle) {
    this.idle_.textContent = idle ? this.t('idle') : '';
  }

  /** The customer's answer to an interactive message (`[content, contentType]`), if connected. A pick
   * shows as their message; a "show more" answer is JSON for the bot, not shown. */
  pick_([content, type = 'text/plain']) {
    if (this.state_ !== 'chat' || !this.ready_) return false;
    if (type === 'text/plain') this.outgoing_.send_(content, type);
    else this.connection_.sendMessage(content, type).catch((error) => (this.status_.textContent = describeError(this.t, error)));
    this.composer_.input_.focus(); // the picker is disabled now: focus goes where the customer types
  }

  /** The transcript shows a new item: acknowledge it, restart the timers, count it if unseen. */
  shown_(item, live) {
    // An agent joined this contact: no longer waiting (remembered, so a refresh does not say it again).
    if (item.ContentType === JOINED && item.ParticipantRole === 'AGENT' && !this.transcript_.isPast_(item) && this.chat && !this.chat.agentJoined) {
      this.chat.agentJoined = true;
      this.remember_({ agentJoined: true });
      this.waiting_.hidden = true;
    }
    if (!isMessage(item)) return;
    const theirs = item.ParticipantRole !== 'CUSTOMER';
    if (theirs) {
      this.typing_.textContent = '';
      this.acknowledge_(item, live);
    }
    this.timers_.track_(item, live, this.transcript_.messages_());
    // Counted as unread if the customer is away.
    if (live && theirs && (this.panel_.hidden || document.visibilityState !== 'visible')) this.unread_.add_(item);
  }

  /** Who said it: the translated role, or the agent's name (unless `hide-agent-names`). */
  roleLabel(item) {
    const role = item.ParticipantRole;
    if (role === 'CUSTOMER') return this.t('CUSTOMER');
    // A Lex bot's messages come from the SYSTEM participant named "BOT" (see the sandbox's bot runtime).
    if (role === 'SYSTEM') return this.t(item.DisplayName === 'BOT' ? 'BOT' : 'SYSTEM');
    if (role === 'CUSTOM_BOT') return this.t('BOT');
    return this.hasAttribute('hide-agent-names') ? this.t('AGENT') : item.DisplayName || this.t('AGENT');
  }

  /** Receipts for a message from the other side: read if the customer can see the panel now. */
  acknowledge_(item, live) {
    const visible = !this.panel_.hidden && document.visibilityState === 'visible';
    this.receipts.acknowledge(item, { live, visible, me: this.chat?.participantId, contactId: this.chat?.contactId });
  }

  /** Send what the composer holds, once connected (until then the text stays in the box). */
  send_() {
    if (this.state_ !== 'chat' || !this.ready_) return; // not connected yet: the text stays
    const text = this.composer_.take_();
    if (text) this.outgoing_.send_(text, this.composer_.contentType_);
  }

  // Notifications, unread count ----------------------------------------------------------------

  /** The customer is looking at the chat: clear the count and send read receipts for what they see. */
  clearUnread_() {
    this.unread_.clear_();
    for (const item of this.transcript_.items_.values()) if (isMessage(item) && item.ParticipantRole !== 'CUSTOMER') this.acknowledge_(item, false);
  }
}
