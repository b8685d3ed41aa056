// Reading a spec's data file (its CSV), the one way every reader takes: the CLI, the trainer, the
// editor's analysis. A spec may read only REGULAR files INSIDE ITS OWN FOLDER, up to a size cap:
//   1. the path text may not be absolute or climb above the folder (resolveInside);
//   2. the real path (symbolic links resolved) of the file must be inside the real path of the folder;
//   3. the file must be a regular file (no FIFO, device, socket or folder: they can block or never end),
//      checked before it is opened, and again on the open descriptor (opened non-blocking, so a FIFO
//      swapped in between cannot hang the open);
//   4. at most `maxBytes` are read (over it: NN311), and the read gives up after `timeoutMs`.
// Nothing of a refused file's content ever reaches a message. Always asynchronous (never blocks the
// extension host); Node only (node:fs); no `vscode`.
import { constants, promises as fsp, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { formatBytes } from '../spec/shapes';
import { analyzeSpec, type Analysis, type AnalyzeOptions } from '../spec/analyze';
import { parseSpec } from '../spec/parse';
import { resolveInside, type DataFileRead } from './csv';

/** nnlab.data.maxFileMB's default: the largest data file training (and `nnlab validate`) reads. */
export const DEFAULT_MAX_DATA_MB = 256;
/** nnlab.data.editorCheckMB's default: the largest data file the editor's live checks read. */
export const DEFAULT_EDITOR_CHECK_MB = 16;
/** how long the editor's checks wait for a data file before reporting it "not checked" */
export const DEFAULT_EDITOR_READ_TIMEOUT_MS = 5000;

export const MB = 1024 * 1024;

export interface DataReadOptions {
  /** larger files are refused with NN311 (default DEFAULT_MAX_DATA_MB MiB) */
  maxBytes?: number;
  /** the setting that sets maxBytes, named in the NN311 message */
  maxBytesSetting?: string;
  /**
   * The editor's cap: a file larger than this (but within maxBytes) is not read and reported "not
   * checked" (NN310, info); training would still read it.
   */
  checkBytes?: number;
  checkBytesSetting?: string;
  /** give up after this long: "not checked" (NN310, info) */
  timeoutMs?: number;
}

const MAX_SETTING = 'the nnlab.data.maxFileMB setting';

/** `file` is strictly below `dir` (both real, absolute paths). */
export function isInsideFolder(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const errno = (e: unknown): string => (e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e));

/**
 * Reads the data file `rel` (as written in the spec) of the spec in `specDir`, with every check above.
 * Never throws: the outcome is the text or a problem code with a message that quotes only `rel`.
 */
export async function readDataFile(specDir: string, rel: string, opts: DataReadOptions = {}): Promise<DataFileRead> {
  const work = readChecked(specDir, rel, opts);
  if (opts.timeoutMs === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<DataFileRead>((res) => {
    timer = setTimeout(
      () => res({ ok: false, code: 'NN310', message: `The CSV file "${rel}" was not checked: reading it took longer than ${opts.timeoutMs! / 1000} s, so the checks that need its rows (columns, classes, sample count) are skipped.` }),
      opts.timeoutMs,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readChecked(specDir: string, rel: string, opts: DataReadOptions): Promise<DataFileRead> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_DATA_MB * MB;
  const abs = resolveInside(specDir, rel);
  if (!abs) return { ok: false, code: 'NN304', message: `The CSV path "${rel}" leaves the spec's folder; keep data files next to the spec or below it.` };
  const cannot = (e: unknown): DataFileRead => ({ ok: false, code: 'NN305', message: `Cannot read the CSV file "${rel}" (${errno(e)}); check the path (it is relative to the spec's folder).` });
  let realDir: string;
  let real: string;
  try {
    realDir = await fsp.realpath(specDir);
    real = await fsp.realpath(abs);
  } catch (e) {
    return cannot(e);
  }
  if (!isInsideFolder(realDir, real)) {
    return { ok: false, code: 'NN304', message: `The CSV path "${rel}" leads outside the spec's folder through a symbolic link; data files must be inside the folder (copy the file there).` };
  }
  const notRegular = (what: string): DataFileRead => ({ ok: false, code: 'NN305', message: `The CSV path "${rel}" is ${what}, not a regular file; data must be a regular file.` });
  const tooLarge = (size: string): DataFileRead => ({
    ok: false,
    code: 'NN311',
    message: `The CSV file "${rel}" is ${size}, larger than the ${formatBytes(maxBytes)} allowed for data files (${opts.maxBytesSetting ?? MAX_SETTING}); use a smaller file or raise the limit.`,
  });
  let st;
  try {
    st = await fsp.stat(real);
  } catch (e) {
    return cannot(e);
  }
  if (!st.isFile()) return notRegular(kindOf(st));
  if (st.size > maxBytes) return tooLarge(formatBytes(st.size));
  if (opts.checkBytes !== undefined && st.size > opts.checkBytes) {
    return {
      ok: false,
      code: 'NN310',
      message: `The CSV file "${rel}" was not checked: it is ${formatBytes(st.size)}, larger than the ${formatBytes(opts.checkBytes)} the editor reads for its checks (${opts.checkBytesSetting ?? 'the nnlab.data.editorCheckMB setting'}), so the checks that need its rows are skipped (training reads it).`,
    };
  }
  let fh: fsp.FileHandle;
  try {
    // non-blocking: a FIFO put in its place after the stat must not hang the open; no link followed
    fh = await fsp.open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  } catch (e) {
    return cannot(e);
  }
  try {
    const fst = await fh.stat();
    if (!fst.isFile()) return notRegular(kindOf(fst));
    // read at most maxBytes + 1: a file that grows while read still cannot exceed the cap
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(1 << 20, maxBytes + 1 - total);
      if (want <= 0) break;
      const buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await fh.read(buf, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === want ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > maxBytes) return tooLarge(`more than ${formatBytes(maxBytes)}`);
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (e) {
    return cannot(e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The CSV path a spec text reads, when it parses to a spec with CSV data. */
function csvPathOf(text: string): string | undefined {
  // most specs have no CSV: skip the extra parse
  if (!text.includes('csv')) return undefined;
  const data = parseSpec(text).spec?.data;
  return data?.type === 'csv' ? data.path : undefined;
}

/**
 * analyzeSpec with the spec's CSV file read first, asynchronously, through readDataFile (the CLI,
 * the training host). `specPath` is the spec file's absolute path.
 */
export async function analyzeSpecWithData(text: string, opts: Omit<AnalyzeOptions, 'readFile'> & { specPath: string; data?: DataReadOptions }): Promise<Analysis> {
  const { data, ...rest } = opts;
  const rel = csvPathOf(text);
  if (rel === undefined) return analyzeSpec(text, rest);
  const read = await readDataFile(dirname(opts.specPath), rel, data);
  return analyzeSpec(text, { ...rest, readFile: () => read });
}

/**
 * A text file's UTF-8 content, or undefined when it cannot be read: synchronous and unchecked, for a
 * spec file named by the user and for tests' oracles. Never for a spec's data (use readDataFile).
 */
export function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
