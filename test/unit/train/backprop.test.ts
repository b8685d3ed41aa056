// The trainer's explicit backward path against TensorFlow.js autodiff (tf.variableGrads) as the
// oracle, and the course's neural chain against a finite-difference quotient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSpec } from '../../../src/core/spec';
import type { ActivationName, LossName, NetworkSpec } from '../../../src/core/spec/types';
import { selectBackend } from '../../../src/core/train/select';
import { Model } from '../../../src/core/train/model';
import { initialWeights } from '../../../src/core/train/init';
import { Trainer } from '../../../src/core/train/trainer';
import { dense, makeSpec } from './helpers';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    assert.ok(d <= tol * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs autodiff ${b[i]}`);
  }
}

const cases: { act: ActivationName; alpha?: number; loss: LossName; out: number; outAct: ActivationName }[] = [
  { act: 'tanh', loss: 'mse', out: 2, outAct: 'linear' },
  { act: 'sigmoid', loss: 'mse', out: 1, outAct: 'sigmoid' },
  { act: 'relu', loss: 'binaryCrossentropy', out: 1, outAct: 'sigmoid' },
  { act: 'leakyRelu', alpha: 0.2, loss: 'categoricalCrossentropy', out: 3, outAct: 'softmax' },
  { act: 'elu', alpha: 0.7, loss: 'mse', out: 3, outAct: 'softmax' },
  { act: 'elu', loss: 'binaryCrossentropy', out: 2, outAct: 'sigmoid' },
  { act: 'linear', loss: 'categoricalCrossentropy', out: 3, outAct: 'softmax' },
  // not folded into the loss: the clipped probability forms
  { act: 'tanh', loss: 'binaryCrossentropy', out: 2, outAct: 'softmax' },
  { act: 'relu', loss: 'categoricalCrossentropy', out: 3, outAct: 'sigmoid' },
];

for (const c of cases) {
  test(`explicit backprop = autodiff: ${c.act}${c.alpha !== undefined ? `(α=${c.alpha})` : ''} hidden, ${c.outAct} output, ${c.loss}`, async () => {
    const { backend } = await selectBackend('cpu', { modulePaths: [] });
    const tf = backend.tf;
    const spec = makeSpec({
      input: [3],
      layers: [dense(5, c.act, { type: 'normal', mean: 0, std: 0.8 }, { activation: { name: c.act, ...(c.alpha !== undefined ? { alpha: c.alpha } : {}) }, biasInit: { type: 'uniform', min: -0.3, max: 0.3 } }), dense(c.out, c.outAct, { type: 'glorot' })],
      loss: c.loss,
      optimizer: { type: 'sgd', learningRate: 0.1 },
      epochs: 1,
      batchSize: 6,
      seed: 11,
    });
    const model = new Model(tf, spec, initialWeights(spec));
    const x = tf.tensor2d(Array.from({ length: 18 }, (_, i) => Math.sin(i * 1.7) * 2), [6, 3]);
    const yv = Array.from({ length: 6 * c.out }, (_, i) => (c.loss === 'mse' ? Math.cos(i) : 0));
    if (c.loss !== 'mse') for (let r = 0; r < 6; r++) yv[r * c.out + (r % c.out)] = 1;
    const y = tf.tensor2d(yv, [6, c.out]);
    const vars = model.variables();
    const auto = tf.variableGrads(() => model.loss(model.forward(x, { training: true, logits: true }), y), vars);
    const mine = tf.tidy(() => {
      const r = model.gradients(x, y);
      return { loss: r.loss.dataSync()[0], grads: r.grads.map((g) => g.dataSync().slice()) };
    });
    close([mine.loss], auto.value.dataSync(), 1e-6, 'loss');
    vars.forEach((v, i) => close(mine.grads[i], auto.grads[v.name].dataSync(), 2e-5, `grad ${i}`));
    tf.dispose([x, y, auto.value, ...Object.values(auto.grads)]);
    model.dispose();
  });
}

test('explicit backprop = autodiff through flatten and dropout (same mask)', async () => {
  const { backend } = await selectBackend('cpu', { modulePaths: [] });
  const tf = backend.tf;
  const spec = makeSpec({ input: [2, 3], layers: [{ type: 'flatten' }, dense(8, 'relu', { type: 'he' }), { type: 'dropout', rate: 0.5 }, dense(2, 'softmax')], loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4, seed: 5 });
  const model = new Model(tf, spec, initialWeights(spec));
  const x = tf.tensor3d(Array.from({ length: 24 }, (_, i) => ((i * 7) % 5) - 2), [4, 2, 3]);
  const y = tf.tensor2d([1, 0, 0, 1, 1, 0, 0, 1], [4, 2]);
  const r = tf.tidy(() => {
    const g = model.gradients(x, y, 1234);
    return { loss: g.loss.dataSync()[0], grads: g.grads.map((t) => Array.from(t.dataSync())) };
  });
  // Oracle: the same forward with the same dropout mask, differentiated by tfjs.
  const mask = tf.tidy(() => tf.div(tf.floor(tf.add(tf.randomUniform([4, 8], 0, 1, 'float32', 1234), 0.5)), 0.5));
  const [W1, b1, W2, b2] = model.variables();
  const auto = tf.variableGrads(() => {
    const h = tf.mul(tf.relu(tf.add(tf.matMul(tf.reshape(x, [4, 6]), W1), b1)), mask);
    return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(tf.add(tf.matMul(h, W2), b2))), -1))) as ReturnType<typeof tf.scalar>;
  }, [W1, b1, W2, b2]);
  close([r.loss], auto.value.dataSync(), 1e-6, 'loss');
  [W1, b1, W2, b2].forEach((v, i) => close(r.grads[i], auto.grads[v.name].dataSync(), 2e-5, `grad ${i}`));
  assert.ok(Array.from(mask.dataSync()).some((m) => m === 0), 'dropout masked something');
  model.dispose();
});

test("course's neural chain (x=3, w₁=0.5, w₂=−1, ŷ=3): one SGD step moves each weight by exactly −α·∂L/∂w, gradient = finite difference", async () => {
  const parsed = parseSpec(readFileSync(new URL('../../../samples/neural-chain.nn.json', import.meta.url), 'utf8'));
  const spec = parsed.spec as NetworkSpec;
  assert.ok(spec, 'sample parses');
  const alpha = spec.optimizer.learningRate;
  assert.equal(alpha, 0.01);
  // L(w₁, w₂) = (x·w₁·w₂ − ŷ)², the spec's MSE on one sample
  const L = (w1: number, w2: number): number => (3 * w1 * w2 - 3) ** 2;
  const h = 1e-6;
  const fd1 = (L(0.5 + h, -1) - L(0.5 - h, -1)) / (2 * h);
  const fd2 = (L(0.5, -1 + h) - L(0.5, -1 - h)) / (2 * h);
  // analytically: ∂L/∂y = 2(y − ŷ) = 2(−1.5 − 3) = −9; ∂L/∂w₂ = x₂·(−9) = 1.5·(−9) = −13.5; ∂L/∂w₁ = x·w₂·(−9) = 27
  assert.ok(Math.abs(fd1 - 27) < 1e-4 && Math.abs(fd2 + 13.5) < 1e-4);
  const { backend } = await selectBackend('cpu', { modulePaths: [] });
  const rows: number[] = [];
  const trainer = new Trainer({ backend, spec: { ...spec, training: { ...spec.training, epochs: 1 } }, data: { x: new Float32Array([3]), xShape: [1, 1], y: new Float32Array([3]), yShape: [1, 1] }, onRow: (r) => r.kind === 'step' && rows.push(r.loss) });
  const before = trainer.weights();
  assert.deepEqual([before[0].W, before[1].W], [[[0.5]], [[-1]]]);
  const r = await trainer.run();
  assert.equal(r.steps, 1);
  assert.equal(rows[0], 20.25, 'L = (−1.5 − 3)² = 20.25 before the update');
  const after = trainer.weights();
  const d1 = after[0].W[0][0] - 0.5;
  const d2 = after[1].W[0][0] - -1;
  assert.ok(Math.abs(d1 - -alpha * fd1) < 1e-6, `Δw₁ = ${d1}, −α·∂L/∂w₁ = ${-alpha * fd1}`);
  assert.ok(Math.abs(d2 - -alpha * fd2) < 1e-6, `Δw₂ = ${d2}, −α·∂L/∂w₂ = ${-alpha * fd2}`);
  assert.ok(Math.abs(after[0].W[0][0] - 0.23) < 1e-6 && Math.abs(after[1].W[0][0] - -0.865) < 1e-6, 'w₁ = 0.5 − 0.01·27 = 0.23, w₂ = −1 + 0.01·13.5 = −0.865');
  trainer.dispose();
});
