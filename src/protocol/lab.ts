// The lab panel's experiment (issue 16 #4, #5): what the extension host tells the lab panel, and the
// messages between the host and the lab worker (dist/worker/lab.js, a worker thread on the CPU backend
// that runs src/core/train/experiment.ts). Pure: no `vscode`, no DOM.
import type { NetworkSpec } from '../core/spec/types';
import type { ExperimentProgress, ExperimentResult } from '../core/train/experiment';
import { isRecord, type Parsed } from './rpc';

export type ExperimentKind = 'init' | 'sweep';
export const EXPERIMENT_KINDS: readonly ExperimentKind[] = ['init', 'sweep'];

/** The lab panel's state for one spec: running (with progress), done (the result) or failed. */
export interface LabState {
  phase: 'running' | 'done' | 'error';
  kind: ExperimentKind;
  /** sweep: the learning rates asked for (default: the spec's α/10 … 10α) */
  alphas?: number[];
  progress?: ExperimentProgress;
  result?: ExperimentResult;
  error?: string;
}

/** host → lab worker */
export type HostToLabWorker = {
  type: 'run';
  spec: NetworkSpec;
  /** absolute path of the spec (its data files are read relative to it) */
  specPath: string;
  specName: string;
  kind: ExperimentKind;
  alphas?: number[];
  maxDataBytes?: number;
  memoryLimitMB?: number;
};

/** lab worker → host */
export type LabWorkerToHost = { type: 'progress'; progress: ExperimentProgress } | { type: 'result'; result: ExperimentResult } | { type: 'error'; message: string };

/** Checks a lab worker's message (a worker thread of ours: its shape, not every number). */
export function parseLabWorkerMessage(m: unknown): Parsed<LabWorkerToHost> {
  if (!isRecord(m)) return { ok: false, error: 'lab worker message: expected an object' };
  switch (m.type) {
    case 'progress':
      return isRecord(m.progress) ? { ok: true, value: m as LabWorkerToHost } : { ok: false, error: 'progress.progress: expected an object' };
    case 'result':
      return isRecord(m.result) && m.result.format === 'nnlab.experiment' && Array.isArray(m.result.variants) ? { ok: true, value: m as LabWorkerToHost } : { ok: false, error: 'result.result: expected an nnlab.experiment' };
    case 'error':
      return typeof m.message === 'string' ? { ok: true, value: { type: 'error', message: m.message } } : { ok: false, error: 'error.message: expected a string' };
    default:
      return { ok: false, error: `lab worker message: unknown type ${JSON.stringify(m.type)}` };
  }
}

/** A webview's request to run an experiment: the kind, and for the sweep up to 12 positive learning rates. */
export function parseRunLab(m: Record<string, unknown>): Parsed<{ type: 'runLab'; kind: ExperimentKind; alphas?: number[] }> {
  if (!EXPERIMENT_KINDS.includes(m.kind as ExperimentKind)) return { ok: false, error: `runLab.kind: expected one of ${EXPERIMENT_KINDS.join(', ')}` };
  const kind = m.kind as ExperimentKind;
  if (m.alphas === undefined) return { ok: true, value: { type: 'runLab', kind } };
  const a = m.alphas;
  if (!Array.isArray(a) || a.length < 1 || a.length > 12 || a.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || x > 1e6)) {
    return { ok: false, error: 'runLab.alphas: expected 1 to 12 positive learning rates' };
  }
  return { ok: true, value: { type: 'runLab', kind, alphas: a as number[] } };
}
