// Packs what the GPU check needs into .gpu/nnlab-gpu.tgz, so that a lent GPU machine, which reaches no
// package registry and may have no Node.js, runs it from one carried file (docs/gpu.md):
//   bin/node                      this Node.js binary (Linux x64)
//   dist/gpu-check.cjs, bench.cjs bench/gpu-check.ts and bench/run.ts, bundled (tfjs included)
//   dist/worker, dist/wasm, dist/data   from `npm run build` (the product's worker, wasm binaries, MNIST)
//   bench/torch_peer.py           the benchmark's PyTorch peer
//   node_modules/webgpu           Dawn for Node, linux-x64 only (package.json, index.js, dawn.node)
//   node scripts/gpu/pack.mjs     (builds dist/ first when it is missing)
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const out = join(root, '.gpu');
const stage = join(out, 'stage');
if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`the GPU machine is Linux x64; this Node is ${process.platform}-${process.arch}`);
if (!existsSync(join(root, 'dist', 'worker', 'train.js'))) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const dawn = join(root, 'node_modules', 'webgpu');
if (!existsSync(join(dawn, 'dist', 'linux-x64', 'dawn.node'))) throw new Error('node_modules/webgpu (an optional dependency) is not installed: npm ci');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(stage, 'bin'), { recursive: true });
cpSync(process.execPath, join(stage, 'bin', 'node'));
for (const d of ['worker', 'wasm', 'data']) {
  cpSync(join(root, 'dist', d), join(stage, 'dist', d), { recursive: true, filter: (f) => !f.endsWith('.map') });
}
mkdirSync(join(stage, 'bench'), { recursive: true });
cpSync(join(root, 'bench', 'torch_peer.py'), join(stage, 'bench', 'torch_peer.py'));
const w = join(stage, 'node_modules', 'webgpu');
mkdirSync(join(w, 'dist', 'linux-x64'), { recursive: true });
for (const f of ['package.json', 'index.js', 'LICENSE.md']) cpSync(join(dawn, f), join(w, f));
cpSync(join(dawn, 'dist', 'linux-x64', 'dawn.node'), join(w, 'dist', 'linux-x64', 'dawn.node'));

// The two scripts as CommonJS bundles beside dist/worker: `root` (bench/run.ts) is the folder above,
// and loadMnist finds dist/data/mnist.bin.gz next to them.
await esbuild.build({
  entryPoints: { 'gpu-check': join(root, 'bench', 'gpu-check.ts'), bench: join(root, 'bench', 'run.ts') },
  outdir: join(stage, 'dist'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'],
  mainFields: ['module', 'main'],
  define: { 'import.meta.url': '__nnlab_module_url' },
  banner: { js: "const __nnlab_module_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'none',
});

execFileSync('tar', ['-czf', join(out, 'nnlab-gpu.tgz'), '-C', stage, '.']);
rmSync(stage, { recursive: true, force: true });
const mib = (p) => (statSync(p).size / 2 ** 20).toFixed(1);
console.log(`.gpu/nnlab-gpu.tgz: ${mib(join(out, 'nnlab-gpu.tgz'))} MiB (${readdirSync(out).length} file)`);
