// The one table of the course's activation-function text (src/core/explain/activations.ts), read by
// the editor hover and the activation explorer: the course's bullets word for word (lecture
// "Deep Neural Networks", chapter 2.1), and the facts NN Lab adds checked against f itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATION_TEXT, RULE_OF_THUMB, activationAlpha } from '../../../src/core/explain/activations';
import { activate, derivative, softmax } from '../../../src/core/nn/activations';
import { ACTIVATIONS } from '../../../src/core/spec/types';

test("the course's remarks, word for word (only typos fixed)", () => {
  const remarks = Object.fromEntries(ACTIVATIONS.map((a) => [a, ACTIVATION_TEXT[a].course.map((g) => [g.head ?? '', ...g.items])]));
  assert.deepEqual(remarks, {
    linear: [],
    sigmoid: [
      [
        'Two main problems:',
        'Causes vanishing gradient: gradient nearly zero for very large or small x, kills gradient and network stops learning',
        "Output isn't zero centered: always all gradients positive or all negative, inefficient weight updates",
      ],
    ],
    tanh: [['Better than sigmoid:', 'Output is zero centered', 'But still causes vanishing gradient']],
    relu: [
      ['Most common activation function:', 'Computationally efficient', 'Converges very fast', 'Does not activate all neurons at the same time'],
      ['Problem:', 'Gradient is zero for x < 0 and can cause vanishing gradient → dead ReLUs may happen', 'Not zero centered'],
      ['Usage:', 'Mostly used in hidden layers', 'Positive bias at init to get active ReLU'],
    ],
    leakyRelu: [
      [
        'Improves on ReLU:',
        'Removes zero part of ReLU by adding a small slope. More stable than ReLU, but adds another parameter',
        'Computationally efficient',
        'Converges very fast',
        "Doesn't die",
        'Parameter a can also be learned by the network',
      ],
    ],
    elu: [['', 'Benefits of ReLU and Leaky ReLU', 'Computation requires eˣ']],
    softmax: [['', 'Type of Sigmoid, handy for classification problems', 'Divides by the sum of all outputs, allows for percentage representation']],
  });
  assert.deepEqual(RULE_OF_THUMB, [
    'Sigmoid / ReLU + Softmax for classifiers',
    'Sigmoid, tanh sometimes avoided due to vanishing gradient',
    'ReLU mostly used today',
    "Start with ReLU; if you don't get optimal results, go for Leaky ReLU or ELU",
  ]);
});

test("titles and formulas: the slides' titles, f and f′ in LaTeX (explorer) and Unicode (hover)", () => {
  assert.deepEqual(
    ACTIVATIONS.map((a) => ACTIVATION_TEXT[a].title),
    ['Linear (identity)', 'Sigmoid', 'Hyperbolic tangent (tanh)', 'Rectified Linear Unit (ReLU)', 'Leaky ReLU', 'Exponential Linear Unit (ELU)', 'Softmax'],
  );
  // the explorer's button labels and the operation drawn in computational-graph nodes
  assert.deepEqual(
    ACTIVATIONS.map((a) => [ACTIVATION_TEXT[a].label, ACTIVATION_TEXT[a].op]),
    [['Linear', 'id'], ['Sigmoid', 'σ'], ['tanh', 'tanh'], ['ReLU', 'ReLU'], ['Leaky ReLU', 'LReLU'], ['ELU', 'ELU'], ['Softmax', 'softmax']],
  );
  assert.deepEqual(ACTIVATION_TEXT.sigmoid.f, { tex: 'f(x) = \\frac{1}{1 + e^{-x}}', text: 'f(x) = 1 / (1 + e⁻ˣ)' });
  assert.deepEqual(ACTIVATION_TEXT.sigmoid.df, { tex: 'f{\\prime}(x) = f(x)(1 - f(x))', text: 'f′(x) = f(x)·(1 − f(x))' });
  assert.deepEqual(ACTIVATION_TEXT.tanh.df, { tex: 'f{\\prime}(x) = \\frac{4}{(e^x + e^{-x})^2} = 1 - f(x)^2', text: 'f′(x) = 4 / (eˣ + e⁻ˣ)² = 1 − f(x)²' });
  assert.deepEqual(ACTIVATION_TEXT.elu.f, { tex: 'f(x) = \\begin{cases} x, & x \\geq 0 \\\\ a(e^x - 1), & x < 0 \\end{cases}', text: 'f(x) = x for x ≥ 0, a·(eˣ − 1) for x < 0' });
  assert.deepEqual(ACTIVATION_TEXT.softmax.f, { tex: 'f(y)_i = \\frac{e^{y_i}}{\\sum_{k=1}^K e^{y_k}}', text: 'f(y)ᵢ = e^(yᵢ) / Σₖ₌₁ᴷ e^(yₖ)' });
  // both notations of the tanh derivative are the same function (4/(eˣ+e⁻ˣ)² = 1 − tanh²x)
  for (const x of [-4, -1, 0, 0.5, 3]) assert.ok(Math.abs(4 / (Math.exp(x) + Math.exp(-x)) ** 2 - derivative('tanh', x)) < 1e-12);
});

test('ranges as written, checked against f on [−40, 40]', () => {
  assert.deepEqual(
    Object.fromEntries(ACTIVATIONS.map((a) => [a, ACTIVATION_TEXT[a].range])),
    { linear: '(−∞, ∞)', sigmoid: '(0, 1)', tanh: '(−1, 1)', relu: '[0, ∞)', leakyRelu: '(−∞, ∞) for a > 0', elu: '(−a, ∞) for a > 0', softmax: '(0, 1) each, summing to 1' },
  );
  const xs = Array.from({ length: 801 }, (_, i) => -40 + i * 0.1);
  const f = (a: (typeof ACTIVATIONS)[number], alpha?: number): number[] => xs.map((x) => activate(a, x, alpha));
  const min = (v: number[]): number => Math.min(...v);
  const max = (v: number[]): number => Math.max(...v);
  // in floating point σ(40) and tanh(±40) round to 1 exactly: the open bounds are checked where
  // doubles can still tell them apart (|x| ≤ 30 for σ, ≤ 18 for tanh), the limits at ±40
  const inner = (r: number): number[] => xs.filter((x) => Math.abs(x) <= r);
  assert.ok(inner(30).every((x) => activate('sigmoid', x) > 0 && activate('sigmoid', x) < 1));
  assert.ok(min(f('sigmoid')) < 1e-15 && max(f('sigmoid')) === 1);
  assert.ok(inner(18).every((x) => Math.abs(activate('tanh', x)) < 1));
  assert.ok(min(f('tanh')) === -1 && max(f('tanh')) === 1);
  assert.equal(min(f('relu')), 0);
  assert.equal(max(f('relu')), 40);
  assert.ok(Math.abs(min(f('leakyRelu', 0.1)) - -4) < 1e-12, 'a·x keeps falling: unbounded below');
  assert.ok(inner(30).every((x) => activate('elu', x, 2) > -2) && Math.abs(min(f('elu', 2)) - -2) < 1e-12, 'ELU tends to −a from above');
  const s = softmax([3, -2, 0.5, 7]);
  assert.ok(s.every((v) => v > 0 && v < 1));
  assert.ok(Math.abs(s.reduce((p, v) => p + v, 0) - 1) < 1e-12);
});

test('zero-centred exactly where f is odd (f(−x) = −f(x))', () => {
  for (const a of ACTIVATIONS) {
    if (a === 'softmax') continue;
    const odd = [0.3, 1, 2.5].every((x) => Math.abs(activate(a, -x) + activate(a, x)) < 1e-12);
    assert.equal(ACTIVATION_TEXT[a].zeroCentred, odd, a);
  }
  assert.equal(ACTIVATION_TEXT.softmax.zeroCentred, false);
});

test('every function says when to use it; only linear lacks course remarks', () => {
  for (const a of ACTIVATIONS) {
    assert.ok(ACTIVATION_TEXT[a].use.length > 20, a);
    assert.equal(ACTIVATION_TEXT[a].course.length === 0, a === 'linear', a);
  }
  assert.equal(ACTIVATION_TEXT.relu.use, 'Hidden layers: mostly used today, the function to start with.');
  assert.equal(ACTIVATION_TEXT.softmax.use, 'The output layer of a classifier with K classes (with `categoricalCrossentropy` and one-hot labels).');
});

test('activationAlpha: the spec\'s α, else the default, only for leaky ReLU and ELU', () => {
  assert.equal(activationAlpha({ name: 'leakyRelu' }), 0.01);
  assert.equal(activationAlpha({ name: 'leakyRelu', alpha: 0.2 }), 0.2);
  assert.equal(activationAlpha({ name: 'elu' }), 1);
  assert.equal(activationAlpha({ name: 'elu', alpha: 0 }), 0);
  assert.equal(activationAlpha({ name: 'relu', alpha: 0.3 }), undefined);
});
