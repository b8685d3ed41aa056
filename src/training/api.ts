// The training host's surface that the other features (lenses, status bar, panels, commands) use.
import type * as vscode from 'vscode';
import type { Config } from '../config';
import type { SpecResolver } from '../commands/spec';
import type { BackendReport, LayerWeights, RunSummary, StepReport, StepUnit, WorkerToHost } from '../protocol/training';

export type RunPhase = 'starting' | 'running' | 'paused' | 'finished' | 'failed';

/** A run that has not ended: starting, running or paused. */
export function isActive(s: RunState | undefined): s is RunState {
  return !!s && (s.phase === 'starting' || s.phase === 'running' || s.phase === 'paused');
}

export interface RunState {
  specUri: vscode.Uri;
  phase: RunPhase;
  /** completed epochs (src/core/explain/progress.ts) */
  epoch: number;
  epochs: number;
  /** epoch-mean training loss of the last completed epoch */
  loss?: number;
  /** the last batch's loss (shown as "batch loss") */
  batchLoss?: number;
  backend?: BackendReport;
  runDir?: string;
  summary?: RunSummary;
  error?: string;
}

/** A started run: `done` resolves with its summary when it ends (completed, stopped, NaN, error), and
 * rejects when its worker crashed (the run state then says `failed`, with the reason). */
export interface RunHandle {
  readonly runDir?: string;
  readonly done: Promise<RunSummary>;
}

export interface StartOptions {
  /** the spec text to train instead of the saved file (unsaved editor contents) */
  text?: string;
  /** start paused before the first step (a Step command on an untrained spec) */
  startPaused?: boolean;
}

/**
 * Where a run executes (issue 8): ask `trainingIsolation(choice)` from src/core/train/detect.ts. It
 * answers 'child-process' for auto/webgpu/tfjs-node-gpu/tfjs-node in every host (a native GPU crash in
 * a worker thread would take the extension host down; inside Electron dawn.node's external
 * ArrayBuffers may also be refused by V8's memory cage) and 'worker-thread' for wasm/cpu. The child is
 * the same worker script, forked with `child_process.fork(script, [], childProcessOptions())` (this
 * Node, or inside Electron a real Node.js from PATH when there is one, else Electron as Node), speaking
 * the same HostToWorker/WorkerToHost messages over IPC. See docs/gpu.md, "The Electron question".
 */
export interface TrainingHost {
  /** fires on every state change of any run (throttled by the worker's event rate) */
  readonly onDidChangeState: vscode.Event<RunState>;
  /** every message the worker sends, tagged with its spec; panels subscribe to this */
  readonly onDidReceive: vscode.Event<{ specUri: vscode.Uri; message: WorkerToHost }>;
  state(specUri: vscode.Uri): RunState | undefined;
  /** the last backend report (from a run or a probe), for the status bar */
  lastBackend(): BackendReport | undefined;
  /**
   * Optional: choose the backend `auto` (or the setting) would use for this spec, without training
   * (in a worker or child process, never loading TensorFlow.js on the extension host's thread), and
   * remember the report for lastBackend(). The status bar asks once per spec and backend setting, in
   * trusted workspaces only, so it can show the real backend (`$(chip) cpu`) before the first run.
   */
  probe?(specUri: vscode.Uri): Promise<BackendReport | undefined>;
  /**
   * Fires when earlier probe answers no longer hold: the backend settings changed, or a native backend
   * crashed a training process (from then on `auto` skips the native backends). Ask probe() again.
   */
  readonly onDidResetBackends?: vscode.Event<void>;
  /**
   * Starts a run of the spec. `options.text`: train this text (the editor's unsaved contents, the
   * user's choice) instead of the file saved at `specUri`; runs are still written next to `specUri`.
   * Resolves once the run has been started, with its handle (`done`: its end); progress comes through
   * onDidChangeState. Rejects when the run cannot start (untrusted, invalid spec, already training,
   * an error before the first step).
   */
  start(specUri: vscode.Uri, options?: StartOptions): Promise<RunHandle>;
  stop(specUri: vscode.Uri): void;
  pause(specUri: vscode.Uri): void;
  resume(specUri: vscode.Uri): void;
  /**
   * Pauses the run (when running), executes exactly one sample, one batch or one epoch, and stays
   * paused (src/core/train/stepping.ts); resolves with the step's report (also fired on onDidStep).
   * Rejects with the reason when the spec has no active run or the run ends first.
   */
  step(specUri: vscode.Uri, unit: StepUnit): Promise<StepReport>;
  /** every step report, tagged with its spec (the loss panel shows it) */
  readonly onDidStep: vscode.Event<{ specUri: vscode.Uri; report: StepReport }>;
  /** the last step report of the spec's current run (a panel opened later shows it) */
  lastStep(specUri: vscode.Uri): StepReport | undefined;
  weights(specUri: vscode.Uri): Promise<LayerWeights[] | undefined>;
}

export interface Services {
  log: vscode.LogOutputChannel;
  /** the nnlab.* settings: typed getters and one change event (src/config) */
  config: Config;
  training: TrainingHost;
  /** which spec a command acts on (src/commands/spec.ts): argument, editor, focused panel, visible editor */
  specs: SpecResolver;
}
