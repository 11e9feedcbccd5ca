// Builds dist/connect-chat.js (JS with its CSS, one file). Deterministic: the committed file must equal
// a fresh build of src/ (tests/browser/test_widget_build.py checks it).
// `node build.mjs OUTFILE` writes elsewhere (the test builds into a temporary file and compares).
import { readFile } from 'node:fs/promises';
import { build, transform } from 'esbuild';

const outfile = process.argv[2] || 'dist/connect-chat.js';
const target = ['es2022', 'chrome100', 'firefox100', 'safari15.4'];

// src/styles.css goes into the shadow root as a string: esbuild's own CSS minifier shrinks it first
// (a plain text import would ship its comments and whitespace).
const minifiedCss = {
  name: 'minified-css',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async ({ path }) => {
      const { code } = await transform(await readFile(path, 'utf8'), { loader: 'css', minify: true, target });
      return { contents: code.trim(), loader: 'text' };
    });
  },
};

await build({
  entryPoints: ['src/index.js'],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  target,
  legalComments: 'none',
  charset: 'utf8',
  banner: { js: '/* <connect-chat>, built from widget/src: do not edit */' },
  logLevel: 'warning',
  plugins: [minifiedCss],
});
