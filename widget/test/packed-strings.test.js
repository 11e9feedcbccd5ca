// The label tables the bundle ships (packed by packed-strings.mjs at build time) equal src/strings.js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packedStrings } from '../packed-strings.mjs';
import { TABLES } from '../src/strings.js';

const source = fileURLToPath(new URL('../src/strings.js', import.meta.url));

test('the packed tables equal the source tables, key for key and language for language', async () => {
  const code = await packedStrings(source);
  const packed = await import(`data:text/javascript,${encodeURIComponent(code)}`);
  assert.deepEqual(packed.TABLES, TABLES);
  assert.deepEqual(Object.keys(packed.TABLES.es), Object.keys(TABLES.en));
});

test('a label containing the separator fails the build instead of shifting the labels after it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'strings-'));
  const path = join(dir, 'strings.js');
  await writeFile(path, "export const TABLES = { en: { a: 'x', b: 'y' }, es: { a: 'x|z', b: 'y' } };\n");
  await assert.rejects(packedStrings(path), /es\.a contains "\|"/);
  await writeFile(join(dir, 'gap.js'), "export const TABLES = { en: { a: 'x', b: 'y' }, es: { a: 'x' } };\n");
  await assert.rejects(packedStrings(join(dir, 'gap.js')), /es\.b is missing/);
});
