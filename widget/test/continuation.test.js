import { test } from 'node:test';
import assert from 'node:assert/strict';

import { PreviousChat, startTokenHeaders } from '../src/continuation.js';
import { ChatStarter } from '../src/session.js';

/** A ChatStore double: its slots in `data`. */
const store = (previous) => {
  const data = { previous, active: null };
  return { data, get: (key) => data[key] || null, set: (key, value) => (data[key] = value || null) };
};

test('the previous conversation is its continuation token, until it expires', () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const s = store(null);
  const previous = new PreviousChat(s, () => now);
  previous.remember({ contactId: 'c1', continuation: { token: 't1', expiresAt: '2030-01-03T00:00:00Z' } });
  assert.deepEqual(previous.persistentChat(), { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: 'c1', ContinuationToken: 't1' });
  now = Date.parse('2030-01-03T00:00:00Z');
  assert.equal(previous.current, null);
  assert.equal(s.data.previous, null); // forgotten in storage too
});

test('a bare ContactId kept by an earlier version, or a chat without continuation, is never offered', () => {
  const s = store('old-contact-id');
  assert.equal(new PreviousChat(s).persistentChat(), null);
  assert.equal(s.data.previous, null);
  const t = store(null);
  new PreviousChat(t).remember({ contactId: 'c2' });
  assert.equal(t.data.previous, null);
});

test('forget drops it at once', () => {
  const s = store({ contactId: 'c', token: 't', expiresAt: '2999-01-01T00:00:00Z' });
  const previous = new PreviousChat(s);
  assert.ok(previous.current);
  previous.forget();
  assert.equal(previous.current, null);
});

test('a start token from the site backend becomes the Authorization header of the start', async () => {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({ url, init });
    if (url === '/chat-token') return new Response(JSON.stringify({ token: 'signed.jwt.value' }));
    const data = { startChatResult: { ContactId: 'c', ParticipantId: 'p', ParticipantToken: 'pt' }, continuation: { token: 'k', expiresAt: 'x' } };
    return new Response(JSON.stringify({ data }));
  };
  const chat = await new ChatStarter(store(null), fetchFn, '/chat-token').start('/chats', { name: 'Ann', attributes: {} });
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.credentials, 'same-origin');
  assert.equal(calls[1].init.headers.Authorization, 'Bearer signed.jwt.value');
  assert.deepEqual(chat.continuation, { token: 'k', expiresAt: 'x' });
});

test('without auth-token-url, or when the backend gives no token, no Authorization is sent', async () => {
  assert.deepEqual(await startTokenHeaders(null, null), {});
  assert.deepEqual(await startTokenHeaders('/t', async () => new Response('{}', { status: 401 })), {});
  assert.deepEqual(await startTokenHeaders('/t', async () => { throw new TypeError('offline'); }), {});
});
