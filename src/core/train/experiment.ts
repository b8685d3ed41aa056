// The initialisation lab and the learning-rate / batch-size sweep (issue 16, items 4 and 5): the same
// network trained several times by the one trainer, on the same data and seed, changing one thing —
// the weight initialisation (zeros, normal σ 0.4, He, Glorot: the course's initialisation slide), the
// learning rate α or the batch size. For each variant: the epoch-loss curve, the outcome (target ε
// reached, diverged: loss NaN/∞ or growing, …) and, at a few epochs, per dense layer the histograms of
// its weights, its pre-activations z on the training data and the gradient ∂L/∂W of the mean loss over
// the training data (the pure backward pass, src/core/nn/dense.ts), with the dead ReLUs and the
// number of distinct units (zeros' symmetry). The `nnlab lab` command and the lab panel both show
// `experimentTable(result)`. Pure: no `vscode`, no DOM; training runs on the backend it is given.
import type { DenseLayer, Initializer, NetworkSpec } from '../spec/types';
import type { LayerWeights, StopReason } from '../../protocol/training';
import type { Dataset } from '../data/dataset';
import type { LoadedBackend } from './backend';
import { denseFanIns, initialWeights } from './init';
import { Trainer } from './trainer';
import { splitRows } from '../data/preprocess';
import { forwardOne, gradients } from '../nn/dense';
import { histogram } from '../view/histogram';
import { duration, loss as formatLoss } from '../explain/format';

import type { ExperimentKind } from '../../protocol/lab';
export { EXPERIMENT_KINDS, type ExperimentKind } from '../../protocol/lab';
/** what a variant changes */
export type VariantGroup = 'init' | 'learningRate' | 'batchSize';

export interface Variant {
  id: string;
  /** e.g. "He σ √(2/nᵢ)", "α = 0.9", "batch 4" */
  label: string;
  group: VariantGroup;
  spec: NetworkSpec;
}

/** The initialisations the course's slide compares, applied to W of every dense layer (b as the spec says). */
export const LAB_INITS: readonly { id: string; label: string; init: Initializer }[] = [
  { id: 'zeros', label: 'zeros', init: { type: 'zeros' } },
  { id: 'normal', label: 'normal σ 0.4', init: { type: 'normal', mean: 0, std: 0.4 } },
  { id: 'he', label: 'He σ √(2/nᵢ)', init: { type: 'he' } },
  { id: 'glorot', label: 'Glorot ±√(6/(nᵢ+nₒ))', init: { type: 'glorot' } },
];

/**
 * The standard deviation an initializer gives W of a layer with nᵢ inputs and nₒ units: He σ = √(2/nᵢ)
 * (the course's N(0, σ ~ √(2/nᵢ))), Glorot uniform on ±√(6/(nᵢ+nₒ)), so σ = √(2/(nᵢ+nₒ)); undefined
 * for explicit values.
 */
export function initStd(init: Initializer, nIn: number, nOut: number): number | undefined {
  switch (init.type) {
    case 'zeros':
      return 0;
    case 'constant':
      return 0;
    case 'normal':
      return init.std;
    case 'uniform':
      return (init.max - init.min) / Math.sqrt(12);
    case 'he':
      return Math.sqrt(2 / nIn);
    case 'glorot':
      return Math.sqrt(2 / (nIn + nOut));
    case 'values':
      return undefined;
  }
}

function withDense(spec: NetworkSpec, f: (l: DenseLayer) => DenseLayer): NetworkSpec {
  return { ...spec, layers: spec.layers.map((l) => (l.type === 'dense' ? f(l) : l)) };
}

/** The initialisation lab's variants: the spec with every dense layer's W initialised each way. */
export function initVariants(spec: NetworkSpec): Variant[] {
  return LAB_INITS.map(({ id, label, init }) => ({ id, label, group: 'init' as const, spec: withDense(spec, (l) => ({ ...l, init })) }));
}

/** Three significant digits, so 0.3 × 3 is 0.9 and not 0.8999999999999999. */
const round3 = (x: number): number => Number(x.toPrecision(3));

/** The default learning rates: α/10, α/3, α, 3α, 10α around the spec's α. */
export function defaultAlphas(spec: NetworkSpec): number[] {
  const a = spec.optimizer.learningRate;
  return [0.1, 1 / 3, 1, 3, 10].map((k) => round3(a * k));
}

/** The default batch sizes: 1 (SGD), powers of two below the training samples (at most three), "full". */
export function defaultBatchSizes(nTrain: number): (number | 'full')[] {
  const pow: number[] = [];
  for (let b = 1; b < nTrain; b *= 2) pow.push(b);
  let picked = pow;
  if (pow.length > 4) {
    // 1, and three spread over the rest (geometric)
    const idx = [0, Math.round((pow.length - 1) / 3), Math.round((2 * (pow.length - 1)) / 3), pow.length - 1];
    picked = [...new Set(idx)].map((i) => pow[i]!);
  }
  return [...picked, 'full'];
}

const batchLabel = (b: number | 'full', nTrain: number): string => (b === 'full' ? `batch full (${nTrain})` : `batch ${b}`);

/** The sweep's variants: each α (the spec's batch size), then each batch size (the spec's α). */
export function sweepVariants(spec: NetworkSpec, nTrain: number, o: { alphas?: number[]; batchSizes?: (number | 'full')[] } = {}): Variant[] {
  const alphas = o.alphas ?? defaultAlphas(spec);
  const batches = (o.batchSizes ?? defaultBatchSizes(nTrain)).filter((b) => b === 'full' || (Number.isInteger(b) && b >= 1 && b <= nTrain));
  const out: Variant[] = alphas.map((a) => ({
    id: `lr-${a}`,
    label: `α = ${a}`,
    group: 'learningRate' as const,
    spec: { ...spec, optimizer: { ...spec.optimizer, learningRate: a } },
  }));
  // a batch group only where there is a choice (one training sample: every batch is "full")
  if (nTrain > 1) {
    for (const b of batches) out.push({ id: `batch-${b}`, label: batchLabel(b, nTrain), group: 'batchSize', spec: { ...spec, training: { ...spec.training, batchSize: b } } });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Divergence

export interface Divergence {
  diverged: boolean;
  /** the 1-based epoch it became visible (the first non-finite loss, or the first of the rising tail) */
  epoch?: number;
  why?: string;
}

/**
 * Did a run diverge? Its loss became NaN or ±∞ (the trainer stops: `stopReason` "nan"), or it grew: the
 * last epoch's loss is above the first epoch's and the last three epochs each rose.
 */
export function divergence(losses: readonly number[], stopReason?: StopReason): Divergence {
  const bad = losses.findIndex((l) => !Number.isFinite(l));
  if (bad >= 0 || stopReason === 'nan') {
    const epoch = bad >= 0 ? bad + 1 : losses.length + 1;
    return { diverged: true, epoch, why: `the loss became NaN or ∞ in epoch ${epoch}` };
  }
  const n = losses.length;
  if (n >= 3 && losses[n - 1]! > losses[0]! && losses[n - 1]! > losses[n - 2]! && losses[n - 2]! > losses[n - 3]!) {
    let from = n - 1;
    while (from > 0 && losses[from]! > losses[from - 1]!) from--;
    return { diverged: true, epoch: from + 1, why: `the loss grew from epoch ${from + 1} on (${formatLoss(losses[0]!)} → ${formatLoss(losses[n - 1]!)})` };
  }
  return { diverged: false };
}

// ---------------------------------------------------------------------------------------------
// Snapshots and histograms

export type Quantity = 'weights' | 'z' | 'grad';
export const QUANTITIES: readonly Quantity[] = ['weights', 'z', 'grad'];
export const QUANTITY_TEXT: Record<Quantity, string> = { weights: 'weights W', z: 'pre-activations z', grad: 'gradients ∂L/∂W' };

export interface Stats {
  mean: number;
  std: number;
  /** mean |v| (a vanishing gradient shows here) */
  meanAbs: number;
  min: number;
  max: number;
  count: number;
}

export interface LayerSnapshot {
  layer: number;
  name: string;
  stats: Record<Quantity, Stats>;
  /** bin counts over the layer's range for this quantity in this variant (`LayerRange`) */
  counts: Record<Quantity, number[]>;
  /** relu layers: units with z < 0 on every training sample */
  dead?: number;
  units: number;
  /** units whose incoming weights and bias are all equal to another unit's (zeros init: 1) */
  distinct: number;
}

export interface Snapshot {
  /** 0 = the initial weights */
  epoch: number;
  layers: LayerSnapshot[];
}

export interface LayerRange {
  layer: number;
  name: string;
  /** symmetric histogram range [−m, m] per quantity, over every snapshot of the variant */
  range: Record<Quantity, number>;
}

export interface VariantResult {
  id: string;
  label: string;
  group: VariantGroup;
  learningRate: number;
  batchSize: number | 'full';
  stopReason: StopReason;
  message?: string;
  /** completed epochs */
  epochs: number;
  steps: number;
  finalLoss: number;
  bestLoss: number;
  /** epoch-mean training loss of every completed epoch (the loss curve) */
  losses: number[];
  /** the epoch the loss fell below training.stopWhenLossBelow (ε), when it did */
  epochsToTarget?: number;
  divergence: Divergence;
  elapsedMs: number;
  /** per dense layer: the σ its initializer gives (formula) and the σ of the drawn initial W */
  init: { layer: number; name: string; nIn: number; nOut: number; formula?: number; measured: number }[];
  ranges: LayerRange[];
  snapshots: Snapshot[];
  /** the weights at the end (the last snapshot's) */
  finalWeights: LayerWeights[];
}

export interface ExperimentResult {
  format: 'nnlab.experiment';
  version: 1;
  kind: ExperimentKind;
  spec: string;
  /** the spec's ε (training.stopWhenLossBelow), when it has one */
  target?: number;
  seed: number;
  epochs: number;
  bins: number;
  backend: string;
  variants: VariantResult[];
}

export const HIST_BINS = 21;
/** snapshots per variant besides the initial one (the last epoch is always one) */
export const SNAPSHOTS = 20;
/** training rows the histograms and gradients are computed on, at most */
const SNAPSHOT_ROWS = 256;
/** values kept per quantity and snapshot for the histograms, at most */
const SNAPSHOT_VALUES = 4096;

function stats(v: readonly number[]): Stats {
  let n = 0;
  let sum = 0;
  let sumAbs = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    if (!Number.isFinite(x)) continue;
    n++;
    sum += x;
    sumAbs += Math.abs(x);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = n ? sum / n : NaN;
  let ss = 0;
  for (const x of v) if (Number.isFinite(x)) ss += (x - mean) ** 2;
  return { mean, std: n ? Math.sqrt(ss / n) : NaN, meanAbs: n ? sumAbs / n : NaN, min: n ? min : NaN, max: n ? max : NaN, count: n };
}

/** Every `stride`-th value, so at most `max` are kept. */
function capped(v: number[], max: number): number[] {
  if (v.length <= max) return v;
  const stride = Math.ceil(v.length / max);
  return v.filter((_, i) => i % stride === 0);
}

/** Units (columns of W with their bias) that are copies of an earlier one, compared within 1e-6 of the scale. */
export function distinctUnits(w: LayerWeights): number {
  const units = w.W[0]?.length ?? 0;
  const col = (u: number): number[] => [...w.W.map((r) => r[u]!), ...(w.b ? [w.b[u]!] : [])];
  const cols = Array.from({ length: units }, (_, u) => col(u));
  const scale = Math.max(1e-12, ...cols.flat().map((x) => (Number.isFinite(x) ? Math.abs(x) : 0)));
  const reps: number[][] = [];
  for (const c of cols) if (!reps.some((r) => r.every((x, i) => Math.abs(x - c[i]!) <= 1e-6 * scale))) reps.push(c);
  return reps.length;
}

interface RawSnapshot {
  epoch: number;
  layers: { layer: number; name: string; values: Record<Quantity, number[]>; stats: Record<Quantity, Stats>; dead?: number; units: number; distinct: number }[];
}

/** The snapshot of one moment: W, z on the rows and ∂L/∂W of their mean loss, per dense layer. */
function snapshot(spec: NetworkSpec, weights: LayerWeights[], xs: number[][], ys: number[][], epoch: number): RawSnapshot {
  const layers = spec.layers;
  const zs = new Map<number, number[][]>();
  for (const x of xs) {
    const t = forwardOne(layers, weights, x);
    t.z.forEach((z, i) => {
      if (z) (zs.get(i) ?? zs.set(i, []).get(i)!).push(z);
    });
  }
  const g = gradients(layers, weights, spec.loss, xs, ys);
  return {
    epoch,
    layers: weights.map((w, k) => {
      const layer = layers[w.layer] as DenseLayer;
      const zRows = zs.get(w.layer) ?? [];
      const values: Record<Quantity, number[]> = { weights: w.W.flat(), z: zRows.flat(), grad: g.layers[k]!.dW.flat() };
      const units = w.W[0]?.length ?? 0;
      const dead = layer.activation.name === 'relu' ? Array.from({ length: units }, (_, u) => zRows.length > 0 && zRows.every((r) => r[u]! < 0)).filter(Boolean).length : undefined;
      return {
        layer: w.layer,
        name: w.name,
        stats: { weights: stats(values.weights), z: stats(values.z), grad: stats(values.grad) },
        values: { weights: capped(values.weights, SNAPSHOT_VALUES), z: capped(values.z, SNAPSHOT_VALUES), grad: capped(values.grad, SNAPSHOT_VALUES) },
        ...(dead !== undefined ? { dead } : {}),
        units,
        distinct: distinctUnits(w),
      };
    }),
  };
}

/** Symmetric ranges per layer and quantity over a variant's snapshots, then the bin counts in them. */
function binned(raw: RawSnapshot[], bins: number): { ranges: LayerRange[]; snapshots: Snapshot[] } {
  const first = raw[0]?.layers ?? [];
  const ranges: LayerRange[] = first.map((l, k) => {
    const range = {} as Record<Quantity, number>;
    for (const q of QUANTITIES) {
      let m = 0;
      for (const s of raw) for (const v of s.layers[k]!.values[q]) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
      range[q] = m > 0 ? m : 1;
    }
    return { layer: l.layer, name: l.name, range };
  });
  const snapshots = raw.map((s) => ({
    epoch: s.epoch,
    layers: s.layers.map((l, k) => {
      const counts = {} as Record<Quantity, number[]>;
      for (const q of QUANTITIES) {
        const m = ranges[k]!.range[q];
        counts[q] = histogram(l.values[q], bins, -m, m).counts;
      }
      const { values: _values, ...rest } = l;
      void _values;
      return { ...rest, counts };
    }),
  }));
  return { ranges, snapshots };
}

// ---------------------------------------------------------------------------------------------
// Running

export interface ExperimentProgress {
  variant: number;
  variants: number;
  label: string;
  epoch: number;
  epochs: number;
}

export interface ExperimentOptions {
  backend: LoadedBackend;
  spec: NetworkSpec;
  /** the spec's file name, for the result */
  specName: string;
  data: Dataset;
  kind: ExperimentKind;
  /** sweep: the learning rates (default defaultAlphas) and batch sizes (default defaultBatchSizes) */
  alphas?: number[];
  batchSizes?: (number | 'full')[];
  /** overrides training.epochs for every variant */
  epochs?: number;
  onProgress?: (p: ExperimentProgress) => void;
  /** asked after every epoch: true stops the experiment (the variants so far are returned) */
  cancelled?: () => boolean;
  memoryLimitMB?: number;
}

/** The variants of an experiment on this spec and data. */
export function experimentVariants(o: Pick<ExperimentOptions, 'spec' | 'data' | 'kind' | 'alphas' | 'batchSizes' | 'epochs'>): Variant[] {
  const spec = o.epochs !== undefined ? { ...o.spec, training: { ...o.spec.training, epochs: o.epochs } } : o.spec;
  const { nTrain } = splitRows(o.data.xShape[0], spec.training.validationSplit, spec.training.seed);
  return o.kind === 'init' ? initVariants(spec) : sweepVariants(spec, nTrain, { alphas: o.alphas, batchSizes: o.batchSizes });
}

/** The rows the snapshots are computed on: the first SNAPSHOT_ROWS samples, as the network sees them. */
function snapshotRows(data: Dataset): { xs: number[][]; ys: number[][] } {
  const n = Math.min(SNAPSHOT_ROWS, data.xShape[0]);
  const w = data.x.length / data.xShape[0];
  const k = data.yShape[1];
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i < n; i++) {
    xs.push(Array.from(data.x.subarray(i * w, (i + 1) * w)));
    ys.push(Array.from(data.y.subarray(i * k, (i + 1) * k)));
  }
  return { xs, ys };
}

/** Trains every variant in turn with the one trainer and collects curves, outcomes and snapshots. */
export async function runExperiment(o: ExperimentOptions): Promise<ExperimentResult> {
  const variants = experimentVariants(o);
  const epochs = o.epochs ?? o.spec.training.epochs;
  const every = Math.max(1, Math.ceil(epochs / SNAPSHOTS));
  const rows = snapshotRows(o.data);
  const results: VariantResult[] = [];
  for (let vi = 0; vi < variants.length; vi++) {
    if (o.cancelled?.()) break;
    const v = variants[vi]!;
    const initial = initialWeights(v.spec);
    const raw: RawSnapshot[] = [snapshot(v.spec, initial, rows.xs, rows.ys, 0)];
    const losses: number[] = [];
    const trainer: Trainer = new Trainer({
      backend: o.backend,
      spec: v.spec,
      data: o.data,
      initial,
      memoryLimitMB: o.memoryLimitMB,
      yieldEveryMs: 50,
      onRow: (r) => {
        if (r.kind !== 'epoch') return;
        losses.push(r.loss);
        if (r.epoch % every === 0) raw.push(snapshot(v.spec, trainer.weights(), rows.xs, rows.ys, r.epoch));
        o.onProgress?.({ variant: vi + 1, variants: variants.length, label: v.label, epoch: r.epoch, epochs });
        if (o.cancelled?.()) trainer.stop();
      },
    });
    try {
      const r = await trainer.run();
      const finalWeights = trainer.weights();
      if (raw[raw.length - 1]!.epoch !== r.epochs || r.stopReason === 'nan') raw.push(snapshot(v.spec, finalWeights, rows.xs, rows.ys, r.stopReason === 'nan' ? r.epochs + 1 : r.epochs));
      const fans = denseFanIns(v.spec);
      const { ranges, snapshots } = binned(raw, HIST_BINS);
      const target = v.spec.training.stopWhenLossBelow;
      results.push({
        id: v.id,
        label: v.label,
        group: v.group,
        learningRate: v.spec.optimizer.learningRate,
        batchSize: v.spec.training.batchSize,
        stopReason: r.stopReason,
        ...(r.message ? { message: r.message } : {}),
        epochs: r.epochs,
        steps: r.steps,
        finalLoss: r.finalLoss,
        bestLoss: r.bestLoss,
        losses,
        ...(target !== undefined && r.stopReason === 'lossBelowTarget' ? { epochsToTarget: r.epochs } : {}),
        divergence: divergence(losses, r.stopReason),
        elapsedMs: r.elapsedMs,
        init: fans.map((f, k) => ({ layer: f.index, name: f.name, nIn: f.nIn, nOut: f.layer.units, formula: initStd(f.layer.init, f.nIn, f.layer.units), measured: stats(initial[k]!.W.flat()).std })),
        ranges,
        snapshots,
        finalWeights,
      });
    } finally {
      trainer.dispose();
    }
  }
  return {
    format: 'nnlab.experiment',
    version: 1,
    kind: o.kind,
    spec: o.specName,
    ...(o.spec.training.stopWhenLossBelow !== undefined ? { target: o.spec.training.stopWhenLossBelow } : {}),
    seed: o.spec.training.seed,
    epochs,
    bins: HIST_BINS,
    backend: o.backend.name,
    variants: results,
  };
}

// ---------------------------------------------------------------------------------------------
// The results table (CLI and panel)

export const GROUP_TEXT: Record<VariantGroup, string> = { init: 'initialisation', learningRate: 'learning rate α', batchSize: 'batch size' };

/** What happened, in a few words: "reached ε", "diverged (epoch 3)", "not below ε", "completed", "stopped". */
export function outcomeText(v: Pick<VariantResult, 'stopReason' | 'divergence' | 'epochsToTarget'>, target: number | undefined): string {
  if (v.divergence.diverged) return `diverged (epoch ${v.divergence.epoch})`;
  if (v.epochsToTarget !== undefined) return 'reached ε';
  if (v.stopReason === 'completed') return target !== undefined ? 'not below ε' : 'completed';
  return v.stopReason;
}

export interface ExperimentTable {
  headers: string[];
  rows: string[][];
}

/** The one results table: variant, final loss, best loss, epochs to ε, epochs, time, outcome. */
export function experimentTable(r: ExperimentResult): ExperimentTable {
  const eps = r.target !== undefined ? `epochs to ε = ${r.target}` : 'epochs to ε (none set)';
  return {
    headers: ['variant', 'final loss', 'best loss', eps, 'epochs', 'time', 'outcome'],
    rows: r.variants.map((v) => [v.label, formatLoss(v.finalLoss), formatLoss(v.bestLoss), v.epochsToTarget !== undefined ? String(v.epochsToTarget) : '—', String(v.epochs), duration(v.elapsedMs), outcomeText(v, r.target)]),
  };
}

/** The table as aligned text (numbers right-aligned), for the terminal. */
export function tableText(t: ExperimentTable): string {
  const all = [t.headers, ...t.rows];
  const w = t.headers.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? '')].length)));
  const numeric = (c: number): boolean => c > 0 && c < t.headers.length - 1;
  const line = (r: string[]): string =>
    r
      .map((cell, c) => (numeric(c) ? cell.padStart(w[c]! + (cell.length - [...cell].length)) : cell.padEnd(w[c]! + (cell.length - [...cell].length))))
      .join('  ')
      .trimEnd();
  return [line(t.headers), line(w.map((n) => '-'.repeat(n))), ...t.rows.map(line)].join('\n');
}

/** A number for the histogram captions: 3 significant digits, an exponent below 1e-3. */
const short = (x: number): string => (!Number.isFinite(x) ? String(x) : x === 0 ? '0' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(1) : String(Number(x.toPrecision(3))));

/** One line under a layer's histogram: σ and the symmetry for W, the dead units for z, mean |g| for ∂L/∂W. */
export function snapshotCaption(l: LayerSnapshot, q: Quantity): string {
  const s = l.stats[q];
  switch (q) {
    case 'weights':
      return `σ ${short(s.std)} · ${l.units} unit${l.units === 1 ? '' : 's'}${l.units > 1 ? `, ${l.distinct} distinct` : ''}`;
    case 'z':
      return `mean ${short(s.mean)}, σ ${short(s.std)}${l.dead !== undefined ? ` · ${l.dead} of ${l.units} dead` : ''}`;
    case 'grad':
      return `mean |∂L/∂W| ${short(s.meanAbs)}`;
  }
}
