// Pure logic of the backend probe (no `vscode`, no TensorFlow.js): the network size a run of a spec
// would have, the size class `auto` decides by, the cache key, and the report adapted to another spec
// of the same class. The host (host.ts) asks a worker for the real decision (selectBackend) once per
// (backend setting, module path, size class) and serves later specs of that class from its cache.
import { inferShapes } from '../core/spec/shapes';
import type { NetworkSpec } from '../core/spec/types';
import { splitCounts } from '../core/data/preprocess';
import type { BackendReport } from '../protocol/training';

/**
 * Forward multiply-adds per training step, as the training session computes them for `auto`
 * (src/core/train/session.ts): per-sample MACs × the batch size, where the batch is the training
 * samples (all samples less the validation split) for "full", else min(batchSize, training samples).
 * `samples`: the data source's sample count; undefined when unknown (then "full" gives undefined, a
 * numeric batch size gives per-sample MACs × batchSize).
 */
export function stepMacs(spec: NetworkSpec, samples: number | undefined): number | undefined {
  const nTrain = samples === undefined ? undefined : splitCounts(samples, spec.training.validationSplit).nTrain;
  const bs = spec.training.batchSize;
  let batch: number;
  if (bs === 'full') {
    if (nTrain === undefined) return undefined;
    batch = nTrain;
  } else {
    batch = nTrain === undefined ? bs : Math.min(bs, nTrain);
  }
  if (!(batch > 0)) return undefined;
  return inferShapes(spec, batch).totals.macs * batch;
}

export type SizeClass = 'any' | 'small' | 'large';

/**
 * What the backend decision depends on besides the setting: for `auto`, whether the network is below
 * the cpu/wasm threshold (unknown size counts as large, as in selectBackend); for a named backend
 * nothing ('any'). `threshold` undefined: not yet known (no probe answered yet).
 */
export function sizeClass(choice: string, macs: number | undefined, threshold: number | undefined): SizeClass | undefined {
  if (choice !== 'auto') return 'any';
  if (macs === undefined) return 'large';
  if (threshold === undefined) return undefined;
  return macs < threshold ? 'small' : 'large';
}

/** Cache key: one probe per (backend setting, nnlab.backendModulePath, size class). */
/** The environment variables a backend's outcome depends on (docs/gpu.md); part of the probe's key. */
const BACKEND_ENV = ['NNLAB_DAWN_FLAGS', 'NNLAB_WEBGPU_ALLOW_SOFTWARE', 'NNLAB_TRAINING_ISOLATION', 'EGL_PLATFORM', 'VK_DRIVER_FILES', 'VK_ICD_FILENAMES'] as const;

export function probeKey(choice: string, modulePath: string, cls: SizeClass, env: NodeJS.ProcessEnv = process.env): string {
  return JSON.stringify([choice, modulePath, cls, BACKEND_ENV.map((k) => env[k] ?? '')]);
}

const MACS_RE = /\b\d+ MACs per step\b/g;

/**
 * The cached report of one spec, said for another spec of the same size class: the "N MACs per step"
 * figures in the reason and skip reasons (selectBackend's wording) become this spec's. Everything
 * else (active backend, device, what was skipped) is the same decision.
 */
export function reportFor(report: BackendReport, macs: number | undefined): BackendReport {
  if (macs === undefined) return report;
  const n = `${Math.round(macs)} MACs per step`;
  return {
    ...report,
    reason: report.reason.replace(MACS_RE, n),
    skipped: report.skipped.map((s) => ({ ...s, reason: s.reason.replace(MACS_RE, n) })),
  };
}

/** Output-channel lines for a probe's report: "<spec>: backend cpu (CPU (pure JS)) — auto: …", then skips. */
export function probeLogLines(specName: string, r: BackendReport): string[] {
  return [`${specName}: backend ${r.active} (${r.device}) — ${r.reason}`, ...r.skipped.map((s) => `  skipped ${s.backend}: ${s.reason}`)];
}

/** The chosen backend cannot be used (a named backend that cannot load, or none at all): a real answer. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** What the status bar says instead of a backend in an untrusted workspace. */
export const UNTRUSTED_TEXT = 'training disabled (untrusted workspace)';
