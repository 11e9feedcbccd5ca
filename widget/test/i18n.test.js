// The string tables: complete in every language, with fallbacks and right-to-left where it applies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../src/i18n.js';
import { TABLES } from '../src/strings.js';

test('every language has every key, and each keeps the placeholders of English', () => {
  const keys = Object.keys(TABLES.en).sort();
  for (const [lang, table] of Object.entries(TABLES)) {
    assert.deepEqual(Object.keys(table).sort(), keys, lang);
    for (const key of keys) {
      const names = (text) => (text.match(/\{\w+\}/g) || []).sort();
      assert.deepEqual(names(table[key]), names(TABLES.en[key]), `${lang}.${key}`);
    }
  }
});

test('region variants fall back to the language, unknown languages to English', () => {
  assert.equal(translator('es-MX')('send'), 'Enviar');
  assert.equal(translator('ar_EG').dir, 'rtl');
  assert.equal(translator('fr')('send'), 'Send');
  assert.equal(translator('fr').lang, 'en');
  assert.equal(translator('en').dir, 'ltr');
});

test('overrides rename any label; placeholders are filled', () => {
  const t = translator('en', { BOT: 'Assistant', typing: '{name} écrit' });
  assert.equal(t('BOT'), 'Assistant');
  assert.equal(t('typing', { name: 'Jane' }), 'Jane écrit');
  assert.equal(t('joined', { name: 'Jo' }), 'Jo joined the chat');
});

test('non-string label values are ignored, not thrown on', () => {
  const t = translator('en', { send: 42, title: { a: 1 }, end: null, start: 'Go' });
  assert.equal(t('send'), 'Send');
  assert.equal(t('end'), 'End chat');
  assert.equal(t('start'), 'Go');
  assert.equal(typeof t('title'), 'string');
  assert.doesNotThrow(() => translator('en', null));
});
