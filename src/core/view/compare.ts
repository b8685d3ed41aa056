// Comparing runs (issue 13 item 20, issue 16 item 7): what sets runs apart, the numbers of the runs
// table, and the spread across seeds. Runs are named by the hyper-parameters in which they differ from
// the runs they are compared with ("lr 0.05 · adam · seed 42"), or by the label the user gave them
// (the run folder's run.json, src/core/train/runs.ts). Every number in the table is the one
// summary.json and the CLI show, formatted by the one functions of explain/progress.ts and
// explain/format.ts. Pure: no `vscode`, no DOM, no file system.
import type { Initializer, NetworkSpec } from '../spec/types';
import type { RunSummary } from '../../protocol/training';
import { formatDuration, loss as formatLoss, percent } from '../explain/format';
import { epochText, stopReasonText } from '../explain/progress';

/** One hyper-parameter of a spec as a person reads it: a stable key and its text (`lr 0.05`, `adam`). */
export interface HyperParam {
  key: string;
  text: string;
}

const initName = (i: Initializer): string => {
  switch (i.type) {
    case 'normal':
      return `normal(${i.mean}, ${i.std})`;
    case 'uniform':
      return `uniform(${i.min}, ${i.max})`;
    case 'constant':
      return `constant ${i.value}`;
    case 'values':
      return 'given values';
    default:
      return i.type;
  }
};

/** `a` when every entry is `a`, else the entries joined with `/` (`tanh/sigmoid`). */
const perLayer = (xs: string[]): string => (xs.every((x) => x === xs[0]) ? (xs[0] ?? '') : xs.join('/'));

/**
 * The hyper-parameters of a spec, in a fixed order (architecture, activations, initialisation, dropout,
 * loss, learning rate, optimizer and its constants, batch, epochs, shuffling, validation split, loss
 * target, seed, data). The spec's name and description are not hyper-parameters.
 */
export function hyperParams(spec: NetworkSpec): HyperParam[] {
  const dense = spec.layers.flatMap((l) => (l.type === 'dense' ? [l] : []));
  const inputs = spec.input.shape.reduce((a, b) => a * b, 1);
  const out: HyperParam[] = [];
  const add = (key: string, text: string): void => void out.push({ key, text });
  add('layers', [inputs, ...dense.map((l) => l.units)].join('-'));
  add('activation', perLayer(dense.map((l) => (l.activation.alpha !== undefined ? `${l.activation.name}(${l.activation.alpha})` : l.activation.name))));
  add('init', `init ${perLayer(dense.map((l) => initName(l.init)))}`);
  const biasInits = dense.filter((l) => l.useBias).map((l) => initName(l.biasInit));
  if (biasInits.some((b) => b !== 'zeros')) add('biasInit', `bias init ${perLayer(biasInits)}`);
  if (dense.some((l) => !l.useBias)) add('useBias', `bias ${dense.map((l) => (l.useBias ? 'yes' : 'no')).join('/')}`);
  const dropout = spec.layers.flatMap((l) => (l.type === 'dropout' ? [String(l.rate)] : []));
  if (dropout.length) add('dropout', `dropout ${dropout.join('/')}`);
  add('loss', spec.loss);
  const o = spec.optimizer;
  add('lr', `lr ${o.learningRate}`);
  add('optimizer', o.type);
  if (o.type === 'momentum') add('momentum', `momentum ${o.momentum}`);
  if (o.type === 'adam') {
    add('beta1', `β₁ ${o.beta1}`);
    add('beta2', `β₂ ${o.beta2}`);
    add('epsilon', `ε ${o.epsilon}`);
  }
  const t = spec.training;
  add('batch', `batch ${t.batchSize}`);
  add('epochs', `${t.epochs} epochs`);
  add('shuffle', t.shuffle ? 'shuffled' : 'not shuffled');
  if (t.validationSplit > 0) add('validationSplit', `validation ${t.validationSplit}`);
  if (t.stopWhenLossBelow !== undefined) add('stopWhenLossBelow', `stop below ${t.stopWhenLossBelow}`);
  add('seed', `seed ${t.seed}`);
  const d = spec.data;
  if (d?.type === 'generator') {
    add('data', `${d.name} ×${d.samples}${d.noise ? ` noise ${d.noise}` : ''}`);
    // the generator's seed is training.seed's unless the spec gives it its own; a run of another training
    // seed on the same data (nnlab train --seeds) keeps the data's seed: the same data, shared by the runs
    add('dataSeed', `data seed ${d.seed}`);
  } else if (d?.type === 'csv') add('data', `${d.path}${d.standardize ? ' standardised' : ''}`);
  else if (d?.type === 'mnist') add('data', `mnist ×${d.samples}`);
  else if (d?.type === 'inline') add('data', `inline ×${d.y.length}`);
  return out;
}

/** hyperParams' keys in its order (a key a run lacks still sorts where it belongs). */
const KEY_ORDER = ['layers', 'activation', 'init', 'biasInit', 'useBias', 'dropout', 'loss', 'lr', 'optimizer', 'momentum', 'beta1', 'beta2', 'epsilon', 'batch', 'epochs', 'shuffle', 'validationSplit', 'stopWhenLossBelow', 'seed', 'data', 'dataSeed'];
const rank = (k: string): number => {
  const i = KEY_ORDER.indexOf(k);
  return i < 0 ? KEY_ORDER.length : i;
};

/** The separator of a run's name: `lr 0.05 · adam · seed 42`. */
export const SEP = ' · ';

/**
 * What sets each run apart from the others compared with it: for every run, the texts of the
 * hyper-parameters that are not the same in all of them, in hyperParams' order (`''` for a run without
 * a readable spec, and for every run when they all agree); `common`, the texts all of them share.
 */
export function diffLabels(runs: readonly (readonly HyperParam[] | undefined)[]): { labels: string[]; common: string } {
  const known = runs.filter((r): r is readonly HyperParam[] => r !== undefined);
  const keys: string[] = [];
  for (const r of known) for (const p of r) if (!keys.includes(p.key)) keys.push(p.key);
  keys.sort((a, b) => rank(a) - rank(b));
  const textOf = (r: readonly HyperParam[], k: string): string => r.find((p) => p.key === k)?.text ?? '';
  const differing = keys.filter((k) => known.some((r) => textOf(r, k) !== textOf(known[0]!, k)));
  const common = keys.filter((k) => !differing.includes(k)).map((k) => textOf(known[0]!, k)).filter((t) => t !== '');
  return {
    labels: runs.map((r) => (r ? differing.map((k) => textOf(r, k)).filter((t) => t !== '').join(SEP) : '')),
    common: common.join(SEP),
  };
}

/**
 * The name a person reads for a run, everywhere it is named: the label the user gave it, else what sets
 * it apart from the runs compared with it, else its folder's name.
 */
export function runDisplayName(folder: string, diff: string, label?: string): string {
  const l = label?.trim();
  if (l) return l;
  return diff || folder;
}

/** Mean and sample standard deviation (n − 1 in the denominator) of the finite values; std NaN below 2 values. */
export interface Spread {
  mean: number;
  std: number;
  n: number;
}

export function meanStd(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, std: NaN, n };
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(ss / (n - 1)), n };
}

/** `0.0123 ± 0.0045 (5 seeds)` with the value's own formatter; `–` without values. */
export function spreadText(s: Spread, fmt: (v: number) => string, unit = 'seeds'): string {
  if (s.n === 0) return '–';
  if (s.n === 1) return `${fmt(s.mean)} (1 ${unit.replace(/s$/, '')})`;
  return `${fmt(s.mean)} ± ${fmt(s.std)} (${s.n} ${unit})`;
}

/** One curve: x (completed epochs) and the epoch-mean loss. */
export interface Curve {
  x: readonly number[];
  y: readonly number[];
}

/** The mean ± std band of several runs' curves at every x one of them has; `n` runs there (std NaN where n < 2). */
export interface Band {
  x: number[];
  mean: number[];
  std: number[];
  n: number[];
}

/**
 * The band across seeds: at every x (epoch) any curve has a finite value, the mean and sample standard
 * deviation of the curves that have one there. A run that stopped early (its loss target reached) leaves
 * the band from there on: `n` says how many runs each point is made of.
 */
export function seedBand(curves: readonly Curve[]): Band {
  const at = new Map<number, number[]>();
  for (const c of curves) {
    c.x.forEach((x, i) => {
      const y = c.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) return;
      const list = at.get(x) ?? [];
      list.push(y);
      at.set(x, list);
    });
  }
  const band: Band = { x: [], mean: [], std: [], n: [] };
  for (const x of [...at.keys()].sort((a, b) => a - b)) {
    const s = meanStd(at.get(x)!);
    band.x.push(x);
    band.mean.push(s.mean);
    band.std.push(s.std);
    band.n.push(s.n);
  }
  return band;
}

/** The cells of one run in the runs table, as summary.json and the CLI say them. */
export interface RunRow {
  /** completed epochs of the planned ones: `epoch 58/500` */
  epochs: string;
  /** the epoch-mean training loss of the last completed epoch (summary.json's finalLoss) */
  loss: string;
  /** training accuracy, `100.0 %`; `–` for a regressor */
  accuracy: string;
  time: string;
  stop: string;
}

/** A run's row from its summary.json; `totalEpochs`: the epochs its spec asked for. */
export function runRow(s: Pick<RunSummary, 'epochs' | 'finalLoss' | 'accuracy' | 'elapsedMs' | 'stopReason' | 'lossTarget'> | undefined, totalEpochs: number | undefined): RunRow {
  if (!s) return { epochs: '–', loss: '–', accuracy: '–', time: '–', stop: 'running or interrupted' };
  const finalLoss = typeof s.finalLoss === 'number' ? s.finalLoss : NaN;
  return {
    epochs: totalEpochs !== undefined ? epochText(s.epochs, totalEpochs) : `epoch ${s.epochs}`,
    loss: formatLoss(finalLoss),
    accuracy: typeof s.accuracy === 'number' ? percent(s.accuracy) : '–',
    time: formatDuration(s.elapsedMs),
    stop: stopReasonText(s),
  };
}

/** The spread of a seed group's final losses and accuracies (the runs table's group row). */
export function groupSpread(summaries: readonly (Pick<RunSummary, 'finalLoss' | 'accuracy'> | undefined)[]): { loss: string; accuracy: string } {
  const done = summaries.filter((s): s is Pick<RunSummary, 'finalLoss' | 'accuracy'> => s !== undefined);
  const acc = done.map((s) => s.accuracy).filter((a): a is number => typeof a === 'number');
  return {
    loss: spreadText(meanStd(done.map((s) => (typeof s.finalLoss === 'number' ? s.finalLoss : NaN))), formatLoss),
    accuracy: acc.length ? spreadText(meanStd(acc), percent) : '–',
  };
}

/** A run as the comparison sees it: its folder, its spec's hyper-parameters, its run.json. */
export interface ComparedRun {
  folder: string;
  hyper?: readonly HyperParam[];
  label?: string;
  seedGroup?: string;
}

/**
 * The names of runs compared together (runDisplayName of each: the user's label, else what sets it
 * apart, else its folder) and what they all share. Runs of one seed group differ by their seed only,
 * so they read "seed 42", "seed 43".
 */
export function runNames(runs: readonly ComparedRun[]): { names: string[]; common: string } {
  const { labels, common } = diffLabels(runs.map((r) => r.hyper));
  return { names: runs.map((r, i) => runDisplayName(r.folder, labels[i]!, r.label)), common };
}

/** The seed group drawn as a band: the first group with at least two of the runs, and the indices of its runs. */
export function bandGroup(runs: readonly ComparedRun[]): { group: string; members: number[] } | undefined {
  const seen = new Map<string, number[]>();
  runs.forEach((r, i) => {
    if (r.seedGroup) seen.set(r.seedGroup, [...(seen.get(r.seedGroup) ?? []), i]);
  });
  for (const [group, members] of seen) if (members.length >= 2) return { group, members };
  return undefined;
}

/** The band's legend: `mean (dotted) ± std of 5 seeds`. */
export const bandLabel = (n: number): string => `mean (dotted) ± std of ${n} seeds`;
