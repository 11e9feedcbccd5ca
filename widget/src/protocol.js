// The Amazon Connect Participant Service client (REST + WebSocket), with no knowledge of rendering.
// It works in browsers and in Node (tests inject fetch, WebSocket and timers).

export const EVENT = 'application/vnd.amazonaws.connect.event.';
export const TYPING = EVENT + 'typing';
export const DELIVERED = EVENT + 'message.delivered';
export const READ = EVENT + 'message.read';
export const CHAT_ENDED = EVENT + 'chat.ended';
export const JOINED = EVENT + 'participant.joined';
export const LEFT = EVENT + 'participant.left';
// Chat timeouts (UpdateParticipantRoleConfig): a participant marked idle, back, or removed for inactivity.
export const IDLE = EVENT + 'participant.idle';
export const RETURNED = EVENT + 'participant.returned';
export const AUTO_DISCONNECTED = EVENT + 'participant.autodisconnection';
export const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';
export const INTERACTIVE_RESPONSE = INTERACTIVE + '.response';

const HEARTBEAT_MS = 10_000;
const SUBSCRIBE_RETRY_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

export const uuid = () =>
  globalThis.crypto?.randomUUID?.() ??
  'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => ((Math.random() * 16) | 0).toString(16));

/** An error answered by the start-chat API or the Participant Service. `status` 0 = network failure. */
export class ServiceError extends Error {
  constructor(status, type, message, retryAfter) {
    super(message || type || `HTTP ${status}`);
    this.status = status;
    this.type = type;
    this.retryAfter = retryAfter;
  }
}

/** fetch, a network failure thrown as a ServiceError with status 0. */
const reach = (fetchFn, url, init) =>
  fetchFn(url, init).catch((error) => {
    throw new ServiceError(0, 'NetworkError', error?.message);
  });

/** POST `body` as JSON with `headers`; answers the parsed JSON, or throws a ServiceError. */
async function request(fetchFn, url, headers, body) {
  const response = await reach(fetchFn, url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    // a proxy's HTML error page: keep the status, drop the body
  }
  if (!response.ok) {
    const header = (name) => response.headers?.get?.(name);
    // Participant Service errors: x-amzn-ErrorType + {Message}; our API: {error: {code, message}}.
    const type = (header('x-amzn-ErrorType') || data.error?.code || '').split(':')[0];
    const retryAfter = Number(header('Retry-After')) || undefined;
    const error = new ServiceError(response.status, type, data.Message || data.message || data.error?.message, retryAfter);
    // Our API names each invalid field ({field, message}): callers can point at the right one.
    if (Array.isArray(data.error?.fields)) error.fields = data.error.fields;
    throw error;
  }
  return data;
}

/** POST the start-chat API; answers `{startChatResult, featurePermissions, continuation}`. Pass the same
 * `body.ClientToken` when retrying one attempt, so a lost answer does not start a second contact. */
export async function startChat(apiUrl, body, fetchFn = globalThis.fetch.bind(globalThis), headers = {}) {
  const data = await request(fetchFn, apiUrl, headers, { ClientToken: uuid(), ...body });
  const result = data.data?.startChatResult;
  if (!result?.ParticipantToken) throw new ServiceError(502, 'BadResponse');
  return { startChatResult: result, featurePermissions: data.data.featurePermissions || {}, continuation: data.data.continuation };
}

/** Order by AbsoluteTime: fixed-width ISO strings compare correctly as strings. */
export const byTime = (a, b) => (a.AbsoluteTime < b.AbsoluteTime ? -1 : a.AbsoluteTime > b.AbsoluteTime ? 1 : 0);

/**
 * One participant's connection. Events (subscribe with `on`): `item` (a chat item), `status`
 * ('connecting' | 'connected' | 'reconnecting'), `reconnected` (the socket came back: items may have
 * been missed, reload the transcript), `ended` (the chat is over or the token no longer works).
 */
export class ChatConnection {
  constructor({ endpoint = '', participantToken, contactId, fetch, WebSocket, timers } = {}) {
    this.endpoint_ = endpoint.replace(/\/$/, '');
    this.participantToken_ = participantToken;
    this.contactId_ = contactId;
    this.fetch_ = fetch || globalThis.fetch.bind(globalThis);
    this.WebSocket_ = WebSocket || globalThis.WebSocket;
    this.timers_ = timers || globalThis;
    this.listeners_ = {};
    this.closed = false;
    this.attempt_ = 0;
  }

  on(type, fn) {
    (this.listeners_[type] ||= []).push(fn);
    return this;
  }

  emit_(type, value) {
    for (const fn of this.listeners_[type] || []) fn(value);
  }

  /** CreateParticipantConnection and open the socket; rejects with ServiceError (403 = chat ended). */
  async connect() {
    this.emit_('status', this.attempt_ ? 'reconnecting' : 'connecting');
    await this.openSocket_((await this.credentials_('WEBSOCKET')).Websocket.Url);
  }

  /** CreateParticipantConnection with the ParticipantToken: a fresh ConnectionToken (and `type`'s). */
  async credentials_(...type) {
    const data = await request(this.fetch_, `${this.endpoint_}/participant/connection`, { 'X-Amz-Bearer': this.participantToken_ },
      { Type: [...type, 'CONNECTION_CREDENTIALS'], ConnectParticipant: true });
    this.connectionToken_ = data.ConnectionCredentials.ConnectionToken;
    return data;
  }

  openSocket_(url) {
    return new Promise((resolve, reject) => {
      const ws = new this.WebSocket_(url);
      this.ws_ = ws;
      let subscribed = false;
      let awaiting = false; // a heartbeat is unanswered
      let tries = 0;
      const send = (frame) => ws.readyState === 1 && ws.send(JSON.stringify(frame));
      const subscribe = () => {
        if (subscribed || ws !== this.ws_) return;
        if (tries++ >= 3) return ws.close();
        send({ topic: 'aws/subscribe', content: { topics: ['aws/chat'] } });
        this.subscribeTimer_ = this.timers_.setTimeout(subscribe, SUBSCRIBE_RETRY_MS);
      };
      ws.onopen = () => {
        subscribe();
        // As ChatJS: the socket is dead only when a heartbeat got no answer before the next one is
        // due. No wall-clock gaps: hidden tabs run timers once a minute, which is not a dead socket.
        const beat = () => {
          if (awaiting) return ws.close();
          awaiting = true;
          send({ topic: 'aws/heartbeat' });
        };
        beat();
        this.heartbeat_ = this.timers_.setInterval(beat, HEARTBEAT_MS);
      };
      ws.onmessage = (event) => {
        let frame;
        try {
          frame = JSON.parse(event.data);
        } catch {
          return;
        }
        if (frame.topic === 'aws/heartbeat') awaiting = false;
        else if (frame.topic === 'aws/subscribe' && !subscribed) {
          subscribed = true;
          this.timers_.clearTimeout(this.subscribeTimer_);
          const wasReconnect = this.attempt_ > 0;
          this.attempt_ = 0;
          this.emit_('status', 'connected');
          if (wasReconnect) this.emit_('reconnected');
          resolve();
        } else if (frame.topic === 'aws/chat') {
          const item = typeof frame.content === 'string' ? JSON.parse(frame.content) : frame.content;
          this.emit_('item', item);
          if (item.ContentType === CHAT_ENDED) this.finish_();
        }
      };
      ws.onclose = () => {
        this.timers_.clearInterval(this.heartbeat_);
        this.timers_.clearTimeout(this.subscribeTimer_);
        if (ws !== this.ws_) return;
        if (!subscribed) reject(new ServiceError(0, 'SocketError'));
        else if (!this.closed) this.reconnectLater_();
      };
    });
  }

  /** Exponential backoff with jitter; a 403 means the participant is gone, so the chat has ended. */
  reconnectLater_() {
    if (this.closed) return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt_) * (0.75 + Math.random() / 2);
    this.attempt_ += 1;
    this.emit_('status', 'reconnecting');
    this.retryTimer_ = this.timers_.setTimeout(async () => {
      try {
        await this.connect();
      } catch (error) {
        if (error.status === 403) this.finish_();
        else this.reconnectLater_();
      }
    }, delay);
  }

  /** Stop for good (the chat ended) and tell listeners once. */
  finish_() {
    if (this.closed) return;
    this.close();
    this.emit_('ended');
  }

  /** Close without reconnecting (page teardown, chat over). */
  close() {
    this.closed = true;
    this.timers_.clearTimeout(this.retryTimer_);
    this.timers_.clearInterval(this.heartbeat_);
    const ws = this.ws_;
    this.ws_ = null;
    ws?.close();
  }

  /** A REST call with the ConnectionToken. On 403 the token may have expired: get a fresh one with the
   * ParticipantToken once and repeat the same body (same ClientToken, so never sent twice). */
  async call(path, body, again) {
    try {
      return await request(this.fetch_, `${this.endpoint_}/participant/${path}`, { 'X-Amz-Bearer': this.connectionToken_ }, body);
    } catch (error) {
      if (error.status !== 403 || again || this.closed) throw error;
      await this.credentials_();
      return this.call(path, body, true);
    }
  }

  /** SendMessage; the answer's Id is the Id the socket echoes (callers dedupe on it). */
  sendMessage(content, contentType = 'text/plain', clientToken = uuid()) {
    return this.call('message', { ContentType: contentType, Content: content, ClientToken: clientToken });
  }

  sendEvent(contentType, content) {
    return this.call('event', { ContentType: contentType, ClientToken: uuid(), Content: content }); // JSON drops an undefined Content
  }

  sendReceipt(kind, messageId) {
    return this.sendEvent(kind, JSON.stringify({ messageId }));
  }

  /** One transcript page (15 items, ascending): the most recent by default; `beforeId` loads the page
   * older than that item. */
  getTranscript(beforeId) {
    return this.call('transcript', {
      MaxResults: 15,
      ScanDirection: 'BACKWARD',
      SortOrder: 'ASCENDING',
      StartPosition: beforeId ? { Id: beforeId } : {},
      ContactId: this.contactId_ || undefined, // none: not sent
    });
  }

  async disconnect() {
    try {
      await this.call('disconnect', { ClientToken: uuid() });
    } finally {
      this.finish_();
    }
  }

  /** StartAttachmentUpload → PUT the bytes with HeadersToInclude → CompleteAttachmentUpload. */
  async uploadAttachment(file) {
    const start = await this.call('start-attachment-upload', {
      ContentType: file.type,
      AttachmentSizeInBytes: file.size,
      AttachmentName: file.name,
      ClientToken: uuid(),
    });
    const { Url, HeadersToInclude } = start.UploadMetadata;
    const put = await reach(this.fetch_, Url, { method: 'PUT', headers: HeadersToInclude || {}, body: file });
    if (!put.ok) throw new ServiceError(put.status, 'UploadFailed');
    await this.call('complete-attachment-upload', { AttachmentIds: [start.AttachmentId], ClientToken: uuid() });
    return start.AttachmentId;
  }

  async attachmentUrl(attachmentId) {
    return (await this.call('attachment', { AttachmentId: attachmentId, UrlExpiryInSeconds: 300 })).Url;
  }
}
