import { test } from 'node:test';
import assert from 'node:assert/strict';
import katex from 'katex';
import { deadUnitText, explorerSelection, saturationZones } from '../../../src/core/view/activations';
import { deadUnits } from '../../../src/core/view/histogram';
import { ACTIVATION_TEXT } from '../../../src/core/explain/activations';
import { activate, derivative, softmax } from '../../../src/core/nn/activations';

const close = (a: number, b: number, tol = 1e-6): void => assert.ok(Math.abs(a - b) <= tol, `${a} ≉ ${b}`);

test("f′ matches central finite differences for every element-wise activation (away from the kink)", () => {
  const names = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu'] as const;
  const h = 1e-5;
  for (const n of names) {
    for (const alpha of [0.01, 0.3, 1.5]) {
      for (let x = -6; x <= 6; x += 0.37) {
        if (Math.abs(x) < 2 * h) continue;
        const fd = (activate(n, x + h, alpha) - activate(n, x - h, alpha)) / (2 * h);
        close(derivative(n, x, alpha), fd, 1e-6);
      }
    }
  }
});

test("the course's formulas: sigmoid(0)=½, σ′=σ(1−σ), tanh′ = 4/(eˣ+e⁻ˣ)², f′(0)=1 for ReLU-family", () => {
  assert.equal(activate('sigmoid', 0), 0.5);
  assert.equal(derivative('sigmoid', 0), 0.25);
  for (const x of [-3, -0.5, 0, 0.7, 2.5]) close(derivative('tanh', x), 4 / (Math.exp(x) + Math.exp(-x)) ** 2, 1e-12);
  assert.equal(derivative('relu', 0), 1);
  assert.equal(derivative('relu', -1e-9), 0);
  assert.equal(activate('leakyRelu', -2, 0.1), -0.2);
  assert.equal(derivative('leakyRelu', -2, 0.1), 0.1);
  close(activate('elu', -1, 1), Math.exp(-1) - 1, 1e-15);
  close(derivative('elu', -1, 2), 2 * Math.exp(-1), 1e-15);
  assert.equal(activate('leakyRelu', -100), -1, 'default α = 0.01');
});

test('softmax sums to 1, matches known values and is stable for large inputs', () => {
  const s = softmax([1, 2, 3]);
  close(s[0], 0.09003057317, 1e-10);
  close(s[1], 0.24472847105, 1e-10);
  close(s[2], 0.66524095577, 1e-10);
  close(s.reduce((a, b) => a + b, 0), 1, 1e-15);
  const big = softmax([1000, 1001]);
  assert.ok(big.every(Number.isFinite));
  close(big[1], 1 / (1 + Math.exp(-1)), 1e-12);
});

test('saturation zones: sigmoid |f′|<0.05 beyond ±2.887, ReLU for x<0, none for leaky ReLU', () => {
  const f = (1 + Math.sqrt(0.8)) / 2; // σ(x)(1−σ(x)) = 0.05
  const edge = Math.log(f / (1 - f));
  const z = saturationZones('sigmoid', -8, 8, 0.05);
  assert.equal(z.length, 2);
  assert.equal(z[0][0], -8);
  close(z[0][1], -edge, 1e-5);
  close(z[1][0], edge, 1e-5);
  assert.equal(z[1][1], 8);
  const r = saturationZones('relu', -4, 4, 0.05);
  assert.equal(r.length, 1);
  assert.equal(r[0][0], -4);
  close(r[0][1], 0, 1e-5);
  assert.deepEqual(saturationZones('leakyRelu', -4, 4, 0.05, 0.1), []);
  assert.equal(saturationZones('leakyRelu', -4, 4, 0.05, 0.01).length, 1);
  const e = saturationZones('elu', -8, 8, 0.05, 1);
  close(e[0][1], Math.log(0.05), 1e-5);
});

test('the explorer opens on the selected layer’s own activation and follows the layer picked (issue 13 item 8)', () => {
  // xor: dense tanh, dense sigmoid (layer indices 0 and 1 in the spec)
  const xor = [
    { index: 0, activation: 'tanh' as const },
    { index: 1, activation: 'sigmoid' as const },
  ];
  // opened from the lens (no function asked for): the first layer's tanh, not the default ReLU
  assert.deepEqual(explorerSelection(xor, { fallback: 'relu' }), { activation: 'tanh', layer: 0 });
  assert.deepEqual(explorerSelection(xor, { layer: -1, fallback: 'relu' }), { activation: 'tanh', layer: 0 });
  // the user picks layer 2: the function follows
  assert.deepEqual(explorerSelection(xor, { layer: 1, fallback: 'tanh' }), { activation: 'sigmoid', layer: 1 });
  // the hover's link on "sigmoid": that function, beside the layer that uses it
  assert.deepEqual(explorerSelection(xor, { requested: 'sigmoid', layer: 0, fallback: 'tanh' }), { activation: 'sigmoid', layer: 1 });
  // a function no layer uses: shown, the picked layer's histogram stays
  assert.deepEqual(explorerSelection(xor, { requested: 'elu', layer: 1, fallback: 'tanh' }), { activation: 'elu', layer: 1 });
  assert.deepEqual(explorerSelection(xor, { requested: 'elu', fallback: 'tanh' }), { activation: 'elu', layer: 0 });
  // no spec (or no dense layer): the function alone
  assert.deepEqual(explorerSelection([], { fallback: 'relu' }), { activation: 'relu', layer: -1 });
  assert.deepEqual(explorerSelection([], { requested: 'softmax', fallback: 'relu' }), { activation: 'softmax', layer: -1 });
});

test('dead units are counted only for ReLU-like layers; only ReLU units are called dead', () => {
  const d = deadUnits([
    [-1, 2, -0.5],
    [-3, -1, 0.2],
  ]);
  assert.deepEqual(d, { dead: 1, units: 3 });
  assert.equal(deadUnitText('relu', d), 'Dead ReLUs (z < 0 for every sample, so f′ = 0 and no gradient): 1 of 3.');
  assert.equal(deadUnitText('leakyRelu', d), 'Units with z < 0 for every sample: 1 of 3 (not dead: f′ = a > 0 still passes a gradient).');
  assert.equal(deadUnitText('elu', d), 'Units with z < 0 for every sample: 1 of 3 (not dead: f′ = a·eᶻ > 0 still passes a gradient).');
  for (const a of ['tanh', 'sigmoid', 'linear', 'softmax'] as const) assert.equal(deadUnitText(a, d), undefined, a);
});

test('the explorer’s derivative formulas put a full-size prime beside f, not a shrunken superscript', () => {
  for (const [name, t] of Object.entries(ACTIVATION_TEXT)) {
    const ml = katex.renderToString(t.df.tex, { output: 'mathml', throwOnError: true });
    if (name === 'softmax') continue; // ∂fᵢ/∂yⱼ, no prime
    assert.doesNotMatch(ml, /<msup><mi>f<\/mi><mo[^>]*>′<\/mo><\/msup>/, `${name}: prime as a superscript`);
    assert.match(ml, /^<span class="katex"><math[^>]*><semantics><mrow><mi>f<\/mi><mo[^>]*>′<\/mo><mo[^>]*>\(<\/mo><mi>x<\/mi>/, `${name}: f′(x) at the start`);
  }
});
