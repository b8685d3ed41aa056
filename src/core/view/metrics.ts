// Reading a run's metrics.csv (header row, then numbers) into columns, keeping every row, with the one
// CSV reader and writer of src/core/data/csv.ts.
import type { RunSeries } from '../../protocol/webview';
import { csvDocument, readCsvRecords, type CsvRecord } from '../data/csv';

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * Parses a metrics CSV. Numeric cells become numbers, empty cells NaN. A column with any non-numeric
 * cell (e.g. the trainer's `kind` = step | epoch) is kept as text in `text[column]` (its numeric
 * values are NaN). A row with the wrong number of cells is an error with its line.
 */
export function parseMetricsCsv(text: string, id: string, label = id): RunSeries {
  let records: CsvRecord[];
  try {
    records = readCsvRecords(text);
  } catch (e) {
    throw new CsvError(e instanceof Error ? e.message : String(e), 1);
  }
  const header = records[0]?.cells ?? [];
  if (header.length === 0 || header[0] === '') throw new CsvError('missing header row', 1);
  const values: number[][] = header.map(() => []);
  const raw: string[][] = header.map(() => []);
  const isText = header.map(() => false);
  for (const { cells, line } of records.slice(1)) {
    if (cells.length !== header.length) throw new CsvError(`expected ${header.length} cells, found ${cells.length}`, line);
    cells.forEach((t, k) => {
      raw[k].push(t);
      const v = t === '' ? NaN : Number(t);
      if (t !== '' && Number.isNaN(v) && t.toLowerCase() !== 'nan') isText[k] = true;
      values[k].push(v);
    });
  }
  const textCols: Record<string, string[]> = {};
  header.forEach((h, k) => {
    if (!isText[k]) return;
    textCols[h] = raw[k];
    values[k] = values[k].map(() => NaN);
  });
  return { id, label, columns: header, values, ...(Object.keys(textCols).length ? { text: textCols } : {}) };
}

/** Column lookup that accepts the usual spellings (val_loss, valLoss). */
export function column(run: RunSeries, ...names: string[]): number[] | undefined {
  const norm = (s: string): string => s.replace(/[_\s-]/g, '').toLowerCase();
  for (const n of names) {
    const k = run.columns.findIndex((c) => norm(c) === norm(n));
    if (k >= 0) return run.values[k];
  }
  return undefined;
}

/** CSV text of columns of numbers: header plus one row per point, every point kept; non-finite → empty. */
export function toCsv(columns: string[], rows: ArrayLike<number>[]): string {
  const n = rows.reduce((m, r) => Math.max(m, r.length), 0);
  const out: string[][] = [];
  for (let i = 0; i < n; i++) out.push(rows.map((r) => (i < r.length && Number.isFinite(r[i]) ? String(r[i]) : '')));
  return csvDocument(columns, out);
}
