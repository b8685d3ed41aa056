// The dense network's forward and backward pass over the trainer's LayerWeights, one sample at a
// time, in the course's convention: a sample is a row x ∈ ℝ^{1×nᵢ}, W ∈ ℝ^{nᵢ×nₒ},
//   forward   z = x·W + b,  y = f(z)
//   backward  δ = ∂L/∂y ∘ f′(z),  ∂L/∂W = xᵀδ,  ∂L/∂b = δ,  ∂L/∂x = δWᵀ
// The loss is the trainer's (src/core/nn/loss.ts): sigmoid + BCE and softmax + CCE from the output
// layer's logits. Flatten only reshapes and dropout is the identity (inference), so both pass values and gradients
// through. Pure: no `vscode`, no DOM.
import type { Activation, Layer, LossName } from '../spec/types';
import type { LayerWeights } from '../../protocol/training';
import { activateRow, activationBackward, type Kink } from './activations';
import { foldsActivation, loss as lossOf, lossFromLogits, lossGrad, lossGradFromLogits, type LogitLoss } from './loss';

export interface ForwardTrace {
  /** per spec layer: pre-activations z (dense) or undefined (flatten/dropout) */
  z: (number[] | undefined)[];
  /** per spec layer: the layer's output */
  a: number[][];
  output: number[];
}

export class ForwardError extends Error {}

function flattenDeep(x: unknown): number[] {
  if (typeof x === 'number') return [x];
  if (Array.isArray(x)) return x.flatMap(flattenDeep);
  throw new ForwardError('input: expected numbers');
}

/** Dense layers only need `activation`; other layers pass through. */
export type ForwardLayer = Pick<Layer, 'type'> & { activation?: Activation };

const LINEAR: Activation = { name: 'linear' };

/** z = x·W + b for one row. */
export function denseRow(x: readonly number[], W: readonly (readonly number[])[], b: readonly number[] | undefined): number[] {
  const nOut = W[0]?.length ?? 0;
  const z = new Array<number>(nOut).fill(0);
  for (let r = 0; r < x.length; r++) {
    const xr = x[r];
    if (xr === 0) continue;
    const row = W[r];
    for (let c = 0; c < nOut; c++) z[c] += xr * row[c];
  }
  if (b) for (let c = 0; c < nOut; c++) z[c] += b[c];
  return z;
}

/** Forward pass of one sample (flat, or shaped like input.shape) through the spec's layers. */
export function forwardOne(layers: readonly ForwardLayer[], weights: readonly LayerWeights[], x: readonly number[] | readonly number[][]): ForwardTrace {
  const byLayer = new Map<number, LayerWeights>();
  for (const w of weights) byLayer.set(w.layer, w);
  let cur = flattenDeep(x);
  const z: (number[] | undefined)[] = [];
  const a: number[][] = [];
  layers.forEach((layer, i) => {
    if (layer.type !== 'dense') {
      z.push(undefined);
      a.push(cur);
      return;
    }
    const w = byLayer.get(i);
    if (!w) throw new ForwardError(`layers[${i}]: no weights received for this dense layer`);
    if (w.W.length !== cur.length) throw new ForwardError(`layers[${i}]: W has ${w.W.length} rows but the input has ${cur.length} values`);
    const zi = denseRow(cur, w.W, w.b);
    z.push(zi);
    cur = activateRow(layer.activation ?? LINEAR, zi);
    a.push(cur);
  });
  return { z, a, output: cur };
}

export interface Gradients {
  /** mean loss over the sample */
  loss: number;
  /** per weights entry (same order as the input weights): dW[i][o], db[o] */
  layers: { layer: number; dW: number[][]; db: number[]; da: number[]; dIn: number[] }[];
}

/**
 * ∂L/∂W and ∂L/∂b of the mean loss over samples xs (targets ys) at the given weights, by the backward
 * pass layer by layer. `da` is ∂L/∂(layer output), `dIn` ∂L/∂(layer input), both means over the samples.
 */
export function gradients(
  layers: readonly ForwardLayer[],
  weights: readonly LayerWeights[],
  loss: LossName,
  xs: readonly (readonly number[])[],
  ys: readonly (readonly number[])[],
  kink: Kink = 'course',
): Gradients {
  const acc = weights.map((w) => ({
    layer: w.layer,
    dW: w.W.map((r) => r.map(() => 0)),
    db: w.W[0].map(() => 0),
    da: w.W[0].map(() => 0),
    dIn: w.W.map(() => 0),
  }));
  const byLayer = new Map(weights.map((w, i) => [w.layer, i]));
  // sigmoid + BCE, softmax + CCE: loss and δ of the output layer from its logits, as the trainer computes them
  const lastDense = layers.map((l) => l.type).lastIndexOf('dense');
  const logitLoss: LogitLoss | undefined = lastDense >= 0 && foldsActivation(loss, layers[lastDense].activation?.name) ? (loss as LogitLoss) : undefined;
  let total = 0;
  const m = xs.length;
  for (let s = 0; s < m; s++) {
    const input = xs[s].flat();
    const t = forwardOne(layers, weights, input);
    total += logitLoss ? lossFromLogits(logitLoss, t.z[lastDense]!, ys[s]) : lossOf(loss, t.output, ys[s]);
    let da = lossGrad(loss, t.output, ys[s]);
    for (let li = layers.length - 1; li >= 0; li--) {
      const layer = layers[li];
      if (layer.type !== 'dense') continue; // flatten and (inference) dropout pass the gradient through
      const dz = logitLoss && li === lastDense ? lossGradFromLogits(logitLoss, t.z[li]!, ys[s]) : activationBackward(layer.activation ?? LINEAR, da, t.z[li]!, t.a[li], kink);
      const wi = byLayer.get(li)!;
      const W = weights[wi].W;
      const prev: number[] = li > 0 ? t.a[li - 1] : input;
      const g = acc[wi];
      for (let i = 0; i < prev.length; i++) for (let o = 0; o < dz.length; o++) g.dW[i][o] += (prev[i] * dz[o]) / m;
      for (let o = 0; o < dz.length; o++) {
        g.db[o] += dz[o] / m;
        g.da[o] += da[o] / m;
      }
      da = prev.map((_, i) => W[i].reduce((sum, wio, o) => sum + wio * dz[o], 0));
      for (let i = 0; i < da.length; i++) g.dIn[i] += da[i] / m;
    }
  }
  return { loss: total / Math.max(1, m), layers: acc };
}
