// Builds the two browser bundles, each one deterministic file: dist/connect-chat.js (the widget, JS with
// its CSS) and ../sandbox/agents/workspace/dist/agent-workspace.js (the sandbox's agent workspace, which
// imports the widget's protocol client, markdown renderer and timers: one source, bundled twice).
// The committed files must equal a fresh build (tests/browser/test_widget_build.py and
// tests/browser/test_agent_workspace_build.py check it).
//   node build.mjs                          both, to their committed places
//   node build.mjs OUTFILE                  the widget only, to OUTFILE
//   node build.mjs --workspace OUTFILE      the workspace only, to OUTFILE
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { build, transform } from 'esbuild';
import { minify } from 'terser';
import { packedStrings } from './packed-strings.mjs';

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

// Private names end in an underscore (`this.transcript_`): esbuild shortens them, the same way on every
// build. Public names (the element's attributes and methods, the parts the workspace shares, stored
// data, the wire protocol) never end in one.
// The widget's label tables ship packed (packed-strings.mjs says how); the source stays readable.
const packedLabels = {
  name: 'packed-labels',
  setup(b) {
    b.onLoad({ filter: /[\\/]widget[\\/]src[\\/]strings\.js$/ }, async ({ path }) => ({
      contents: await packedStrings(path),
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  mangleProps: /_$/,
  minify: true,
  format: 'iife',
  target,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [minifiedCss, packedLabels],
};

// esbuild bundles and minifies; terser then compresses further (it inlines and merges more than esbuild
// does: about 300 bytes gzipped off the widget). Both are deterministic, and the banner goes on last.
async function bundle(entry, outfile, banner) {
  const { outputFiles } = await build({ ...common, entryPoints: [entry], write: false });
  const { code } = await minify(outputFiles[0].text, {
    ecma: 2020,
    toplevel: true,
    compress: { passes: 3 },
    mangle: { toplevel: true },
    format: { comments: false },
  });
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile, `${banner}\n${code}\n`);
}

const widget = (outfile) =>
  bundle('src/index.js', outfile, '/* <connect-chat>, built from widget/src: do not edit */');

const workspace = (outfile) =>
  bundle(
    '../sandbox/agents/workspace/src/index.js',
    outfile,
    '/* agent workspace: built from sandbox/agents/workspace/src by `npm run build` in widget/ (do not edit) */',
  );

const [first, second] = process.argv.slice(2);
if (first === '--workspace') await workspace(second || '../sandbox/agents/workspace/dist/agent-workspace.js');
else if (first) await widget(first);
else await Promise.all([widget('dist/connect-chat.js'), workspace('../sandbox/agents/workspace/dist/agent-workspace.js')]);
