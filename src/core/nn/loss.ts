// The spec's losses and their gradients for one sample (a row), exactly as the trainer computes them
// with TensorFlow.js (src/core/train/model.ts `lossFrom` / `lossGrad`, non-logit form):
//   mse                      L = 1/n Σ (y − ŷ)²                       ∂L/∂y = 2(y − ŷ)/n
//   binaryCrossentropy       p = clip(y, ε, 1 − ε), L = −1/n Σ ŷ ln p + (1 − ŷ) ln(1 − p)
//                            ∂L/∂y = (−ŷ/p + (1 − ŷ)/(1 − p))/n inside the clip range, 0 where clipped
//   categoricalCrossentropy  p = clip(y, ε, 1), L = −Σ ŷ ln p         ∂L/∂y = −ŷ/p, 0 where clipped
// with ε = 1e-7 (TensorFlow.js' epsilon()). y is the prediction, ŷ the target. Pure.
import type { LossName } from '../spec/types';

export const EPSILON = 1e-7;

const clip = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** L for one row: prediction y, target t. */
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

/** ∂L/∂y for one row. */
export function lossGrad(kind: LossName, y: readonly number[], t: readonly number[]): number[] {
  const n = y.length;
  return y.map((yi, i) => {
    if (kind === 'mse') return (2 * (yi - t[i])) / n;
    if (kind === 'binaryCrossentropy') return yi >= EPSILON && yi <= 1 - EPSILON ? (-(t[i] / yi) + (1 - t[i]) / (1 - yi)) / n : 0;
    return yi >= EPSILON && yi <= 1 ? -t[i] / yi : 0;
  });
}
