// One memory estimator (issue 12, item 14): the editor's NN401 and the trainer's refusal use the same
// estimate, so at the limit they say the same thing: a spec that the editor says fits, trains; one
// byte less and both refuse, with the same words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec } from '../../../src/core/spec';
import { estimateMemory } from '../../../src/core/spec/shapes';
import { loadData } from '../../../src/core/data';
import { cpuBackend } from '../../../src/core/train/backends/cpu';
import { Trainer, TrainingError } from '../../../src/core/train/trainer';

const specs: Record<string, object> = {
  // "full" batch with a validation split: the batch is the 160 training rows of 200
  'circle, full batch, split': {
    version: 1,
    name: 'circle',
    input: { shape: [2] },
    layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 1, activation: 'sigmoid' }],
    loss: 'binaryCrossentropy',
    optimizer: { type: 'adam', learningRate: 0.01 },
    training: { epochs: 1, batchSize: 'full', validationSplit: 0.2 },
    data: { type: 'generator', name: 'circle', samples: 200 },
  },
  // a 3×3 input through flatten, momentum, batch 5 of 12 inline samples
  'inline 3×3, momentum': {
    version: 1,
    name: 'img',
    input: { shape: [3, 3] },
    layers: [{ type: 'flatten' }, { type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 2, activation: 'softmax' }],
    loss: 'categoricalCrossentropy',
    optimizer: { type: 'momentum', learningRate: 0.1 },
    training: { epochs: 1, batchSize: 5 },
    data: {
      type: 'inline',
      x: Array.from({ length: 12 }, (_, i) => [[i, 0, 1], [0, 1, 0], [1, 0, i % 2]]),
      y: Array.from({ length: 12 }, (_, i) => (i % 2 ? [0, 1] : [1, 0])),
    },
  },
};

for (const [what, json] of Object.entries(specs)) {
  test(`memory limit at the boundary, editor and trainer agree: ${what}`, async () => {
    const text = JSON.stringify(json);
    const a = analyzeSpec(text);
    assert.deepEqual(a.problems, []);
    const est = a.memory!;
    const spec = a.spec!;
    const data = await loadData(spec, '/nowhere/x.nn.json');
    const backend = await cpuBackend.load({ modulePaths: [] });
    // the trainer's batch and sample count are the editor's
    const t = new Trainer({ backend, spec, data, memoryLimitMB: est.total / 2 ** 20 });
    assert.equal(t.batchSize, est.batchSize);
    assert.equal(data.xShape[0], est.samples);
    t.dispose();
    assert.deepEqual(estimateMemory(spec, { batchSize: t.batchSize, samples: data.xShape[0] }), est);
    // exactly at the limit: fits in both
    assert.equal(analyzeSpec(text, { memoryLimitBytes: est.total }).problems.length, 0);
    // one byte (a float) under it: both refuse, in the same words
    const under = est.total - 4;
    const nn401 = analyzeSpec(text, { memoryLimitBytes: under }).problems.find((p) => p.code === 'NN401');
    assert.ok(nn401, 'the editor refuses');
    assert.throws(
      () => new Trainer({ backend, spec, data, memoryLimitMB: under / 2 ** 20 }),
      (e: unknown) => e instanceof TrainingError && e.code === 'memory' && e.message === nn401.message,
    );
  });
}

test('the estimate, by the README formula', () => {
  const a = analyzeSpec(JSON.stringify(specs['circle, full batch, split']));
  // params 2·8 + 8 + 8·1 + 1 = 33 → 132 B; adam: 2 slots; batch 160 (200 − 40 held out)
  // activations 3 × (2 + 8 + 8 (dropout) + 1) × 160 × 4 B; data 2 × 200 × (2 + 1) × 4 B
  assert.deepEqual(a.memory, { batchSize: 160, samples: 200, paramBytes: 132, gradientBytes: 132, optimizerBytes: 264, activationBytes: 36480, dataBytes: 4800, total: 41808 });
});
