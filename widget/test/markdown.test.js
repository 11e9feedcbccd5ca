// The markdown renderer's tree (parse) and its URL policy; run with `node --test widget/test/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, safeUrl } from '../src/markdown.js';

const p = (...children) => ({ tag: 'p', children });

test('plain text is one paragraph of text', () => {
  assert.deepEqual(parse('hello <b>world</b>'), [p('hello <b>world</b>')]);
});

test('bold, italic and code', () => {
  assert.deepEqual(parse('**a** *b* _c_ `d*e*`'), [
    p({ tag: 'strong', children: ['a'] }, ' ', { tag: 'em', children: ['b'] }, ' ', { tag: 'em', children: ['c'] }, ' ',
      { tag: 'code', children: ['d*e*'] }),
  ]);
});

test('nested emphasis and lone asterisks', () => {
  assert.deepEqual(parse('**bold _and italic_**'), [
    p({ tag: 'strong', children: ['bold ', { tag: 'em', children: ['and italic'] }] }),
  ]);
  assert.deepEqual(parse('2 * 3 * 4 and snake_case_name'), [p('2 * 3 * 4 and snake_case_name')]);
});

test('bulleted and numbered lists, paragraphs and line breaks', () => {
  assert.deepEqual(parse('Steps:\n1. one\n2. **two**\n\n- x\n* y\n\nline\nbreak'), [
    p('Steps:'),
    { tag: 'ol', children: [{ tag: 'li', children: ['one'] }, { tag: 'li', children: [{ tag: 'strong', children: ['two'] }] }] },
    { tag: 'ul', children: [{ tag: 'li', children: ['x'] }, { tag: 'li', children: ['y'] }] },
    p('line', { tag: 'br', children: [] }, 'break'),
  ]);
});

const link = (href, text) => ({ tag: 'a', attrs: { href, target: '_blank', rel: 'noopener noreferrer' }, children: [text] });

test('links: http(s) and mailto only, opened safely', () => {
  assert.deepEqual(parse('[docs](https://example.com/a?b=1) and https://x.org/p.'), [
    p(link('https://example.com/a?b=1', 'docs'), ' and ', link('https://x.org/p', 'https://x.org/p'), '.'),
  ]);
  assert.deepEqual(parse('[mail](mailto:a@b.c)'), [p(link('mailto:a@b.c', 'mail'))]);
});

test('dangerous link targets stay text', () => {
  for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' javascript:x', 'data:text/html,x', 'vbscript:x', '//evil.example']) {
    assert.equal(safeUrl(url), null, url);
  }
  assert.deepEqual(parse('[x](javascript:alert(1))'), [p('[x](javascript:alert(1)', ')')]);
  assert.equal(safeUrl('https://ok.example/'), 'https://ok.example/');
});

test('markup-looking input never produces tags other than the renderer\'s own', () => {
  const allowed = new Set(['p', 'strong', 'em', 'code', 'a', 'ul', 'ol', 'li', 'br']);
  const walk = (nodes) => nodes.forEach((n) => typeof n !== 'string' && (assert.ok(allowed.has(n.tag), n.tag), walk(n.children)));
  walk(parse('<img src=x onerror=alert(1)> **<script>alert(1)</script>** [<svg onload=alert(1)>](https://a.b)'));
});

test('emphasis needs no word character (or asterisk) just before it, as a lookbehind would say', () => {
  // Rewritten without lookbehind (Safari 15.4-16.3): the character before stays text, in place.
  assert.deepEqual(parse('a*b* x_y_ (*c*) **d***e*'), [
    p('a*b* x_y_ (', { tag: 'em', children: ['c'] }, ') ', { tag: 'strong', children: ['d'] }, { tag: 'em', children: ['e'] }),
  ]);
  assert.deepEqual(parse('[*a*](https://x.test)'), [
    p({ tag: 'a', attrs: { href: 'https://x.test', target: '_blank', rel: 'noopener noreferrer' }, children: [{ tag: 'em', children: ['a'] }] }),
  ]);
  assert.deepEqual(parse('_a_\n*b*'), [p({ tag: 'em', children: ['a'] }, { tag: 'br', children: [] }, { tag: 'em', children: ['b'] })]);
});
