// Flatten made visible (issue 16 item 6): an image input of rows × cols pixels becomes the row vector
// x ∈ ℝ^{1×(rows·cols)}, row after row (row-major, as TensorFlow.js' reshape and NN Lab's flatten do), and
// what the network predicts for it. Pure (no DOM): unit-tested in test/unit/panels/flatten.test.ts; drawn
// by the graph panel's flatten card (webview/graph/flatten-card.ts).
import type { LayerWeights } from '../../protocol/training';
import type { SpecView } from '../../protocol/webview';
import { forwardOne, type ForwardLayer } from '../nn/dense';
import { regionValue } from './forward';

/** The 0-based index in the flattened vector of pixel (r, c) (0-based) of an image `cols` wide. */
export function flatIndex(r: number, c: number, cols: number): number {
  return r * cols + c;
}

/** The 0-based pixel (r, c) that index `i` of the flattened vector comes from. */
export function pixelOf(i: number, cols: number): { r: number; c: number } {
  return { r: Math.floor(i / cols), c: i % cols };
}

/**
 * The mapping as people read it, 1-based (row i, column j, x_k as the README and the course count):
 * "pixel (2, 3) ↔ x6 = x[(2 − 1)·3 + 3]".
 */
export function mappingText(r: number, c: number, cols: number): string {
  return `pixel (${r + 1}, ${c + 1}) ↔ x${flatIndex(r, c, cols) + 1} = x[(${r + 1} − 1)·${cols} + ${c + 1}]`;
}

/** [rows, cols] of an image input that a flatten layer turns into a vector; undefined otherwise. */
export function imageShape(spec: Pick<SpecView, 'inputShape' | 'layers'>): [number, number] | undefined {
  const [rows, cols] = spec.inputShape;
  if (spec.inputShape.length !== 2 || !rows || !cols) return undefined;
  return spec.layers.some((l) => l.type === 'flatten') ? [rows, cols] : undefined;
}

/** The rows × cols pixels of one flattened sample (row-major). */
export function toImage(x: readonly number[], cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.length; i += cols) out.push(x.slice(i, i + cols));
  return out;
}

export interface Prediction {
  /** the network's output for the sample (probabilities after softmax or sigmoid) */
  output: number[];
  /** the index of the largest output (for one sigmoid unit: 1 when p ≥ 0.5) */
  predicted: number;
  /** names of the outputs: the digits 0…9 for MNIST, else "class 1", "class 2", … */
  labels: string[];
}

/** What the network with `weights` predicts for the flattened sample `x`, by the panels' forward pass. */
export function predict(spec: Pick<SpecView, 'layers' | 'activations'>, weights: readonly LayerWeights[], x: readonly number[], digits = false): Prediction {
  const layers: ForwardLayer[] = spec.layers.map((l, i) => ({ type: l.type, activation: spec.activations[i] }));
  const output = forwardOne(layers, weights, x).output;
  // the decision regions' rule: the largest output, or p ≥ 0.5 for one sigmoid unit
  const predicted = regionValue(output).cls;
  const labels = output.map((_, i) => (digits && output.length === 10 ? String(i) : `class ${i + 1}`));
  return { output, predicted, labels };
}

/** The class a one-hot (or one-unit 0/1) target row names, by the same rule. */
export function targetClass(y: readonly number[]): number {
  return regionValue(y).cls;
}
