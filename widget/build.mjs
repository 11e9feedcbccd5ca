// Builds dist/connect-chat.js (JS with its CSS, one file). Deterministic: the committed file must equal
// a fresh build of src/ (tests/browser/test_widget_build.py checks it).
// `node build.mjs OUTFILE` writes elsewhere (the test builds into a temporary file and compares).
import { build } from 'esbuild';

const outfile = process.argv[2] || 'dist/connect-chat.js';

await build({
  entryPoints: ['src/index.js'],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
  legalComments: 'none',
  charset: 'utf8',
  banner: { js: '/* <connect-chat> widget: built from widget/src by `npm run build` (do not edit) */' },
  logLevel: 'warning',
});
