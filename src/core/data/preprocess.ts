// Feature standardisation fitted on the training rows only, as Keras' `Normalization` layer adapted on
// the training data: the validation split is made first (the trainer's split, `splitRows`), the
// per-feature mean and population standard deviation come from the training rows alone, and the same
// transform x' = (x − mean) / std (x − mean where std = 0) is applied to every row. A run saves the
// statistics (`preprocessing.json`, src/core/train/runs.ts) and `nnlab predict` applies them to the raw
// rows it is given. Pure: no fs, no `vscode`, no DOM.
import { mulberry32, permutation } from '../train/random';

/** The validation split of n rows: which rows train, which are held out. */
export interface RowSplit {
  /** a seeded permutation of 0..n-1: its first nTrain entries are the training rows, the rest validation; undefined when nothing is held out (every row trains, in file order) */
  order: Int32Array | undefined;
  nTrain: number;
  nVal: number;
}

/** How many of n rows train and how many are held out by `validationSplit` (splitRows without the permutation). */
export function splitCounts(n: number, validationSplit: number): { nTrain: number; nVal: number } {
  const nVal = validationSplit > 0 ? Math.max(0, Math.min(n - 1, Math.round(n * validationSplit))) : 0;
  return { nTrain: n - nVal, nVal };
}

/**
 * The trainer's validation split (one implementation for the trainer and the data readers):
 * nVal = min(n − 1, round(n · validationSplit)) rows held out, chosen by a permutation seeded with
 * `seed` (deterministic, and robust to files sorted by class); the last nVal rows of it are validation.
 */
export function splitRows(n: number, validationSplit: number, seed: number): RowSplit {
  const { nVal } = splitCounts(n, validationSplit);
  if (nVal === 0) return { order: undefined, nTrain: n, nVal: 0 };
  return { order: permutation(mulberry32(seed >>> 0), n), nTrain: n - nVal, nVal };
}

/** Per-feature statistics of a standardisation, and where they were fitted. */
export interface Standardization {
  /** the feature (column) names, in input order */
  features: string[];
  /** per-feature mean of the training rows */
  mean: number[];
  /** per-feature population standard deviation (divided by the row count) of the training rows; 0 for a constant feature (then only the mean is subtracted) */
  std: number[];
  /** the rows the statistics come from: `rows` training rows of `of`, after holding out `validationSplit` with `seed` */
  fittedOn: { rows: number; of: number; validationSplit: number; seed: number };
}

/** What was done to the raw features before the network saw them (absent: nothing, raw inputs). */
export interface Preprocessing {
  standardize?: Standardization;
}

/** The file a run saves its preprocessing in, and its stable format tag. */
export const PREPROCESSING_FILE = 'preprocessing.json';
export const PREPROCESSING_FORMAT = 'nnlab.preprocessing';

/**
 * Fits mean and population std per feature on the training rows of `split` (`x` is n × nf, row-major,
 * in raw units; float64 so the sums do not lose digits).
 */
export function fitStandardization(x: ArrayLike<number>, nf: number, split: RowSplit, features: readonly string[], fit: { validationSplit: number; seed: number }): Standardization {
  const n = split.nTrain + split.nVal;
  const rows = split.nTrain;
  const row = (k: number): number => (split.order ? split.order[k]! : k);
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < nf; j++) {
    let m = 0;
    for (let k = 0; k < rows; k++) m += x[row(k) * nf + j]!;
    m /= rows;
    let v = 0;
    for (let k = 0; k < rows; k++) v += (x[row(k) * nf + j]! - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(v / rows));
  }
  return { features: [...features], mean, std, fittedOn: { rows, of: n, validationSplit: split.nVal > 0 ? fit.validationSplit : 0, seed: fit.seed } };
}

/** x' = (x − mean) / std per feature (x − mean where std is 0), computed in float64, stored as float32. */
export function applyStandardization(s: Pick<Standardization, 'mean' | 'std'>, x: ArrayLike<number>, nf: number): Float32Array {
  if (s.mean.length !== nf || s.std.length !== nf) throw new Error(`the standardisation has ${s.mean.length} features, the data ${nf}`);
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % nf;
    const d = x[i]! - s.mean[j]!;
    out[i] = s.std[j]! > 0 ? d / s.std[j]! : d;
  }
  return out;
}

/** The JSON document of a run's preprocessing.json. */
export function preprocessingDocument(p: Preprocessing): Record<string, unknown> {
  return { format: PREPROCESSING_FORMAT, version: 1, ...p };
}

const isNumArray = (v: unknown, len?: number): v is number[] => Array.isArray(v) && (len === undefined || v.length === len) && v.every((e) => typeof e === 'number' && Number.isFinite(e));

/** Reads a preprocessing.json document back; `where` names the file in the error message. */
export function parsePreprocessing(doc: unknown, where: string): Preprocessing {
  const bad = (what: string): Error => new Error(`${where} is not a valid NN Lab preprocessing file: ${what}`);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('expected a JSON object');
  const o = doc as Record<string, unknown>;
  if (o.format !== PREPROCESSING_FORMAT) throw bad(`"format" must be "${PREPROCESSING_FORMAT}"`);
  if (o.version !== 1) throw bad(`"version" ${JSON.stringify(o.version)} is not supported (only 1)`);
  if (o.standardize === undefined) return {};
  const s = o.standardize as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null) throw bad('"standardize" must be an object');
  if (!isNumArray(s.mean) || s.mean.length === 0) throw bad('"standardize.mean" must be a non-empty array of finite numbers');
  const nf = s.mean.length;
  if (!isNumArray(s.std, nf) || s.std.some((v) => v < 0)) throw bad(`"standardize.std" must be ${nf} finite numbers ≥ 0`);
  const features = Array.isArray(s.features) && s.features.length === nf && s.features.every((f) => typeof f === 'string') ? (s.features as string[]) : s.mean.map((_, j) => `feature ${j}`);
  const f = (s.fittedOn ?? {}) as Record<string, unknown>;
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);
  return { standardize: { features, mean: s.mean, std: s.std, fittedOn: { rows: num(f.rows), of: num(f.of), validationSplit: num(f.validationSplit), seed: num(f.seed) } } };
}
