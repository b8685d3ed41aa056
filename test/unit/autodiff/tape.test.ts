// The tape itself: every scalar op's local derivative against a central difference, accumulation where
// gradients meet, and the matrix mode (x·W, +b, f, loss) against difference quotients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Tape, recordScalar, MatTape, runDense, denseLoss, denseGrads, activate, type Mat } from '../../../src/core/autodiff';
import type { Activation } from '../../../src/core/spec/types';

const central = (f: (x: number) => number, x: number, h = 1e-5): number => (f(x + h) - f(x - h)) / (2 * h);
const close = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

type Unary = (t: Tape, a: number) => number;
const UNARY: [string, Unary, (x: number) => number, (x: number) => boolean][] = [
  ['recip', (t, a) => t.recip(a), (x) => 1 / x, (x) => Math.abs(x) > 0.1],
  ['exp', (t, a) => t.exp(a), Math.exp, () => true],
  ['square', (t, a) => t.square(a), (x) => x * x, () => true],
  ['neg', (t, a) => t.neg(a), (x) => -x, () => true],
  ['addConst', (t, a) => t.addConst(a, 1), (x) => x + 1, () => true],
  ['mulConst', (t, a) => t.mulConst(a, -1), (x) => -x, () => true],
  ['sigmoid', (t, a) => t.sigmoid(a), (x) => 1 / (1 + Math.exp(-x)), () => true],
  ['tanh', (t, a) => t.tanh(a), Math.tanh, () => true],
  ['relu', (t, a) => t.relu(a), (x) => Math.max(0, x), (x) => Math.abs(x) > 1e-3],
  ['leakyRelu', (t, a) => t.leakyRelu(a, 0.1), (x) => (x > 0 ? x : 0.1 * x), (x) => Math.abs(x) > 1e-3],
  ['elu', (t, a) => t.elu(a, 0.7), (x) => (x > 0 ? x : 0.7 * (Math.exp(x) - 1)), (x) => Math.abs(x) > 1e-3],
  ['squaredError', (t, a) => t.squaredError(a, 3), (x) => 0.5 * (3 - x) ** 2, () => true],
  ['crossEntropy', (t, a) => t.crossEntropy(a, 0.25), (x) => -(0.25 * Math.log(x) + 0.75 * Math.log(1 - x)), (x) => x > 0.01 && x < 0.99],
];

for (const [name, op, f, ok] of UNARY) {
  test(`scalar ${name}: value and local derivative match f and a central difference`, () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), (x0) => {
        const x = name === 'crossEntropy' ? (x0 + 3) / 6 : x0;
        fc.pre(ok(x));
        const t = new Tape();
        const a = t.input('a', 'a', x);
        const y = op(t, a);
        t.backward(y);
        assert.ok(close(t.value(y), f(x), 1e-12), `${name}(${x})`);
        assert.ok(close(t.grad(a), central(f, x)), `${name}′(${x}): tape ${t.grad(a)} vs ${central(f, x)}`);
      }),
      { numRuns: 60, seed: 7 },
    );
  });
}

test('binary ops: ∂(a+b), ∂(a−b), ∂(a·b), ∂(a/b) for both inputs', () => {
  const ops: [string, (t: Tape, a: number, b: number) => number, (a: number, b: number) => number][] = [
    ['add', (t, a, b) => t.add(a, b), (a, b) => a + b],
    ['sub', (t, a, b) => t.sub(a, b), (a, b) => a - b],
    ['mul', (t, a, b) => t.mul(a, b), (a, b) => a * b],
    ['div', (t, a, b) => t.div(a, b), (a, b) => a / b],
  ];
  for (const [name, op, f] of ops) {
    const t = new Tape();
    const a = t.input('a', 'a', 1.3);
    const b = t.input('b', 'b', -0.7);
    t.backward(op(t, a, b));
    assert.ok(close(t.grad(a), central((x) => f(x, -0.7), 1.3)), `${name} ∂a`);
    assert.ok(close(t.grad(b), central((x) => f(1.3, x), -0.7)), `${name} ∂b`);
  }
});

test('where two upstream gradients arrive at a node, they add (and the trace says so)', () => {
  // f = x·y + x  ⇒ ∂f/∂x = y + 1
  const t = new Tape();
  const x = t.input('x', 'x', 2);
  const y = t.input('y', 'y', 5);
  const m = t.mul(x, y, { label: 'm', tex: 'm' });
  const f = t.add(m, x, { label: 'f', tex: 'f' });
  const { steps, graph } = recordScalar(t, f, { graphIndex: 0, title: 't' });
  assert.equal(t.grad(x), 6);
  const sum = steps.find((s) => s.rule === 'sum');
  assert.ok(sum, 'a sum step');
  assert.equal(sum.quantity, '∂f/∂x');
  assert.equal(sum.answer[0], 6);
  assert.equal(sum.ruleText.startsWith('Where two upstream gradients arrive at a node, they add.'), true);
  assert.equal(graph.nodes.find((n) => n.label === 'x')?.grad, '6');
  // the same node used twice by one op: x·x
  const t2 = new Tape();
  const x2 = t2.input('x', 'x', 3);
  t2.backward(t2.mul(x2, x2));
  assert.equal(t2.grad(x2), 6);
});

const ACTS: Activation[] = [
  { name: 'linear' },
  { name: 'sigmoid' },
  { name: 'tanh' },
  { name: 'relu' },
  { name: 'leakyRelu', alpha: 0.2 },
  { name: 'elu', alpha: 1.5 },
  { name: 'softmax' },
];

test('matrix mode: δ = ∂L/∂y ∘ f′(z), ∂L/∂W = xᵀδ, ∂L/∂b = δ match difference quotients for every activation and loss', () => {
  const x: Mat = [[0.3, -1.2, 0.8]];
  const W: Mat = [[0.2, -0.5], [0.7, 0.1], [-0.3, 0.4]];
  const b = [0.05, -0.1];
  for (const act of ACTS) {
    for (const loss of ['mse', 'binaryCrossentropy', 'categoricalCrossentropy', 'half'] as const) {
      if (loss === 'binaryCrossentropy' && !['sigmoid', 'softmax'].includes(act.name)) continue;
      if (loss === 'categoricalCrossentropy' && act.name !== 'softmax' && act.name !== 'sigmoid') continue;
      const target: Mat = [[1, 0]];
      const layers = [{ W, b, activation: act }];
      const run = runDense(layers, x, target, loss);
      const [g] = denseGrads(run);
      const L0 = denseLoss(layers, x, target, loss);
      assert.ok(close(run.loss, L0, 1e-12));
      for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) {
        const h = 1e-6;
        const Wp = W.map((r, ri) => r.map((v, ci) => (ri === i && ci === j ? v + h : v)));
        const Wm = W.map((r, ri) => r.map((v, ci) => (ri === i && ci === j ? v - h : v)));
        const num = (denseLoss([{ W: Wp, b, activation: act }], x, target, loss) - denseLoss([{ W: Wm, b, activation: act }], x, target, loss)) / (2 * h);
        assert.ok(close(g.W[i][j], num, 1e-6), `${act.name}/${loss} W[${i}][${j}]: ${g.W[i][j]} vs ${num}`);
      }
      // ∂L/∂b = δ = the first row of ∂L/∂W divided by x₀
      g.b?.forEach((v, j) => assert.ok(close(v * x[0][0], g.W[0][j], 1e-12)));
    }
  }
});

test('matrix tape: ∂L/∂x = δWᵀ and a batch of rows averages the loss', () => {
  const t = new MatTape();
  const x = t.input('x', 'x', [[1, 2]]);
  const W = t.param('W', 'W', [[0.5, -1], [0.25, 2]]);
  const u = t.matmul(x, W, 'u', 'u');
  const L = t.loss(u, [[0, 0]], 'half');
  t.backward(L);
  // u = (0.5 + 0.5, −1 + 4) = (1, 3), δ = u − 0, ∂L/∂x = δWᵀ = (0.5 − 3, 0.25 + 6), ∂L/∂W = xᵀδ
  assert.deepEqual(t.nodes[x].grad, [[-2.5, 6.25]]);
  assert.deepEqual(t.nodes[W].grad, [[1, 3], [2, 6]]);
  const batch: Mat = [[1, 2], [3, -1]];
  const one = (r: number[]) => denseLoss([{ W: [[0.5, -1], [0.25, 2]], activation: { name: 'tanh' } }], [r], [[0.1, 0.2]], 'mse');
  const both = denseLoss([{ W: [[0.5, -1], [0.25, 2]], activation: { name: 'tanh' } }], batch, [[0.1, 0.2], [0.1, 0.2]], 'mse');
  assert.ok(close(both, (one(batch[0]) + one(batch[1])) / 2, 1e-12));
  const sm = activate([[1, 2, 3]], { name: 'softmax' })[0];
  assert.ok(close(sm.reduce((a, c) => a + c, 0), 1, 1e-12));
  assert.throws(() => t.matmul(x, x, 'bad', 'bad'), /matmul: 1×2 · 1×2 do not fit/);
  // Hadamard: L = ½‖a ∘ b‖² ⇒ ∂L/∂a = (a ∘ b) ∘ b
  const h = new MatTape();
  const a = h.input('a', 'a', [[1, -2, 3]]);
  const b2 = h.input('b', 'b', [[0.5, 4, -1]]);
  const c = h.hadamard(a, b2, 'c', 'c');
  h.backward(h.loss(c, [[0, 0, 0]], 'half'));
  assert.deepEqual(h.nodes[c].value, [[0.5, -8, -3]]);
  assert.deepEqual(h.nodes[a].grad, [[0.25, -32, 3]]);
  assert.deepEqual(h.nodes[b2].grad, [[0.5, 16, -9]]);
});
