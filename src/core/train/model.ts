// The network as TensorFlow.js variables and ops, built exactly from the spec and from initial weights
// (init.ts or a saved run). Every tensor op goes through the backend's own `tf` (a native backend
// brings its own tfjs-core), so nothing here imports tfjs-core's values.
import type * as tfc from '@tensorflow/tfjs-core';
import type { Activation, DenseLayer, LossName, NetworkSpec } from '../spec/types';
import type { LayerWeights } from '../../protocol/training';
import type { TfCore } from './backend';
import { denseFanIns } from './init';
import { alphaOf } from '../nn/activations';
import { EPSILON, foldsActivation } from '../nn/loss';

type Tensor = tfc.Tensor;

interface DenseVars {
  kind: 'dense';
  index: number;
  name: string;
  layer: DenseLayer;
  nIn: number;
  W: tfc.Variable;
  b?: tfc.Variable;
}
type Step = DenseVars | { kind: 'flatten' } | { kind: 'dropout'; rate: number };

/** Fused-activation names tfjs's fused matMul supports with gradients. */
const FUSABLE: ReadonlySet<string> = new Set(['linear', 'relu']);

export class Model {
  readonly steps: Step[];
  readonly dense: DenseVars[];
  /** output activation is folded into the loss (sigmoid+BCE, softmax+CCE) for numerical stability */
  private readonly logitLoss: boolean;

  constructor(
    readonly tf: TfCore,
    readonly spec: NetworkSpec,
    weights: LayerWeights[],
  ) {
    const fans = denseFanIns(spec);
    if (weights.length !== fans.length) throw new Error(`expected weights for ${fans.length} dense layers, got ${weights.length}`);
    this.dense = fans.map((f, i) => {
      const w = weights[i];
      const nOut = f.layer.units;
      if (w.W.length !== f.nIn || w.W.some((r) => r.length !== nOut)) {
        throw new Error(`layers[${f.index}] (${f.name}): weights must be ${f.nIn}×${nOut}, got ${w.W.length}×${w.W[0]?.length ?? 0}`);
      }
      if (f.layer.useBias && (!w.b || w.b.length !== nOut)) throw new Error(`layers[${f.index}] (${f.name}): bias must have ${nOut} values`);
      // unnamed: tfjs variable names are process-global and must stay unique across runs
      const W = tf.tidy(() => tf.variable(tf.tensor2d(w.W.flat(), [f.nIn, nOut], 'float32'), true)); // tidy frees the initial tensor
      const bias = w.b;
      const b = f.layer.useBias && bias ? tf.tidy(() => tf.variable(tf.tensor1d(bias, 'float32'), true)) : undefined;
      return { kind: 'dense' as const, index: f.index, name: f.name, layer: f.layer, nIn: f.nIn, W, b };
    });
    let d = 0;
    this.steps = spec.layers.map((l): Step => (l.type === 'dense' ? this.dense[d++] : l.type === 'flatten' ? { kind: 'flatten' } : { kind: 'dropout', rate: l.rate }));
    this.directMatMul = tf.getBackend() === 'cpu';
    this.logitLoss = outputFoldedIntoLoss(spec);
  }

  /**
   * The pure-JS backend takes 2-D operands and a 1-D bias in its _FusedMatMul kernel directly (the
   * explicit backward pass below needs no gradient of it); other backends keep the op.
   */
  private readonly directMatMul: boolean;

  /** W and b of every dense layer, in layer order: the same array every call (read each training step; do not change it) */
  variables(): tfc.Variable[] {
    return (this.vars ??= this.dense.flatMap((d) => (d.b ? [d.W, d.b] : [d.W])));
  }
  private vars: tfc.Variable[] | undefined;

  private activate(x: Tensor, a: Activation): Tensor {
    const tf = this.tf;
    switch (a.name) {
      case 'linear':
        return x;
      case 'sigmoid':
        return tf.sigmoid(x);
      case 'tanh':
        return tf.tanh(x);
      case 'relu':
        return tf.relu(x);
      case 'leakyRelu':
        return tf.leakyRelu(x, alphaOf(a.name, a.alpha));
      case 'elu': {
        const alpha = alphaOf(a.name, a.alpha);
        // relu(x) + α·(e^{min(x,0)} − 1): differentiable by tfjs too (a `where` on a comparison is not)
        return alpha === 1 ? tf.elu(x) : tf.add(tf.relu(x), tf.mul(alpha, tf.sub(tf.exp(tf.neg(tf.relu(tf.neg(x)))), 1)));
      }
      case 'softmax':
        return tf.softmax(x);
    }
  }

  private denseForward(x: Tensor, d: DenseVars, applyActivation: boolean): Tensor {
    const tf = this.tf;
    let x2 = x;
    const rank = x.rank;
    if (rank !== 2) x2 = tf.reshape(x, [-1, d.nIn]);
    const act = d.layer.activation.name;
    const fuse = applyActivation && FUSABLE.has(act);
    let y: Tensor = tf.fused.matMul({ a: x2 as tfc.Tensor2D, b: d.W as tfc.Tensor2D, bias: d.b, activation: fuse ? (act as 'relu' | 'linear') : 'linear' });
    if (applyActivation && !fuse) y = this.activate(y, d.layer.activation);
    if (rank !== 2) y = tf.reshape(y, [...x.shape.slice(0, -1), d.layer.units]);
    return y;
  }

  /**
   * Forward pass. With `logits` the last layer's activation is left out when the loss folds it in.
   * `dropoutSeed` (training only) makes dropout masks reproducible.
   */
  forward(x: Tensor, opts: { training: boolean; dropoutSeed?: number; logits?: boolean } = { training: false }): Tensor {
    const tf = this.tf;
    let h = x;
    const lastDense = this.dense[this.dense.length - 1];
    let k = 0;
    for (const s of this.steps) {
      if (s.kind === 'flatten') h = tf.reshape(h, [h.shape[0], -1]);
      else if (s.kind === 'dropout') {
        if (opts.training && s.rate > 0) h = tf.dropout(h, s.rate, undefined, (opts.dropoutSeed ?? 0) + k++);
      } else h = this.denseForward(h, s, !(opts.logits && this.logitLoss && s === lastDense));
    }
    return h;
  }

  /** Mean loss over the batch from the forward pass's (possibly logit) output. */
  loss(out: Tensor, y: Tensor): tfc.Scalar {
    return lossFrom(this.tf, this.spec.loss, out, y, this.logitLoss);
  }

  /** Output probabilities/values (activation applied) from a forward(…, {logits: true}) output. */
  outputFromLogits(out: Tensor): Tensor {
    if (!this.logitLoss) return out;
    return this.spec.loss === 'binaryCrossentropy' ? this.tf.sigmoid(out) : this.tf.softmax(out);
  }

  isLogitLoss(): boolean {
    return this.logitLoss;
  }

  /**
   * One optimiser step, inside the caller's tidy: the loss's gradients (gradients below) applied by
   * `optimizer` to the variables. Returns the loss and the (logit) output of the batch.
   */
  step(optimizer: tfc.Optimizer, x: Tensor, y: Tensor, dropoutSeed = 0): { loss: tfc.Scalar; out: Tensor } {
    const { loss, out, grads } = this.gradients(x, y, dropoutSeed);
    const named: tfc.NamedTensorMap = {};
    this.variables().forEach((v, i) => (named[v.name] = grads[i]));
    optimizer.applyGradients(named);
    return { loss, out };
  }

  /**
   * One training step's forward and backward path, written out as the course derives it instead of
   * through tfjs's gradient tape (fewer ops, no tape bookkeeping: what makes tiny nets fast):
   *   forward  z = a·W + b, a' = f(z) per layer, then the loss;
   *   backward δ = ∂L/∂z from the loss, ∂L/∂W = aᵀ·δ, ∂L/∂b = Σ_rows δ, ∂L/∂a = δ·Wᵀ, δ_prev = ∂L/∂a ⊙ f'(z).
   * Returns the loss, the (logit) output and one gradient per variable, in variables() order.
   * Call inside tf.tidy. Checked against tf.variableGrads in test/unit/train/backprop.test.ts.
   * `rowMask` (B×1 of 0/1, stepping one sample: src/core/train/stepping.ts) keeps the rows it marks in
   * ∂L/∂out: the gradients are then those rows' share of the batch gradient, with the batch's dropout mask.
   */
  gradients(x: Tensor, y: Tensor, dropoutSeed = 0, rowMask?: Tensor): { loss: tfc.Scalar; out: Tensor; grads: Tensor[] } {
    const tf = this.tf;
    type Cache =
      | { kind: 'dense'; d: DenseVars; a: Tensor; inShape: number[]; z?: Tensor; y: Tensor; act: boolean }
      | { kind: 'flatten'; inShape: number[] }
      | { kind: 'dropout'; mask: Tensor };
    const caches: Cache[] = [];
    const lastDense = this.dense[this.dense.length - 1];
    let h = x;
    let k = 0;
    for (const s of this.steps) {
      if (s.kind === 'flatten') {
        caches.push({ kind: 'flatten', inShape: h.shape });
        h = tf.reshape(h, [h.shape[0], -1]);
      } else if (s.kind === 'dropout') {
        if (s.rate > 0) {
          const keep = 1 - s.rate;
          const mask = tf.div(tf.floor(tf.add(tf.randomUniform(h.shape, 0, 1, 'float32', dropoutSeed + k++), keep)), keep);
          caches.push({ kind: 'dropout', mask });
          h = tf.mul(h, mask);
        }
      } else {
        const act = !(this.logitLoss && s === lastDense);
        const inShape = h.shape;
        const a = h.rank === 2 ? h : tf.reshape(h, [-1, s.nIn]);
        // relu is fused into the matmul (one op fewer); its derivative only needs y > 0 ⇔ z > 0
        const relu = act && s.layer.activation.name === 'relu';
        const z = this.directMatMul
          ? // the kernel tf.fused.matMul would run, without its wrapper (3 reshapes and a custom-gradient
            // scope: ~6 µs of CPU a layer, 10–15 % of a tiny net's step; bench/profile-tiny.ts)
            (tf.engine().runKernel('_FusedMatMul', { a, b: s.W, ...(s.b ? { bias: s.b } : {}) }, { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear' }) as Tensor)
          : tf.fused.matMul({ a: a as tfc.Tensor2D, b: s.W as tfc.Tensor2D, bias: s.b, activation: relu ? 'relu' : 'linear' });
        const out = act && !relu ? this.activate(z, s.layer.activation) : z;
        caches.push({ kind: 'dense', d: s, a, inShape, z, y: out, act });
        h = h.rank === 2 ? out : tf.reshape(out, [...inShape.slice(0, -1), s.layer.units]);
      }
    }
    const out = h;
    const { loss, grad } = this.lossAndGrad(out, y);
    let g: Tensor | undefined = rowMask ? tf.mul(grad, rowMask) : grad;
    const grads = new Map<tfc.Variable, Tensor>();
    for (let i = caches.length - 1; i >= 0 && g; i--) {
      const c = caches[i];
      if (c.kind === 'flatten') g = tf.reshape(g, c.inShape);
      else if (c.kind === 'dropout') g = tf.mul(g, c.mask);
      else {
        const g2: Tensor = g.rank === 2 ? g : tf.reshape(g, [-1, c.d.layer.units]);
        const delta: Tensor = c.act ? this.activationGrad(g2, c.z as Tensor, c.y, c.d.layer.activation) : g2;
        grads.set(c.d.W, tf.matMul(c.a, delta, true, false));
        if (c.d.b) grads.set(c.d.b, tf.sum(delta, 0));
        const first = !caches.slice(0, i).some((p) => p.kind === 'dense');
        if (first) g = undefined;
        else {
          const back = tf.matMul(delta, c.d.W, false, true);
          g = c.inShape.length === 2 ? back : tf.reshape(back, c.inShape);
        }
      }
    }
    return { loss, out, grads: this.variables().map((v) => grads.get(v) as Tensor) };
  }

  /** The loss and ∂L/∂out, sharing the intermediate results (fewer ops per step). */
  private lossAndGrad(out: Tensor, y: Tensor): { loss: tfc.Scalar; grad: Tensor } {
    const tf = this.tf;
    if (this.spec.loss === 'mse') {
      const diff = tf.sub(out, y);
      return { loss: tf.mean(tf.square(diff)), grad: tf.mul(diff, 2 / out.size) };
    }
    if (this.spec.loss === 'categoricalCrossentropy' && this.logitLoss) {
      const logp = tf.logSoftmax(out);
      const loss = tf.neg(tf.mean(tf.sum(tf.mul(y, logp), -1))) as tfc.Scalar;
      return { loss, grad: tf.mul(tf.sub(tf.mul(tf.exp(logp), tf.sum(y, -1, true)), y), 1 / out.shape[0]) };
    }
    return { loss: this.loss(out, y), grad: this.lossGrad(out, y) };
  }

  /** ∂L/∂out for the loss (with respect to the logits when the loss folds in the activation). */
  private lossGrad(out: Tensor, y: Tensor): Tensor {
    const tf = this.tf;
    const B = out.shape[0];
    const size = out.size;
    switch (this.spec.loss) {
      case 'mse':
        return tf.mul(tf.sub(out, y), 2 / size);
      case 'binaryCrossentropy': {
        if (this.logitLoss) return tf.mul(tf.sub(tf.sigmoid(out), y), 1 / size);
        // −y/p + (1−y)/(1−p) where p is inside the clip range, 0 where clipped
        const p = tf.clipByValue(out, EPSILON, 1 - EPSILON);
        const g = tf.mul(tf.sub(tf.div(tf.sub(1, y), tf.sub(1, p)), tf.div(y, p)), 1 / size);
        return tf.where(tf.logicalAnd(tf.greaterEqual(out, EPSILON), tf.lessEqual(out, 1 - EPSILON)), g, tf.zerosLike(g));
      }
      case 'categoricalCrossentropy': {
        if (this.logitLoss) return tf.mul(tf.sub(tf.mul(tf.softmax(out), tf.sum(y, -1, true)), y), 1 / B);
        const p = tf.clipByValue(out, EPSILON, 1);
        const g = tf.mul(tf.div(y, p), -1 / B);
        return tf.where(tf.logicalAnd(tf.greaterEqual(out, EPSILON), tf.lessEqual(out, 1)), g, tf.zerosLike(g));
      }
    }
  }

  /** δ = ∂L/∂z from ∂L/∂y, with y = f(z). */
  private activationGrad(dy: Tensor, z: Tensor, y: Tensor, a: Activation): Tensor {
    const tf = this.tf;
    switch (a.name) {
      case 'linear':
        return dy;
      case 'sigmoid':
        return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
      case 'tanh':
        return tf.mul(dy, tf.sub(1, tf.square(y)));
      case 'relu':
        return tf.mul(dy, tf.step(y)); // y = relu(z) > 0 exactly where z > 0
      case 'leakyRelu':
        return tf.mul(dy, tf.where(tf.greater(z, 0), tf.onesLike(z), tf.fill(z.shape, alphaOf(a.name, a.alpha))));
      case 'elu':
        return tf.mul(dy, tf.where(tf.greater(z, 0), tf.onesLike(z), tf.add(y, alphaOf(a.name, a.alpha))));
      case 'softmax':
        return tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true)));
    }
  }

  async weightsAsync(): Promise<LayerWeights[]> {
    return Promise.all(
      this.dense.map(async (d) => {
        const lw: LayerWeights = { layer: d.index, name: d.name, W: (await d.W.array()) as number[][] };
        if (d.b) lw.b = (await d.b.array()) as number[];
        return lw;
      }),
    );
  }

  weights(): LayerWeights[] {
    return this.dense.map((d) => {
      const w = d.W.arraySync() as number[][];
      const lw: LayerWeights = { layer: d.index, name: d.name, W: w };
      if (d.b) lw.b = d.b.arraySync() as number[];
      return lw;
    });
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}

/**
 * Whether the output activation is folded into the loss (sigmoid + binaryCrossentropy, softmax +
 * categoricalCrossentropy): the loss is then computed from the logits, the stable form (nn/loss.ts).
 */
export function outputFoldedIntoLoss(spec: NetworkSpec): boolean {
  return foldsActivation(spec.loss, denseFanIns(spec).at(-1)?.layer.activation.name);
}

/** The spec's losses, as the course defines them, averaged over the batch (and outputs for MSE/BCE). */
export function lossFrom(tf: TfCore, loss: LossName, out: Tensor, y: Tensor, logits: boolean): tfc.Scalar {
  switch (loss) {
    case 'mse':
      return tf.mean(tf.squaredDifference(out, y));
    case 'binaryCrossentropy':
      if (logits) {
        // max(z,0) − z·y + log(1 + e^{−|z|}), the stable form of −y·log σ(z) − (1−y)·log(1−σ(z))
        return tf.mean(tf.add(tf.sub(tf.relu(out), tf.mul(out, y)), tf.log1p(tf.exp(tf.neg(tf.abs(out))))));
      } else {
        const p = tf.clipByValue(out, EPSILON, 1 - EPSILON);
        return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tfc.Scalar;
      }
    case 'categoricalCrossentropy':
      if (logits) return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(out)), -1))) as tfc.Scalar;
      return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(out, EPSILON, 1))), -1))) as tfc.Scalar;
  }
}
