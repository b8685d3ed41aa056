// The prove-itself check against real tfjs backends: a correct copy of the CPU backend, one whose matMul
// multiplies in the wrong order, one that never answers, and (when the optional webgpu package is
// installed) Dawn's real `backend=null` adapter, which loads fine and computes garbage.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailable } from '../../../src/core/train/backend';
import { PROOF_MATMUL, PROOF_MATMUL_BT, PROOF_RELU_SUM, proveBackend, requireProof } from '../../../src/core/train/prove';
import { createWebgpuCandidate } from '../../../src/core/train/backends/webgpu';
import { resolveOptionalPackage } from '../../../src/core/train/detect';

const { registerCpuCopy } = createRequire(__filename)('./fixtures/lib/cpuCopy.js') as {
  registerCpuCopy(name: string, o?: { wrongMatMul?: boolean }): typeof tf;
};

const repo = join(__dirname, '..', '..', '..');

after(async () => {
  for (const n of ['nnlab-test-right', 'nnlab-test-wrong', 'nnlab-test-hang']) if (tf.findBackendFactory(n)) tf.removeBackend(n);
  await tf.setBackend('cpu');
});

test('the known answers are right (checked by hand: 1·5+2·7 = 19, …)', () => {
  assert.deepEqual(PROOF_MATMUL, [1 * 5 + 2 * 7, 1 * 6 + 2 * 8, 3 * 5 + 4 * 7, 3 * 6 + 4 * 8]);
  assert.deepEqual(PROOF_MATMUL_BT, [1 * 5 + 2 * 6, 1 * 7 + 2 * 8, 3 * 5 + 4 * 6, 3 * 7 + 4 * 8]);
  assert.equal(PROOF_RELU_SUM, PROOF_MATMUL.map((x) => Math.max(0, x - 30)).reduce((a, b) => a + b, 0));
});

test('a correct backend (the CPU kernels under another name) is accepted with the exact numbers', async () => {
  registerCpuCopy('nnlab-test-right');
  const r = await proveBackend(tf, 'nnlab-test-right');
  assert.equal(r.ok, true, r.reason);
  assert.equal(r.ranOn, 'nnlab-test-right');
  assert.deepEqual(r.matMul, [19, 22, 43, 50]);
  assert.equal(r.reluSum, 33);
  assert.deepEqual(r.matMulBT, [17, 23, 39, 53]);
  assert.equal(r.reason, undefined);
});

test('a backend whose matMul computes b·a is rejected, with the wrong numbers in the reason', async () => {
  registerCpuCopy('nnlab-test-wrong', { wrongMatMul: true });
  const r = await proveBackend(tf, 'nnlab-test-wrong');
  assert.equal(r.ok, false);
  assert.deepEqual(r.matMul, [23, 34, 31, 46]);
  assert.equal(
    r.reason,
    'computation gave wrong numbers: [[1,2],[3,4]]·[[5,6],[7,8]] gave [23, 34, 31, 46] instead of [19, 22, 43, 50]; ' +
      'sum(relu(product − 30)) gave [21] instead of 33; ' +
      '[[1,2],[3,4]]·[[5,6],[7,8]]ᵀ gave [17, 39, 23, 53] instead of [17, 23, 39, 53]',
  );
  await assert.rejects(requireProof(tf, 'nnlab-test-wrong', 'webgpu'), (e: unknown) => {
    assert.ok(e instanceof BackendUnavailable);
    assert.equal(e.backend, 'webgpu');
    assert.match(e.reason, /^computation gave wrong numbers: /);
    return true;
  });
});

test('a backend that never answers is rejected after the time-out', async () => {
  class Hanging extends MathBackendCPU {
    override read(): Promise<never> {
      return new Promise(() => {});
    }
  }
  tf.registerBackend('nnlab-test-hang', () => new Hanging(), 0);
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'nnlab-test-hang' });
  const r = await proveBackend(tf, 'nnlab-test-hang', { timeoutMs: 150 });
  assert.equal(r.ok, false);
  assert.equal(r.reason, 'did not answer a 2×2 matrix product within 150 ms');
  assert.ok(r.ms >= 140 && r.ms < 5000, `took ${r.ms} ms`);
});

test('a backend tfjs cannot activate is rejected, not silently replaced', async () => {
  const r = await proveBackend(tf, 'nnlab-test-not-registered');
  assert.equal(r.ok, false);
  assert.equal(r.reason, "could not be initialised: Backend name 'nnlab-test-not-registered' not found in registry");
  // a factory that throws (as WebGPUBackend's constructor does without navigator.gpu): setBackend → false
  tf.registerBackend('nnlab-test-throws', () => {
    throw new Error('WebGPU is not supported on this device');
  });
  const t = await proveBackend(tf, 'nnlab-test-throws');
  assert.equal(t.reason, 'could not be initialised (tfjs setBackend("nnlab-test-throws") failed)');
  tf.removeBackend('nnlab-test-throws');
});

const dawn = resolveOptionalPackage('webgpu', [repo], false);
test("Dawn's backend=null adapter loads, computes garbage and is rejected by the proof (real dawn.node)", { skip: dawn ? false : 'optional package webgpu not installed' }, async () => {
  const candidate = createWebgpuCandidate({ dawnFlags: ['backend=null'], ownNodeModules: false });
  await assert.rejects(candidate.load({ modulePaths: [repo] }), (e: unknown) => {
    assert.ok(e instanceof BackendUnavailable);
    assert.equal(e.backend, 'webgpu');
    assert.match(e.reason, /^computation gave wrong numbers: \[\[1,2\],\[3,4\]\]·\[\[5,6\],\[7,8\]\] gave \[[^\]]*\] instead of \[19, 22, 43, 50\]/);
    return true;
  });
  // the rejected backend is gone: nothing can fall onto it later
  assert.equal(tf.findBackendFactory('webgpu'), null);
  assert.equal(await tf.setBackend('cpu'), true);
});
