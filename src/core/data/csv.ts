// CSV data: a header row, comma-separated, fields optionally in double quotes ("" escapes a quote),
// LF or CRLF line ends, blank lines skipped. Features must be numbers; the label column may be
// numbers (regression / a 0–1 label) or class names (one-hot encoded). Pure: no fs, no `vscode`, no DOM.
import type { DataSource } from '../spec/types';
import { DataError, type Dataset } from './dataset';
import { applyStandardization, fitStandardization, splitRows, type Standardization } from './preprocess';

export type CsvSource = Extract<DataSource, { type: 'csv' }>;

/** Splits CSV text into rows of trimmed cells. */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  const endCell = () => {
    row.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endCell();
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (quoted) {
      if (c === '"') {
        if (t[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cell = '';
    } else if (c === ',') endCell();
    else if (c === '\n') endRow();
    else if (c === '\r') {
      if (t[i + 1] === '\n') i++;
      endRow();
    } else cell += c;
  }
  if (quoted) throw new DataError('The CSV ends inside a quoted field; close the quote.', { kind: 'format' });
  if (cell !== '' || row.length) endRow();
  return rows;
}

export interface CsvSummary {
  header: string[];
  features: string[];
  samples: number;
  /** label columns: the number of classes when one-hot, else 1 */
  labels: number;
  oneHot: boolean;
  classes?: string[];
}

const isNum = (s: string): boolean => s !== '' && Number.isFinite(Number(s));

/** Checks the columns and counts rows and classes without building arrays (used by the validator). */
export function summarizeCsv(text: string, src: CsvSource): CsvSummary {
  const rows = parseCsvRows(text);
  if (rows.length === 0) throw new DataError('The CSV file is empty; it needs a header row and data rows.', { kind: 'format' });
  const header = rows[0]!;
  const body = rows.slice(1);
  if (body.length === 0) throw new DataError('The CSV file has a header but no data rows.', { kind: 'format' });
  if (!header.includes(src.label)) {
    throw new DataError(`The CSV has no column "${src.label}" for the label; its columns are ${header.map((h) => `"${h}"`).join(', ')}.`, { kind: 'column', column: src.label });
  }
  const features = src.features ?? header.filter((h) => h !== src.label);
  for (const f of features) {
    if (!header.includes(f)) throw new DataError(`The CSV has no column "${f}"; its columns are ${header.map((h) => `"${h}"`).join(', ')}.`, { kind: 'column', column: f });
  }
  if (features.includes(src.label)) throw new DataError(`The label column "${src.label}" cannot also be a feature; remove it from "features".`, { kind: 'column', column: src.label });
  body.forEach((r, i) => {
    if (r.length !== header.length) throw new DataError(`CSV row ${i + 2} has ${r.length} fields but the header has ${header.length}.`, { kind: 'format' });
  });
  const li = header.indexOf(src.label);
  const labelsRaw = body.map((r) => r[li]!);
  const oneHot = src.oneHot ?? !labelsRaw.every(isNum);
  if (!oneHot) {
    const bad = labelsRaw.findIndex((s) => !isNum(s));
    if (bad >= 0) throw new DataError(`CSV row ${bad + 2}: label "${labelsRaw[bad]}" is not a number; set "oneHot": true to encode class names.`, { kind: 'format' });
    return { header, features, samples: body.length, labels: 1, oneHot };
  }
  const classes = [...new Set(labelsRaw)];
  if (classes.every(isNum)) classes.sort((a, b) => Number(a) - Number(b));
  else classes.sort();
  return { header, features, samples: body.length, labels: classes.length, oneHot, classes };
}

/**
 * Reads the CSV into a Dataset ([n, features] x; one-hot or numeric y), optionally standardised.
 * With `"standardize": true` the per-feature mean and population std are fitted on the TRAINING rows
 * only: the rows `split` (the spec's `training.validationSplit` and `seed`, the trainer's own split)
 * keeps for training; every row, validation included, is then transformed with them, and the
 * statistics are returned in `preprocessing` (saved with a run, applied by `nnlab predict`). Without
 * `split` nothing is held out and all rows are the training rows.
 */
export function parseCsvData(text: string, src: CsvSource, split?: { validationSplit: number; seed: number }): Dataset {
  const s = summarizeCsv(text, src);
  const rows = parseCsvRows(text).slice(1);
  const fi = s.features.map((f) => s.header.indexOf(f));
  const li = s.header.indexOf(src.label);
  const n = rows.length;
  const nf = fi.length;
  // float64 until standardised, so the network sees the same float32 numbers as `nnlab predict` gives it
  const raw = new Float64Array(n * nf);
  const y = new Float32Array(n * s.labels);
  rows.forEach((r, i) => {
    fi.forEach((c, j) => {
      const cell = r[c]!;
      if (!isNum(cell)) throw new DataError(`CSV row ${i + 2}, column "${s.header[c]}": "${cell}" is not a number.`, { kind: 'format' });
      raw[i * nf + j] = Number(cell);
    });
    if (s.oneHot) y[i * s.labels + s.classes!.indexOf(r[li]!)] = 1;
    else y[i] = Number(r[li]);
  });
  let x: Float32Array;
  let standardize: Standardization | undefined;
  if (src.standardize) {
    const fit = { validationSplit: split?.validationSplit ?? 0, seed: split?.seed ?? 0 };
    standardize = fitStandardization(raw, nf, splitRows(n, fit.validationSplit, fit.seed), s.features, fit);
    x = applyStandardization(standardize, raw, nf);
  } else x = Float32Array.from(raw);
  const d: Dataset = { x, xShape: [n, nf], y, yShape: [n, s.labels], featureNames: s.features };
  if (s.classes) d.classes = s.classes;
  if (standardize) d.preprocessing = { standardize };
  return d;
}

/**
 * Resolves a CSV path against the spec's folder without leaving it. Returns undefined when the path is
 * absolute or climbs above the folder with `..`. Works on '/' and '\\' separators, no fs access.
 */
export function resolveInside(specDir: string, rel: string): string | undefined {
  if (/^([a-zA-Z]:)?[\\/]/.test(rel) || /^[a-zA-Z]:/.test(rel) || rel.includes('\0')) return undefined;
  const parts: string[] = [];
  for (const p of rel.split(/[\\/]+/)) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(p);
  }
  if (parts.length === 0) return undefined;
  const sep = specDir.includes('\\') && !specDir.includes('/') ? '\\' : '/';
  return specDir.replace(/[\\/]+$/, '') + sep + parts.join(sep);
}
