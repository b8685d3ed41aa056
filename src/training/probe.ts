// Pure logic of the backend probe (no `vscode`, no TensorFlow.js): the network size a run of a spec
// would have, the size class `auto` decides by, the cache key, and the report adapted to another spec
// of the same class. The host (host.ts) asks a worker for the real decision (selectBackend) once per
// (backend setting, module path, size class) and serves later specs of that class from its cache.
import type { BackendReport } from '../protocol/training';

import { macsCount, wasmThreadsMinMacs, type StepSize } from '../core/train/size';
export { stepBatch, stepMacs, stepSize } from '../core/train/size';

export type SizeClass = 'any' | 'small' | 'large' | 'threads';

/**
 * What the backend decision depends on besides the setting: for `auto`, whether the network is below
 * the cpu/wasm threshold (unknown size counts as large, as in selectBackend), and above it whether wasm
 * would run threads (src/core/train/size.ts); for `wasm` the threads alone; for the other backends
 * nothing ('any'). `threshold` undefined: not yet known (no probe answered yet).
 */
export function sizeClass(choice: string, size: StepSize, threshold: number | undefined): SizeClass | undefined {
  if (choice !== 'auto' && choice !== 'wasm') return 'any';
  const threads = size.macs === undefined || size.macs >= wasmThreadsMinMacs(size.batch);
  if (choice === 'wasm') return threads ? 'threads' : 'large';
  if (size.macs === undefined) return 'threads';
  if (threshold === undefined) return undefined;
  return size.macs < threshold ? 'small' : threads ? 'threads' : 'large';
}

/** Cache key: one probe per (backend setting, nnlab.backendModulePath, size class). */
/** The environment variables a backend's outcome depends on (docs/gpu.md); part of the probe's key. */
const BACKEND_ENV = ['NNLAB_DAWN_FLAGS', 'NNLAB_WEBGPU_ALLOW_SOFTWARE', 'NNLAB_TRAINING_ISOLATION', 'EGL_PLATFORM', 'VK_DRIVER_FILES', 'VK_ICD_FILENAMES'] as const;

export function probeKey(choice: string, modulePath: string, cls: SizeClass, env: NodeJS.ProcessEnv = process.env): string {
  return JSON.stringify([choice, modulePath, cls, BACKEND_ENV.map((k) => env[k] ?? '')]);
}

const MACS_RE = /\b\d[\d,]* MACs per step\b/g;

/**
 * The cached report of one spec, said for another spec of the same size class: the "N MACs per step"
 * figures in the reason, the device line (wasm's thread choice) and the skip reasons become this
 * spec's. Everything else (active
 * backend, device, what was skipped) is the same decision.
 */
export function reportFor(report: BackendReport, macs: number | undefined): BackendReport {
  if (macs === undefined) return report;
  const n = `${macsCount(macs)} MACs per step`;
  const say = (text: string): string => text.replace(MACS_RE, n);
  return {
    ...report,
    reason: say(report.reason),
    device: say(report.device),
    skipped: report.skipped.map((s) => ({ ...s, reason: say(s.reason) })),
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
