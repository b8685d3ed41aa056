// Messages between the extension host and the training worker (and forwarded to webviews).
// Discriminated unions only: every message has a `type`. Pure: no `vscode`, no DOM.
import type { NetworkSpec } from '../core/spec/types';

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
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'step'; unit: 'batch' | 'epoch' }
  | { type: 'stop'; reason?: 'stopped' | 'interrupted' }
  | { type: 'getWeights'; requestId: number }
  | ProbeRequest;

/**
 * host → worker, alone in a fresh worker: which backend would a run get (`selectBackend` for this
 * choice, module paths and network size), without training. Answered by one `probed` message.
 */
export interface ProbeRequest {
  type: 'probe';
  requestId: number;
  /** `auto` or a backend name (setting nnlab.backend) */
  backend: string;
  modulePaths?: string[];
  wasmDir?: string;
  skipBackends?: SkippedBackend[];
  /** forward multiply-adds per training step (per-sample MACs × batch size); absent: unknown ("large") */
  networkMacs?: number;
}

/** The answer to a ProbeRequest: the report, or why the chosen backend cannot be used. */
export interface ProbeAnswer {
  type: 'probed';
  requestId: number;
  report?: BackendReport;
  /** set when no backend could be loaded for the choice (a named backend that cannot load) */
  error?: string;
  /** the MACs-per-step threshold `auto` used between cpu and wasm, so the host can cache by size class */
  autoMinStepMacs: number;
}

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
  /** an answer to getWeights, or (requestId FINAL_WEIGHTS) the trained weights, sent once before `done` */
  | { type: 'weights'; requestId: number; layers: LayerWeights[]; step: number }
  | { type: 'done'; summary: RunSummary }
  | { type: 'error'; message: string; step?: number }
  | ProbeAnswer;

export type ProgressEvent = BatchProgress | EpochProgress;

/** `requestId` of the unasked `weights` message a run sends once, before `done`, with its trained weights. */
export const FINAL_WEIGHTS = -1;
