import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerLens, specLens, liveRunLens, lastRunLens, loss, networkChain } from '../../../src/core/explain';
import type { RunSummary } from '../../../src/protocol/training';
import { estimateMemory } from '../../../src/core/spec/shapes';
import { dense, makeSpec } from '../train/helpers';
import { dense24, dense24Shapes, dense41, dense41Shapes, dropout, dropoutShapes, flatten, flattenShapes, net241 } from './fixtures';

test('dense lens in the course notation (the issue\'s example string)', () => {
  assert.equal(layerLens(dense24, dense24Shapes, 'full'), 'x (B×2) · W (2×4) + b (1×4) → relu → (B×4) · 12 params');
  assert.equal(layerLens(dense41, dense41Shapes, 'full'), 'x (B×4) · W (4×1) + b (1×1) → sigmoid → (B×1) · 5 params');
});

test('dense lens without bias drops b, and one parameter is singular', () => {
  const layer = { ...dense41, units: 1, useBias: false, activation: { name: 'linear' as const } };
  const s = { ...dense41Shapes, inputShape: ['B' as const, 1], weightShape: [1, 1] as [number, number], biasShape: null, params: 1, activation: { name: 'linear' as const } };
  assert.equal(layerLens(layer, s, 'full'), 'x (B×1) · W (1×1) → linear → (B×1) · 1 param');
});

test('flatten and dropout lenses', () => {
  assert.equal(layerLens(flatten, flattenShapes, 'full'), '(B×3×3) → (B×9)');
  assert.equal(layerLens(dropout, dropoutShapes, 'full'), '(B×4) → dropout rate 0.5 (training only) → (B×4)');
});

test('compact lenses show the output shape only', () => {
  assert.equal(layerLens(dense24, dense24Shapes, 'compact'), '→ (B×4)');
  assert.equal(layerLens(flatten, flattenShapes, 'compact'), '→ (B×9)');
});

test('spec lens: chain, total params and the training-memory estimate', () => {
  // 2-4-1, sgd, batch 4, the 4 XOR samples: 2·68 B (weights + gradients) + 3·(2 + 4 + 1)·4·4 B activations
  // + 2·4·(2 + 1)·4 B data = 136 + 336 + 96 = 568 B (the README's formula)
  const spec = makeSpec({ input: [2], layers: [dense(4, 'relu'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4 });
  const memory = estimateMemory(spec, { batchSize: 4, samples: 4 });
  assert.deepEqual(memory, { batchSize: 4, samples: 4, paramBytes: 68, gradientBytes: 68, optimizerBytes: 0, activationBytes: 336, dataBytes: 96, total: 568 });
  assert.equal(networkChain([2], net241), '2 → 4 → 1');
  assert.equal(specLens([2], net241, memory, 'full'), '2 → 4 → 1 · 17 params (68 B) · training memory ≈ 568 B at batch 4');
  assert.equal(specLens([2], net241, memory, 'compact'), '17 params · 568 B');
});

test('spec lens of MNIST 784-128-10 (101,770 params) uses thousands separators and binary units', () => {
  const shapes = {
    batchSize: 64,
    layers: [
      { ...flattenShapes, inputShape: ['B' as const, 28, 28], outputShape: ['B' as const, 784] },
      { ...dense24Shapes, index: 1, inputShape: ['B' as const, 784], outputShape: ['B' as const, 128] },
      { ...dense41Shapes, index: 2, inputShape: ['B' as const, 128], outputShape: ['B' as const, 10] },
    ],
    totals: { params: 101770, macs: 101632, paramBytes: 407080, activationBytesPerBatch: 64 * (784 + 128 + 10) * 4 },
    outputShape: ['B' as const, 10],
  };
  const activationBytes = 784 * 64 * 4 + 2 * 236032;
  const memory = { batchSize: 64, samples: 0, paramBytes: 407080, gradientBytes: 407080, optimizerBytes: 0, activationBytes, dataBytes: 0, total: 2 * 407080 + activationBytes };
  assert.equal(memory.total, 1486928); // 1.418 MiB
  assert.equal(specLens([28, 28], shapes, memory, 'full'), '28×28 → 784 → 128 → 10 · 101,770 params (398 KiB) · training memory ≈ 1.42 MiB at batch 64');
});

const summary = (over: Partial<RunSummary> = {}): RunSummary => ({
  backend: { active: 'wasm', device: 'WebAssembly SIMD', skipped: [], reason: 'auto' },
  startedAt: '2026-11-25T21:00:00.000Z',
  finishedAt: '2026-11-25T21:00:04.100Z',
  elapsedMs: 4100,
  epochs: 500,
  steps: 500,
  finalLoss: 0.0008,
  bestLoss: 0.0008,
  stopReason: 'completed',
  ...over,
});

test('live training lens (the issue\'s example string) and paused', () => {
  assert.equal(liveRunLens({ phase: 'running', epoch: 37, epochs: 500, loss: 0.0213 }), 'Training… epoch 37/500 · loss 0.0213');
  assert.equal(liveRunLens({ phase: 'paused', epoch: 37, epochs: 500, loss: 0.0213 }), 'Paused at epoch 37/500 · loss 0.0213');
  assert.equal(liveRunLens({ phase: 'running', epoch: 0, epochs: 500 }), 'Training… epoch 0/500');
  assert.equal(liveRunLens({ phase: 'starting', epoch: 0, epochs: 500 }), 'Starting training…');
  // issue 13 item 5: "loss" is the epoch mean; the last batch's loss is only shown as "batch loss",
  // and only before the first epoch completes
  assert.equal(liveRunLens({ phase: 'running', epoch: 37, epochs: 500, loss: 0.0213, batchLoss: 2.07e-4 }), 'Training… epoch 37/500 · loss 0.0213');
  assert.equal(liveRunLens({ phase: 'running', epoch: 0, epochs: 500, batchLoss: 0.4012 }), 'Training… epoch 0/500 · batch loss 0.4012');
});

test('loss formatting: the issue\'s numbers, and never rounded up across a 0.001 target', () => {
  assert.equal(loss(0.0213), '0.0213');
  assert.equal(loss(0.0008), '0.0008');
  assert.equal(loss(0.000998), '0.000998');
  assert.equal(loss(0.00099), '0.00099');
  assert.equal(loss(2.3456), '2.346');
  assert.equal(loss(5e-6), '5.00e-6');
  assert.equal(loss(0), '0');
});

test('last run lens (the issue\'s example string), stopped, target reached, failed', () => {
  assert.equal(lastRunLens({ phase: 'finished', epoch: 500, epochs: 500, summary: summary() }), 'Last run: loss 0.0008 in 4.1 s (wasm)');
  assert.equal(
    lastRunLens({ phase: 'finished', epoch: 12, epochs: 500, summary: summary({ stopReason: 'stopped', epochs: 12, finalLoss: 0.1234, elapsedMs: 1000, backend: { active: 'cpu', device: 'CPU', skipped: [], reason: '' } }) }),
    'Last run (stopped after epoch 12/500): loss 0.1234 in 1.0 s (cpu)',
  );
  assert.equal(
    lastRunLens({ phase: 'finished', epoch: 212, epochs: 500, summary: summary({ stopReason: 'lossBelowTarget', lossTarget: 0.001, epochs: 212, finalLoss: 0.00099 }) }),
    'Last run (loss below target 0.001 after epoch 212/500): loss 0.00099 in 4.1 s (wasm)',
  );
  assert.equal(lastRunLens({ phase: 'failed', epoch: 3, epochs: 500, error: 'Loss became NaN at step 17:\nlearning rate too high?' }), 'Last run failed: Loss became NaN at step 17: learning rate too high?');
  assert.equal(lastRunLens({ phase: 'running', epoch: 3, epochs: 500 }), undefined);
});
