// The loss panel's state apart from its DOM (issue 15 item 3): every batch and epoch point of the
// current run, its phase and the numbers the header shows. One state fed by both paths a panel has:
// the worker's live events (`ingest`, also the history a panel gets when it opens mid-run) and a run's
// metrics.csv (`loadRun`, every row: the live events are rate-limited). Both push rows through the same
// two functions. Pure (no DOM, no vscode): unit-tested in test/unit/panels/loss-series.test.ts; the
// panel (webview/loss/main.ts) only draws it. Mutable typed arrays rather than copies: a long run has
// hundreds of thousands of points.
import type { BackendReport, RunSummary, WorkerToHost } from '../../protocol/training';
import type { RunSeries } from '../../protocol/webview';
import { column } from './metrics';
import { nextProgress, startProgress, type Progress } from '../explain/progress';

/** A growing Float64Array (doubling), read as a view of its first `n` values. */
export class Growable {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
  clear(): void {
    this.n = 0;
  }
}

export type LossPhase = 'idle' | 'running' | 'paused' | 'done' | 'failed';

/** What the note under the chart says (the panel formats it): the run's end, an error, or a run loaded from disk. */
export type LossNote = { kind: 'done'; summary: RunSummary } | { kind: 'error'; message: string; step?: number } | { kind: 'file'; label: string; summary: RunSummary };

export interface BatchRow {
  step: number;
  epoch: number;
  batch: number;
  loss: number;
  elapsedMs: number;
}
export interface EpochRow {
  step: number;
  epoch: number;
  loss: number;
  valLoss?: number;
  accuracy?: number;
  valAccuracy?: number;
  elapsedMs: number;
}

export class LossSeries {
  /** batch points: global step, fractional epoch (epoch − 1 + batch / stepsPerEpoch), seconds, loss */
  readonly batch = { step: new Growable(), epochF: new Growable(), time: new Growable(), loss: new Growable() };
  /** epoch points; NaN where a value is absent (no validation split, not a classifier) */
  readonly epochs = { step: new Growable(), epoch: new Growable(), time: new Growable(), loss: new Growable(), valLoss: new Growable(), acc: new Growable(), valAcc: new Growable() };
  stepsPerEpoch = 1;
  totalEpochs = 0;
  phase: LossPhase = 'idle';
  backend: BackendReport | undefined;
  samplesPerSec: number | undefined;
  etaMs: number | undefined;
  lastEpoch = 0;
  /** completed epochs and the epoch-mean loss, as the lens, status bar and CLI show them (explain/progress.ts) */
  progress: Progress = startProgress(0);
  firstLoss: number | undefined;
  lastLoss: number | undefined;
  note: LossNote | undefined;
  /** the run folder's name (the run drawn live, not overlaid with itself) */
  currentRunId: string | undefined;

  /** batch + epoch points held */
  get points(): number {
    return this.batch.loss.n + this.epochs.loss.n;
  }

  /** Forgets the points (a new run starts, or a full run replaces the live points). */
  reset(): void {
    for (const g of [...Object.values(this.batch), ...Object.values(this.epochs)]) g.clear();
    this.firstLoss = this.lastLoss = undefined;
    this.lastEpoch = 0;
  }

  private pushBatch(r: BatchRow): void {
    this.batch.step.push(r.step);
    this.batch.epochF.push(r.epoch - 1 + r.batch / this.stepsPerEpoch);
    this.batch.time.push(r.elapsedMs / 1000);
    this.batch.loss.push(r.loss);
    this.firstLoss ??= r.loss;
    this.lastLoss = r.loss;
  }

  private pushEpoch(r: EpochRow): void {
    this.epochs.step.push(r.step);
    this.epochs.epoch.push(r.epoch);
    this.epochs.time.push(r.elapsedMs / 1000);
    this.epochs.loss.push(r.loss);
    this.epochs.valLoss.push(r.valLoss ?? NaN);
    this.epochs.acc.push(r.accuracy ?? NaN);
    this.epochs.valAcc.push(r.valAccuracy ?? NaN);
    this.lastEpoch = r.epoch;
  }

  /** One message from the worker (live, or from the history of the run in progress). */
  ingest(m: WorkerToHost): void {
    this.progress = nextProgress(this.progress, m);
    switch (m.type) {
      case 'backend':
        this.backend = m.report;
        break;
      case 'started':
        this.reset();
        this.stepsPerEpoch = Math.max(1, m.stepsPerEpoch);
        this.currentRunId = m.runDir?.split(/[\\/]/).pop();
        this.totalEpochs = m.epochs;
        this.phase = 'running';
        this.note = undefined;
        break;
      case 'batch':
        this.pushBatch(m);
        this.lastEpoch = m.epoch;
        if (this.phase === 'idle') this.phase = 'running';
        break;
      case 'epoch':
        this.pushEpoch(m);
        this.samplesPerSec = m.samplesPerSec;
        this.etaMs = m.etaMs;
        this.totalEpochs = m.epochs;
        this.firstLoss ??= m.loss;
        if (this.batch.loss.n === 0) this.lastLoss = m.loss;
        break;
      case 'paused':
        this.phase = 'paused';
        break;
      case 'resumed':
        this.phase = 'running';
        break;
      case 'done':
        this.phase = m.summary.stopReason === 'error' || m.summary.stopReason === 'nan' ? 'failed' : 'done';
        this.backend = m.summary.backend;
        this.note = { kind: 'done', summary: m.summary };
        break;
      case 'error':
        this.phase = 'failed';
        this.note = { kind: 'error', message: m.message, ...(m.step ? { step: m.step } : {}) };
        break;
    }
  }

  /**
   * Every row of a run's metrics.csv (columns kind, step, epoch, batch, loss, val_loss, accuracy,
   * val_accuracy, elapsed_ms) in place of the points held, when it has more of them. Returns whether
   * it replaced them. A finished run loaded into an idle panel (no run in this window) becomes `done`.
   */
  loadRun(run: RunSeries): boolean {
    this.currentRunId = run.id;
    const kind = run.text?.kind;
    const step = column(run, 'step');
    const ep = column(run, 'epoch');
    const bt = column(run, 'batch');
    const loss = column(run, 'loss');
    const t = column(run, 'elapsed_ms');
    if (!kind || !step || !ep || !loss) return false;
    const rows = kind.length;
    if (rows <= this.points) return false;
    const val = column(run, 'val_loss');
    const acc = column(run, 'accuracy');
    const vacc = column(run, 'val_accuracy');
    let maxBatch = 1;
    for (let i = 0; i < rows; i++) if (kind[i] === 'step' && bt && Number.isFinite(bt[i])) maxBatch = Math.max(maxBatch, bt[i]);
    if (this.stepsPerEpoch <= 1) this.stepsPerEpoch = maxBatch;
    this.reset();
    for (let i = 0; i < rows; i++) {
      const elapsedMs = t?.[i] ?? NaN;
      if (kind[i] === 'step') this.pushBatch({ step: step[i], epoch: ep[i], batch: bt?.[i] ?? 1, loss: loss[i], elapsedMs });
      else if (kind[i] === 'epoch') this.pushEpoch({ step: step[i], epoch: ep[i], loss: loss[i], valLoss: val?.[i], accuracy: acc?.[i], valAccuracy: vacc?.[i], elapsedMs });
    }
    if (run.summary) {
      // the epochs its spec asked for (`epoch 19/500`, as the CLI and the runs table say), else the ones it ran
      this.totalEpochs = Math.max(this.totalEpochs, run.plannedEpochs ?? run.summary.epochs);
      this.backend ??= run.summary.backend;
      if (this.phase === 'idle') {
        this.phase = 'done';
        this.progress = nextProgress({ ...this.progress, epochs: this.totalEpochs }, { type: 'done', summary: run.summary });
        this.note = { kind: 'file', label: run.label, summary: run.summary };
      }
    }
    return true;
  }
}
