// A small, safe markdown subset: paragraphs, line breaks, **bold**, *italic* / _italic_, `code`,
// [links](https://…), bare http(s) URLs, "- " / "* " bulleted and "1. " numbered lists.
// parse() returns a plain tree ({tag, attrs?, children} or strings); toDom() builds real nodes from
// it with dom.js's h() (elements and text nodes only), so untrusted text can never become markup.

import { h } from './dom.js';

const SAFE_URL = /^(https?:|mailto:)/i;

/** The URL if it is http(s) or mailto (after the browser's own whitespace/control-char stripping). */
export function safeUrl(url) {
  // Browsers ignore tabs/newlines and leading control characters in URLs ("java\tscript:").
  const cleaned = String(url).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return SAFE_URL.test(cleaned) ? cleaned : null;
}

const link = (href, children) => ({
  tag: 'a',
  attrs: { href, target: '_blank', rel: 'noopener noreferrer' },
  children,
});

// Inline tokens, earliest match wins. Each rule: [regex, build(match) → node, lead]. No lookbehind
// (Safari before 16.4 rejects it): a `lead` rule's group 1 is the character before the token (or the
// start), which stays plain text and does not count as the token's position.
const INLINE = [
  [/`([^`\n]+)`/, (m) => ({ tag: 'code', children: [m[1]] })],
  [/\*\*(?=\S)([\s\S]*?\S)\*\*/, (m) => ({ tag: 'strong', children: inline(m[1]) })],
  [/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/, (m) => ({ tag: 'em', children: inline(m[2]) }), 1],
  [/(^|\W)_(?=\S)([^_\n]*?\S)_(?!\w)/, (m) => ({ tag: 'em', children: inline(m[2]) }), 1],
  [
    /\[([^\]\n]+)\]\(([^)\s]+)\)/,
    (m) => {
      const href = safeUrl(m[2]);
      return href ? link(href, inline(m[1])) : m[0];
    },
  ],
  [/\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)]/, (m) => link(m[0], [m[0]])],
];

/** Inline markdown → list of nodes. */
export function inline(text) {
  const out = [];
  let rest = text;
  while (rest) {
    let best = null;
    for (const [re, build, lead] of INLINE) {
      const m = re.exec(rest);
      const at = m && m.index + (lead ? m[1].length : 0);
      if (m && (!best || at < best.at)) best = { m, build, at };
    }
    if (!best) {
      out.push(rest);
      break;
    }
    if (best.at) out.push(rest.slice(0, best.at));
    out.push(best.build(best.m));
    rest = rest.slice(best.m.index + best.m[0].length);
  }
  // Single newlines inside a paragraph are line breaks (chat users expect Enter-less Shift+Enter lines).
  return out.flatMap((node) =>
    typeof node === 'string' && node.includes('\n')
      ? node.split('\n').flatMap((line, i) => (i ? [{ tag: 'br', children: [] }, line] : [line])).filter((n) => n !== '')
      : [node],
  );
}

const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBER = /^\s*\d{1,9}[.)]\s+(.*)$/;

/** Block markdown → list of nodes. */
export function parse(text) {
  const blocks = [];
  let para = [];
  let list = null;
  const flushPara = () => {
    if (para.length) blocks.push({ tag: 'p', children: inline(para.join('\n')) });
    para = [];
  };
  for (const line of String(text).replace(/\r\n?/g, '\n').split('\n')) {
    const bullet = BULLET.exec(line);
    const number = bullet ? null : NUMBER.exec(line);
    const tag = bullet ? 'ul' : number ? 'ol' : null;
    if (tag) {
      flushPara();
      if (!list || list.tag !== tag) blocks.push((list = { tag, children: [] }));
      list.children.push({ tag: 'li', children: inline((bullet || number)[1]) });
    } else if (!line.trim()) {
      flushPara();
      list = null;
    } else {
      list = null;
      para.push(line);
    }
  }
  flushPara();
  return blocks;
}

/** Append a tree's nodes to `parent` (strings become text nodes; only the tags and attributes the
 * parser produces); answers `parent`. One node at a time: no argument-count limit on long texts. */
export function toDom(nodes, parent) {
  for (const node of nodes) parent.append(typeof node === 'string' ? node : toDom(node.children, h(node.tag, node.attrs)));
  return parent;
}

/** Markdown text → a DocumentFragment. */
export const renderMarkdown = (text) => toDom(parse(text), document.createDocumentFragment());
