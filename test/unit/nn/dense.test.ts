// The shared pure pass (src/core/nn) against TensorFlow.js: the trainer's own Model on tfjs-core's
// CPU backend (float32) gives the forward output, the mean loss and, by tf.variableGrads, ∂L/∂W and
// ∂L/∂b over a batch, for random networks of every activation and every loss (seeded, CI-sized).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forwardOne, gradients } from '../../../src/core/nn/dense';
import { loss, lossGrad, EPSILON } from '../../../src/core/nn/loss';
import { activate, derivative } from '../../../src/core/nn/activations';
import { Model } from '../../../src/core/train/model';
import { cpuBackend } from '../../../src/core/train/backends/cpu';
import { createRng } from '../../../src/core/rng';
import type { Activation, Layer, LossName, NetworkSpec } from '../../../src/core/spec/types';
import type { LayerWeights } from '../../../src/protocol/training';

const HIDDEN: Activation[] = [{ name: 'linear' }, { name: 'sigmoid' }, { name: 'tanh' }, { name: 'relu' }, { name: 'leakyRelu' }, { name: 'leakyRelu', alpha: 0.2 }, { name: 'elu' }, { name: 'elu', alpha: 0.5 }];
const OUTPUT: Record<LossName, Activation[]> = {
  mse: [...HIDDEN, { name: 'softmax' }],
  binaryCrossentropy: [{ name: 'sigmoid' }, { name: 'softmax' }],
  categoricalCrossentropy: [{ name: 'softmax' }, { name: 'sigmoid' }],
};
const LOSSES: LossName[] = ['mse', 'binaryCrossentropy', 'categoricalCrossentropy'];

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 2e-5 + 2e-4 * Math.abs(b), `${what}: ${a} vs tf ${b}`);

interface Case {
  spec: NetworkSpec;
  weights: LayerWeights[];
  xs: number[][];
  ys: number[][];
}

function randomCase(seed: number): Case {
  const r = createRng(seed);
  const u = (lo: number, hi: number): number => lo + (hi - lo) * r();
  const int = (lo: number, hi: number): number => Math.floor(u(lo, hi + 1));
  const lossName = LOSSES[seed % 3];
  const nIn = int(1, 4);
  const hidden = int(0, 2);
  const layers: Layer[] = [];
  const flatten = r() < 0.3;
  if (flatten) layers.push({ type: 'flatten' });
  const widths = [nIn];
  for (let h = 0; h < hidden; h++) {
    const units = int(1, 4);
    layers.push({ type: 'dense', units, activation: HIDDEN[int(0, HIDDEN.length - 1)], useBias: r() < 0.8, init: { type: 'zeros' }, biasInit: { type: 'zeros' } });
    widths.push(units);
    if (r() < 0.3) layers.push({ type: 'dropout', rate: 0.5 });
  }
  const outs = OUTPUT[lossName];
  const out = outs[int(0, outs.length - 1)];
  const nOut = out.name === 'softmax' ? int(2, 4) : int(1, 3);
  layers.push({ type: 'dense', units: nOut, activation: out, useBias: r() < 0.8, init: { type: 'zeros' }, biasInit: { type: 'zeros' } });
  widths.push(nOut);
  const weights: LayerWeights[] = [];
  let k = 0;
  layers.forEach((l, index) => {
    if (l.type !== 'dense') return;
    const W = Array.from({ length: widths[k] }, () => Array.from({ length: widths[k + 1] }, () => u(-1.5, 1.5)));
    weights.push({ layer: index, name: `dense_${k + 1}`, W, ...(l.useBias ? { b: Array.from({ length: widths[k + 1] }, () => u(-0.5, 0.5)) } : {}) });
    k++;
  });
  const batch = int(1, 5);
  const xs = Array.from({ length: batch }, () => Array.from({ length: nIn }, () => u(-2, 2)));
  const ys = xs.map(() => {
    if (lossName === 'mse') return Array.from({ length: nOut }, () => u(-1, 1));
    if (lossName === 'binaryCrossentropy') return Array.from({ length: nOut }, () => (r() < 0.5 ? 0 : 1));
    const c = int(0, nOut - 1);
    return Array.from({ length: nOut }, (_, i) => (i === c ? 1 : 0));
  });
  const spec: NetworkSpec = {
    version: 1,
    name: `random ${seed}`,
    input: { shape: flatten ? [1, nIn] : [nIn] },
    layers,
    loss: lossName,
    optimizer: { type: 'sgd', learningRate: 0.1 },
    training: { epochs: 1, batchSize: batch, shuffle: false, seed, validationSplit: 0 },
  };
  return { spec, weights, xs, ys };
}

test('shared forward pass, loss and backward pass = TensorFlow.js (trainer Model, tf.variableGrads) on 150 random networks', async () => {
  const tf = (await cpuBackend.load({ modulePaths: [] })).tf;
  const seen = new Set<string>();
  for (let seed = 1; seed <= 150; seed++) {
    const c = randomCase(seed);
    const model = new Model(tf, c.spec, c.weights);
    try {
      const x = tf.tensor(c.xs.flat(), [c.xs.length, ...c.spec.input.shape], 'float32');
      const y = tf.tensor2d(c.ys.flat(), [c.ys.length, c.ys[0].length], 'float32');
      const out = tf.tidy(() => model.forward(x, { training: false }).arraySync() as number[][]);
      const { value, grads } = tf.variableGrads(() => model.loss(model.forward(x, { training: false, logits: true }), y), model.variables());
      const g = gradients(c.spec.layers, c.weights, c.spec.loss, c.xs, c.ys, 'tensorflow');
      c.xs.forEach((xi, s) => forwardOne(c.spec.layers, c.weights, xi).output.forEach((v, j) => close(v, out[s][j], `seed ${seed} output[${s}][${j}]`)));
      close(g.loss, value.dataSync()[0], `seed ${seed} loss`);
      model.dense.forEach((d, li) => {
        const gW = grads[d.W.name].arraySync() as number[][];
        g.layers[li].dW.forEach((row, i) => row.forEach((v, j) => close(v, gW[i][j], `seed ${seed} ${c.spec.loss} dW${li}[${i}][${j}]`)));
        if (d.b) {
          const gb = grads[d.b.name].arraySync() as number[];
          g.layers[li].db.forEach((v, j) => close(v, gb[j], `seed ${seed} db${li}[${j}]`));
        }
      });
      for (const l of c.spec.layers) if (l.type === 'dense') seen.add(`${l.activation.name}/${c.spec.loss}`);
      x.dispose();
      y.dispose();
      value.dispose();
      for (const key of Object.keys(grads)) grads[key].dispose();
    } finally {
      model.dispose();
    }
  }
  for (const a of ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax']) assert.ok([...seen].some((k) => k.startsWith(`${a}/`)), `activation ${a} covered`);
  for (const l of LOSSES) assert.ok([...seen].some((k) => k.endsWith(`/${l}`)), `loss ${l} covered`);
});

test('f and f′ with their α defaults (0.01, 1) and both kink conventions at x = 0', () => {
  assert.equal(activate('leakyRelu', -2), -0.02);
  assert.equal(activate('leakyRelu', -2, 0.3), -0.6);
  assert.equal(activate('elu', -1), Math.exp(-1) - 1);
  assert.equal(derivative('elu', -1, 2), 2 * Math.exp(-1));
  assert.deepEqual(['relu', 'leakyRelu', 'elu'].map((n) => derivative(n as 'relu', 0)), [1, 1, 1]);
  assert.deepEqual(['relu', 'leakyRelu', 'elu'].map((n) => derivative(n as 'relu', 0, undefined, 'tensorflow')), [0, 0.01, 1]);
  assert.equal(derivative('elu', 0, 0.5, 'tensorflow'), 0.5);
});

test('losses clip at ε = 1e-7 as TensorFlow.js does, and pass no gradient where clipped', () => {
  assert.equal(EPSILON, 1e-7);
  assert.equal(loss('binaryCrossentropy', [0], [1]), -Math.log(1e-7));
  assert.equal(loss('categoricalCrossentropy', [0, 1], [1, 0]), -Math.log(1e-7));
  assert.deepEqual(lossGrad('binaryCrossentropy', [0, 1, 0.5], [1, 0, 1]), [0, 0, -2 / 3]);
  assert.deepEqual(lossGrad('categoricalCrossentropy', [0, 0.5], [1, 0]), [0, -0]);
  assert.deepEqual(lossGrad('mse', [0.5, 1], [0, 1]), [0.5, 0]);
  assert.equal(loss('mse', [0.5, 1], [0, 1]), 0.125);
});
