// The in-memory data set every trainer and panel consumes. Pure: no `vscode`, no DOM, no fs.
import type { Preprocessing } from './preprocess';
import { humanIndex } from '../explain/indices';

export interface Dataset {
  /** row-major features, n samples × product(xShape[1..]) */
  x: Float32Array;
  /** [n, ...input.shape] */
  xShape: number[];
  /** row-major labels, n × yShape[1] (one-hot rows for classification with several classes) */
  y: Float32Array;
  yShape: [number, number];
  /** names of the y columns when y is one-hot (CSV classes, MNIST digits "0"…"9") */
  classes?: string[];
  /** names of the x columns (CSV header, generator axes) */
  featureNames?: string[];
  /** what was done to the raw features (CSV `standardize`: statistics of the training rows); a run saves it */
  preprocessing?: Preprocessing;
}

/** Thrown by the data readers with a message fit for the user (no stack needed). */
export class DataError extends Error {
  constructor(
    message: string,
    /** what the error is about, so the validator can point at the right field */
    readonly about: { kind: 'column'; column: string } | { kind: 'file' } | { kind: 'format' } | { kind: 'shape' } = { kind: 'format' },
  ) {
    super(message);
    this.name = 'DataError';
  }
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Gives x the per-sample shape `sampleShape` when its size matches (e.g. 784 → [28, 28]). */
export function reshapeSamples(d: Dataset, sampleShape: readonly number[]): Dataset {
  const per = product(d.xShape.slice(1));
  if (per !== product(sampleShape)) {
    throw new DataError(`The data has ${per} features per sample (shape ${d.xShape.slice(1).join('×')}), but input.shape ${JSON.stringify(sampleShape)} needs ${product(sampleShape)}.`, { kind: 'shape' });
  }
  return { ...d, xShape: [d.xShape[0]!, ...sampleShape] };
}

/** Builds a Dataset from nested arrays (inline data). Samples may be vectors or nested (images). */
export function datasetFromArrays(x: readonly unknown[], y: readonly (readonly number[])[]): Dataset {
  const n = x.length;
  if (n !== y.length) throw new DataError(`x has ${n} samples but y has ${y.length}; give one label row per sample.`, { kind: 'shape' });
  const first = n ? nestedShape(x[0]) : [0];
  const per = product(first);
  const xs = new Float32Array(n * per);
  x.forEach((s, i) => {
    const flat = flatten(s);
    if (flat.length !== per || !sameShape(nestedShape(s), first)) {
      throw new DataError(`Sample ${humanIndex(i)} of x has shape ${nestedShape(s).join('×')}, but sample 1 has ${first.join('×')}; every sample needs the same shape.`, { kind: 'shape' });
    }
    xs.set(flat, i * per);
  });
  const cols = n ? y[0]!.length : 0;
  const ys = new Float32Array(n * cols);
  y.forEach((r, i) => {
    if (r.length !== cols) throw new DataError(`Label row ${humanIndex(i)} of y has ${r.length} values, but row 1 has ${cols}; every row needs the same length.`, { kind: 'shape' });
    ys.set(r, i * cols);
  });
  return { x: xs, xShape: [n, ...first], y: ys, yShape: [n, cols] };
}

/** [[1,2,3],[4,5,6]] → [2, 3]; a number → []; ragged arrays take the first element's shape */
export function nestedShape(v: unknown): number[] {
  const s: number[] = [];
  let cur = v;
  while (Array.isArray(cur)) {
    s.push(cur.length);
    cur = cur[0];
  }
  return s;
}

function flatten(v: unknown): number[] {
  if (!Array.isArray(v)) return [Number(v)];
  return v.flatMap((e) => flatten(e));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Is every nested element of `v` an array of the same shape? */
export function isRectangular(v: unknown): boolean {
  if (!Array.isArray(v)) return true;
  if (v.length === 0) return true;
  // a row of numbers (the common case, a million of them in large inline data): no shape per element
  if (!Array.isArray(v[0])) return v.every((e) => !Array.isArray(e));
  const s = nestedShape(v[0]);
  return v.every((e) => sameShape(nestedShape(e), s) && isRectangular(e));
}
