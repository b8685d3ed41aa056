// "Edit and watch" in the graph panel's neuron view (issue 16 item 2): the weights a person typed or
// dragged over the run's (or the spec's initial) weights, and what the panel recomputes from them on
// every edit: the loss on the data, the decision regions and the formula card. Pure (no DOM, no vscode):
// unit-tested in test/unit/panels/edit.test.ts and timed by `npm run bench -- --only edit`.
import type { LayerWeights } from '../../protocol/training';
import type { DataSample, SpecView } from '../../protocol/webview';
import { forwardOne, type ForwardLayer } from '../nn/dense';
import { foldsActivation, loss as lossOf, lossFromLogits, type LogitLoss } from '../nn/loss';
import { bounds2d, isClassifier, predictGrid, singleOutput, type Grid, type RegionMap } from './forward';
import { formulaSampleAt } from './graphState';
import { formulaCard, type FormulaCard, type FormulaTarget } from '../explain/formula';

/** A parameter a person can edit: one weight wᵢⱼ or one bias bⱼ of a dense layer (0-based). */
export type EditTarget = { kind: 'weight'; layer: number; from: number; to: number } | { kind: 'bias'; layer: number; unit: number };

export class EditError extends Error {}

const copy = (ws: readonly LayerWeights[]): LayerWeights[] => ws.map((w) => ({ ...w, W: w.W.map((r) => r.slice()), ...(w.b ? { b: w.b.slice() } : {}) }));

/** The value of a parameter in a set of weights (undefined if it has none there). */
export function paramValue(weights: readonly LayerWeights[], t: EditTarget): number | undefined {
  const w = weights.find((q) => q.layer === t.layer);
  return t.kind === 'weight' ? w?.W[t.from]?.[t.to] : w?.b?.[t.unit];
}

/** The edited weights over a base (the run's, or the spec's initial weights). */
export class WeightEdits {
  private base: LayerWeights[] | undefined;
  private edited: LayerWeights[] | undefined;
  /** how many parameters differ from the base */
  changed = 0;

  /** New base weights (a run's update, a new spec): edits are dropped. */
  setBase(weights: readonly LayerWeights[] | undefined): void {
    this.base = weights ? copy(weights) : undefined;
    this.edited = undefined;
    this.changed = 0;
  }

  get hasEdits(): boolean {
    return this.edited !== undefined;
  }

  /** The weights to draw: the edited ones, else the base. */
  get current(): LayerWeights[] | undefined {
    return this.edited ?? this.base;
  }

  /** Sets one parameter; returns the new weights. Throws EditError for a parameter the network lacks or a non-finite value. */
  set(t: EditTarget, value: number): LayerWeights[] {
    if (!this.base) throw new EditError('no weights to edit yet');
    if (!Number.isFinite(value) || !Number.isFinite(Math.fround(value))) throw new EditError(`${value} is not a number training can hold (float32)`);
    if (paramValue(this.base, t) === undefined) throw new EditError(`layer ${t.layer + 1} has no such ${t.kind}`);
    const next = copy(this.edited ?? this.base);
    const w = next.find((q) => q.layer === t.layer)!;
    if (t.kind === 'weight') w.W[t.from][t.to] = value;
    else w.b![t.unit] = value;
    this.edited = next;
    this.changed = countChanged(this.base, next);
    if (this.changed === 0) this.edited = undefined;
    return next;
  }

  /** Back to the base weights. */
  reset(): void {
    this.edited = undefined;
    this.changed = 0;
  }
}

function countChanged(a: readonly LayerWeights[], b: readonly LayerWeights[]): number {
  let n = 0;
  a.forEach((wa, k) => {
    const wb = b[k];
    wa.W.forEach((r, i) => r.forEach((v, j) => (n += v !== wb.W[i][j] ? 1 : 0)));
    wa.b?.forEach((v, j) => (n += v !== wb.b?.[j] ? 1 : 0));
  });
  return n;
}

const forwardLayers = (spec: Pick<SpecView, 'layers' | 'activations'>): ForwardLayer[] => spec.layers.map((l, i) => ({ type: l.type, activation: spec.activations[i] }));

/**
 * The mean loss over the data rows, each as the trainer computes it (src/core/nn/loss.ts: from the
 * logits for sigmoid + BCE and softmax + CCE).
 */
export function dataLoss(spec: Pick<SpecView, 'layers' | 'activations' | 'loss'>, weights: readonly LayerWeights[], sample: Pick<DataSample, 'x' | 'y'>): number {
  const layers = forwardLayers(spec);
  const lastDense = layers.map((l) => l.type).lastIndexOf('dense');
  const logits = lastDense >= 0 && foldsActivation(spec.loss, layers[lastDense].activation?.name);
  let total = 0;
  for (let s = 0; s < sample.x.length; s++) {
    const t = forwardOne(layers, weights, sample.x[s]);
    total += logits ? lossFromLogits(spec.loss as LogitLoss, t.z[lastDense]!, sample.y[s]) : lossOf(spec.loss, t.output, sample.y[s]);
  }
  return total / Math.max(1, sample.x.length);
}

/** Whether a network has decision regions to draw: a classifier on 2-D points. */
export function hasRegions(spec: SpecView): boolean {
  return spec.errors.length === 0 && isClassifier(spec) && spec.inputShape.length === 1 && spec.inputShape[0] === 2;
}

export interface EditView {
  /** mean loss over the data rows */
  loss: number;
  /** the decision regions over the data's padded bounds (classifiers on 2-D points) */
  regions?: RegionMap;
  /** the formula card of the selected parameter or neuron, on sample `cardSample` */
  card?: FormulaCard;
}

/** Everything an edit changes, recomputed from the weights: loss, regions, card. */
export function editView(spec: SpecView, weights: readonly LayerWeights[], sample: DataSample, opts: { target?: FormulaTarget; cardSample?: number; grid?: Grid } = {}): EditView {
  const out: EditView = { loss: dataLoss(spec, weights, sample) };
  if (hasRegions(spec)) {
    const grid = opts.grid ?? bounds2d(sample.x);
    out.regions = { grid, ...predictGrid(forwardLayers(spec), weights, grid), singleOutput: singleOutput(spec) };
  }
  if (opts.target && sample.x.length) {
    const k = Math.min(sample.x.length - 1, Math.max(0, opts.cardSample ?? 0));
    out.card = formulaCard(spec, weights, formulaSampleAt(sample, k), opts.target);
  }
  return out;
}

export { GRAPH_SAMPLE_ROWS } from './graphState';

/** The panels' sample of n data rows takes every `stride`-th row, up to `max` of them (PanelManager.sample). */
export const sampleStride = (n: number, max: number): number => Math.max(1, Math.floor(n / max));
