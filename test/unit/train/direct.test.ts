// The cpu backend's direct step (src/core/train/direct.ts: tfjs's kernels without its engine) against
// the tfjs path it replaces: for every combination it covers (hidden activation × output and loss ×
// optimizer, shuffled batches with a short last one, the whole set as one batch, rows in order, a
// flattened image input, a layer without bias, validation and accuracy), the same metrics rows and the
// same final weights, bit for bit; what it does not cover says why and trains on the tfjs path; and it
// leaves no tensor behind in the backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivationName, LossName, NetworkSpec, Optimizer } from '../../../src/core/spec/types';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer, type MetricsRow, type TrainData } from '../../../src/core/train/trainer';
import { mulberry32, gaussian } from '../../../src/core/train/random';
import { dense, makeSpec } from './helpers';

const cpu = async () => (await selectBackend('cpu', { modulePaths: [] })).backend;

function data(n: number, inputs: number, k: number, seed: number, kind: 'onehot' | 'binary' | 'real'): TrainData {
  const rng = mulberry32(seed);
  const x = Float32Array.from({ length: n * inputs }, () => gaussian(rng));
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    if (kind === 'onehot') y[i * k + Math.floor(rng() * k)] = 1;
    else for (let j = 0; j < k; j++) y[i * k + j] = kind === 'binary' ? (x[i * inputs + j] * x[i * inputs] > 0 ? 1 : 0) : Math.sin(3 * x[i * inputs + j]);
  }
  return { x, xShape: [n, inputs], y, yShape: [n, k] };
}

async function train(spec: NetworkSpec, d: TrainData, direct: boolean): Promise<{ rows: MetricsRow[]; weights: number[]; why?: string }> {
  const rows: MetricsRow[] = [];
  const t = new Trainer({ backend: await cpu(), spec, data: d, directStep: direct, onRow: (r) => rows.push({ ...r, elapsedMs: 0 }) });
  await t.run();
  const weights = t.weights().flatMap((l) => [...l.W.flat(), ...(l.b ?? [])]);
  const why = t.directStepUnsupported;
  t.dispose();
  return { rows, weights, why };
}

const OPTIMIZERS: Optimizer[] = [
  { type: 'sgd', learningRate: 0.1 },
  { type: 'momentum', learningRate: 0.05, momentum: 0.9 },
  { type: 'adam', learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
];
const OUTPUTS: { act: ActivationName; loss: LossName; k: number; y: 'onehot' | 'binary' | 'real' }[] = [
  { act: 'linear', loss: 'mse', k: 2, y: 'real' },
  { act: 'sigmoid', loss: 'mse', k: 1, y: 'binary' },
  { act: 'tanh', loss: 'mse', k: 2, y: 'real' },
  { act: 'relu', loss: 'mse', k: 1, y: 'real' },
  { act: 'sigmoid', loss: 'binaryCrossentropy', k: 2, y: 'binary' },
  { act: 'softmax', loss: 'categoricalCrossentropy', k: 3, y: 'onehot' },
];
const HIDDEN: ActivationName[] = ['linear', 'relu', 'sigmoid', 'tanh'];

test('direct step = tfjs path, bit for bit: every hidden activation × output/loss × optimizer (shuffled batches of 7 of 40, validation 0.2)', async () => {
  let n = 0;
  for (const h of HIDDEN) {
    for (const o of OUTPUTS) {
      for (const opt of OPTIMIZERS) {
        const spec = makeSpec({ input: [3], layers: [dense(5, h), dense(4, 'tanh'), dense(o.k, o.act)], loss: o.loss, optimizer: opt, epochs: 3, batchSize: 7, seed: 11 + n, validationSplit: 0.2 });
        const d = data(40, 3, o.k, 100 + n, o.y);
        const a = await train(spec, d, true);
        const b = await train(spec, d, false);
        const what = `${h} hidden, ${o.act} + ${o.loss}, ${opt.type}`;
        assert.equal(a.why, undefined, `${what}: takes the direct step`);
        assert.equal(b.why, 'turned off');
        assert.equal(a.rows.length, 3 * Math.ceil(32 / 7) + 3, what);
        assert.deepEqual(a.rows, b.rows, `${what}: metrics rows`);
        assert.deepEqual(a.weights, b.weights, `${what}: final weights`);
        if (o.loss !== 'mse') assert.ok(a.rows.some((r) => r.kind === 'epoch' && r.accuracy !== undefined), `${what}: accuracy counted`);
        n++;
      }
    }
  }
  assert.equal(n, 72);
});

test('direct step = tfjs path: the whole set as one batch, rows in order, a flattened [2,3] input, a layer without bias', async () => {
  const cases: { name: string; spec: NetworkSpec; d: TrainData }[] = [
    { name: 'full batch (XOR-like, Adam)', spec: makeSpec({ input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: OPTIMIZERS[2], epochs: 40, batchSize: 'full', seed: 42 }), d: data(4, 2, 1, 1, 'binary') },
    { name: 'in order, batch 6 of 20', spec: makeSpec({ input: [4], layers: [dense(6, 'relu'), dense(3, 'softmax')], loss: 'categoricalCrossentropy', optimizer: OPTIMIZERS[1], epochs: 4, batchSize: 6, seed: 2, shuffle: false }), d: data(20, 4, 3, 2, 'onehot') },
    {
      name: 'flatten [2,3], no bias on the hidden layer',
      spec: makeSpec({ input: [2, 3], layers: [{ type: 'flatten' }, dense(5, 'sigmoid', { type: 'glorot' }, { useBias: false }), dense(2, 'linear')], loss: 'mse', optimizer: OPTIMIZERS[0], epochs: 3, batchSize: 5, seed: 3 }),
      d: ((): TrainData => ({ ...data(17, 6, 2, 3, 'real'), xShape: [17, 2, 3] }))(),
    },
  ];
  for (const c of cases) {
    const a = await train(c.spec, c.d, true);
    const b = await train(c.spec, c.d, false);
    assert.equal(a.why, undefined, `${c.name}: takes the direct step`);
    assert.deepEqual(a.rows, b.rows, `${c.name}: metrics rows`);
    assert.deepEqual(a.weights, b.weights, `${c.name}: final weights`);
  }
});

test('what the direct step does not cover trains on the tfjs path and says why', async () => {
  const { directStepSupport } = await import('../../../src/core/train/direct');
  const base = { loss: 'mse' as const, optimizer: OPTIMIZERS[0], epochs: 1, batchSize: 2 };
  assert.equal(directStepSupport(makeSpec({ ...base, input: [2], layers: [dense(3, 'tanh'), { type: 'dropout', rate: 0.5 }, dense(1, 'linear')] }), 'cpu', false), 'dropout');
  assert.equal(directStepSupport(makeSpec({ ...base, input: [2], layers: [dense(3, 'elu'), dense(1, 'linear')] }), 'cpu', false), 'activation elu');
  assert.equal(directStepSupport(makeSpec({ ...base, input: [2], layers: [dense(3, 'tanh'), dense(2, 'softmax')] }), 'cpu', false), 'activation softmax');
  assert.equal(directStepSupport(makeSpec({ ...base, input: [2], layers: [dense(3, 'tanh'), dense(1, 'linear')] }), 'wasm', false), 'only the cpu backend');
  assert.equal(directStepSupport(makeSpec({ ...base, input: [2, 2], layers: [dense(3, 'tanh'), dense(1, 'linear')] }), 'cpu', false), 'dense layer on a rank > 1 input');
  assert.equal(directStepSupport(makeSpec({ ...base, loss: 'binaryCrossentropy', input: [2], layers: [dense(3, 'tanh'), dense(1, 'tanh')] }), 'cpu', false), 'binaryCrossentropy without its output activation folded in');
  // and such a run still trains (the tfjs path), with the same numbers as with the direct step turned off
  const spec = makeSpec({ ...base, epochs: 2, input: [2], layers: [dense(3, 'elu'), dense(1, 'linear')] });
  const d = data(8, 2, 1, 4, 'real');
  const a = await train(spec, d, true);
  assert.equal(a.why, 'activation elu');
  assert.deepEqual(a.rows, (await train(spec, d, false)).rows);
});

test('the direct step leaves no tensor behind: the backend holds as many tensors after a run as before', async () => {
  const backend = await cpu();
  const count = (): number => backend.tf.engine().backend.numDataIds();
  const before = count();
  const engineBefore = backend.tf.memory().numTensors;
  for (const opt of OPTIMIZERS) {
    const spec = makeSpec({ input: [3], layers: [dense(5, 'relu'), dense(3, 'softmax')], loss: 'categoricalCrossentropy', optimizer: opt, epochs: 2, batchSize: 4, seed: 1 });
    const t = new Trainer({ backend, spec, data: data(10, 3, 3, 5, 'onehot') });
    assert.equal(t.directStepUnsupported, undefined);
    await t.run();
    t.dispose();
  }
  assert.equal(count(), before, 'backend data ids');
  assert.equal(backend.tf.memory().numTensors, engineBefore, 'engine tensors');
});
