// Hover text for `.nn.json` files: short Markdown that teaches the course's formulas with this spec's
// numbers filled in. Pure: the editor wraps the strings in a MarkdownString (command links trusted
// only for `nnlab.showActivations`). Formulas are written with Unicode so they render in every hover.
import type { Activation, ActivationName, DataSource, Initializer, Layer, LayerShapes, LossName, NetworkShapes, NetworkSpec, Optimizer, TrainingConfig } from './types';
import type { JsonPath } from '../spec/types';
import { count, dims, num, oneSample, real } from './format';
import { formatBytes as bytes } from '../spec/shapes';
import { ACTIVATION_TEXT, RULE_OF_THUMB, activationAlpha } from './activations';
import { humanIndex, layerName } from './indices';

/** The command a hover links to, so the editor can trust exactly these. */
export const ACTIVATION_COMMAND = 'nnlab.showActivations';

/** `command:nnlab.showActivations?["relu"]`, URI-encoded as VS Code expects for command links. */
export function activationCommandLink(name: ActivationName): string {
  return `command:${ACTIVATION_COMMAND}?${encodeURIComponent(JSON.stringify([name]))}`;
}

function layerTitle(layer: Layer, index: number): string {
  const name = layer.name ? ` \`${layer.name}\`` : '';
  return `**Layer ${humanIndex(index)}: ${layer.type}${name}**`;
}

// ---------------------------------------------------------------------------------------------
// Layers

/** The derivation of a layer's shapes (hover on the layer or its `units`). */
export function layerHover(layer: Layer, s: LayerShapes): string {
  switch (layer.type) {
    case 'dense':
      return denseHover(layer, s);
    case 'flatten':
      return flattenHover(layer, s);
    case 'dropout':
      return dropoutHover(layer, s);
  }
}

function denseHover(layer: Extract<Layer, { type: 'dense' }>, s: LayerShapes): string {
  const [ni, no] = s.weightShape ?? [Number(s.inputShape[s.inputShape.length - 1]), layer.units];
  const x1 = dims(oneSample(s.inputShape));
  const y1 = dims(oneSample(s.outputShape));
  const f = layer.activation.name;
  const bias = layer.useBias;
  const lines: string[] = [];
  lines.push(`${layerTitle(layer, s.index)} · ${no} ${no === 1 ? 'unit' : 'units'} · ${f}`);
  lines.push('');
  lines.push(bias ? 'y = f(x·W + b)' : 'y = f(x·W) (no bias: `"useBias": false`)');
  lines.push('');
  lines.push('| | one sample | |');
  lines.push('|:--|:--|:--|');
  lines.push(`| x | ${x1} | a row vector of nᵢ = ${ni} ${ni === 1 ? 'input' : 'inputs'} |`);
  lines.push(`| W | ${dims([ni, no])} | nᵢ×nₒ: one row per input, one column per unit |`);
  if (bias) lines.push(`| b | ${dims([1, no])} | one bias per unit |`);
  lines.push(`| y | ${y1} | one output per unit, nₒ = ${no} |`);
  lines.push('');
  lines.push(
    `**Why W is nᵢ×nₒ:** in x·W the columns of x must match the rows of W, ` +
      `${x1}·${dims([ni, no])} = ${dims([1, no])}: so W has one row per input (nᵢ = ${ni}) ` +
      `and one column per unit (nₒ = ${no}); column j holds the weights into unit j.`,
  );
  lines.push('');
  lines.push(
    `**A batch** of B samples adds a leading B to x and y only: ` +
      `X ${dims(s.inputShape)} · W ${dims([ni, no])}${bias ? ` + b ${dims([1, no])}` : ''} = ${dims(s.outputShape)}. ` +
      `W${bias ? ' and b are' : ' is'} shared by all B samples` +
      (bias ? '; b is broadcast (added to each of the B rows).' : '.'),
  );
  lines.push('');
  lines.push(
    bias
      ? `**Parameters:** nᵢ·nₒ + nₒ = ${ni}·${no} + ${no} = ${count(ni * no + no)} (${bytes((ni * no + no) * 4)} as float32)`
      : `**Parameters:** nᵢ·nₒ = ${ni}·${no} = ${count(ni * no)} (${bytes(ni * no * 4)} as float32)`,
  );
  return lines.join('\n');
}

function flattenHover(layer: Layer, s: LayerShapes): string {
  const n = s.outputShape[s.outputShape.length - 1];
  return [
    `${layerTitle(layer, s.index)} · ${dims(s.inputShape)} → ${dims(s.outputShape)}`,
    '',
    `A fully connected layer needs a vector: ${dims(oneSample(s.inputShape))}·W does not fit a matrix W. ` +
      `Flatten stacks the values of each sample into one row, ${dims(oneSample(s.inputShape))} → ${dims(oneSample(s.outputShape))}, ` +
      `so the next dense layer gets nᵢ = ${n} inputs. The batch dimension B stays in front.`,
    '',
    '**Parameters:** 0 (a reshape, nothing to learn)',
  ].join('\n');
}

function dropoutHover(layer: Extract<Layer, { type: 'dropout' }>, s: LayerShapes): string {
  const keep = 1 - layer.rate;
  return [
    `${layerTitle(layer, s.index)} · rate ${num(layer.rate)} · ${dims(s.inputShape)} → ${dims(s.outputShape)}`,
    '',
    `**Training only.** During training each value is set to 0 with probability ${num(layer.rate)} ` +
      `and the survivors are scaled by 1/(1 − ${num(layer.rate)}) = ${real(1 / keep)}, so the expected value is unchanged. ` +
      'At inference (prediction, validation) the layer passes its input through unchanged.',
    '',
    '**Parameters:** 0',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Activations: the course's text from the one table (activations.ts), shared with the explorer

/** Hover on `activation`: f(x), f′(x), range, when to use, the course's remarks and rule of thumb, a link to the explorer. */
export function activationHover(a: Activation): string {
  const t = ACTIVATION_TEXT[a.name];
  const alpha = activationAlpha(a);
  const lines = [
    `**${t.title}** \`${a.name}\``,
    '',
    `${t.f.text}${alpha === undefined ? '' : ` (a = ${num(alpha)})`}  `,
    `${t.df.text}  `,
    `Range: ${t.range} · zero-centred: ${t.zeroCentred ? 'yes' : 'no'}`,
  ];
  for (const g of t.course) lines.push('', ...(g.head ? [g.head] : []), ...g.items.map((i) => `- ${i}`));
  for (const e of t.extra) lines.push('', e);
  lines.push(
    '',
    `**Use:** ${t.use}`,
    '',
    `_Rule of thumb: ${RULE_OF_THUMB.join(' · ')}_`,
    '',
    `[$(graph-line) Show ${a.name} in the activation explorer](${activationCommandLink(a.name)})`,
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Initializers

const SYMMETRY =
  '**Why not zeros:** if every weight starts equal, every unit of the layer computes the same output and gets the same gradient, ' +
  'so the units stay identical after every update: the symmetry is never broken and the layer learns like a single unit.';

/** Hover on `init` (target W) or `biasInit` (target b) of a dense layer. */
export function initHover(init: Initializer, target: 'W' | 'b', s: LayerShapes): string {
  const [ni, no] = s.weightShape ?? [0, 0];
  const shape = target === 'W' ? dims([ni, no]) : dims([1, no]);
  const n = target === 'W' ? ni * no : no;
  const head = `**${target === 'W' ? 'Weights' : 'Bias'} ${target} ${shape} of ${layerName(s.index)}** · ${initName(init)}`;
  const body: string[] = [];
  switch (init.type) {
    case 'he': {
      const sigma = Math.sqrt(2 / ni);
      body.push(`He: ${target} ~ N(0, σ²) with σ = √(2/nᵢ) = √(2/${ni}) = ${real(sigma)} (nᵢ = ${ni}, the inputs of this layer).`);
      body.push('The spread shrinks as nᵢ grows, so the variance of the activations stays steady from layer to layer: the right choice for ReLU.');
      break;
    }
    case 'glorot': {
      const limit = Math.sqrt(6 / (ni + no));
      body.push(
        `Glorot (Xavier) uniform: ${target} ~ U(−l, l) with l = √(6/(nᵢ + nₒ)) = √(6/(${ni} + ${no})) = ${real(limit)}.`,
      );
      body.push('Balances the variance of the forward signal and of the backward gradient: suited to sigmoid and tanh.');
      break;
    }
    case 'normal':
      body.push(`Normal: ${target} ~ N(${num(init.mean)}, σ²) with σ = ${num(init.std)}, the same spread whatever the layer size.`);
      if (target === 'W') body.push(`He would scale it to the layer: σ = √(2/nᵢ) = √(2/${ni}) = ${real(Math.sqrt(2 / ni))}.`);
      break;
    case 'uniform':
      body.push(`Uniform: ${target} ~ U(${num(init.min)}, ${num(init.max)}).`);
      break;
    case 'zeros':
      body.push(`All ${count(n)} ${target === 'W' ? 'weights' : 'biases'} start at 0.`);
      if (target === 'b') body.push('Fine for a bias: the random W already breaks the symmetry.');
      break;
    case 'constant':
      body.push(`All ${count(n)} ${target === 'W' ? 'weights' : 'biases'} start at ${num(init.value)}.`);
      if (target === 'b') body.push('A small positive bias keeps ReLU units active at the start.');
      break;
    case 'values':
      body.push(`Explicit values: ${target} is exactly the ${shape} ${target === 'W' ? 'matrix' : 'vector'} written here (e.g. a worked example of the course).`);
      break;
  }
  const showSymmetry = target === 'W' || init.type === 'zeros';
  return [head, '', ...body, ...(showSymmetry && !(target === 'b' && init.type === 'zeros') ? ['', SYMMETRY] : [])].join('\n');
}

function initName(init: Initializer): string {
  return init.type === 'he' ? 'He normal' : init.type === 'glorot' ? 'Glorot uniform' : init.type;
}

// ---------------------------------------------------------------------------------------------
// Training settings

/** Number of samples the data section yields, when knowable without reading files. */
export function sampleCount(data: DataSource | undefined, csvRows?: number): number | undefined {
  if (!data) return undefined;
  switch (data.type) {
    case 'inline':
      return data.x.length;
    case 'generator':
    case 'mnist':
      return data.samples;
    case 'csv':
      return csvRows;
  }
}

/** Training samples after the validation split: the trainer holds back round(N·split) (at most N − 1). */
export function trainingCount(n: number, validationSplit: number): number {
  if (!(validationSplit > 0)) return n;
  return n - Math.max(0, Math.min(n - 1, Math.round(n * validationSplit)));
}

/** Hover on `training.batchSize`: gradient descent vs stochastic vs mini-batch, and the steps per epoch. */
export function batchSizeHover(training: TrainingConfig, n: number | undefined, inputShape: readonly number[]): string {
  const bs = training.batchSize;
  const nTrain = n !== undefined ? trainingCount(n, training.validationSplit) : undefined;
  const mark = (on: boolean): string => (on ? '▸ ' : '');
  const isFull = bs === 'full' || (nTrain !== undefined && bs >= nTrain);
  const rows = [
    `| ${mark(isFull)}gradient descent | \`"full"\` | all data each step: L(X) = 1/n Σᵢ₌₁ⁿ (yᵢ − ŷᵢ)², exact gradient, most compute per step |`,
    `| ${mark(bs === 1)}stochastic | \`1\` | one random sample: L = (y − ŷ)², cheap but noisy steps, finding the minimum takes longer |`,
    `| ${mark(!isFull && bs !== 1)}mini-batch | \`m\` | L = 1/m Σᵢ₌₁ᵐ (yᵢ − ŷᵢ)²: minimise the global loss with local ones, the compromise |`,
  ];
  const lines = [`**Batch size** \`${bs === 'full' ? '"full"' : bs}\``, '', '| | batchSize | each step |', '|:--|:--|:--|', ...rows, ''];
  if (nTrain !== undefined) {
    const m = bs === 'full' ? nTrain : Math.min(bs, nTrain);
    const steps = Math.ceil(nTrain / m);
    const split = training.validationSplit > 0 ? ` (${count(n ?? 0)} minus ${count((n ?? 0) - nTrain)} for validation)` : '';
    if (bs !== 'full' && bs >= nTrain) lines.push(`With N = ${count(nTrain)} training samples, a batch of ${count(bs)} takes all of them: this is full gradient descent.`, '');
    lines.push(`**Steps per epoch:** ⌈N/m⌉ = ⌈${count(nTrain)}/${count(m)}⌉ = ${count(steps)}, with N = ${count(nTrain)} training samples${split}.`);
    lines.push('');
    lines.push(`Each step feeds X ${dims([m, ...inputShape])} through the network; W and b are shared by the ${count(m)} rows.`);
  } else {
    lines.push('**Steps per epoch:** ⌈N/m⌉ for N training samples (the data size is known once the data file is read).');
  }
  return lines.join('\n');
}

const LOSS_TEXT: Record<LossName, { title: string; formula: string; note: string }> = {
  mse: {
    title: 'Mean squared error',
    formula: 'L = 1/n Σᵢ₌₁ⁿ (yᵢ − ŷᵢ)²',
    note: 'For regression; ∂L/∂yᵢ = 2/n·(yᵢ − ŷᵢ).',
  },
  binaryCrossentropy: {
    title: 'Binary cross-entropy',
    formula: 'L = −1/n Σᵢ₌₁ⁿ [ŷᵢ·log yᵢ + (1 − ŷᵢ)·log(1 − yᵢ)]',
    note: 'For yes/no outputs in (0, 1): pair it with a sigmoid output layer.',
  },
  categoricalCrossentropy: {
    title: 'Categorical cross-entropy',
    formula: 'L = −1/n Σᵢ₌₁ⁿ Σₖ ŷᵢₖ·log yᵢₖ',
    note: 'For K classes with one-hot labels ŷ: pair it with a softmax output layer.',
  },
};

const UPDATE_RULE = 'Each step moves every weight against its gradient: Δw = −α ∂L/∂w (α = learning rate).';

/** Hover on `loss`. y is the network's output, ŷ the target, n the samples in the step. */
export function lossHover(loss: LossName): string {
  const t = LOSS_TEXT[loss];
  return [`**${t.title}** \`${loss}\``, '', t.formula, '', `y: the network's output, ŷ: the target, n: samples in the step. ${t.note}`, '', UPDATE_RULE].join('\n');
}

/** Hover on `optimizer.learningRate` (and the optimizer's `type`). */
export function learningRateHover(opt: Optimizer): string {
  const a = num(opt.learningRate);
  const lines = [`**Learning rate** α = ${a} · ${opt.type}`, ''];
  switch (opt.type) {
    case 'sgd':
      lines.push(`Δw = −α ∂L/∂w = −${a}·∂L/∂w for every weight and bias, each step.`);
      break;
    case 'momentum':
      lines.push(`v ← μ·v − α ∂L/∂w, w ← w + v (μ = ${num(opt.momentum)}): plain Δw = −α ∂L/∂w plus a running velocity.`);
      break;
    case 'adam':
      lines.push(
        `Adam: the step Δw = −α·m̂ / (√v̂ + ε) uses running averages of the gradient (β₁ = ${num(opt.beta1)}) ` +
          `and of its square (β₂ = ${num(opt.beta2)}); α = ${a} bounds the step size. Plain gradient descent is Δw = −α ∂L/∂w.`,
      );
      break;
  }
  lines.push('');
  lines.push(
    'The course\'s 1-D example, L = w², ∂L/∂w = 2w, w₀ = 1.8: α = 0.3 gives w₁ = 1.8 − 0.3·3.6 = 0.72 and converges; ' +
      'α = 0.9 oscillates (w₁ = −1.44); α = 1.1 diverges (w₁ = −2.16).',
  );
  return lines.join('\n');
}

/** Hover on `input.shape`: one sample, without the batch dimension. */
export function inputHover(spec: NetworkSpec): string {
  const shape = spec.input.shape;
  const lines = [
    `**Input** ${dims(shape)} per sample`,
    '',
    `One sample, without the batch dimension: x ${dims([1, ...shape])}; a batch of B samples is X ${dims(['B', ...shape])}.`,
  ];
  if (shape.length > 1) {
    lines.push('', `A ${shape.join('×')} input needs a \`flatten\` layer (→ ${dims(['B', shape.reduce((p, d) => p * d, 1)])}) before the first dense layer.`);
  }
  return lines.join('\n');
}

/** Hover on `training.epochs`, `stopWhenLossBelow` and `validationSplit`: the course's training loop. */
export function trainingHover(key: 'epochs' | 'stopWhenLossBelow' | 'validationSplit', training: TrainingConfig, n: number | undefined): string {
  const loop = 'for n < max_epochs: forward path → backward path → update weights';
  switch (key) {
    case 'epochs':
      return [
        `**Epochs** ${count(training.epochs)}`,
        '',
        `One epoch shows the network every training sample once. The course's loop: ${loop}.`,
        ...(training.stopWhenLossBelow !== undefined ? ['', `Stops earlier once the epoch's loss is below ε = ${num(training.stopWhenLossBelow)}.`] : []),
      ].join('\n');
    case 'stopWhenLossBelow':
      return [
        `**Stop when loss < ε** (ε = ${num(training.stopWhenLossBelow ?? 0)})`,
        '',
        `The ε of the course's gradient descent: ${loop}, until L < ε (at most ${count(training.epochs)} epochs).`,
        '',
        'E.g. L = w², α = 0.3, w₀ = 1.8, ε = 0.001: w shrinks by the factor 1 − 2α = 0.4 each step.',
      ].join('\n');
    case 'validationSplit': {
      const lines = [`**Validation split** ${num(training.validationSplit)}`, ''];
      lines.push('This share of the samples is held back: never trained on, only evaluated, so the validation loss shows how well the network generalises.');
      if (n !== undefined && training.validationSplit > 0) {
        const t = trainingCount(n, training.validationSplit);
        lines.push('', `Here: ${count(n - t)} of ${count(n)} samples for validation, ${count(t)} for training.`);
      }
      return lines.join('\n');
    }
  }
}

/**
 * The hover for what is at `path` in an analysed spec (the cursor's JSON path), or undefined where
 * there is nothing to teach. `samples`: the data size when known (CSV files are read only in trusted
 * workspaces).
 */
export function hoverFor(spec: NetworkSpec, shapes: NetworkShapes | undefined, samples: number | undefined, path: JsonPath): string | undefined {
  const [head, i, key] = path;
  if (head === 'layers' && typeof i === 'number') {
    const layer = spec.layers[i];
    const s = shapes?.layers[i];
    if (!layer || !s) return undefined;
    if (key === 'activation' && layer.type === 'dense') return activationHover(layer.activation);
    if ((key === 'init' || key === 'biasInit') && layer.type === 'dense') return initHover(key === 'init' ? layer.init : layer.biasInit, key === 'init' ? 'W' : 'b', s);
    return layerHover(layer, s);
  }
  const n = samples ?? sampleCount(spec.data);
  if (head === 'training' && i === 'batchSize') return batchSizeHover(spec.training, n, spec.input.shape);
  if (head === 'training' && (i === 'epochs' || i === 'stopWhenLossBelow' || i === 'validationSplit')) return trainingHover(i, spec.training, n);
  if (head === 'loss') return lossHover(spec.loss);
  if (head === 'optimizer') return learningRateHover(spec.optimizer);
  if (head === 'input') return inputHover(spec);
  return undefined;
}
