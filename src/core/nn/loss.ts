// The spec's losses and their gradients for one sample (a row), exactly as the trainer computes them
// (src/core/train/model.ts). y is the prediction, ŷ the target, n the number of outputs.
//
// When the output activation belongs to the loss (sigmoid + binaryCrossentropy, softmax +
// categoricalCrossentropy: `foldsActivation`), the trainer never computes the loss from y at all, but
// from the logits z (y = σ(z) or softmax(z)), as Keras' from_logits and PyTorch's BCEWithLogitsLoss /
// cross_entropy do:
//   binaryCrossentropy       L = 1/n Σ max(z, 0) − z·ŷ + ln(1 + e^{−|z|})       ∂L/∂z = (σ(z) − ŷ)/n
//   categoricalCrossentropy  L = −Σ ŷ · log_softmax(z)                          ∂L/∂z = softmax(z)·Σŷ − ŷ
// These are exact for every z: a saturated output (z = 60) costs 60 and has gradient ±1/n.
//
// Otherwise (mse, or a cross-entropy on another activation, which the editor warns about) the loss is
// computed from y, with the probabilities clipped to [ε, 1 − ε] as TensorFlow.js and Keras do:
//   mse                      L = 1/n Σ (y − ŷ)²                       ∂L/∂y = 2(y − ŷ)/n
//   binaryCrossentropy       p = clip(y, ε, 1 − ε), L = −1/n Σ ŷ ln p + (1 − ŷ) ln(1 − p)
//                            ∂L/∂y = (−ŷ/p + (1 − ŷ)/(1 − p))/n inside the clip range, 0 where clipped
//   categoricalCrossentropy  p = clip(y, ε, 1), L = −Σ ŷ ln p         ∂L/∂y = −ŷ/p, 0 where clipped
// with ε = 1e-7 (TensorFlow.js' epsilon()). Clipped, a saturated output costs at most −ln ε = 16.118
// per output and gets gradient 0: the two forms differ exactly where the network is confidently wrong.
// Pure.
import type { ActivationName, LossName } from '../spec/types';
import { softmax } from './activations';

/** The loss's ε: probabilities are clipped to [ε, 1 − ε] when the loss is computed from y. */
export const EPSILON = 1e-7;

export type LogitLoss = 'binaryCrossentropy' | 'categoricalCrossentropy';

/** Whether the trainer computes this loss from the output layer's logits z (the folded, exact form). */
export function foldsActivation(loss: LossName, output: ActivationName | undefined): boolean {
  return (loss === 'binaryCrossentropy' && output === 'sigmoid') || (loss === 'categoricalCrossentropy' && output === 'softmax');
}

const clip = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** L for one row: prediction y, target t (computed from y: the clipped form for the cross-entropies). */
export function loss(kind: LossName, y: readonly number[], t: readonly number[]): number {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (kind === 'mse') s += (y[i] - t[i]) ** 2 / n;
    else if (kind === 'binaryCrossentropy') {
      const p = clip(y[i], EPSILON, 1 - EPSILON);
      s += -(t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p)) / n;
    } else s += -t[i] * Math.log(clip(y[i], EPSILON, 1));
  }
  return s;
}

/** ∂L/∂y for one row (the form computed from y). */
export function lossGrad(kind: LossName, y: readonly number[], t: readonly number[]): number[] {
  const n = y.length;
  return y.map((yi, i) => {
    if (kind === 'mse') return (2 * (yi - t[i])) / n;
    if (kind === 'binaryCrossentropy') return yi >= EPSILON && yi <= 1 - EPSILON ? (-(t[i] / yi) + (1 - t[i]) / (1 - yi)) / n : 0;
    return yi >= EPSILON && yi <= 1 ? -t[i] / yi : 0;
  });
}

const logSumExp = (z: readonly number[]): number => {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
};

/** L for one row from the logits z (sigmoid + BCE, softmax + CCE): exact, never clipped. */
export function lossFromLogits(kind: LogitLoss, z: readonly number[], t: readonly number[]): number {
  const n = z.length;
  if (kind === 'binaryCrossentropy') return z.reduce((s, zi, i) => s + (Math.max(zi, 0) - zi * t[i] + Math.log1p(Math.exp(-Math.abs(zi)))) / n, 0);
  const lse = logSumExp(z);
  return z.reduce((s, zi, i) => s + t[i] * (lse - zi), 0);
}

/** ∂L/∂z for one row from the logits (the activation's derivative folded in). */
export function lossGradFromLogits(kind: LogitLoss, z: readonly number[], t: readonly number[]): number[] {
  const n = z.length;
  if (kind === 'binaryCrossentropy') return z.map((zi, i) => (1 / (1 + Math.exp(-zi)) - t[i]) / n);
  const p = softmax(z);
  const sum = t.reduce((a, b) => a + b, 0);
  return p.map((pi, i) => pi * sum - t[i]);
}

/** The loss as the trainer computes it, in words a terminal shows: the formula and its gradient. */
export function lossFormula(kind: LossName, output: ActivationName | undefined): { formula: string; gradient: string } {
  if (foldsActivation(kind, output)) {
    return kind === 'binaryCrossentropy'
      ? { formula: 'L = (1/n) Σⱼ max(zⱼ, 0) − zⱼ·ŷⱼ + ln(1 + e^{−|zⱼ|}), from the logits z of y = σ(z)', gradient: '∂L/∂z = (y − ŷ)/n' }
      : { formula: 'L = −Σⱼ ŷⱼ ln softmax(z)ⱼ, from the logits z of y = softmax(z)', gradient: '∂L/∂z = y·Σŷ − ŷ' };
  }
  switch (kind) {
    case 'mse':
      return { formula: 'L = (1/n) Σⱼ (yⱼ − ŷⱼ)²', gradient: '∂L/∂y = (2/n)(y − ŷ)' };
    case 'binaryCrossentropy':
      return { formula: `L = −(1/n) Σⱼ ŷⱼ ln yⱼ + (1 − ŷⱼ) ln(1 − yⱼ), y clipped to [ε, 1 − ε], ε = ${EPSILON}`, gradient: '∂L/∂y = (1/n)(y − ŷ)/(y(1 − y))' };
    case 'categoricalCrossentropy':
      return { formula: `L = −Σⱼ ŷⱼ ln yⱼ, y clipped to [ε, 1], ε = ${EPSILON}`, gradient: '∂L/∂y = −ŷ/y' };
  }
}
