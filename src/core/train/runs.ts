// Runs on disk: `.nnlab/runs/<time>-<name>/` next to the spec, holding
//   spec.nn.json   the spec as trained (normalised, every default written out, with any --epochs
//                  override): a valid spec that trains to the same result (`nnlab train RUN/spec.nn.json`)
//   data/…         a CSV spec's data file, copied at the same relative path, so the run's spec finds it
//   metrics.csv    one row per step and one per epoch (written to metrics.csv.partial while running)
//   events.out.tfevents.<time>.<host>   the same metrics for TensorBoard (src/core/tensorboard/events.ts),
//                  appended whole records at each flush; at the end also histograms of the trained weights
//   summary.json   backend, device, times, final and best losses, accuracy, stop reason; written
//                  "interrupted" first and replaced at the end, so a killed run never reads as finished
//   model.json + weights.bin   the trained model in TensorFlow.js layers format (tf.loadLayersModel)
//   run.json       only when there is something to say about the run beside its spec: the name the user
//                  gave it (`label`, shown wherever the run is named) and, for runs trained together
//                  as seeds of one spec (`nnlab train --seeds N`, NN Lab: Train Several Seeds), their
//                  `seedGroup`; written atomically, never read as part of the spec
//   preprocessing.json   only when the features were transformed before training (CSV "standardize"):
//                  the per-feature mean and std of the training rows, which `nnlab predict` applies
// Every file is written atomically (temp file + rename). The user's spec is never touched.
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { NetworkSpec } from '../spec/types';
import { parseSpec } from '../spec/parse';
import { specText } from '../spec/serialize';
import { PREPROCESSING_FILE, parsePreprocessing, preprocessingDocument, type Preprocessing } from '../data/preprocess';
import { csvRow, resolveInside } from '../data/csv';
import { isInsideFolder } from '../data/read';
import type { LayerWeights, RunSummary } from '../../protocol/training';
import { denseFanIns } from './init';
import { EventFileWriter, eventFileName } from '../tensorboard/events';
import { GrowingBytes } from '../bytes';
import { alphaOf } from '../nn/activations';
import type { MetricsRow } from './trainer';

export const METRICS_COLUMNS = ['kind', 'step', 'epoch', 'batch', 'loss', 'val_loss', 'accuracy', 'val_accuracy', 'elapsed_ms'] as const;
export const METRICS_HEADER = csvRow(METRICS_COLUMNS);

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** "xor" for /a/b/xor.nn.json; file-system safe. */
export function runName(specPath: string, spec?: NetworkSpec): string {
  const stem = basename(specPath).replace(/\.nn\.json$/i, '').replace(/\.json$/i, '');
  const raw = stem || spec?.name || 'run';
  return raw.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}

/** 2026-11-25T21:13:39.123Z → 20261125-211339-123 (sorts by time). */
export function runStamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}-${p(d.getUTCMilliseconds(), 3)}`;
}

export function runsDirFor(specPath: string): string {
  return join(dirname(specPath), '.nnlab', 'runs');
}

const fmt = (v: number | undefined): string => (v === undefined ? '' : Number.isNaN(v) ? 'NaN' : String(v));

export function metricsLine(r: MetricsRow): string {
  // every cell is a number or empty, so none needs csvRow's quoting: written out, as this runs for
  // every step (two rows a step on a one-batch epoch)
  if (r.kind === 'step') return `step,${r.step},${r.epoch},${r.batch},${fmt(r.loss)},,,,${r.elapsedMs.toFixed(1)}`;
  return `epoch,${r.step},${r.epoch},,${fmt(r.loss)},${fmt(r.valLoss)},${fmt(r.accuracy)},${fmt(r.valAccuracy)},${r.elapsedMs.toFixed(1)}`;
}

/**
 * A CSV spec's data file, copied into the run folder at the same relative path: the run's spec.nn.json
 * (whose CSV path is relative to it) then reads the data the run was trained on.
 */
function copyRunData(specPath: string, spec: NetworkSpec, runDir: string): void {
  if (spec.data?.type !== 'csv') return;
  const specDir = dirname(resolve(specPath));
  const from = resolveInside(specDir, spec.data.path);
  if (!from || !existsSync(from)) return;
  const to = join(runDir, relative(specDir, from));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** The spec a run was trained with, read back from its spec.nn.json (throws when it is not a valid spec). */
export function readRunSpec(runDir: string): NetworkSpec {
  const file = join(runDir, 'spec.nn.json');
  const parsed = parseSpec(readFileSync(file, 'utf8'));
  if (!parsed.spec) throw new Error(`${file} is not a valid spec: ${parsed.problems.find((p) => p.severity === 'error')?.message ?? 'unreadable'}`);
  return parsed.spec;
}

/** The run's own notes (run.json): what the user calls it, and the seed group it was trained in. */
export interface RunMeta {
  /** the name the user gave the run (trimmed, at most RUN_LABEL_MAX characters, no control characters) */
  label?: string;
  /** runs trained together as seeds of one spec share it (their band and spread are drawn together) */
  seedGroup?: string;
}
export const RUN_META_FILE = 'run.json';
export const RUN_LABEL_MAX = 80;

/** A label as it is stored: control characters dropped, spaces collapsed, trimmed, at most RUN_LABEL_MAX characters. */
export function cleanRunLabel(s: string): string {
  return [...s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim()].slice(0, RUN_LABEL_MAX).join('').trim();
}

/** run.json's text read leniently: anything unreadable or of the wrong type is left out (the run keeps its diff name). */
export function parseRunMeta(text: string): RunMeta {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return {};
  const d = doc as Record<string, unknown>;
  const out: RunMeta = {};
  if (typeof d.label === 'string' && cleanRunLabel(d.label)) out.label = cleanRunLabel(d.label);
  if (typeof d.seedGroup === 'string' && d.seedGroup.length <= 200) out.seedGroup = d.seedGroup;
  return out;
}

/** run.json's text: `{"format": "nnlab.run", "version": 1, "label"?, "seedGroup"?}`. */
export function runMetaText(meta: RunMeta): string {
  const label = meta.label !== undefined ? cleanRunLabel(meta.label) : '';
  return JSON.stringify({ format: 'nnlab.run', version: 1, ...(label ? { label } : {}), ...(meta.seedGroup ? { seedGroup: meta.seedGroup } : {}) }, null, 2) + '\n';
}

export function readRunMeta(runDir: string): RunMeta {
  try {
    return parseRunMeta(readFileSync(join(runDir, RUN_META_FILE), 'utf8'));
  } catch {
    return {};
  }
}

/** Merges `change` into the run's run.json (a label of '' removes it) and writes it atomically. */
export function writeRunMeta(runDir: string, change: RunMeta): RunMeta {
  const meta = { ...readRunMeta(runDir), ...change };
  writeFileAtomic(join(runDir, RUN_META_FILE), runMetaText(meta));
  return parseRunMeta(runMetaText(meta));
}

/** The spec with another training seed; the data keeps its own (parsed) seed, so seeds share the data. */
export function withTrainingSeed(spec: NetworkSpec, seed: number): NetworkSpec {
  return { ...spec, training: { ...spec.training, seed } };
}

/** N seeds from the spec's: seed, seed + 1, …, wrapping at 2³² (a seed is an unsigned 32-bit integer). */
export function seedsFrom(seed: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (seed + i) % 2 ** 32);
}

export class RunWriter {
  readonly dir: string;
  /** metrics.csv rows since the last write, as bytes (GrowingBytes: no string kept per row) */
  private readonly csv = new GrowingBytes();
  private lastFlush = Date.now();
  private readonly partial: string;
  private readonly events: EventFileWriter;
  private finished = false;

  constructor(
    specPath: string,
    spec: NetworkSpec,
    private readonly base: Omit<RunSummary, 'finishedAt' | 'elapsedMs' | 'epochs' | 'steps' | 'finalLoss' | 'bestLoss' | 'stopReason' | 'lossTarget'>,
    opts: { runsDir?: string; now?: Date; preprocessing?: Preprocessing } = {},
  ) {
    const root = opts.runsDir ?? runsDirFor(specPath);
    const now = opts.now ?? new Date();
    const name = `${runStamp(now)}-${runName(specPath, spec)}`;
    let dir = join(root, name);
    for (let i = 2; existsSync(dir); i++) dir = join(root, `${name}-${i}`);
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
    writeFileAtomic(join(dir, 'spec.nn.json'), specText(spec));
    copyRunData(specPath, spec, dir);
    if (opts.preprocessing?.standardize) writeFileAtomic(join(dir, PREPROCESSING_FILE), JSON.stringify(preprocessingDocument(opts.preprocessing), null, 2) + '\n');
    this.partial = join(dir, 'metrics.csv.partial');
    writeFileSync(this.partial, METRICS_HEADER + '\n');
    this.events = new EventFileWriter(join(dir, eventFileName(now)), now);
    this.writeSummary({ stopReason: 'interrupted', message: 'the run did not finish (the process ended before it completed)', epochs: 0, steps: 0, finalLoss: NaN, bestLoss: NaN, elapsedMs: 0, finishedAt: this.base.startedAt });
  }

  isFinished(): boolean {
    return this.finished;
  }

  row(r: MetricsRow): void {
    const now = Date.now();
    this.csv.appendLine(metricsLine(r));
    this.events.row(r, now / 1000);
    if (this.csv.length >= 1 << 18 || now - this.lastFlush > 1000) this.flush();
  }

  flush(): void {
    if (this.csv.length) appendFileSync(this.partial, this.csv.take());
    this.events.flush();
    this.lastFlush = Date.now();
  }

  private writeSummary(s: Pick<RunSummary, 'stopReason' | 'epochs' | 'steps' | 'finalLoss' | 'bestLoss' | 'elapsedMs' | 'finishedAt'> & Partial<RunSummary>): RunSummary {
    const summary: RunSummary = { ...this.base, ...s, runDir: this.dir };
    // NaN/Infinity are not JSON: written as null
    writeFileAtomic(join(this.dir, 'summary.json'), JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
    return summary;
  }

  /** Model, metrics (renamed into place), then the summary last: a complete summary means a complete run. */
  finish(result: Omit<RunSummary, keyof RunWriter['base'] | 'runDir'>, spec: NetworkSpec, weights: LayerWeights[] | undefined): RunSummary {
    if (this.finished) throw new Error('run already finished');
    this.finished = true;
    if (weights) {
      for (const w of weights) {
        this.events.histogram(`weights/${w.name}/W`, w.W.flat(), result.steps);
        if (w.b) this.events.histogram(`weights/${w.name}/b`, w.b, result.steps);
      }
    }
    this.flush();
    if (weights) {
      const { modelJson, weightsBin } = toLayersModel(spec, weights);
      writeFileAtomic(join(this.dir, 'weights.bin'), weightsBin);
      writeFileAtomic(join(this.dir, 'model.json'), JSON.stringify(modelJson, null, 2) + '\n');
    }
    renameSync(this.partial, join(this.dir, 'metrics.csv'));
    return this.writeSummary(result);
  }
}

// ---------------------------------------------------------------------------------------------
// TensorFlow.js layers format, written directly (Keras-style topology + one weights shard), so the
// worker needs no tfjs-layers and any backend's weights can be saved.

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
}

/** Keras' built-in "elu" activation (and its ELU layer's default): any other α needs its own ELU layer. */
export const KERAS_ELU_ALPHA = 1;

export const TFJS_LAYERS_VERSION = '4.22.0';

export function toLayersModel(spec: NetworkSpec, weights: LayerWeights[]): { modelJson: Record<string, unknown>; weightsBin: Uint8Array } {
  const fans = denseFanIns(spec);
  if (fans.length !== weights.length) throw new Error(`expected weights for ${fans.length} dense layers, got ${weights.length}`);
  const layers: KerasLayer[] = [];
  const used = new Set<string>();
  const unique = (base: string): string => {
    let n = base.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'layer';
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  const manifest: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const chunks: Float32Array[] = [];
  let d = 0;
  let flatten = 0;
  let dropout = 0;
  spec.layers.forEach((l) => {
    if (l.type === 'flatten') layers.push({ class_name: 'Flatten', config: { name: unique(l.name ?? `flatten_${++flatten}`), trainable: true, dtype: 'float32' } });
    else if (l.type === 'dropout') layers.push({ class_name: 'Dropout', config: { name: unique(l.name ?? `dropout_${++dropout}`), trainable: true, dtype: 'float32', rate: l.rate } });
    else {
      const w = weights[d];
      const f = fans[d++];
      const name = unique(f.name);
      const a = l.activation;
      const separate = a.name === 'leakyRelu' || (a.name === 'elu' && alphaOf(a.name, a.alpha) !== KERAS_ELU_ALPHA);
      layers.push({
        class_name: 'Dense',
        config: { name, trainable: true, dtype: 'float32', units: l.units, activation: separate ? 'linear' : a.name, use_bias: l.useBias },
      });
      manifest.push({ name: `${name}/kernel`, shape: [f.nIn, l.units], dtype: 'float32' });
      chunks.push(Float32Array.from(w.W.flat()));
      if (l.useBias) {
        manifest.push({ name: `${name}/bias`, shape: [l.units], dtype: 'float32' });
        chunks.push(Float32Array.from(w.b ?? []));
      }
      if (a.name === 'leakyRelu') layers.push({ class_name: 'LeakyReLU', config: { name: unique(`${name}_leaky_relu`), trainable: true, dtype: 'float32', alpha: alphaOf(a.name, a.alpha) } });
      if (separate && a.name === 'elu') layers.push({ class_name: 'ELU', config: { name: unique(`${name}_elu`), trainable: true, dtype: 'float32', alpha: alphaOf(a.name, a.alpha) } });
    }
  });
  if (layers[0]) layers[0].config.batch_input_shape = [null, ...spec.input.shape];
  const total = chunks.reduce((a, c) => a + c.length, 0);
  const all = new Float32Array(total);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: `NN Lab (TensorFlow.js layers format, tfjs ${TFJS_LAYERS_VERSION})`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: unique(spec.name || 'sequential'), layers },
      keras_version: `tfjs-layers ${TFJS_LAYERS_VERSION}`,
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: manifest }],
  };
  return { modelJson, weightsBin: new Uint8Array(all.buffer) };
}

/** A saved model's weights manifest (tfjs layers format: groups of shard paths and weight entries). */
export interface WeightsManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype?: string; quantization?: unknown }[];
}

/**
 * The weight bytes of a saved model: every shard of `manifest`, each a regular file INSIDE `runDir`
 * (real paths: no absolute path, no `..`, no symbolic link out of it), and together exactly the bytes
 * the manifest's float32 entries need. Anything else throws, naming the run and never the content.
 */
export function readWeightsData(runDir: string, manifest: readonly WeightsManifestGroup[]): Uint8Array {
  if (!Array.isArray(manifest) || manifest.some((g) => !g || !Array.isArray(g.paths) || !Array.isArray(g.weights))) {
    throw new Error(`${runDir}/model.json has no valid weightsManifest`);
  }
  let want = 0;
  for (const e of manifest.flatMap((g) => g.weights)) {
    if ((e.dtype ?? 'float32') !== 'float32' || e.quantization !== undefined) throw new Error(`${runDir}/model.json: weight "${String(e.name)}" is not plain float32 (NN Lab saves float32 weights only)`);
    const shape: unknown = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`${runDir}/model.json: weight "${String(e.name)}" has no valid shape`);
    want += (shape as number[]).reduce((a, b) => a * b, 1) * 4;
  }
  const realRun = realpathSync(runDir);
  const bins: Buffer[] = [];
  let total = 0;
  for (const p of manifest.flatMap((g) => g.paths)) {
    const abs = typeof p === 'string' ? resolveInside(realRun, p) : undefined;
    let real: string | undefined;
    try {
      real = abs ? realpathSync(abs) : undefined;
    } catch (e) {
      throw new Error(`cannot read the weights file "${String(p)}" of run ${basename(runDir)} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    if (!real || !isInsideFolder(realRun, real)) throw new Error(`the weights path "${String(p)}" in ${basename(runDir)}/model.json leaves the run folder; weights must be files inside it`);
    const st = statSync(real);
    if (!st.isFile()) throw new Error(`the weights path "${String(p)}" in ${basename(runDir)}/model.json is not a regular file`);
    // never read more than the manifest needs (a huge or growing file is refused by its size first)
    if (total + st.size > want) throw new Error(`the weights of run ${basename(runDir)} hold more bytes than its model.json describes (${want} bytes of float32 weights)`);
    const b = readFileSync(real);
    total += b.byteLength;
    bins.push(b);
  }
  if (total !== want) throw new Error(`the weights of run ${basename(runDir)} hold ${total} bytes, but its model.json describes ${want} bytes of float32 weights`);
  return new Uint8Array(Buffer.concat(bins, total));
}

/** Dense weights of a saved run, in LayerWeights form for the spec they were trained with. */
export function readRunWeights(runDir: string, spec: NetworkSpec): LayerWeights[] {
  const modelPath = join(runDir, 'model.json');
  if (!existsSync(modelPath)) throw new Error(`${runDir} has no model.json (the run did not save a model)`);
  const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { weightsManifest: WeightsManifestGroup[] };
  const entries = model.weightsManifest.flatMap((g) => g.weights);
  const bin = readWeightsData(runDir, model.weightsManifest);
  const floats = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  let off = 0;
  const tensors = entries.map((e) => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const v = floats.subarray(off, off + size);
    off += size;
    return { ...e, v };
  });
  const fans = denseFanIns(spec);
  let k = 0;
  return fans.map((f) => {
    const W = tensors[k++];
    const want = `${f.nIn}×${f.layer.units}`;
    if (!W || W.shape.length !== 2 || W.shape[0] !== f.nIn || W.shape[1] !== f.layer.units) {
      throw new Error(`run ${basename(runDir)} does not fit this spec: layers[${f.index}] needs W ${want}, the run has ${W ? W.shape.join('×') : 'nothing'}`);
    }
    const rows: number[][] = [];
    for (let r = 0; r < f.nIn; r++) rows.push(Array.from(W.v.subarray(r * f.layer.units, (r + 1) * f.layer.units)));
    const lw: LayerWeights = { layer: f.index, name: f.name, W: rows };
    if (f.layer.useBias) {
      const b = tensors[k++];
      if (!b || b.shape.length !== 1 || b.shape[0] !== f.layer.units) throw new Error(`run ${basename(runDir)} does not fit this spec: layers[${f.index}] needs a bias of ${f.layer.units}`);
      lw.b = Array.from(b.v);
    }
    return lw;
  });
}

/**
 * The run's preprocessing.json (what was done to the raw features before training); undefined when the
 * run has none (it trained on raw inputs, or predates the file). A damaged file is an error, never
 * silently ignored: predicting on raw inputs would give wrong numbers without a word.
 */
export function readRunPreprocessing(runDir: string): Preprocessing | undefined {
  const path = join(runDir, PREPROCESSING_FILE);
  if (!existsSync(path)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parsePreprocessing(doc, path);
}

/**
 * The run folders of a spec in `runsDir` (default: the spec's own `.nnlab/runs`), newest first. A run of
 * `xor.nn.json` is `<time>-xor` (or `<time>-xor-2`… when two start in the same millisecond), so runs of
 * other specs in the same folder (`<time>-spiral`, `<time>-xor2`) are not counted.
 */
export function runDirsOf(specPath: string, runsDir: string = runsDirFor(specPath)): string[] {
  const name = runName(specPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mine = new RegExp(`^\\d{8}-\\d{6}-\\d{3}-${name}(-\\d+)?$`);
  let names: string[];
  try {
    names = readdirSync(runsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && mine.test(d.name))
      .map((d) => d.name);
  } catch {
    return [];
  }
  // <time>-xor sorts before <time>-xor-2 (same millisecond, started later)
  return names.sort().reverse().map((n) => join(runsDir, n));
}

/** A saved run's summary.json, or undefined when it is missing or not JSON. */
export function readRunSummary(runDir: string): RunSummary | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
  } catch {
    return undefined;
  }
}

/**
 * A spec's latest saved run: the newest of its run folders (runDirsOf) with a summary.json, with the
 * epochs its spec.nn.json asked for (the "of N" in "stopped after epoch 12/N"); undefined when none.
 * What the "Last run … | Open run" lens shows in a window that did not train the spec itself.
 */
export function latestRun(specPath: string, runsDir?: string): { runDir: string; run: string; summary: RunSummary; epochs?: number } | undefined {
  for (const dir of runDirsOf(specPath, runsDir)) {
    const summary = readRunSummary(dir);
    if (!summary || typeof summary.stopReason !== 'string' || !summary.backend) continue;
    let epochs: number | undefined;
    try {
      const e: unknown = (JSON.parse(readFileSync(join(dir, 'spec.nn.json'), 'utf8')) as { training?: { epochs?: unknown } }).training?.epochs;
      if (typeof e === 'number' && Number.isInteger(e) && e > 0) epochs = e;
    } catch {
      // no spec copy (an old run): the lens says "epoch 12" without the total
    }
    // NaN was written as null (JSON has no NaN)
    const loss = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);
    const s: RunSummary = { ...summary, runDir: dir, finalLoss: loss(summary.finalLoss), bestLoss: loss(summary.bestLoss) };
    return epochs === undefined ? { runDir: dir, run: basename(dir), summary: s } : { runDir: dir, run: basename(dir), summary: s, epochs };
  }
  return undefined;
}

/**
 * The final weights of a spec's latest saved run that fit `spec`: the newest of its run folders (runDirsOf)
 * with a model.json whose weights read and fit (a run that saved no model, or trained another shape, is
 * passed over); undefined when there is none. What a panel or walkthrough opened in a fresh window shows.
 */
export function latestRunWeights(
  specPath: string,
  spec: NetworkSpec,
  runsDir?: string,
): { runDir: string; run: string; layers: LayerWeights[]; summary?: RunSummary } | undefined {
  for (const dir of runDirsOf(specPath, runsDir)) {
    if (!existsSync(join(dir, 'model.json'))) continue;
    try {
      const layers = readRunWeights(dir, spec);
      const summary = readRunSummary(dir);
      return summary ? { runDir: dir, run: basename(dir), layers, summary } : { runDir: dir, run: basename(dir), layers };
    } catch {
      // unreadable, or trained for another shape of the network: try the run before it
    }
  }
  return undefined;
}

/**
 * A run folder from a CLI argument: a path (absolute or relative to cwd), a folder name inside
 * `runsDir`, or "latest" (the newest run in `runsDir`).
 */
export function resolveRunDir(arg: string, runsDir?: string): string {
  const direct = isAbsolute(arg) ? arg : resolve(arg);
  if (existsSync(join(direct, 'model.json')) || (existsSync(direct) && statSync(direct).isDirectory() && existsSync(join(direct, 'summary.json')))) return direct;
  if (runsDir && existsSync(runsDir)) {
    const names = readdirSync(runsDir).filter((n) => statSync(join(runsDir, n)).isDirectory()).sort();
    if (arg === 'latest' && names.length) return join(runsDir, names[names.length - 1]);
    const hit = names.filter((n) => n === arg || n.endsWith(arg) || n.startsWith(arg));
    if (hit.length === 1) return join(runsDir, hit[0]);
    if (hit.length > 1) throw new Error(`"${arg}" matches ${hit.length} runs in ${runsDir}: ${hit.slice(-3).join(', ')}…`);
  }
  throw new Error(`no run found at "${arg}"${runsDir ? ` (nor in ${runsDir})` : ''}`);
}
