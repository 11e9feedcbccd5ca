// Interactive messages as one line of plain text for the agent: the question and what the customer could
// pick ("What is your chat about? — Options: Billing · Orders"), and a customer's interactive response as
// the option chosen. The agent reads the conversation; answering the template is the customer's widget's
// job. Content comes from a bot (or a customer): only strings found where the templates keep them are
// shown, and the caller puts the result in a text node.

const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';
const INTERACTIVE_RESPONSE = `${INTERACTIVE}.response`;

const NEUTRAL = 'Interactive message';
const NEUTRAL_RESPONSE = 'Interactive response';
const MAX_OPTIONS = 20; // a hostile template must not flood the transcript
const MAX_TEXT = 200; // per shown string

const text = (value) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, MAX_TEXT) : '');

function parse(content) {
  try {
    const parsed = JSON.parse(String(content ?? ''));
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

const contentOf = (template) => (template?.data?.content && typeof template.data.content === 'object' ? template.data.content : {});

/** The pickable options of a template: element titles (a Carousel's cards by their titles), or time slots. */
function options(template, content) {
  const list = Array.isArray(content.timeslots) ? content.timeslots : Array.isArray(content.elements) ? content.elements : [];
  return list.slice(0, MAX_OPTIONS).map((element) => {
    if (template.templateType === 'TimePicker') return text(element?.date);
    return text(element?.title) || text(contentOf(element).title);
  }).filter(Boolean);
}

/** An `…message.interactive` message as text; malformed or untitled content gives a neutral label. */
function interactiveText(content) {
  const template = parse(content);
  if (!template) return NEUTRAL;
  const body = contentOf(template);
  const title = text(body.title) || NEUTRAL;
  const picks = options(template, body);
  return picks.length ? `${title} — Options: ${picks.join(' · ')}` : title;
}

/** An `…message.interactive.response` as text: the option the customer chose. */
function interactiveResponseText(content) {
  const response = parse(content);
  const data = response?.data && typeof response.data === 'object' ? response.data : {};
  const body = contentOf(response);
  const chosen = text(body.selectedElement?.title) || text(body.title) || text(data.title) || text(data.elementId);
  return chosen ? `Chose: ${chosen}` : NEUTRAL_RESPONSE;
}

/** Whether a chat item is an interactive message or response. */
export const isInteractive = (item) => item.ContentType === INTERACTIVE || item.ContentType === INTERACTIVE_RESPONSE;

/** The text an interactive item reads as. */
export const interactiveAsText = (item) =>
  item.ContentType === INTERACTIVE ? interactiveText(item.Content) : interactiveResponseText(item.Content);
