// Decision regions and pre-activation histograms in the webviews, from the worker's `weights` message
// and the spec's layers, on the shared pure forward pass. Course convention:
// a sample is a row x ∈ ℝ^{1×nᵢ}, z = x·W + b, a = f(z). Dropout is the identity at inference.
import type { LayerWeights } from '../../protocol/training';
import type { SpecView } from '../../protocol/webview';
import { forwardOne, type ForwardLayer } from '../nn/dense';

/** The value a decision-region heatmap shows for one output row: P(class 1) or the winning class. */
export function regionValue(output: readonly number[]): { cls: number; p: number } {
  if (output.length === 1) {
    const p = output[0];
    return { cls: p >= 0.5 ? 1 : 0, p };
  }
  let best = 0;
  for (let i = 1; i < output.length; i++) if (output[i] > output[best]) best = i;
  return { cls: best, p: output[best] };
}

/**
 * Where a heatmap cell lies between class 0's colour (0) and class 1's (1): P(class 1) for one sigmoid
 * output; for several outputs the winner's confidence, towards class 0's colour when class 0 wins.
 */
export function regionShade(p: number, cls: number, singleOutput: boolean): number {
  return singleOutput || cls !== 0 ? p : 1 - p;
}

/** A decision-region heatmap: the grid, each cell's winning class and P (regionValue), the output width. */
export interface RegionMap {
  grid: Grid;
  cls: Uint8Array;
  p: Float32Array;
  /** one output unit (P(class 1)) rather than one per class */
  singleOutput: boolean;
}

/** Whether the spec's network has one output unit (its last layer's width). */
export function singleOutput(spec: SpecView): boolean {
  return spec.layers[spec.layers.length - 1]?.outputShape.at(-1) === 1;
}

export interface Grid {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  nx: number;
  ny: number;
}

/** Evaluates the model on an nx×ny grid over [x0,x1]×[y0,y1] (row 0 = y1, top of the picture). */
export function predictGrid(layers: readonly ForwardLayer[], weights: readonly LayerWeights[], g: Grid): { cls: Uint8Array; p: Float32Array } {
  const cls = new Uint8Array(g.nx * g.ny);
  const p = new Float32Array(g.nx * g.ny);
  for (let j = 0; j < g.ny; j++) {
    const y = g.y1 - ((j + 0.5) / g.ny) * (g.y1 - g.y0);
    for (let i = 0; i < g.nx; i++) {
      const x = g.x0 + ((i + 0.5) / g.nx) * (g.x1 - g.x0);
      const r = regionValue(forwardOne(layers, weights, [x, y]).output);
      cls[j * g.nx + i] = r.cls;
      p[j * g.nx + i] = r.p;
    }
  }
  return { cls, p };
}

/** Padded bounds of 2-D points, for the heatmap's extent. */
export function bounds2d(x: readonly (readonly number[])[], pad = 0.15): Grid {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const r of x) {
    x0 = Math.min(x0, r[0]);
    x1 = Math.max(x1, r[0]);
    y0 = Math.min(y0, r[1]);
    y1 = Math.max(y1, r[1]);
  }
  if (!Number.isFinite(x0)) return { x0: -1, x1: 1, y0: -1, y1: 1, nx: 64, ny: 64 };
  const px = Math.max(x1 - x0, 1e-6) * pad;
  const py = Math.max(y1 - y0, 1e-6) * pad;
  return { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py, nx: 64, ny: 64 };
}

/** A classifier for the panels: a cross-entropy loss, or a sigmoid/softmax output layer. */
export function isClassifier(spec: Pick<SpecView, 'loss' | 'activations'>): boolean {
  if (spec.loss === 'binaryCrossentropy' || spec.loss === 'categoricalCrossentropy') return true;
  const last = spec.activations[spec.activations.length - 1]?.name;
  return last === 'sigmoid' || last === 'softmax';
}
