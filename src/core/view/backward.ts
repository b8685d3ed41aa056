// Gradients for the graph panel's hover ("after a step, its gradient"): ∂L/∂W and ∂L/∂b of the mean
// loss over a data sample, at the current weights, by the course's backward path (chain rule,
// layer by layer): δz = δa ⊙ f′(z), ∂L/∂W = a_prevᵀ·δz, ∂L/∂b = δz, δa_prev = δz·Wᵀ.
// Losses as TensorFlow.js computes them: MSE = mean over outputs of (a − y)², BCE = mean over outputs
// of −[y ln a + (1−y) ln(1−a)], CCE = −Σ y ln a. Pure.
import type { LossName } from '../spec/types';
import type { LayerWeights } from '../../protocol/training';
import { derivative, DEFAULT_ALPHA } from './activations';
import { forwardOne, type ForwardLayer } from './forward';

const EPS = 1e-7;

export function lossOf(loss: LossName, a: readonly number[], y: readonly number[]): number {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, a[i]));
    if (loss === 'mse') s += (a[i] - y[i]) ** 2 / n;
    else if (loss === 'binaryCrossentropy') s += -(y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p)) / n;
    else s += -y[i] * Math.log(p);
  }
  return s;
}

function dLossDa(loss: LossName, a: readonly number[], y: readonly number[]): number[] {
  const n = a.length;
  return a.map((ai, i) => {
    const p = Math.min(1 - EPS, Math.max(EPS, ai));
    if (loss === 'mse') return (2 * (ai - y[i])) / n;
    if (loss === 'binaryCrossentropy') return (-(y[i] / p) + (1 - y[i]) / (1 - p)) / n;
    return -y[i] / p;
  });
}

export interface Gradients {
  /** mean loss over the sample */
  loss: number;
  /** per weights entry (same order as the input weights): dW[i][o], db[o] */
  layers: { layer: number; dW: number[][]; db: number[]; da: number[]; dIn: number[] }[];
}

export function gradients(layers: readonly ForwardLayer[], weights: readonly LayerWeights[], loss: LossName, xs: readonly (readonly number[])[], ys: readonly (readonly number[])[]): Gradients {
  const acc = weights.map((w) => ({
    layer: w.layer,
    dW: w.W.map((r) => r.map(() => 0)),
    db: w.W[0].map(() => 0),
    /** ∂L/∂a of the layer's output, mean over the sample */
    da: w.W[0].map(() => 0),
    /** ∂L/∂(layer input), mean over the sample */
    dIn: w.W.map(() => 0),
  }));
  const byLayer = new Map(weights.map((w, i) => [w.layer, i]));
  let total = 0;
  const m = xs.length;
  for (let s = 0; s < m; s++) {
    const input = xs[s].flat();
    const t = forwardOne(layers, weights, input);
    total += lossOf(loss, t.output, ys[s]);
    let da = dLossDa(loss, t.output, ys[s]);
    for (let li = layers.length - 1; li >= 0; li--) {
      const layer = layers[li];
      if (layer.type !== 'dense') continue; // flatten and (inference) dropout pass the gradient through
      const z = t.z[li]!;
      const a = t.a[li];
      const act = layer.activation ?? { name: 'linear' as const };
      let dz: number[];
      if (act.name === 'softmax') {
        // Jacobian of softmax: ∂aᵢ/∂zⱼ = aᵢ(δᵢⱼ − aⱼ)
        const dot = a.reduce((sum, ai, i) => sum + ai * da[i], 0);
        dz = a.map((ai, i) => ai * (da[i] - dot));
      } else {
        const alpha = act.alpha ?? DEFAULT_ALPHA[act.name];
        dz = z.map((zi, i) => da[i] * derivative(act.name, zi, alpha));
      }
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
