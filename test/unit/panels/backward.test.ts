import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradients, type ForwardLayer } from '../../../src/core/nn/dense';
import { loss as lossOf } from '../../../src/core/nn/loss';
import type { LayerWeights } from '../../../src/protocol/training';
import type { LossName } from '../../../src/core/spec/types';

function numericGrad(layers: ForwardLayer[], w: LayerWeights[], loss: LossName, xs: number[][], ys: number[][], li: number, i: number, o: number, bias: boolean): number {
  const h = 1e-6;
  const at = (delta: number): number => {
    const c: LayerWeights[] = JSON.parse(JSON.stringify(w));
    if (bias) c[li].b![o] += delta;
    else c[li].W[i][o] += delta;
    return gradients(layers, c, loss, xs, ys).loss;
  };
  return (at(h) - at(-h)) / (2 * h);
}

const cases: { loss: LossName; layers: ForwardLayer[]; out: number }[] = [
  { loss: 'mse', layers: [{ type: 'dense', activation: { name: 'tanh' } }, { type: 'dense', activation: { name: 'sigmoid' } }], out: 1 },
  { loss: 'binaryCrossentropy', layers: [{ type: 'dense', activation: { name: 'elu', alpha: 0.5 } }, { type: 'dropout' }, { type: 'dense', activation: { name: 'sigmoid' } }], out: 2 },
  { loss: 'categoricalCrossentropy', layers: [{ type: 'dense', activation: { name: 'leakyRelu', alpha: 0.1 } }, { type: 'dense', activation: { name: 'softmax' } }], out: 3 },
];

test('backward pass: every ∂L/∂W and ∂L/∂b equals central finite differences (mse, bce, cce with softmax)', () => {
  let seed = 3;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (const c of cases) {
    const hidden = 3;
    const dense = c.layers.map((l, i) => [l, i] as const).filter(([l]) => l.type === 'dense').map(([, i]) => i);
    const w: LayerWeights[] = [
      { layer: dense[0], name: 'h', W: [[rnd(), rnd(), rnd()], [rnd(), rnd(), rnd()]], b: [rnd(), rnd(), rnd()] },
      { layer: dense[1], name: 'o', W: Array.from({ length: hidden }, () => Array.from({ length: c.out }, rnd)), b: Array.from({ length: c.out }, rnd) },
    ];
    const xs = [[0.3, -0.7], [1, 0.2], [-0.4, 0.9]];
    const ys = xs.map((_, s) => Array.from({ length: c.out }, (_, k) => (c.loss === 'categoricalCrossentropy' ? (k === s % c.out ? 1 : 0) : (s + k) % 2)));
    const g = gradients(c.layers, w, c.loss, xs, ys);
    w.forEach((lw, li) => {
      lw.W.forEach((row, i) =>
        row.forEach((_, o) => {
          const fd = numericGrad(c.layers, w, c.loss, xs, ys, li, i, o, false);
          assert.ok(Math.abs(g.layers[li].dW[i][o] - fd) < 1e-6, `${c.loss} dW[${li}][${i}][${o}] ${g.layers[li].dW[i][o]} vs ${fd}`);
        }),
      );
      lw.b!.forEach((_, o) => {
        const fd = numericGrad(c.layers, w, c.loss, xs, ys, li, 0, o, true);
        assert.ok(Math.abs(g.layers[li].db[o] - fd) < 1e-6, `${c.loss} db[${li}][${o}]`);
      });
    });
  }
});

test('losses as TensorFlow.js defines them (hand values)', () => {
  assert.equal(lossOf('mse', [0.5, 1], [0, 1]), 0.125);
  assert.ok(Math.abs(lossOf('binaryCrossentropy', [0.8], [1]) - -Math.log(0.8)) < 1e-12);
  assert.ok(Math.abs(lossOf('categoricalCrossentropy', [0.2, 0.7, 0.1], [0, 1, 0]) - -Math.log(0.7)) < 1e-12);
});

test('node gradients: ∂L/∂a of the output and ∂L/∂x of the input match finite differences', () => {
  const layers: ForwardLayer[] = [{ type: 'dense', activation: { name: 'sigmoid' } }];
  const w: LayerWeights[] = [{ layer: 0, name: 'o', W: [[0.5], [-0.25]], b: [0.1] }];
  const x = [1, 2];
  const y = [1];
  const g = gradients(layers, w, 'mse', [x], [y]);
  // z = 0.5 − 0.5 + 0.1 = 0.1, a = σ(0.1); ∂L/∂a = 2(a − 1)
  const a = 1 / (1 + Math.exp(-0.1));
  assert.ok(Math.abs(g.layers[0].da[0] - 2 * (a - 1)) < 1e-12);
  const h = 1e-6;
  for (let i = 0; i < 2; i++) {
    const xp = [...x];
    const xm = [...x];
    xp[i] += h;
    xm[i] -= h;
    const fd = (gradients(layers, w, 'mse', [xp], [y]).loss - gradients(layers, w, 'mse', [xm], [y]).loss) / (2 * h);
    assert.ok(Math.abs(g.layers[0].dIn[i] - fd) < 1e-7, `dx${i}`);
  }
});
