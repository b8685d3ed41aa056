// CSV data: a header row, comma-separated, fields optionally in double quotes ("" escapes a quote),
// LF or CRLF line ends, blank lines skipped. Features must be numbers; the label column may be
// numbers (regression / a 0–1 label) or class names (one-hot encoded). Pure: no fs, no `vscode`, no DOM.
import type { DataSource } from '../spec/types';
import { DataError, type Dataset } from './dataset';
import { applyStandardization, fitStandardization, splitRows, type Standardization } from './preprocess';

export type CsvSource = Extract<DataSource, { type: 'csv' }>;

/** One CSV record: its cells and the 1-based line it starts on. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/**
 * The one CSV reader: splits CSV text into records of cells (unquoted cells trimmed), each with the
 * line it starts on. Blank lines are skipped; a leading UTF-8 BOM is dropped; an unclosed quote throws.
 */
export function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let rowLine = 1;
  const endCell = () => {
    row.push(wasQuoted ? cell : cell.trim());
    cell = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endCell();
    if (!(row.length === 1 && row[0] === '')) records.push({ cells: row, line: rowLine });
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
      } else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cell = '';
    } else if (c === ',') endCell();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && t[i + 1] === '\n') i++;
      endRow();
      rowLine = ++line;
    } else cell += c;
  }
  if (quoted) throw new DataError(`The CSV ends inside a quoted field (opened on line ${rowLine}); close the quote.`, { kind: 'format' });
  if (cell !== '' || row.length) endRow();
  return records;
}

/** The cells of every record (readCsvRecords without the line numbers). */
export function parseCsvRows(text: string): string[][] {
  return readCsvRecords(text).map((r) => r.cells);
}

/** A cell as CSV: quoted (with "" for ") when it holds a comma, quote, line break or edge space. */
function csvCell(v: string | number): string {
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The one CSV writer: one record (no line end). Numbers are written with String(). */
export function csvRow(cells: readonly (string | number)[]): string {
  return cells.map(csvCell).join(',');
}

/** A whole CSV text: the header and every row, each ending in "\n". */
export function csvDocument(header: readonly string[], rows: Iterable<readonly (string | number)[]>): string {
  const out = [csvRow(header)];
  for (const r of rows) out.push(csvRow(r));
  return out.join('\n') + '\n';
}

/**
 * A data file as its reader found it (src/core/data/read.ts): the text, or the problem that stopped it
 * (NN304 outside the folder, NN305 unreadable or not a regular file, NN310 not checked, NN311 too large).
 * `pending`: still being read (the editor's analysis reports nothing for it yet).
 */
export type DataFileRead = { ok: true; text: string } | { ok: false; code: 'NN304' | 'NN305' | 'NN310' | 'NN311'; message: string } | { ok: false; pending: true };

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

/** How a cell that should be a number is wrong, without quoting it (messages never echo data cells). */
const notNumber = (cell: string): string => (cell === '' ? 'is empty, not a number' : 'is not a number');

/** Checks the columns and counts rows and classes without building arrays (used by the validator). */
export function summarizeCsv(text: string, src: CsvSource): CsvSummary {
  return summarizeRecords(readCsvRecords(text), src).summary;
}

function summarizeRecords(records: CsvRecord[], src: CsvSource): { summary: CsvSummary; body: CsvRecord[] } {
  if (records.length === 0) throw new DataError('The CSV file is empty; it needs a header row and data rows.', { kind: 'format' });
  const header = records[0]!.cells;
  const body = records.slice(1);
  if (body.length === 0) throw new DataError('The CSV file has a header but no data rows.', { kind: 'format' });
  if (!header.includes(src.label)) {
    throw new DataError(`The CSV has no column "${src.label}" for the label; its columns are ${header.map((h) => `"${h}"`).join(', ')}.`, { kind: 'column', column: src.label });
  }
  const features = src.features ?? header.filter((h) => h !== src.label);
  for (const f of features) {
    if (!header.includes(f)) throw new DataError(`The CSV has no column "${f}"; its columns are ${header.map((h) => `"${h}"`).join(', ')}.`, { kind: 'column', column: f });
  }
  if (features.includes(src.label)) throw new DataError(`The label column "${src.label}" cannot also be a feature; remove it from "features".`, { kind: 'column', column: src.label });
  for (const r of body) {
    if (r.cells.length !== header.length) throw new DataError(`CSV row ${r.line} has ${r.cells.length} fields but the header has ${header.length}.`, { kind: 'format' });
  }
  // every feature cell must be a number: found here, so `validate` and the editor locate it, not only training
  const fi = features.map((f) => header.indexOf(f));
  for (const r of body) {
    for (const c of fi) {
      const cell = r.cells[c]!;
      if (!isNum(cell)) throw new DataError(`CSV row ${r.line}, column "${header[c]}" ${notNumber(cell)}.`, { kind: 'format' });
    }
  }
  const li = header.indexOf(src.label);
  const labelsRaw = body.map((r) => r.cells[li]!);
  const oneHot = src.oneHot ?? !labelsRaw.every(isNum);
  if (!oneHot) {
    const bad = labelsRaw.findIndex((s) => !isNum(s));
    if (bad >= 0) throw new DataError(`CSV row ${body[bad]!.line}, label column "${src.label}" ${notNumber(labelsRaw[bad]!)}; set "oneHot": true to encode class names.`, { kind: 'format' });
    return { summary: { header, features, samples: body.length, labels: 1, oneHot }, body };
  }
  const classes = [...new Set(labelsRaw)];
  if (classes.every(isNum)) classes.sort((a, b) => Number(a) - Number(b));
  else classes.sort();
  return { summary: { header, features, samples: body.length, labels: classes.length, oneHot, classes }, body };
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
  const { summary: s, body } = summarizeRecords(readCsvRecords(text), src);
  const fi = s.features.map((f) => s.header.indexOf(f));
  const li = s.header.indexOf(src.label);
  const n = body.length;
  const nf = fi.length;
  // float64 until standardised, so the network sees the same float32 numbers as `nnlab predict` gives it
  const raw = new Float64Array(n * nf);
  const y = new Float32Array(n * s.labels);
  const classIndex = new Map((s.classes ?? []).map((c, k) => [c, k]));
  body.forEach((r, i) => {
    fi.forEach((c, j) => {
      raw[i * nf + j] = Number(r.cells[c]);
    });
    if (s.oneHot) y[i * s.labels + classIndex.get(r.cells[li]!)!] = 1;
    else y[i] = Number(r.cells[li]);
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
