// Translation: the translate function for a locale (strings.js holds the tables) and failures in plain words.

import { TABLES } from './strings.js';
import { ServiceError } from './protocol.js';

const RTL = new Set(['ar', 'he', 'fa', 'ur']);

/** A translate function for a locale ("ar-EG" falls back to "ar", then English) plus overrides. */
export function translator(locale = 'en', overrides = {}) {
  const lang = String(locale).toLowerCase().split(/[-_]/)[0];
  const table = { ...TABLES.en, ...TABLES[lang] };
  // Only string labels: a number or object from a site's JSON is ignored rather than breaking the widget.
  for (const [key, value] of Object.entries(overrides || {})) if (typeof value === 'string') table[key] = value;
  const t = (key, vars = {}) => (table[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? '');
  t.dir = RTL.has(lang) ? 'rtl' : 'ltr';
  t.lang = TABLES[lang] ? lang : 'en';
  return t;
}

/** A failure (a ServiceError, or anything else: a network failure) in plain words. */
export function describeError(t, error) {
  const status = error instanceof ServiceError ? error.status : 0;
  if (status === 400) return t('err400', { detail: error.message });
  if (status === 403 || status === 429 || status === 0) return t(`err${status}`);
  return t('err5xx');
}
