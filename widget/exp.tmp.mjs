import { build, transform } from 'esbuild';
import { minify } from 'terser';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { packedStrings } from './packed-strings.mjs';
const target = ['es2022', 'chrome100', 'firefox100', 'safari15.4'];
const plugins = [{ name: 'm', setup(b) { b.onLoad({ filter: /\.css$/ }, async ({ path }) => {
  const { code } = await transform(await readFile(path, 'utf8'), { loader: 'css', minify: true, target });
  return { contents: code.trim(), loader: 'text' }; });
  b.onLoad({ filter: /strings\.js$/ }, async ({ path }) => ({ contents: await packedStrings(path), loader: 'js' })); } }];
const py = (s) => { writeFileSync('/tmp/x.js', s); return execFileSync('python3', ['-c', "import gzip;d=open('/tmp/x.js','rb').read();print(len(gzip.compress(d,9,mtime=0)))"]).toString().trim(); };
const r = await build({ bundle: true, mangleProps: /_$/, minify: true, format: 'iife', target, legalComments: 'none', charset: 'utf8', plugins, entryPoints: ['src/index.js'], write: false });
const code = r.outputFiles[0].text;
const variants = {
  base: {},
  wrap: { format: { comments: false, wrap_func_args: false } },
  hoist: { compress: { passes: 3, hoist_funs: true } },
  noinline: { compress: { passes: 3, inline: 1 } },
  unsafe: { compress: { passes: 3, unsafe: true } },
  arrows: { compress: { passes: 3, arrows: true, unsafe_arrows: true } },
  seq: { compress: { passes: 3, sequences: false } },
  p5: { compress: { passes: 5 } },
  ecma: { ecma: 2022, compress: { passes: 3, ecma: 2022 } },
  nocompress: { compress: false },
};
for (const [k, v] of Object.entries(variants)) {
  const t = await minify(code, { ecma: 2020, toplevel: true, compress: { passes: 3 }, mangle: { toplevel: true }, format: { comments: false }, ...v });
  console.log(k, py(t.code));
}
