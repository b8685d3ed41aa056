// "This network": the tape on the user's own spec against TensorFlow.js (tf.variableGrads on the
// trainer's own Model, CPU backend, float32) and against the difference quotient, over random small
// networks of every activation and every loss (property test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { networkGradients, networkWalkthrough, networkLayers, runDense, sampleAt, valuesUpTo, fmt, NetworkInputError } from '../../../src/core/autodiff';
import { tfGradients } from '../../../src/core/autodiff/tfgrads';
import type { Activation, Layer, LossName, NetworkSpec } from '../../../src/core/spec/types';
import type { LayerWeights } from '../../../src/protocol/training';

const HIDDEN: Activation[] = [{ name: 'linear' }, { name: 'sigmoid' }, { name: 'tanh' }, { name: 'relu' }, { name: 'leakyRelu', alpha: 0.1 }, { name: 'elu', alpha: 1 }, { name: 'elu', alpha: 0.5 }];
/** output activations that make each loss well defined */
const OUTPUT: Record<LossName, Activation[]> = {
  mse: [...HIDDEN, { name: 'softmax' }],
  binaryCrossentropy: [{ name: 'sigmoid' }, { name: 'softmax' }],
  categoricalCrossentropy: [{ name: 'softmax' }, { name: 'sigmoid' }],
};

function spec(nIn: number, layers: Layer[], loss: LossName, flatten: boolean): NetworkSpec {
  return {
    version: 1,
    name: 'random',
    input: { shape: flatten ? [1, nIn] : [nIn] },
    layers: flatten ? [{ type: 'flatten' }, ...layers] : layers,
    loss,
    optimizer: { type: 'sgd', learningRate: 0.1 },
    training: { epochs: 1, batchSize: 1, shuffle: false, seed: 1, validationSplit: 0 },
  };
}

/** three decimals in [−1.5, 1.5] (fc.double favours tiny and extreme values, which sit on the kinks) */
const weight = fc.integer({ min: -1500, max: 1500 }).map((v) => v / 1000);
const matrix = (r: number, c: number) => fc.array(fc.array(weight, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });

const network = fc
  .record({
    nIn: fc.integer({ min: 1, max: 3 }),
    hidden: fc.array(fc.record({ units: fc.integer({ min: 1, max: 3 }), act: fc.constantFrom(...HIDDEN), bias: fc.boolean(), dropout: fc.boolean() }), { maxLength: 2 }),
    loss: fc.constantFrom<LossName>('mse', 'binaryCrossentropy', 'categoricalCrossentropy'),
    nOut: fc.integer({ min: 1, max: 3 }),
    outBias: fc.boolean(),
    flatten: fc.boolean(),
    pick: fc.nat(),
    seed: fc.nat(),
  })
  .chain((n) => {
    const outs = OUTPUT[n.loss];
    const out = outs[n.pick % outs.length];
    const nOut = out.name === 'softmax' ? Math.max(2, n.nOut) : n.nOut;
    const widths = [n.nIn, ...n.hidden.map((h) => h.units), nOut];
    const layers: Layer[] = [];
    n.hidden.forEach((h) => {
      layers.push({ type: 'dense', units: h.units, activation: h.act, useBias: h.bias, init: { type: 'zeros' }, biasInit: { type: 'zeros' } });
      if (h.dropout) layers.push({ type: 'dropout', rate: 0.5 });
    });
    layers.push({ type: 'dense', units: nOut, activation: out, useBias: n.outBias, init: { type: 'zeros' }, biasInit: { type: 'zeros' } });
    const s = spec(n.nIn, layers, n.loss, n.flatten);
    const Ws = widths.slice(1).map((c, i) => matrix(widths[i], c));
    const bs = widths.slice(1).map((c) => fc.array(weight, { minLength: c, maxLength: c }));
    const target =
      n.loss === 'mse'
        ? fc.array(fc.integer({ min: -1000, max: 1000 }).map((v) => v / 1000), { minLength: nOut, maxLength: nOut })
        : n.loss === 'binaryCrossentropy'
          ? fc.array(fc.constantFrom(0, 1), { minLength: nOut, maxLength: nOut })
          : fc.nat({ max: nOut - 1 }).map((k) => Array.from({ length: nOut }, (_, i) => (i === k ? 1 : 0)));
    return fc.record({
      spec: fc.constant(s),
      W: fc.tuple(...Ws),
      b: fc.tuple(...bs),
      x: fc.array(fc.integer({ min: -2000, max: 2000 }).map((v) => v / 1000), { minLength: n.nIn, maxLength: n.nIn }),
      y: target,
    });
  });

function weightsOf(s: NetworkSpec, W: number[][][], b: number[][]): LayerWeights[] {
  const out: LayerWeights[] = [];
  let k = 0;
  s.layers.forEach((l, index) => {
    if (l.type !== 'dense') return;
    out.push({ layer: index, name: `dense_${k + 1}`, W: W[k], b: l.useBias ? b[k] : undefined });
    k++;
  });
  return out;
}

const tfClose = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 + 1e-3 * Math.abs(a);

test('property: tape = tf.variableGrads (float tolerance) = difference quotient, random small networks of every activation and loss', async () => {
  const seen = new Set<string>();
  await fc.assert(
    fc.asyncProperty(network, async ({ spec: s, W, b, x, y }) => {
      const weights = weightsOf(s, W, b);
      const sample = { x, y };
      // stay off the kinks of ReLU/leaky ReLU/ELU, where one-sided derivatives differ
      const layers = networkLayers(s, weights);
      const run = runDense(layers, [x], [y], s.loss);
      fc.pre(run.ids.every((id, li) => !['relu', 'leakyRelu', 'elu'].includes(layers[li].activation.name) || run.tape.v(id.z)[0].every((z) => Math.abs(z) > 1e-3)));
      const g = networkGradients(s, weights, sample, { fdLimit: 1000 });
      for (const p of g.params) {
        assert.ok(p.numeric !== undefined);
        assert.ok(Math.abs(p.tape - p.numeric) <= 1e-4 * Math.max(1, Math.abs(p.tape)) + 2e-5, `${s.loss} ${p.name}: tape ${p.tape} vs quotient ${p.numeric}`);
      }
      const tf = await tfGradients(s, weights, sample);
      assert.ok(tfClose(g.loss, tf.loss), `loss ${g.loss} vs tf ${tf.loss}`);
      const dense = s.layers.flatMap((l) => (l.type === 'dense' ? [l] : []));
      dense.forEach((l, li) => {
        seen.add(`${l.activation.name}${l.activation.alpha !== undefined ? `(${l.activation.alpha})` : ''}/${s.loss}`);
        g.grads[li].W.forEach((r, i) => r.forEach((v, j) => assert.ok(tfClose(v, tf.grads[li].W[i][j]), `${l.activation.name}/${s.loss} W${li}[${i}][${j}]: tape ${v} vs tf ${tf.grads[li].W[i][j]}`)));
        g.grads[li].b?.forEach((v, j) => assert.ok(tfClose(v, tf.grads[li].b?.[j] ?? NaN), `b${li}[${j}]: tape ${v} vs tf ${tf.grads[li].b?.[j]}`));
      });
    }),
    { numRuns: 200, seed: 20261125 },
  );
  for (const a of ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu(0.1)', 'elu(1)', 'elu(0.5)', 'softmax']) assert.ok([...seen].some((k) => k.startsWith(`${a}/`)), `activation ${a} covered`);
  for (const l of ['mse', 'binaryCrossentropy', 'categoricalCrossentropy']) assert.ok([...seen].some((k) => k.endsWith(`/${l}`)), `loss ${l} covered`);
});

test('the course’s neural chain as a spec (mse, linear, no bias): ∂L/∂w₁ = 27, ∂L/∂w₂ = −13.5 from the tape and from tf', async () => {
  const s = spec(1, [
    { type: 'dense', units: 1, activation: { name: 'linear' }, useBias: false, init: { type: 'values', values: [[0.5]] }, biasInit: { type: 'zeros' } },
    { type: 'dense', units: 1, activation: { name: 'linear' }, useBias: false, init: { type: 'values', values: [[-1]] }, biasInit: { type: 'zeros' } },
  ], 'mse', false);
  const weights: LayerWeights[] = [{ layer: 0, name: 'a', W: [[0.5]] }, { layer: 1, name: 'b', W: [[-1]] }];
  const g = networkGradients(s, weights, { x: [3], y: [3] });
  assert.equal(g.loss, 20.25);
  assert.deepEqual(g.params.map((p) => [p.name, p.tape]), [['W¹[0][0]', 27], ['W²[0][0]', -13.5]]);
  const tf = await tfGradients(s, weights, { x: [3], y: [3] });
  assert.deepEqual([tf.grads[0].W[0][0], tf.grads[1].W[0][0]], [27, -13.5]);
  const w = networkWalkthrough(s, weights, { x: [3], y: [3] }, { index: 0, source: 'initial' });
  assert.equal(w.id, 'network');
  const last = w.steps.at(-1);
  assert.equal(last?.quantity, 'L after the update');
  // α = 0.1: w₁ = 0.5 − 2.7 = −2.2, w₂ = −1 + 1.35 = 0.35 → y = −2.31, L = 28.4...: the step is too large
  assert.equal(w.update?.alpha, 0.1);
  assert.ok(Math.abs((w.update?.lossAfter ?? 0) - (3 - 3 * -2.2 * 0.35) ** 2) < 1e-9);
  assert.equal(w.steps.filter((st) => st.phase === 'update').length, 3);
  assert.deepEqual(JSON.parse(JSON.stringify(w)), w);
});

test('bad input is a clear error, not a crash', () => {
  const s = spec(2, [{ type: 'dense', units: 1, activation: { name: 'sigmoid' }, useBias: true, init: { type: 'zeros' }, biasInit: { type: 'zeros' } }], 'mse', false);
  assert.throws(() => networkLayers(s, [{ layer: 0, name: 'd', W: [[1, 2]], b: [0] }]), (e: unknown) => e instanceof NetworkInputError && /layers\[0\] \(dense_1\): W must be 2×1, got 1×2/.test(e.message));
  assert.throws(() => networkLayers(s, [{ layer: 0, name: 'd', W: [[1], [2]] }]), /b must have 1 values/);
  assert.throws(() => networkGradients(s, [{ layer: 0, name: 'd', W: [[1], [2]], b: [0] }], { x: [1], y: [0] }), /the sample has 1 features, the first dense layer expects 2/);
  const data = { x: new Float32Array([1, 2, 3, 4]), xShape: [2, 2], y: new Float32Array([0, 1]), yShape: [2, 1] as [number, number] };
  assert.deepEqual(sampleAt(data, 1), { x: [3, 4], y: [1] });
  assert.throws(() => sampleAt(data, 2), /sample index 2 is out of range: the data has 2 samples \(0…1\)/);
});

test('a big layer (300×10): steps keep their text but ship no 3000-number answer; the state shows the text', () => {
  const s = spec(300, [{ type: 'dense', units: 10, activation: { name: 'softmax' }, useBias: true, init: { type: 'zeros' }, biasInit: { type: 'zeros' } }], 'categoricalCrossentropy', false);
  const W = Array.from({ length: 300 }, (_, i) => Array.from({ length: 10 }, (_, j) => Math.sin(i * 10 + j) / 10));
  const weights: LayerWeights[] = [{ layer: 0, name: 'd', W, b: new Array<number>(10).fill(0) }];
  const x = Array.from({ length: 300 }, (_, i) => (i % 7) / 7);
  const y = Array.from({ length: 10 }, (_, j) => (j === 3 ? 1 : 0));
  const w = networkWalkthrough(s, weights, { x, y }, { index: 0, source: 'initial weights (seed 1)', fdLimit: 50 });
  const dW = w.steps.find((st) => st.quantity === '∂L/∂W' && st.phase === 'backward');
  assert.ok(dW);
  assert.deepEqual(dW.answer, []);
  assert.deepEqual(dW.answerShape, [300, 10]);
  assert.match(dW.text, /^∂L\/∂W = xᵀδ = \[\[.*…/);
  const v = valuesUpTo(w, w.steps.length, (n) => fmt(n));
  assert.ok(v['∂L/∂W'].startsWith('[[') && v['∂L/∂W'].length < 400);
  assert.equal(w.checks.length, 50);
  assert.ok(w.checks.every((c) => c.agree));
  assert.ok(JSON.stringify(w).length < 200_000);
  assert.match(w.intro, /with initial weights \(seed 1\); loss: categorical cross-entropy/);
  // people read samples numbered from 1, as the title does ("sample 1"), not the 0-based index
  assert.match(w.intro, /^Sample 1 \(x = /);
  assert.match(w.title, /^This network: /);
  assert.match(networkWalkthrough(s, weights, { x, y }, { index: 3, source: 'initial weights (seed 1)', fdLimit: 1 }).intro, /^Sample 4 \(x = /);
});

test('"This network" fields (issue 16 item 2): XOR offers its 2 inputs and 17 parameters under the checks\' names; edited values are what it walks through, checked against the tape-free forward pass and difference quotients', async () => {
  const { readFileSync } = await import('node:fs');
  const { parseSpec } = await import('../../../src/core/spec');
  const { initialWeights } = await import('../../../src/core/train/init');
  const { forwardOne } = await import('../../../src/core/nn/dense');
  const { networkParams, withNetworkValues, NETWORK_EDIT_MAX } = await import('../../../src/core/autodiff');
  const xor = parseSpec(readFileSync(new URL('../../../samples/xor.nn.json', import.meta.url), 'utf8')).spec!;
  const weights = initialWeights(xor);
  const sample = { x: [0, 1], y: [1] };
  const w0 = networkWalkthrough(xor, weights, sample, { index: 1, source: 'initial weights (seed 42)' });
  assert.equal(w0.params.length, 2 + 17);
  assert.deepEqual(w0.params.slice(0, 3).map((p) => [p.key, p.value]), [['x[0]', 0], ['x[1]', 1], ['W¹[0][0]', weights[0].W[0][0]]]);
  assert.deepEqual(w0.params.at(-1), { key: 'b²[0]', label: 'b²[0]', tex: 'b^{2}[0]', value: weights[1].b![0] });
  // the fields carry the names the checks carry
  assert.ok(w0.checks.every((c) => w0.params.some((p) => c.name === `∂L/∂${p.key}`)), 'every check names a field');
  const edited = withNetworkValues(xor, weights, sample, { 'W¹[1][2]': 2.5, 'b²[0]': -0.75, 'x[0]': 0.5 });
  assert.equal(edited.weights[0].W[1][2], 2.5);
  assert.equal(edited.weights[1].b![0], -0.75);
  assert.deepEqual(edited.sample.x, [0.5, 1]);
  assert.notEqual(weights[0].W[1][2], 2.5, 'the original weights are not touched');
  assert.deepEqual(sample.x, [0, 1], 'nor the sample');
  const w1 = networkWalkthrough(xor, edited.weights, edited.sample, { index: 1, source: 'edited' });
  assert.equal(w1.params.find((p) => p.key === 'W¹[1][2]')?.value, 2.5);
  // the oracle: the plain forward pass (src/core/nn/dense) on the edited numbers, and finite differences
  const layers = xor.layers.map((l) => (l.type === 'dense' ? { type: 'dense' as const, activation: l.activation } : { type: l.type }));
  const out = forwardOne(layers, edited.weights, edited.sample.x).output[0];
  assert.ok(Math.abs(w1.update!.lossBefore - (out - 1) ** 2) < 1e-12, `loss ${w1.update!.lossBefore} vs (ŷ − y)² ${(out - 1) ** 2}`);
  assert.notEqual(w1.update!.lossBefore, w0.update!.lossBefore);
  assert.ok(w1.checks.length === 17 && w1.checks.every((c) => c.agree), 'every gradient of the edited network agrees with its difference quotient');
  assert.throws(() => withNetworkValues(xor, weights, sample, { 'W³[0][0]': 1 }), (e: Error) => e instanceof NetworkInputError && e.message === 'W³[0][0] is not an input or parameter of this network');
  assert.throws(() => withNetworkValues(xor, weights, sample, { 'x[0]': Number.NaN }), /x\[0\]: NaN is not a finite number/);
  // a big network gets no fields (MNIST: 784 inputs)
  const big = spec(70, [{ type: 'dense', units: 1, activation: { name: 'sigmoid' }, useBias: true, init: { type: 'zeros' }, biasInit: { type: 'zeros' } }], 'mse', false);
  assert.ok(70 + 71 > NETWORK_EDIT_MAX);
  assert.deepEqual(networkParams(networkLayers(big, [{ layer: 0, name: 'd', W: Array.from({ length: 70 }, () => [0]), b: [0] }]), { x: new Array<number>(70).fill(0), y: [0] }), []);
});
