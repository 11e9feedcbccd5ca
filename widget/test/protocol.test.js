// The protocol client against a fake fetch and a fake WebSocket; run with `node --test widget/test/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatConnection, ServiceError, TYPING, startChat } from '../src/protocol.js';

/** A fetch that records requests and answers from a table of path → (body) => [status, json, headers]. */
function fakeFetch(routes) {
  const calls = [];
  const fetch = async (url, init) => {
    const path = new URL(url, 'http://h').pathname;
    const body = init.body && typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    calls.push({ path, method: init.method, headers: init.headers, body });
    const route = routes[path];
    if (!route) return new Response('{}', { status: 404 });
    const [status, json, headers] = route(body, calls.length);
    return new Response(JSON.stringify(json), { status, headers });
  };
  return { fetch, calls };
}

/** A WebSocket double: the test plays the server through `server.push` / `server.close`. */
function fakeSockets() {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      sockets.push(this);
      queueMicrotask(() => {
        this.readyState = 1;
        this.onopen?.();
      });
    }
    send(text) {
      const frame = JSON.parse(text);
      this.sent.push(frame);
      if (frame.topic === 'aws/subscribe') this.push({ topic: 'aws/subscribe', content: { status: 'success', topics: ['aws/chat'] } });
    }
    push(frame) {
      queueMicrotask(() => this.onmessage?.({ data: JSON.stringify(frame) }));
    }
    close() {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code: 1000 }));
    }
  }
  return { FakeSocket, sockets };
}

/** Timers that only fire when the test says so. */
function manualTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map();
  const add = (fn, ms, every) => (pending.set(++seq, { fn, at: now + ms, every }), seq);
  return {
    setTimeout: (fn, ms) => add(fn, ms),
    setInterval: (fn, ms) => add(fn, ms, ms),
    clearTimeout: (id) => pending.delete(id),
    clearInterval: (id) => pending.delete(id),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at > now) continue;
        if (t.every) t.at += t.every;
        else pending.delete(id);
        t.fn();
      }
    },
  };
}

const connectionAnswer = (url = 'ws://127.0.0.1:1/ws?token=t') => () => [200, {
  Websocket: { Url: url, ConnectionExpiry: '2030-01-01T00:00:00.000Z' },
  ConnectionCredentials: { ConnectionToken: 'conn-token', Expiry: '2030-01-01T00:00:00.000Z' },
}];
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

test('startChat posts a ClientToken and returns the start result and permissions', async () => {
  const { fetch, calls } = fakeFetch({
    '/chats': () => [200, { data: { startChatResult: { ContactId: 'c', ParticipantId: 'p', ParticipantToken: 't' }, featurePermissions: { ATTACHMENTS: true } } }],
  });
  const result = await startChat('https://api/chats', { ParticipantDetails: { DisplayName: 'Ann' } }, fetch);
  assert.equal(result.startChatResult.ParticipantToken, 't');
  assert.deepEqual(result.featurePermissions, { ATTACHMENTS: true });
  assert.match(calls[0].body.ClientToken, /^[0-9a-f-]{36}$/);
});

test('API errors become ServiceError with status, code and Retry-After', async () => {
  const { fetch } = fakeFetch({ '/chats': () => [429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'Retry-After': '3' }] });
  await assert.rejects(startChat('/chats', {}, fetch), (e) => e instanceof ServiceError && e.status === 429 && e.type === 'TooManyRequests' && e.retryAfter === 3);
  const down = async () => { throw new TypeError('Failed to fetch'); };
  await assert.rejects(startChat('/chats', {}, down), (e) => e.status === 0);
});

test('connect: ParticipantToken bearer, subscribe, heartbeat every 10 s, items delivered', async () => {
  const { fetch, calls } = fakeFetch({ '/participant/connection': connectionAnswer() });
  const { FakeSocket, sockets } = fakeSockets();
  const timers = manualTimers();
  const conn = new ChatConnection({ endpoint: 'http://sb/', participantToken: 'ptok', fetch, WebSocket: FakeSocket, timers });
  const items = [];
  conn.on('item', (item) => items.push(item));
  await conn.connect();
  assert.equal(calls[0].path, '/participant/connection');
  assert.equal(calls[0].headers['X-Amz-Bearer'], 'ptok');
  assert.deepEqual(calls[0].body, { Type: ['WEBSOCKET', 'CONNECTION_CREDENTIALS'], ConnectParticipant: true });
  const ws = sockets[0];
  assert.equal(ws.url, 'ws://127.0.0.1:1/ws?token=t');
  assert.deepEqual(ws.sent.map((f) => f.topic), ['aws/subscribe', 'aws/heartbeat']);
  ws.push({ topic: 'aws/heartbeat' });
  await settle();
  timers.advance(10_000);
  assert.equal(ws.sent.filter((f) => f.topic === 'aws/heartbeat').length, 2);
  ws.push({ topic: 'aws/chat', contentType: 'application/json', content: JSON.stringify({ Id: 'm1', Type: 'MESSAGE', Content: 'hi' }) });
  await settle();
  assert.deepEqual(items.map((i) => i.Id), ['m1']);
});

test('REST calls use the ConnectionToken and the documented bodies', async () => {
  const { fetch, calls } = fakeFetch({
    '/participant/connection': connectionAnswer(),
    '/participant/message': () => [200, { Id: 'id-1', AbsoluteTime: '2024-01-01T00:00:00.000Z' }],
    '/participant/event': () => [200, { Id: 'e', AbsoluteTime: '2024-01-01T00:00:00.000Z' }],
    '/participant/transcript': () => [200, { Transcript: [] }],
  });
  const { FakeSocket } = fakeSockets();
  const conn = new ChatConnection({ endpoint: '', participantToken: 'p', fetch, WebSocket: FakeSocket, timers: manualTimers() });
  await conn.connect();
  assert.equal((await conn.sendMessage('hello', 'text/plain', 'tok-1')).Id, 'id-1');
  await conn.sendEvent(TYPING);
  await conn.getTranscript();
  await conn.getTranscript('oldest-id');
  const [, message, typing, first, older] = calls;
  assert.equal(message.headers['X-Amz-Bearer'], 'conn-token');
  assert.deepEqual(message.body, { ContentType: 'text/plain', Content: 'hello', ClientToken: 'tok-1' });
  assert.equal(typing.body.ContentType, TYPING);
  assert.ok(!('Content' in typing.body));
  assert.deepEqual(first.body, { MaxResults: 15, ScanDirection: 'BACKWARD', SortOrder: 'ASCENDING', StartPosition: {} });
  assert.deepEqual(older.body.StartPosition, { Id: 'oldest-id' });
});

test('a dropped socket reconnects with backoff; 403 on reconnect means the chat ended', async () => {
  let answer = connectionAnswer();
  const { fetch } = fakeFetch({ '/participant/connection': () => answer() });
  const { FakeSocket, sockets } = fakeSockets();
  const timers = manualTimers();
  const conn = new ChatConnection({ endpoint: '', participantToken: 'p', fetch, WebSocket: FakeSocket, timers });
  const events = [];
  conn.on('status', (s) => events.push(s)).on('reconnected', () => events.push('reconnected')).on('ended', () => events.push('ended'));
  await conn.connect();
  sockets[0].close(); // the server closed it
  await settle();
  assert.equal(events.at(-1), 'reconnecting');
  timers.advance(1_000); // first retry within 0.75 s × 500 ms … 1.25 × 500 ms
  await settle();
  assert.equal(sockets.length, 2);
  assert.deepEqual(events.slice(-2), ['connected', 'reconnected']);

  answer = () => [403, { Message: 'Access denied' }, { 'x-amzn-ErrorType': 'AccessDeniedException' }];
  sockets[1].close();
  await settle();
  timers.advance(1_000);
  await settle();
  assert.equal(events.at(-1), 'ended');
  assert.equal(sockets.length, 2);
});

test('chat.ended closes the connection for good', async () => {
  const { fetch } = fakeFetch({ '/participant/connection': connectionAnswer() });
  const { FakeSocket, sockets } = fakeSockets();
  const timers = manualTimers();
  const conn = new ChatConnection({ endpoint: '', participantToken: 'p', fetch, WebSocket: FakeSocket, timers });
  let ended = 0;
  conn.on('ended', () => ended++);
  await conn.connect();
  sockets[0].push({ topic: 'aws/chat', content: JSON.stringify({ Id: 'x', Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.chat.ended' }) });
  await settle();
  timers.advance(60_000);
  await settle();
  assert.equal(ended, 1);
  assert.equal(sockets.length, 1);
});

test('attachments: start, PUT with HeadersToInclude, complete', async () => {
  const { fetch, calls } = fakeFetch({
    '/participant/connection': connectionAnswer(),
    '/participant/start-attachment-upload': () => [200, { AttachmentId: 'att-1', UploadMetadata: { Url: 'http://s3/up', HeadersToInclude: { 'Content-Type': 'text/plain' } } }],
    '/up': () => [200, {}],
    '/participant/complete-attachment-upload': () => [200, {}],
  });
  const { FakeSocket } = fakeSockets();
  const conn = new ChatConnection({ endpoint: '', participantToken: 'p', fetch, WebSocket: FakeSocket, timers: manualTimers() });
  await conn.connect();
  const file = new Blob(['hello'], { type: 'text/plain' });
  file.name = 'note.txt';
  assert.equal(await conn.uploadAttachment(file), 'att-1');
  const [, start, put, complete] = calls;
  assert.deepEqual({ ...start.body, ClientToken: 'x' }, { ContentType: 'text/plain', AttachmentSizeInBytes: 5, AttachmentName: 'note.txt', ClientToken: 'x' });
  assert.equal(put.method, 'PUT');
  assert.deepEqual(put.headers, { 'Content-Type': 'text/plain' });
  assert.deepEqual(complete.body.AttachmentIds, ['att-1']);
  assert.notEqual(complete.body.ClientToken, start.body.ClientToken);
});

test('heartbeat: a throttled tab (late timers) keeps its socket; an unanswered heartbeat closes it', async () => {
  const { fetch } = fakeFetch({ '/participant/connection': connectionAnswer() });
  const { FakeSocket, sockets } = fakeSockets();
  const timers = manualTimers();
  const conn = new ChatConnection({ endpoint: '', participantToken: 'p', fetch, WebSocket: FakeSocket, timers });
  await conn.connect();
  const ws = sockets[0];
  const realNow = Date.now;
  let wall = realNow();
  Date.now = () => wall;
  try {
    for (let i = 0; i < 3; i++) {
      ws.push({ topic: 'aws/heartbeat' }); // the answer to the last heartbeat
      await settle();
      wall += 60_000; // a hidden tab: the 10 s interval fires once a minute
      timers.advance(10_000);
      await settle();
      assert.notEqual(ws.readyState, 3, 'an answered heartbeat must not close the socket');
    }
    assert.equal(ws.sent.filter((f) => f.topic === 'aws/heartbeat').length, 4);
    // No answer before the next heartbeat is due: the socket is dead, reconnect.
    timers.advance(10_000);
    await settle();
    assert.equal(ws.readyState, 3);
    timers.advance(1_000);
    await settle();
    assert.equal(sockets.length, 2);
  } finally {
    Date.now = realNow;
  }
});

test('a 403 on a call refreshes the ConnectionToken once and repeats the same ClientToken', async () => {
  let messages = 0;
  let deny = false;
  const { fetch, calls } = fakeFetch({
    '/participant/connection': (body, n) => [200, {
      Websocket: { Url: 'ws://127.0.0.1:1/ws', ConnectionExpiry: '2030-01-01T00:00:00.000Z' },
      ConnectionCredentials: { ConnectionToken: `conn-${n}`, Expiry: '2030-01-01T00:00:00.000Z' },
    }],
    '/participant/message': () => (++messages === 1 || deny
      ? [403, { Message: 'expired' }, { 'x-amzn-ErrorType': 'AccessDeniedException' }]
      : [200, { Id: 'id-1', AbsoluteTime: '2024-01-01T00:00:00.000Z' }]),
  });
  const { FakeSocket } = fakeSockets();
  const conn = new ChatConnection({ endpoint: '', participantToken: 'ptok', fetch, WebSocket: FakeSocket, timers: manualTimers() });
  await conn.connect();
  assert.equal((await conn.sendMessage('hello', 'text/plain', 'tok-1')).Id, 'id-1');
  const [, first, refresh, retry] = calls;
  assert.equal(refresh.path, '/participant/connection');
  assert.equal(refresh.headers['X-Amz-Bearer'], 'ptok');
  assert.equal(retry.headers['X-Amz-Bearer'], 'conn-3');
  assert.equal(first.body.ClientToken, 'tok-1');
  assert.equal(retry.body.ClientToken, 'tok-1');

  // Still 403 after the refresh (or the refresh itself refused): the error reaches the caller, no loop.
  deny = true;
  await assert.rejects(conn.sendMessage('again', 'text/plain', 'tok-2'), (e) => e.status === 403);
  assert.equal(calls.filter((c) => c.path === '/participant/message' && c.body.ClientToken === 'tok-2').length, 2);
});

test('startChat keeps a ClientToken the caller chose (a retry of the same attempt)', async () => {
  const { fetch, calls } = fakeFetch({
    '/chats': () => [200, { data: { startChatResult: { ContactId: 'c', ParticipantId: 'p', ParticipantToken: 't' } } }],
  });
  await startChat('/chats', { ClientToken: 'same' }, fetch);
  assert.equal(calls[0].body.ClientToken, 'same');
});
