// The one pure implementation of the activation functions f and their derivatives f′, shared by the
// panels (explorer, decision regions, hover gradients), the walkthrough tape and the CLI.
// Formulas as the course writes them (lecture, chapter 2.1). Pure: no `vscode`, no DOM.
import type { Activation, ActivationName } from '../spec/types';

/** The activations with a parameter α. */
export type AlphaActivation = 'leakyRelu' | 'elu';

/**
 * The α of leaky ReLU and ELU when the spec gives none: the one place these defaults are written
 * (the parser, the trainer's model, the saved model.json, the panels and the hovers read them here).
 */
export const DEFAULT_ALPHA: Readonly<Record<AlphaActivation, number>> = { leakyRelu: 0.01, elu: 1 };

export const hasAlpha = (name: ActivationName): name is AlphaActivation => name === 'leakyRelu' || name === 'elu';

/** The α in force for leaky ReLU or ELU: the given one, else the default. */
export const alphaOf = (name: AlphaActivation, alpha: number | undefined): number => alpha ?? DEFAULT_ALPHA[name];

/** The α in force for leaky ReLU and ELU (the spec's, else the default); undefined for the others. */
export function activationAlpha(a: Activation): number | undefined {
  return hasAlpha(a.name) ? alphaOf(a.name, a.alpha) : undefined;
}

/**
 * What f′ is at exactly x = 0 for ReLU, leaky ReLU and ELU, where the one-sided derivatives differ:
 * `course` takes the x ≥ 0 branch (f′(0) = 1, as the lecture writes the cases); `tensorflow` takes the
 * x < 0 branch, as the trainer's backward pass (src/core/train/model.ts, tf.step / tf.greater(z, 0)) does.
 */
export type Kink = 'course' | 'tensorflow';

export function activate(name: ActivationName, x: number, alpha?: number): number {
  switch (name) {
    case 'linear':
      return x;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'relu':
      return x >= 0 ? x : 0;
    case 'leakyRelu':
      return x >= 0 ? x : alphaOf(name, alpha) * x;
    case 'elu':
      return x >= 0 ? x : alphaOf(name, alpha) * (Math.exp(x) - 1);
    case 'softmax':
      // element-wise use is meaningless; softmax is applied to a whole row by `softmax`
      return x;
  }
}

/** f′(x); for softmax 1 (its Jacobian is applied by `activationBackward`). */
export function derivative(name: ActivationName, x: number, alpha?: number, kink: Kink = 'course'): number {
  const right = kink === 'course' ? x >= 0 : x > 0;
  switch (name) {
    case 'linear':
      return 1;
    case 'sigmoid': {
      const f = 1 / (1 + Math.exp(-x));
      return f * (1 - f);
    }
    case 'tanh': {
      // 4 / (eˣ + e⁻ˣ)², written as 1 − tanh² to stay finite for large |x|
      const t = Math.tanh(x);
      return 1 - t * t;
    }
    case 'relu':
      return right ? 1 : 0;
    case 'leakyRelu':
      return right ? 1 : alphaOf(name, alpha);
    case 'elu':
      return right ? 1 : alphaOf(name, alpha) * Math.exp(x);
    case 'softmax':
      return 1;
  }
}

/**
 * Whether f has a kink at 0, where its one-sided derivatives differ: ReLU (0 and 1), leaky ReLU
 * (α and 1) and ELU (α and 1) unless α = 1, which makes leaky ReLU linear and ELU smooth there.
 */
export function hasKinkAtZero(a: Activation): boolean {
  return a.name === 'relu' || (hasAlpha(a.name) && alphaOf(a.name, a.alpha) !== 1);
}

/** Numerically stable softmax: e^{yᵢ − max} / Σₖ e^{yₖ − max}; sums to 1. */
export function softmax(v: readonly number[]): number[] {
  if (v.length === 0) return [];
  let m = -Infinity;
  for (const x of v) if (x > m) m = x;
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Applies an activation to a row (softmax over the row, element-wise otherwise). */
export function activateRow(act: Activation, z: readonly number[]): number[] {
  if (act.name === 'softmax') return softmax(z);
  return z.map((x) => activate(act.name, x, act.alpha));
}

/** f′(z) element-wise for a row; undefined for softmax (no element-wise derivative, see `activationBackward`). */
export function derivativeRow(act: Activation, z: readonly number[], kink: Kink = 'course'): number[] | undefined {
  if (act.name === 'softmax') return undefined;
  return z.map((x) => derivative(act.name, x, act.alpha, kink));
}

/**
 * δ = ∂L/∂z from ∂L/∂y for one row, y = f(z): δ = ∂L/∂y ∘ f′(z), or for softmax its Jacobian
 * ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ − yⱼ), i.e. δ = (∂L/∂y − ∂L/∂y·yᵀ) ∘ y.
 */
export function activationBackward(act: Activation, dy: readonly number[], z: readonly number[], y: readonly number[], kink: Kink = 'course'): number[] {
  if (act.name === 'softmax') {
    let dot = 0;
    for (let i = 0; i < y.length; i++) dot += y[i] * dy[i];
    return y.map((yi, i) => (dy[i] - dot) * yi);
  }
  return z.map((zi, i) => dy[i] * derivative(act.name, zi, act.alpha, kink));
}
