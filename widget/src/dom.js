// Safe DOM building shared by every part of the widget: strings become text nodes, never markup, so an
// untrusted string (a message, a name, a file name) cannot inject HTML. No innerHTML anywhere.

/** Tiny element builder: h('button', {class: 'x', onclick}, 'text', child). Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  el.append(...children.filter((c) => c || c === 0)); // false, null and "" add nothing
  return el;
}

/** Marks an element whose text is the translation of `key` (the element's relabel fills it in). */
export const T = (key) => ({ 'data-t': key });

/** A symbol hidden from assistive technology: the button's translated aria-label is its name. */
export const symbol = (text) => h('span', { 'aria-hidden': 'true' }, text);

// Icons are SVG paths (emoji depend on the visitor's fonts), decorative: buttons carry the names.
const ICONS = {
  chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
  clip: 'M16.5 6.5 8.4 14.6a1.5 1.5 0 0 0 2.1 2.1l8.1-8.1a3 3 0 0 0-4.2-4.2L6.3 12.5a4.5 4.5 0 0 0 6.4 6.4l6.8-6.8',
};

/** One of the widget's icons, as an SVG element. */
export function svgIcon(name) {
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

/** The sentence `t(key)` with `name` in its own <bdi>: a name in another script keeps its own direction
 * and does not reorder the words around it ("Jane joined" in an Arabic panel). */
export function named(t, key, name) {
  const [before, after = ''] = t(key, { name: '\u0000' }).split('\u0000');
  return [before, h('bdi', {}, name), after].filter((part) => part !== '');
}
