import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  activationCommandLink,
  activationHover,
  batchSizeHover,
  initHover,
  inputHover,
  layerHover,
  learningRateHover,
  lossHover,
  trainingCount,
  trainingHover,
} from '../../../src/core/explain';
import type { TrainingConfig } from '../../../src/core/spec/types';
import { dense24, dense24Shapes, dense41Shapes, dropout, dropoutShapes, flatten, flattenShapes } from './fixtures';

test('dense hover: the full derivation with the numbers filled in', () => {
  assert.equal(
    layerHover(dense24, dense24Shapes),
    [
      '**Layer 1: dense** · 4 units · relu',
      '',
      'y = f(x·W + b)',
      '',
      '| | one sample | |',
      '|:--|:--|:--|',
      '| x | (1×2) | a row vector of nᵢ = 2 inputs |',
      '| W | (2×4) | nᵢ×nₒ: one row per input, one column per unit |',
      '| b | (1×4) | one bias per unit |',
      '| y | (1×4) | one output per unit, nₒ = 4 |',
      '',
      '**Why W is nᵢ×nₒ:** in x·W the columns of x must match the rows of W, (1×2)·(2×4) = (1×4): so W has one row per input (nᵢ = 2) and one column per unit (nₒ = 4); column j holds the weights into unit j.',
      '',
      '**A batch** of B samples adds a leading B to x and y only: X (B×2) · W (2×4) + b (1×4) = (B×4). W and b are shared by all B samples; b is broadcast (added to each of the B rows).',
      '',
      '**Parameters:** nᵢ·nₒ + nₒ = 2·4 + 4 = 12 (48 B as float32)',
    ].join('\n'),
  );
});

test('dense hover without bias: nᵢ·nₒ only, nothing broadcast', () => {
  const md = layerHover({ ...dense24, useBias: false, name: 'chain' }, { ...dense24Shapes, biasShape: null, params: 8 });
  assert.ok(md.startsWith('**Layer 1: dense `chain`** · 4 units · relu\n\ny = f(x·W) (no bias: `"useBias": false`)'));
  assert.ok(md.includes('X (B×2) · W (2×4) = (B×4). W is shared by all B samples.'));
  assert.ok(md.endsWith('**Parameters:** nᵢ·nₒ = 2·4 = 8 (32 B as float32)'));
  assert.ok(!md.includes('| b |'));
});

test('flatten hover: the course\'s image reshape', () => {
  const md = layerHover(flatten, flattenShapes);
  assert.ok(md.startsWith('**Layer 1: flatten** · (B×3×3) → (B×9)'));
  assert.ok(md.includes('(1×3×3) → (1×9), so the next dense layer gets nᵢ = 9 inputs.'));
  assert.ok(md.endsWith('**Parameters:** 0 (a reshape, nothing to learn)'));
});

test('dropout hover says training only with the inverted scale', () => {
  const md = layerHover(dropout, dropoutShapes);
  assert.ok(md.includes('**Training only.** During training each value is set to 0 with probability 0.5 and the survivors are scaled by 1/(1 − 0.5) = 2.0'));
});

const RULE = "_Rule of thumb: Sigmoid / ReLU + Softmax for classifiers · Sigmoid, tanh sometimes avoided due to vanishing gradient · ReLU mostly used today · Start with ReLU; if you don't get optimal results, go for Leaky ReLU or ELU_";

test('activation hovers carry the course\'s f, f′, range, remarks, rule of thumb and a command link', () => {
  assert.equal(
    activationHover({ name: 'relu' }),
    [
      '**Rectified Linear Unit (ReLU)** `relu`',
      '',
      'f(x) = x for x ≥ 0, 0 for x < 0  ',
      'f′(x) = 1 for x ≥ 0, 0 for x < 0  ',
      'Range: [0, ∞) · zero-centred: no',
      '',
      'Most common activation function:',
      '- Computationally efficient',
      '- Converges very fast',
      '- Does not activate all neurons at the same time',
      '',
      'Problem:',
      '- Gradient is zero for x < 0 and can cause vanishing gradient → dead ReLUs may happen',
      '- Not zero centered',
      '',
      'Usage:',
      '- Mostly used in hidden layers',
      '- Positive bias at init to get active ReLU',
      '',
      '**Use:** Hidden layers: mostly used today, the function to start with.',
      '',
      RULE,
      '',
      '[$(graph-line) Show relu in the activation explorer](command:nnlab.showActivations?%5B%22relu%22%5D)',
    ].join('\n'),
  );
  const sig = activationHover({ name: 'sigmoid' });
  assert.ok(sig.includes('f(x) = 1 / (1 + e⁻ˣ)  \nf′(x) = f(x)·(1 − f(x))  \nRange: (0, 1) · zero-centred: no'));
  assert.ok(sig.includes('\n\nTwo main problems:\n- Causes vanishing gradient: gradient nearly zero for very large or small x, kills gradient and network stops learning\n'));
  assert.ok(sig.includes("- Output isn't zero centered: always all gradients positive or all negative, inefficient weight updates"));
  assert.ok(activationHover({ name: 'tanh' }).includes('f′(x) = 4 / (eˣ + e⁻ˣ)² = 1 − f(x)²  \nRange: (−1, 1) · zero-centred: yes'));
  assert.ok(activationHover({ name: 'leakyRelu', alpha: 0.01 }).includes('f(x) = x for x ≥ 0, a·x for x < 0 (a = 0.01)  \nf′(x) = 1 for x ≥ 0, a for x < 0  \n'));
  assert.ok(activationHover({ name: 'elu' }).includes('f(x) = x for x ≥ 0, a·(eˣ − 1) for x < 0 (a = 1)  \nf′(x) = 1 for x ≥ 0, a·eˣ for x < 0  \nRange: (−a, ∞) for a > 0'));
  const soft = activationHover({ name: 'softmax' });
  assert.ok(soft.includes('\n\n- Type of Sigmoid, handy for classification problems\n- Divides by the sum of all outputs, allows for percentage representation\n\n'));
  assert.ok(soft.includes('**Use:** The output layer of a classifier with K classes (with `categoricalCrossentropy` and one-hot labels).'));
  const lin = activationHover({ name: 'linear' });
  assert.ok(lin.includes("\n\nNot one of the course's activation functions: f leaves z = x·W + b as it is, y = z.\n\n"));
  assert.ok(lin.includes(`\n\n${RULE}\n\n`));
  assert.equal(decodeURIComponent(activationCommandLink('leakyRelu')), 'command:nnlab.showActivations?["leakyRelu"]');
});

test('init hover: He σ with the layer\'s nᵢ (the issue\'s example), Glorot limit, zeros symmetry', () => {
  const he = initHover({ type: 'he' }, 'W', dense24Shapes);
  assert.ok(he.startsWith('**Weights W (2×4) of layer 1** · He normal\n\nHe: W ~ N(0, σ²) with σ = √(2/nᵢ) = √(2/2) = 1.0 (nᵢ = 2'));
  assert.ok(he.includes('the symmetry is never broken'));
  const he784 = initHover({ type: 'he' }, 'W', { ...dense24Shapes, weightShape: [784, 128] });
  assert.ok(he784.includes('σ = √(2/nᵢ) = √(2/784) = 0.0505'));
  const gl = initHover({ type: 'glorot' }, 'W', dense41Shapes);
  assert.ok(gl.includes('l = √(6/(nᵢ + nₒ)) = √(6/(4 + 1)) = 1.1'));
  const zeros = initHover({ type: 'zeros' }, 'W', dense24Shapes);
  assert.ok(zeros.includes('All 8 weights start at 0.') && zeros.includes('**Why not zeros:**'));
  const normal = initHover({ type: 'normal', mean: 0, std: 0.4 }, 'W', dense24Shapes);
  assert.ok(normal.includes('W ~ N(0, σ²) with σ = 0.4') && normal.includes('√(2/2) = 1.0'));
  const bias = initHover({ type: 'zeros' }, 'b', dense24Shapes);
  assert.equal(bias, '**Bias b (1×4) of layer 1** · zeros\n\nAll 4 biases start at 0.\nFine for a bias: the random W already breaks the symmetry.');
});

const training = (over: Partial<TrainingConfig>): TrainingConfig => ({ epochs: 500, batchSize: 4, shuffle: true, seed: 1, validationSplit: 0, ...over });

test('batch size hover: which kind of descent, and steps per epoch', () => {
  const full4 = batchSizeHover(training({ batchSize: 4 }), 4, [2]);
  assert.ok(full4.includes('| ▸ gradient descent |'));
  assert.ok(full4.includes('a batch of 4 takes all of them: this is full gradient descent.'));
  assert.ok(full4.includes('**Steps per epoch:** ⌈N/m⌉ = ⌈4/4⌉ = 1, with N = 4 training samples.'));
  const mini = batchSizeHover(training({ batchSize: 32, validationSplit: 0.2 }), 1000, [2]);
  assert.ok(mini.includes('| ▸ mini-batch |') && !mini.includes('▸ gradient'));
  assert.ok(mini.includes('⌈800/32⌉ = 25, with N = 800 training samples (1,000 minus 200 for validation).'));
  assert.ok(mini.includes('X (32×2)'));
  const sgd = batchSizeHover(training({ batchSize: 1 }), 4, [2]);
  assert.ok(sgd.includes('| ▸ stochastic |') && sgd.includes('⌈4/1⌉ = 4'));
  const full = batchSizeHover(training({ batchSize: 'full' }), 200, [2]);
  assert.ok(full.startsWith('**Batch size** `"full"`') && full.includes('⌈200/200⌉ = 1'));
  assert.ok(batchSizeHover(training({}), undefined, [2]).includes('known once the data file is read'));
  assert.equal(trainingCount(150, 0.2), 120);
  assert.equal(trainingCount(4, 0), 4);
});

test('loss and learning-rate hovers: formula and the update rule', () => {
  const mse = lossHover('mse');
  assert.ok(mse.includes('L = 1/n Σᵢ₌₁ⁿ (yᵢ − ŷᵢ)²') && mse.includes('Δw = −α ∂L/∂w'));
  assert.ok(lossHover('categoricalCrossentropy').includes('L = −1/n Σᵢ₌₁ⁿ Σₖ ŷᵢₖ·log yᵢₖ'));
  assert.ok(lossHover('binaryCrossentropy').includes('sigmoid'));
  const lr = learningRateHover({ type: 'sgd', learningRate: 0.3 });
  assert.ok(lr.startsWith('**Learning rate** α = 0.3 · sgd\n\nΔw = −α ∂L/∂w = −0.3·∂L/∂w'));
  // the course's 1-D example, checked: w₁ = w₀ − α·2w₀
  for (const [a, w1] of [[0.3, 0.72], [0.9, -1.44], [1.1, -2.16]] as const) {
    assert.ok(Math.abs(1.8 - a * 2 * 1.8 - w1) < 1e-12);
    assert.ok(lr.includes(String(w1).replace('-', '−')));
  }
  assert.ok(learningRateHover({ type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }).includes('β₁ = 0.9'));
});

test('input hover mentions flatten for images', () => {
  const spec = { input: { shape: [3, 3] } } as Parameters<typeof inputHover>[0];
  assert.ok(inputHover(spec).includes('needs a `flatten` layer (→ (B×9))'));
});

test('training hovers: epochs, ε and the validation split with the trainer\'s rounding', () => {
  const t = training({ epochs: 500, stopWhenLossBelow: 0.001, validationSplit: 0.2 });
  assert.ok(trainingHover('epochs', t, 150).includes('Stops earlier once the epoch\'s loss is below ε = 0.001.'));
  assert.ok(trainingHover('stopWhenLossBelow', t, 150).includes('until L < ε (at most 500 epochs)'));
  // 150 × 0.2 = 30 held back (the trainer rounds), 120 trained on
  assert.ok(trainingHover('validationSplit', t, 150).endsWith('Here: 30 of 150 samples for validation, 120 for training.'));
  assert.equal(trainingCount(10, 0.25), 7); // round(2.5) = 3 held back, as the trainer does
  assert.equal(trainingCount(2, 0.9), 1); // at most N − 1 held back
});
