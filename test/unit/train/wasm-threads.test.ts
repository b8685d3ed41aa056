// The wasm backend on several XNNPACK threads (src/core/train/backends/wasm.ts): the size policy, the
// same numbers as the single-thread build, and processes that end by themselves (from source and from
// the bundle). Speed is `npm run bench`'s business, not a test's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../../../src/core/train/select';
import { planWasmThreads, WASM_MAX_THREADS, WASM_THREADS_MIN_BATCH, WASM_THREADS_MIN_STEP_MACS, WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS } from '../../../src/core/train/backends/wasm';
import { Trainer } from '../../../src/core/train/trainer';
import { mulberry32, gaussian } from '../../../src/core/train/random';
import { dense, makeSpec } from './helpers';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('thread policy: min(cores, 4) from WASM_THREADS_MIN_STEP_MACS up (WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS with few rows per step), one thread below it, with the reason', () => {
  const big = WASM_THREADS_MIN_STEP_MACS;
  assert.deepEqual(planWasmThreads({ macs: big, cores: 2, sharedMemory: true }), { threads: 2, reason: '2 threads' });
  assert.deepEqual(planWasmThreads({ macs: big, cores: 16, sharedMemory: true }), { threads: WASM_MAX_THREADS, reason: '4 threads' });
  assert.deepEqual(planWasmThreads({ cores: 3, sharedMemory: true }), { threads: 3, reason: '3 threads' }, 'unknown size counts as large');
  assert.deepEqual(planWasmThreads({ macs: 1_000, cores: 8, sharedMemory: true }), {
    threads: 1,
    reason: `1 thread: small network (1,000 MACs per step < ${big.toLocaleString('en-US')}), threads cost more than they save`,
  });
  // fewer rows per step than WASM_THREADS_MIN_BATCH: threads only from the larger threshold
  assert.deepEqual(planWasmThreads({ macs: big, batch: WASM_THREADS_MIN_BATCH, cores: 2, sharedMemory: true }), { threads: 2, reason: '2 threads' });
  assert.deepEqual(planWasmThreads({ macs: big, batch: 16, cores: 2, sharedMemory: true }), {
    threads: 1,
    reason: `1 thread: small network (${big.toLocaleString('en-US')} MACs per step < ${WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS.toLocaleString('en-US')} at 16 rows per step), threads cost more than they save`,
  });
  assert.deepEqual(planWasmThreads({ macs: WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS, batch: 16, cores: 2, sharedMemory: true }), { threads: 2, reason: '2 threads' });
  assert.deepEqual(planWasmThreads({ macs: big, cores: 1, sharedMemory: true }), { threads: 1, reason: '1 thread: one CPU core' });
  assert.deepEqual(planWasmThreads({ macs: big, cores: 8, sharedMemory: false }), { threads: 1, reason: '1 thread: SharedArrayBuffer is not available here' });
  assert.deepEqual(planWasmThreads({ macs: 10, cores: 2, requested: 3, sharedMemory: true }), { threads: 3, reason: '3 threads: requested' });
  assert.deepEqual(planWasmThreads({ macs: big, cores: 8, requested: 1, sharedMemory: true }), { threads: 1, reason: '1 thread: requested' });
  assert.deepEqual(planWasmThreads({ macs: big, cores: 2, requested: 0, sharedMemory: true }), { threads: 2, reason: '2 threads' }, 'a nonsense request is ignored');
});

/** 12 Adam steps of 96-160-80-10 on seeded data: every step's loss and the final weights' bits. */
async function run(threads: number): Promise<{ device: string; losses: number[]; weights: number[] }> {
  const { backend } = await selectBackend('wasm', { modulePaths: [], wasmThreads: threads });
  const spec = makeSpec({ input: [96], layers: [dense(160, 'relu'), dense(80, 'tanh'), dense(10, 'softmax')], loss: 'categoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, epochs: 3, batchSize: 64, seed: 7 });
  const rng = mulberry32(3);
  const n = 256;
  const x = Float32Array.from({ length: n * 96 }, () => gaussian(rng));
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + Math.floor(rng() * 10)] = 1;
  const losses: number[] = [];
  const t = new Trainer({ backend, spec, data: { x, xShape: [n, 96], y, yShape: [n, 10] }, onRow: (r) => r.kind === 'step' && losses.push(r.loss) });
  await t.run();
  const weights = (await t.weightsAsync()).flatMap((l) => [...l.W.flat(), ...(l.b ?? [])]);
  t.dispose();
  return { device: backend.device, losses, weights };
}

test('same seed, same numbers on 1, 2 and 4 threads (XNNPACK splits a matmul by output tiles, never a sum)', async () => {
  const one = await run(1);
  assert.match(one.device, /^WebAssembly SIMD \(XNNPACK, 1 thread: requested\)$/);
  assert.equal(one.losses.length, 12);
  for (const threads of [2, 4]) {
    const r = await run(threads);
    assert.equal(r.device, `WebAssembly SIMD (XNNPACK, ${threads} threads: requested)`);
    assert.deepEqual(r.losses, one.losses, `losses on ${threads} threads`);
    assert.deepEqual(r.weights, one.weights, `weights on ${threads} threads`);
  }
  // and back to the single-thread build in the same process
  assert.deepEqual((await run(1)).weights, one.weights);
});

/** A process that trains on 2 wasm threads must end by itself (XNNPACK's idle threads hold no ref). */
function endsByItself(args: string[], env: NodeJS.ProcessEnv): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('a threaded run from source ends by itself', () => {
  const code = `const { selectBackend } = require('./src/core/train/select.ts'); (async () => { const { backend } = await selectBackend('wasm', { modulePaths: [], networkMacs: 1e9 }); const tf = backend.tf; const s = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync()[0]; console.log(backend.device, s); })();`;
  const r = endsByItself(['--import', 'tsx', '-e', code], { NNLAB_WASM_THREADS: '2' });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /WebAssembly SIMD \(XNNPACK, 2 threads: requested\) 64/);
});

test('the bundle trains on 2 threads from dist/wasm and the CLI exits', { skip: !existsSync(join(root, 'dist/cli.js')) && 'needs `npm run build`' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-threads-'));
  try {
    const rows = Array.from({ length: 16 }, (_, i) => Array.from({ length: 32 }, (_, j) => ((i * 7 + j) % 5) / 5));
    const spec = { version: 1, name: 'th', input: { shape: [32] }, layers: [{ type: 'dense', units: 64, activation: 'relu' }, { type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, training: { epochs: 2, batchSize: 8, seed: 1 }, data: { type: 'inline', x: rows, y: rows.map((r) => [r[0] > 0.4 ? 1 : 0]) } };
    writeFileSync(join(dir, 'th.nn.json'), JSON.stringify(spec));
    const r = endsByItself([join(root, 'dist/cli.js'), 'train', join(dir, 'th.nn.json'), '--backend', 'wasm', '--json'], { NNLAB_WASM_THREADS: '2' });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /"device":"WebAssembly SIMD \(XNNPACK, 2 threads: requested\)"/);
    assert.match(r.out, /"stopReason":"completed"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a threaded build that does not start falls back to the single-thread one, says why, and the process still ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-wasm-broken-'));
  try {
    copyFileSync(join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'), join(dir, 'tfjs-backend-wasm-simd.wasm'));
    writeFileSync(join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'), 'not a wasm module');
    const code = `const { selectBackend } = require('./src/core/train/select.ts'); (async () => { const { backend } = await selectBackend('wasm', { modulePaths: [], wasmDir: ${JSON.stringify(dir)}, networkMacs: 1e9 }); const tf = backend.tf; console.log(backend.device, tf.matMul(tf.ones([3, 4]), tf.ones([4, 2])).dataSync()[0]); })();`;
    const r = endsByItself(['--import', 'tsx', '-e', code], { NNLAB_WASM_THREADS: '2' });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /WebAssembly SIMD \(XNNPACK, 1 thread: the threaded build did not start \(WebAssembly\.instantiate\(\): expected magic word .*\)\) 4\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
