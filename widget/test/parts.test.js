// The widget's parts that need no DOM: timers' clock format, the attachment check, the pre-chat fields,
// starting a chat (ClientToken reuse), outgoing receipts (batching, 429), errors in plain words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile } from '../src/attachments.js';
import { describeError, translator } from '../src/i18n.js';
import { parseFields } from '../src/prechat.js';
import { DELIVERED, READ, ServiceError } from '../src/protocol.js';
import { Receipts } from '../src/receipts.js';
import { ChatStarter } from '../src/session.js';
import { clock } from '../src/timers.js';

test('timers read m:ss, and h:mm:ss from an hour on', () => {
  assert.equal(clock(0), '0:00');
  assert.equal(clock(65_999), '1:05');
  assert.equal(clock(3_600_000 + 61_000), '1:01:01');
  assert.equal(clock(-5_000), '0:00');
});

test('attachments are checked against the allow-list and the size limit', () => {
  assert.deepEqual(checkFile({ name: 'a.PDF', size: 10, type: '' }), { type: 'application/pdf' });
  assert.deepEqual(checkFile({ name: 'a.wav', size: 10, type: 'audio/x-wav' }), { type: 'audio/x-wav' });
  assert.deepEqual(checkFile({ name: 'setup.exe', size: 10, type: '' }), { error: 'fileType' });
  assert.deepEqual(checkFile({ name: 'pdf', size: 10, type: '' }), { error: 'fileType' });
  assert.deepEqual(checkFile({ name: 'a.txt', size: 0, type: '' }), { error: 'fileEmpty' });
  assert.deepEqual(checkFile({ name: 'a.txt', size: 20 * 1024 * 1024 + 1, type: '' }), { error: 'fileSize' });
});

test('pre-chat fields: malformed JSON or names are left out', () => {
  assert.deepEqual(parseFields('{broken'), []);
  assert.deepEqual(parseFields('{"name": "x"}'), []);
  assert.deepEqual(parseFields(null), []);
  assert.deepEqual(parseFields('[{"name": "orderId"}, {"name": "a b"}, null, {"name": ""}]'), [{ name: 'orderId' }]);
});

/** A ChatStore double and a start-chat API answering from `answers` (status per call). */
function starter(answers) {
  const bodies = [];
  const data = { previous: { contactId: 'old-contact', token: 'proof', expiresAt: '2999-01-01T00:00:00Z' }, active: null };
  const store = { data, get: (key) => data[key] || null, set: (key, value) => (data[key] = value || null) };
  const fetchFn = async (url, init) => {
    bodies.push(JSON.parse(init.body));
    const status = answers[bodies.length - 1];
    if (status === 0) throw new TypeError('network');
    const result = { ContactId: `c${bodies.length}`, ParticipantId: 'p', ParticipantToken: 'token' };
    const body = status === 200 ? { data: { startChatResult: result, featurePermissions: { ATTACHMENTS: true } } } : {};
    return new Response(JSON.stringify(body), { status });
  };
  return { chats: new ChatStarter(store, fetchFn), bodies, store };
}

test('a start retried after a lost answer reuses its ClientToken; a refusal or success starts afresh', async () => {
  const { chats, bodies, store } = starter([0, 0, 403, 200, 200]);
  const request = { name: 'Ann', attributes: { orderId: '7' }, continuePrevious: false };
  await assert.rejects(chats.start('/chats', request), (e) => e.status === 0);
  await assert.rejects(chats.start('/chats', request), (e) => e.status === 0);
  await assert.rejects(chats.start('/chats', request), (e) => e.status === 403);
  const chat = await chats.start('/chats', request);
  await chats.start('/chats', { ...request, continuePrevious: true });
  const tokens = bodies.map((b) => b.ClientToken);
  assert.equal(tokens[0], tokens[1]);
  assert.equal(tokens[1], tokens[2]);
  assert.notEqual(tokens[3], tokens[2]);
  assert.notEqual(tokens[4], tokens[3]);
  assert.deepEqual(bodies[0].Attributes, { customerName: 'Ann', orderId: '7' });
  assert.equal(bodies[3].PersistentChat, undefined);
  assert.deepEqual(bodies[4].PersistentChat, { RehydrationType: 'ENTIRE_PAST_SESSION', SourceContactId: 'old-contact', ContinuationToken: 'proof' });
  assert.equal(chat.contactId, 'c4');
  assert.equal(chat.token, 'token');
  assert.deepEqual(chat.features, { ATTACHMENTS: true });
  assert.equal(store.data.active.contactId, 'c5');
});

/** Timers the test fires by hand. */
function manualTimers() {
  const due = [];
  return { due, setTimeout: (fn, ms) => due.push({ fn, ms }) && due.length, clearTimeout: (id) => id && (due[id - 1].fn = () => {}) };
}

test('receipts go in batches, once per message and kind, and the rest is retried after a 429', async () => {
  const sent = [];
  let throttle = true;
  const connection = {
    async sendReceipt(kind, id) {
      if (throttle && id === 'm2') {
        throttle = false;
        throw new ServiceError(429, 'ThrottlingException', 'slow', 2);
      }
      sent.push([kind, id]);
    },
  };
  const timers = manualTimers();
  const receipts = new Receipts({ connection: () => connection, chatting: () => true, timers });
  const agent = (id) => ({ Id: id, ParticipantRole: 'AGENT' });

  // Delivered while away, then read once seen; a second read of the same message is not queued.
  receipts.acknowledge(agent('m1'), { live: true, visible: false, me: 'me' });
  receipts.acknowledge(agent('m1'), { live: false, visible: true, me: 'me' });
  receipts.acknowledge(agent('m2'), { live: false, visible: true, me: 'me' });
  receipts.acknowledge(agent('m2'), { live: false, visible: true, me: 'me' });
  receipts.acknowledge({ Id: 's', ParticipantRole: 'SYSTEM' }, { live: true, visible: true, me: 'me' });
  assert.equal(timers.due.length, 1);
  assert.equal(timers.due[0].ms, 300);

  await timers.due[0].fn();
  assert.deepEqual(sent, [[READ, 'm1']]);
  assert.equal(timers.due.length, 2);
  assert.equal(timers.due[1].ms, 2000); // Retry-After

  await timers.due[1].fn();
  assert.deepEqual(sent, [[READ, 'm1'], [READ, 'm2']]);
  assert.equal(timers.due.length, 2);

  // Already read by this customer according to the service: nothing to send.
  const read = { ...agent('m3'), MessageMetadata: { Receipts: [{ RecipientParticipantId: 'me', ReadTimestamp: 't' }] } };
  receipts.acknowledge(read, { live: true, visible: true, me: 'me' });
  receipts.acknowledge(agent('m4'), { live: true, visible: false, me: 'me' });
  await timers.due[2].fn();
  assert.deepEqual(sent.slice(2), [[DELIVERED, 'm4']]);
});

test('no receipts for another contact\'s messages, nor once the chat is over', async () => {
  const sent = [];
  let chatting = true;
  const connection = { async sendReceipt(kind, id) { sent.push([kind, id]); } };
  const timers = manualTimers();
  const receipts = new Receipts({ connection: () => connection, chatting: () => chatting, timers });
  const seen = { live: false, visible: true, me: 'me', contactId: 'now' };

  // A message of the continued (previous) contact: the service would answer 400.
  receipts.acknowledge({ Id: 'old', ParticipantRole: 'AGENT', ContactId: 'before' }, seen);
  assert.equal(timers.due.length, 0);

  // Queued, then the chat ends before the batch goes out: nothing is sent (it would be a 403).
  receipts.acknowledge({ Id: 'm1', ParticipantRole: 'AGENT', ContactId: 'now' }, seen);
  chatting = false;
  receipts.stop();
  await timers.due[0].fn();
  receipts.acknowledge({ Id: 'm2', ParticipantRole: 'AGENT', ContactId: 'now' }, seen);
  assert.deepEqual(sent, []);
  assert.equal(timers.due.length, 1);
});

test('failures are told in plain words', () => {
  const t = translator('en');
  assert.equal(describeError(t, new ServiceError(400, 'ValidationException', 'too long')), t('err400', { detail: 'too long' }));
  assert.equal(describeError(t, new ServiceError(403)), t('err403'));
  assert.equal(describeError(t, new ServiceError(429)), t('err429'));
  assert.equal(describeError(t, new ServiceError(503)), t('err5xx'));
  assert.equal(describeError(t, new TypeError('boom')), t('err0'));
});
