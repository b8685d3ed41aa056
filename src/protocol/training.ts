// Messages between the extension host and the training worker (and forwarded to webviews).
// Discriminated unions only: every message has a `type`. Pure: no `vscode`, no DOM.
import type { NetworkSpec } from '../core/spec/types';
import { finite, isRecord, type Parsed, type RequestOf, type ResponseMessage } from './rpc';

/** Why a backend was or was not chosen; shown in the status bar tooltip, output channel and CLI. */
/** A backend `auto` did not use, and why. */
export interface SkippedBackend {
  backend: string;
  reason: string;
}

export interface BackendReport {
  /** the backend in use, e.g. "wasm", "cpu", "tensorflow" (tfjs-node), "webgpu" */
  active: string;
  /** human-readable device, e.g. "CPU (pure JS)", "WebAssembly SIMD", "NVIDIA H100 (CUDA)" */
  device: string;
  /** one line per preferred backend that was skipped, e.g. "tfjs-node-gpu: not installed" */
  skipped: SkippedBackend[];
  /** why the active one was picked, e.g. "auto: small network (57 params) → cpu" */
  reason: string;
}

export interface BatchProgress {
  type: 'batch';
  step: number; // global step, 1-based
  epoch: number; // 1-based
  batch: number; // 1-based within the epoch
  loss: number;
  elapsedMs: number;
}
export interface EpochProgress {
  type: 'epoch';
  step: number;
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  samplesPerSec: number;
  elapsedMs: number;
  etaMs: number;
}

export type StopReason = 'completed' | 'lossBelowTarget' | 'stopped' | 'nan' | 'error' | 'interrupted';

export interface RunSummary {
  runDir?: string;
  backend: BackendReport;
  startedAt: string;
  finishedAt: string;
  elapsedMs: number;
  epochs: number;
  steps: number;
  finalLoss: number;
  bestLoss: number;
  finalValLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  stopReason: StopReason;
  /** training.stopWhenLossBelow, when the run stopped there (stopReason "lossBelowTarget") */
  lossTarget?: number;
  message?: string;
}

/** host → worker */
export type HostToWorker =
  | {
      type: 'start';
      spec: NetworkSpec;
      specDir: string;
      runsDir?: string;
      backend: string;
      fromRun?: string;
      maxEventsPerSec?: number;
      /** the spec file's absolute path (run folder name, CSV paths); default specDir/<name>.nn.json */
      specPath?: string;
      /** folders to load optional native backends from (nnlab.backendModulePath, workspace, extension) */
      modulePaths?: string[];
      /** where the wasm binaries are (dist/wasm) */
      wasmDir?: string;
      /** backends `auto` must not try, with the reason to report (after one crashed a training process) */
      skipBackends?: SkippedBackend[];
      /** overrides training.epochs */
      epochs?: number;
      /** nnlab.memoryLimitMB */
      memoryLimitMB?: number;
      /** nnlab.data.maxFileMB: the largest data file read */
      maxDataMB?: number;
      /** false: train without writing a run folder (benchmarks) */
      writeRun?: boolean;
      /** start paused before the first step (a Step command on an untrained spec) */
      startPaused?: boolean;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; unit: StepUnit }
  | { type: 'stop'; reason?: 'stopped' | 'interrupted' }
  | RequestOf<WorkerMethods>;

/**
 * Requests the host makes of a worker, through the shared Requester (rpc.ts); the worker answers each
 * with one `response` message.
 */
export interface WorkerMethods {
  /** the running model's current weights and global step (empty before the run has a model) */
  weights: { params: Record<string, never>; result: { layers: LayerWeights[]; step: number } };
  /**
   * alone in a fresh worker: which backend would a run get (`selectBackend` for this choice, module
   * paths and network size), without training; the worker exits after answering
   */
  probe: { params: ProbeParams; result: ProbeAnswer };
  /**
   * pause (when running), then execute exactly one sample, one batch or one epoch and pause again;
   * answers with what that step did (StepReport). The semantics: src/core/train/stepping.ts
   */
  step: { params: { unit: StepUnit }; result: StepReport };
}
export type WorkerMethod = keyof WorkerMethods;

export interface ProbeParams {
  /** `auto` or a backend name (setting nnlab.backend) */
  backend: string;
  modulePaths?: string[];
  wasmDir?: string;
  skipBackends?: SkippedBackend[];
  /** forward multiply-adds per training step (per-sample MACs × batch size); absent: unknown ("large") */
  networkMacs?: number;
  /** rows per training step; absent: unknown ("large") */
  networkBatch?: number;
}

/** The answer to a probe: the report, or why the chosen backend cannot be used. */
export interface ProbeAnswer {
  report?: BackendReport;
  /** set when no backend could be loaded for the choice (a named backend that cannot load) */
  error?: string;
  /** the MACs-per-step threshold `auto` used between cpu and wasm, so the host can cache by size class */
  autoMinStepMacs: number;
}

/** How much one Step command runs: one sample (no update), one batch (one update), one epoch. */
export type StepUnit = 'sample' | 'batch' | 'epoch';
export const STEP_UNITS: readonly StepUnit[] = ['sample', 'batch', 'epoch'];

/**
 * One dense layer's numbers in a step report. Matrices (nᵢ×nₒ, the course's W) are included while the
 * network has at most STEP_REPORT_MAX_PARAMS parameters; above that only the norms.
 */
export interface LayerStep {
  layer: number;
  name: string;
  /** the gradient: ∂L/∂W, ∂L/∂b */
  dW?: number[][];
  db?: number[];
  /** ‖(∂L/∂W, ∂L/∂b)‖₂ */
  gradNorm: number;
}

/** Where a step stands in the run: the batch it belongs to (all 1-based) and the updates so far. */
export interface StepPosition {
  /** updates applied so far (after this step) */
  step: number;
  /** the epoch in progress, 1-based (the one the batch belongs to) */
  epoch: number;
  epochs: number;
  /** the batch, 1-based within its epoch */
  batch: number;
  stepsPerEpoch: number;
  /** samples in this batch (the last batch of an epoch may be smaller) */
  batchSize: number;
}

/** One sample: its forward pass, loss and gradient, added to the batch's gradient (no update yet). */
export interface SampleStepReport extends StepPosition {
  unit: 'sample';
  /** 1-based position of the sample in its batch */
  sample: number;
  /** 1-based row of the sample in the training data (after the validation split) */
  row: number;
  x: number[];
  target: number[];
  /** per dense layer: z = a·W + b and a = f(z) for this sample (pure JS, src/core/nn/dense.ts) */
  forward: { layer: number; name: string; z: number[]; a: number[] }[];
  /** the network's output for this sample (activation applied) */
  output: number[];
  /** this sample's loss Lᵢ (the batch loss is the mean of them) */
  loss: number;
  /** this sample's share of the batch gradient: (1/B)·∂Lᵢ/∂θ */
  grads: LayerStep[];
  /** the shares of samples 1…sample of this batch added up (equals the batch gradient after the last) */
  accumulated: LayerStep[];
  /** the batch's mean loss so far (samples 1…sample) */
  meanLoss: number;
  /** the last sample of its batch: the update was applied; what it did */
  update?: BatchStepReport;
}

/** One batch: the update θ ← θ − α·∂L/∂θ (or the optimiser's rule) with its numbers. */
export interface BatchStepReport extends StepPosition {
  unit: 'batch';
  /** the batch's mean loss, before the update */
  loss: number;
  optimizer: { type: 'sgd' | 'momentum' | 'adam'; learningRate: number };
  /** samples of this batch that were stepped one by one before the update */
  samplesStepped: number;
  layers: (LayerStep & { W?: number[][]; WAfter?: number[][]; b?: number[]; bAfter?: number[]; changeNorm: number })[];
}

/** One epoch (or the rest of the epoch in progress). */
export interface EpochStepReport extends StepPosition {
  unit: 'epoch';
  /** the batches this step ran */
  batches: number;
  /** completed epochs after the step (src/core/explain/progress.ts) */
  epochsDone: number;
  /** the epoch-mean training loss of the epoch that ended */
  loss: number;
  valLoss?: number;
  accuracy?: number;
  /** per dense layer: ‖θ_after − θ_before‖₂ over the step */
  layers: { layer: number; name: string; changeNorm: number }[];
}

export type StepReport = SampleStepReport | BatchStepReport | EpochStepReport;

/** Above this many parameters a step report carries norms, not matrices. */
export const STEP_REPORT_MAX_PARAMS = 2000;

export interface LayerWeights {
  layer: number;
  name: string;
  W: number[][];
  b?: number[];
}

/** worker → host */
export type WorkerToHost =
  | { type: 'backend'; report: BackendReport }
  | { type: 'started'; runDir?: string; epochs: number; stepsPerEpoch: number }
  | BatchProgress
  | EpochProgress
  | { type: 'paused'; step: number }
  | { type: 'resumed' }
  /** the trained weights, sent once, unasked, right before `done` (views of a finished run use them) */
  | { type: 'weights'; layers: LayerWeights[]; step: number }
  | { type: 'done'; summary: RunSummary }
  | { type: 'error'; message: string; step?: number }
  | ResponseMessage;

export type ProgressEvent = BatchProgress | EpochProgress;

// ---------------------------------------------------------------------------------------------
// Validation of worker → host messages: a child process's IPC is checked before the host acts on it.

const str = (x: unknown): x is string => typeof x === 'string';
const int = (x: unknown): x is number => finite(x) && Number.isInteger(x);
/** a loss may be NaN or ±Infinity (a diverging run reports it), but it is a number */
const num = (x: unknown): x is number => typeof x === 'number';
const optional = (x: unknown, is: (v: unknown) => boolean): boolean => x === undefined || is(x);

function isBackendReport(r: unknown): r is BackendReport {
  return isRecord(r) && str(r.active) && str(r.device) && str(r.reason) && Array.isArray(r.skipped) && r.skipped.every((s) => isRecord(s) && str(s.backend) && str(s.reason));
}
const isMatrix = (m: unknown): boolean => Array.isArray(m) && m.every((row) => Array.isArray(row) && row.every(num));
export function isLayerWeights(l: unknown): l is LayerWeights {
  return isRecord(l) && int(l.layer) && str(l.name) && isMatrix(l.W) && optional(l.b, (b) => Array.isArray(b) && b.every(num));
}
const STOP_REASONS: readonly StopReason[] = ['completed', 'lossBelowTarget', 'stopped', 'nan', 'error', 'interrupted'];
function isSummary(s: unknown): s is RunSummary {
  return (
    isRecord(s) &&
    isBackendReport(s.backend) &&
    str(s.startedAt) &&
    str(s.finishedAt) &&
    num(s.elapsedMs) &&
    int(s.epochs) &&
    int(s.steps) &&
    num(s.finalLoss) &&
    num(s.bestLoss) &&
    STOP_REASONS.includes(s.stopReason as StopReason) &&
    optional(s.runDir, str) &&
    optional(s.message, str) &&
    optional(s.lossTarget, num) &&
    optional(s.finalValLoss, num) &&
    optional(s.accuracy, num) &&
    optional(s.valAccuracy, num)
  );
}

/** Checks a message from a training worker (thread or child process). Never throws. */
export function parseWorkerMessage(m: unknown): Parsed<WorkerToHost> {
  if (!isRecord(m)) return { ok: false, error: 'message: expected an object with a "type"' };
  const ok = (valid: boolean, what: string): Parsed<WorkerToHost> => (valid ? { ok: true, value: m as unknown as WorkerToHost } : { ok: false, error: `${String(m.type)}: ${what}` });
  switch (m.type) {
    case 'backend':
      return ok(isBackendReport(m.report), 'expected a backend report');
    case 'started':
      return ok(int(m.epochs) && int(m.stepsPerEpoch) && optional(m.runDir, str), 'expected epochs, stepsPerEpoch and an optional runDir');
    case 'batch':
      return ok(int(m.step) && int(m.epoch) && int(m.batch) && num(m.loss) && num(m.elapsedMs), 'expected step, epoch, batch, loss and elapsedMs');
    case 'epoch':
      return ok(
        int(m.step) && int(m.epoch) && int(m.epochs) && num(m.loss) && num(m.samplesPerSec) && num(m.elapsedMs) && num(m.etaMs) && optional(m.valLoss, num) && optional(m.accuracy, num) && optional(m.valAccuracy, num),
        'expected step, epoch, epochs, loss, samplesPerSec, elapsedMs and etaMs',
      );
    case 'paused':
      return ok(int(m.step), 'expected a step');
    case 'resumed':
      return ok(true, '');
    case 'weights':
      return ok(int(m.step) && Array.isArray(m.layers) && m.layers.every(isLayerWeights), 'expected a step and layers of weights');
    case 'done':
      return ok(isSummary(m.summary), 'expected a run summary');
    case 'error':
      return ok(str(m.message) && optional(m.step, int), 'expected a message');
    case 'response':
      return ok(int(m.id) && (m.ok === true || (m.ok === false && str(m.error))), 'expected an id and ok (with an error when false)');
    default:
      return { ok: false, error: `message.type: unknown type ${JSON.stringify(m.type)}` };
  }
}

/** Checks a worker's answer to `method` (the Requester's `check`). */
export function checkWorkerResult(method: string, r: unknown): Parsed<unknown> {
  if (method === 'weights') {
    return isRecord(r) && int(r.step) && Array.isArray(r.layers) && r.layers.every(isLayerWeights) ? { ok: true, value: r } : { ok: false, error: 'expected { layers, step }' };
  }
  if (method === 'step') {
    const valid = isRecord(r) && STEP_UNITS.includes(r.unit as StepUnit) && int(r.step) && int(r.epoch) && int(r.batch) && int(r.batchSize) && num(r.loss) && Array.isArray(r.layers ?? r.grads);
    return valid ? { ok: true, value: r } : { ok: false, error: 'expected a step report' };
  }
  if (method === 'probe') {
    const valid = isRecord(r) && num(r.autoMinStepMacs) && optional(r.report, isBackendReport) && optional(r.error, str) && (r.report !== undefined || r.error !== undefined);
    return valid ? { ok: true, value: r } : { ok: false, error: 'expected { report | error, autoMinStepMacs }' };
  }
  return { ok: false, error: `unknown method "${method}"` };
}
