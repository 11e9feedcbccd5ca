// Build step for src/strings.js: translators edit one readable object per language; the bundle ships each
// language as one joined string, split at load time against one shared key list (the key names would
// otherwise be repeated for every language). test/packed-strings.test.js proves the tables are equal.
import { pathToFileURL } from 'node:url';

// A character no label may contain: the build fails rather than shift every later label by one.
const SEPARATOR = '|';

/** The source of a module exporting the same `TABLES` as the strings.js at `path`, packed. */
export async function packedStrings(path) {
  const { TABLES } = await import(pathToFileURL(path).href);
  const keys = Object.keys(TABLES.en);
  const langs = Object.entries(TABLES).map(([lang, table]) => {
    const values = keys.map((key) => {
      const value = table[key];
      if (typeof value !== 'string') throw new Error(`strings.js: ${lang}.${key} is missing`);
      if (value.includes(SEPARATOR)) throw new Error(`strings.js: ${lang}.${key} contains "${SEPARATOR}"`);
      return value;
    });
    if (Object.keys(table).length !== keys.length) throw new Error(`strings.js: ${lang} has keys English lacks`);
    return `${JSON.stringify(lang)}:unpack(${JSON.stringify(values.join(SEPARATOR))})`;
  });
  return [
    `const keys=${JSON.stringify(keys.join(SEPARATOR))}.split(${JSON.stringify(SEPARATOR)});`,
    `const unpack=(joined)=>Object.fromEntries(joined.split(${JSON.stringify(SEPARATOR)}).map((value,i)=>[keys[i],value]));`,
    `export const TABLES={${langs.join(',')}};`,
  ].join('\n');
}
