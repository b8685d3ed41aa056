// Backend selection said out loud: auto's choice by size with every skipped backend's reason, a named
// backend that cannot load is an error (no silent fallback), wasm binaries found on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AUTO_WASM_MIN_STEP_MACS, BackendLoadError, formatBackendReport, selectBackend } from '../../../src/core/train/select';
import { isBackendChoice } from '../../../src/core/train/backend';
import { findWasmDir } from '../../../src/core/train/backends/wasm';
import { cpus } from 'node:os';

test('auto: a tiny network runs on cpu, wasm skipped for its size; every preferred backend has a reason', async () => {
  const { backend, report } = await selectBackend('auto', { modulePaths: ['/nonexistent'], networkMacs: 48 });
  assert.equal(backend.name, 'cpu');
  assert.equal(backend.tf.getBackend(), 'cpu');
  assert.equal(report.active, 'cpu');
  assert.equal(report.reason, 'auto: small network (48 MACs per step) → cpu');
  assert.deepEqual(report.skipped.map((s) => s.backend), ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']);
  assert.equal(report.skipped.find((s) => s.backend === 'wasm')?.reason, `small network (48 MACs per step < ${AUTO_WASM_MIN_STEP_MACS.toLocaleString('en-US')}): pure JS has less per-operation overhead`);
  assert.match(report.skipped.find((s) => s.backend === 'tfjs-node')?.reason ?? '', /^not installed \(@tensorflow\/tfjs-node not found/);
  for (const s of report.skipped) assert.ok(s.reason.length > 5, `${s.backend} has a reason`);
  assert.equal(formatBackendReport(report)[0], 'backend: cpu — CPU (pure JavaScript) (auto: small network (48 MACs per step) → cpu)');
  // nnlab train: one line for the skipped backends; their reasons with --verbose
  assert.deepEqual(formatBackendReport(report, false), ['backend: cpu — CPU (pure JavaScript) (auto: small network (48 MACs per step) → cpu)', '  skipped tfjs-node-gpu, webgpu, tfjs-node, wasm (--verbose says why)']);
  assert.equal(formatBackendReport(report, true).length, 5);
});

test('auto: a network above the crossover runs on wasm (SIMD)', async () => {
  const { backend, report } = await selectBackend('auto', { modulePaths: [], networkMacs: 784 * 128 * 64 });
  assert.equal(backend.name, 'wasm');
  assert.equal(backend.tf.getBackend(), 'wasm');
  assert.equal(report.reason, `auto: network of ${(784 * 128 * 64).toLocaleString('en-US')} MACs per step ≥ ${AUTO_WASM_MIN_STEP_MACS.toLocaleString('en-US')} → wasm`);
  // 50,176 × 128 ≥ WASM_THREADS_MIN_STEP_MACS: XNNPACK on min(cores, 4) threads
  const cores = cpus().length;
  assert.equal(backend.device, cores > 1 ? `WebAssembly SIMD (XNNPACK, ${Math.min(cores, 4)} threads)` : 'WebAssembly SIMD (XNNPACK, 1 thread: one CPU core)');
});

test('a named backend that cannot load is an error naming the reason, not a fallback', async () => {
  await assert.rejects(selectBackend('tfjs-node', { modulePaths: ['/nonexistent'] }), (e: unknown) => e instanceof BackendLoadError && e.backend === 'tfjs-node' && /^backend tfjs-node cannot be used: not installed/.test(e.message));
});

test('wasm matmul with transposed operands (re-registered kernels) equals cpu', async () => {
  const c = (await selectBackend('cpu', { modulePaths: [] })).backend.tf;
  const a = [1, -2, 3, 4, 0.5, -6];
  const b = [7, 8, -9, 10, 11, 12.5];
  const results = async (): Promise<number[][]> => {
    const tf = (await selectBackend('wasm', { modulePaths: [] })).backend.tf;
    return tf.tidy(() => {
      const A = tf.tensor2d(a, [2, 3]);
      const B = tf.tensor2d(b, [2, 3]);
      return [
        Array.from(tf.matMul(A, B, false, true).dataSync()),
        Array.from(tf.matMul(A, B, true, false).dataSync()),
        Array.from(tf.fused.matMul({ a: A, b: B, transposeA: true, bias: tf.tensor1d([1, 2, 3]), activation: 'relu' }).dataSync()),
        Array.from(tf.matMul(tf.transpose(A), B, true, true).dataSync()),
      ];
    });
  };
  const w = await results();
  await c.setBackend('cpu');
  const ref = c.tidy(() => {
    const A = c.tensor2d(a, [2, 3]);
    const B = c.tensor2d(b, [2, 3]);
    return [
      Array.from(c.matMul(A, B, false, true).dataSync()),
      Array.from(c.matMul(A, B, true, false).dataSync()),
      Array.from(c.relu(c.add(c.matMul(A, B, true, false), c.tensor1d([1, 2, 3]))).dataSync()),
      Array.from(c.matMul(A, B, false, true).dataSync()),
    ];
  });
  assert.deepEqual(w, ref);
  assert.deepEqual(ref[0], [1 * 7 - 2 * 8 - 3 * 9, 1 * 10 + -2 * 11 + 3 * 12.5, 4 * 7 + 0.5 * 8 + 6 * 9, 4 * 10 + 0.5 * 11 - 6 * 12.5]);
});

test('isBackendChoice and findWasmDir', () => {
  assert.ok(isBackendChoice('auto') && isBackendChoice('wasm') && isBackendChoice('tfjs-node-gpu'));
  assert.ok(!isBackendChoice('gpu') && !isBackendChoice('tensorflow'));
  assert.match(findWasmDir({ modulePaths: [] }) ?? '', /(dist\/wasm|tfjs-backend-wasm\/dist)$/);
});
