// Amazon Connect interactive messages (ContentType application/vnd.amazonaws.connect.message.interactive,
// `{"templateType", "version": "1.0", "data": {"content": {...}}}`): ListPicker, QuickReply, TimePicker,
// Panel and Carousel as real buttons in a group named by the template's title. Every string is text
// (dom.js), images only from https: URLs. Answers, as Amazon's chat interface sends them (read in its
// source, src/utils/helper.js createInteractiveMessagePayload and the template components):
// - a pick in a ListPicker, Panel or QuickReply: text/plain, the element's title;
// - a "show more"/"previous options" button (element.actionDetail SHOW_MORE | PREVIOUS_OPTIONS):
//   interactive.response JSON {version, data: {actionName, preIndex, nextIndex, listId, templateType,
//   referenceId}, action} (the bot answers with the next page as a new message);
// - a pick in a Carousel card: text/plain JSON {templateIdentifier, listTitle, selectionText};
// - a TimePicker slot: text/plain, the slot's `date` (as offered: an instant the bot can parse);
// - a `type: "hyperlink"` element is a link and sends nothing.
// Titles are cut at its limits (400 characters, 200 for quick replies).

import { h } from './dom.js';
import { INTERACTIVE_RESPONSE } from './protocol.js';

const str = (value, max = 400) => (typeof value != 'string' ? '' : value.length > max ? value.slice(0, max) + '…' : value);
const list = (value) => (Array.isArray(value) ? value.slice(0, 99).filter((e) => e && typeof e == 'object') : []);
const https = (url) => /^https:\/\//i.test(url) && url;

/** An image only when its URL is https: (no tracking over http:, no javascript: or data: tricks). */
const image = (c) => https(c.imageData) && h('img', { src: c.imageData, alt: str(c.imageDescription), referrerpolicy: 'no-referrer' });

/** The template's frame: a group labelled by its title, with its image, title and subtitle. */
const frame = (c, ...children) =>
  h('div', { class: 'im', role: 'group', 'aria-label': str(c.title) || null }, image(c), str(c.title) && h('b', {}, str(c.title)),
    str(c.subtitle) && h('p', {}, str(c.subtitle)), ...children);

/** One option: a button named by its title (its subtitle describes it), or a hyperlink element's link. */
function option(e, answer, max) {
  const title = str(e.title, max);
  const sub = str(e.subtitle);
  return !title ? null : e.type == 'hyperlink'
    ? h(https(e.url) ? 'a' : 'span', { href: https(e.url), target: '_blank', rel: 'noopener noreferrer' }, title)
    : h('button', { type: 'button', 'aria-label': title, title: sub || null, onclick: (ev) => answer(e, ev.currentTarget) },
      image(e), h('b', {}, title), sub && h('small', {}, sub));
}

/** ListPicker and Panel (also a Carousel's cards, where `card` answers instead). */
function picker(c, send, templateType, card) {
  const { preIndex, nextIndex, listId, referenceId } = c;
  return frame(c, ...list(c.elements).map((e) => option(e, (e, button) => {
    const action = /^(SHOW_MORE|PREVIOUS_OPTIONS)$/.test(e.actionDetail) && e.actionDetail;
    send(button, card ? card(e, c)
      : action ? [JSON.stringify({ version: '1.0', data: { actionName: action, preIndex, nextIndex, listId, templateType, referenceId }, action }), INTERACTIVE_RESPONSE]
      : [e.title]);
  })));
}

const TEMPLATES = {
  ListPicker: picker,
  Panel: picker,
  QuickReply: (c, send) => frame(c, ...list(c.elements).map((e) => option(e, (e, button) => send(button, [e.title]), 200))),
  // Each offered slot in the panel's language and the customer's own time zone, earliest first.
  TimePicker: (c, send, _, lang) => frame(c, ...list(c.timeslots).map((s) => [new Date(s.date), s.date]).filter(([d, date]) => typeof date == 'string' && d > 0)
    .sort((a, b) => a[0] - b[0]).map(([d, date]) => h('button', { type: 'button', onclick: (ev) => send(ev.currentTarget, [date]) },
      d.toLocaleString(lang, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' })))),
  Carousel: (c, send) => frame(c, h('div', { class: 'cards' }, ...list(c.elements).filter((e) => /^(ListPicker|Panel)$/.test(e.templateType) && e.data?.content)
    .map((e) => picker(e.data.content, send, e.templateType, (choice, card) =>
      [JSON.stringify({ templateIdentifier: String(e.templateIdentifier || ''), listTitle: str(card.title), selectionText: choice.title })])))),
};

/** An interactive message's content (JSON text) as DOM. `pick([content, contentType])` sends the answer
 * (false: it could not); after it, every button of the message is disabled (one answer). Unknown or
 * malformed: its title as text, else `fallback`: never an empty bubble. `lang`: the panel's language. */
export function renderInteractive(json, pick, fallback, lang) {
  let m, root;
  try {
    m = JSON.parse(json);
  } catch {
    // not JSON: the fallback below
  }
  const c = m?.data?.content;
  if (!c || typeof c != 'object') return fallback;
  root = TEMPLATES[m.templateType]?.(c, (button, answer) => {
    if (pick(answer) === false) return; // not connected yet: the picker stays as it is
    for (const b of root.querySelectorAll('button')) b.disabled = true;
    button.classList.add('chosen');
  }, m.templateType, lang);
  return root?.querySelector('button,a') ? root : str(c.title) || fallback;
}

/** A customer's Carousel answer as the chat interface shows it: "Card title - choice"; else null. */
export function carouselChoice(text) {
  try {
    const { listTitle: a, selectionText: b, templateIdentifier: id } = JSON.parse(text);
    if ([a, b, id].every((s) => typeof s == 'string')) return `${a}${a.endsWith(':') ? '' : ' -'} ${b}`;
  } catch {
    // plain text
  }
  return null;
}
