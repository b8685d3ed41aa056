// One definition of the two numbers every training view shows (lens, status bar, panels, CLI,
// summary.json), so they never disagree:
// - "epoch" is the number of COMPLETED epochs: `epoch 18/30` while epoch 19 is running or paused
//   part-way; a run stopped in epoch 8 has 7 (summary.json's `epochs`).
// - "loss" is the epoch-mean training loss of the last completed epoch (summary.json's `finalLoss`);
//   the loss of one batch is only ever shown labelled "batch loss" (before the first epoch ends it is
//   the only loss there is).
// Pure: no `vscode`, no DOM.
import type { RunSummary, StopReason, WorkerToHost } from '../../protocol/training';
import { loss as formatLoss } from './format';

export interface Progress {
  /** completed epochs */
  epochsDone: number;
  /** epochs the run was started for */
  epochs: number;
  /** epoch-mean training loss of the last completed epoch */
  loss?: number;
  /** the last batch's loss */
  batchLoss?: number;
}

export function startProgress(epochs: number): Progress {
  return { epochsDone: 0, epochs };
}

/** Completed epochs once a batch of (1-based) epoch `epoch` ran: the ones before it. */
export function epochsDoneAtBatch(epoch: number): number {
  return Math.max(0, epoch - 1);
}

/** Completed epochs once batch `batch` (1-based) of `stepsPerEpoch` in epoch `epoch` has run: its last batch completes it. */
export function epochsDoneAfterBatch(epoch: number, batch: number, stepsPerEpoch: number): number {
  return batch >= stepsPerEpoch ? epoch : epochsDoneAtBatch(epoch);
}

/** The progress after one worker message (a reducer: returns a new object, or `p` when nothing changed). */
export function nextProgress(p: Progress, m: WorkerToHost): Progress {
  switch (m.type) {
    case 'started':
      return startProgress(m.epochs);
    case 'batch':
      return { ...p, epochsDone: Math.max(p.epochsDone, epochsDoneAtBatch(m.epoch)), batchLoss: m.loss };
    case 'epoch':
      return { ...p, epochsDone: m.epoch, epochs: m.epochs, loss: m.loss };
    case 'done': {
      const s = m.summary;
      return { ...p, epochsDone: s.epochs, ...(Number.isFinite(s.finalLoss) || p.loss === undefined ? { loss: s.finalLoss } : {}) };
    }
    default:
      return p;
  }
}

/** `epoch 18/30`: completed epochs of the planned ones. */
export function epochText(done: number, total: number): string {
  return `epoch ${done}/${total}`;
}

/**
 * `loss 0.0213` (the epoch-mean training loss); `batch loss 0.4012` while no epoch has completed;
 * '' when there is neither.
 */
export function lossText(p: Pick<Progress, 'loss' | 'batchLoss'>): string {
  if (p.loss !== undefined) return `loss ${formatLoss(p.loss)}`;
  if (p.batchLoss !== undefined) return `batch loss ${formatLoss(p.batchLoss)}`;
  return '';
}

/** `batch loss 2.07e-4`, the last batch's loss, always labelled as such. */
export function batchLossText(batchLoss: number): string {
  return `batch loss ${formatLoss(batchLoss)}`;
}

/**
 * Why a run ended, as a person reads it (loss panel, status bar, lens, CLI, exports): summary.json keeps the
 * code (`lossBelowTarget`), people read `loss below target 0.001`. `lossTarget` is the run's
 * `training.stopWhenLossBelow` (summary.json has it when the run stopped there).
 */
export function stopReasonText(s: { stopReason: StopReason | string; lossTarget?: number }): string {
  switch (s.stopReason as StopReason) {
    case 'completed':
      return 'completed';
    case 'lossBelowTarget':
      return s.lossTarget === undefined ? 'loss below target' : `loss below target ${s.lossTarget}`;
    case 'stopped':
      return 'stopped';
    case 'nan':
      return 'loss became NaN';
    case 'error':
      return 'failed with an error';
    case 'interrupted':
      return 'interrupted before it finished';
    default:
      return s.stopReason;
  }
}

/** What summary.json says about a finished run, in one line: `stopped: epoch 7/40, 2,800 steps in 1.2 s; loss 0.0110`. */
export function runSummaryText(s: Pick<RunSummary, 'epochs' | 'steps' | 'finalLoss' | 'message' | 'lossTarget'> & { stopReason: StopReason | string }, totalEpochs: number, elapsed: string): string {
  return `${stopReasonText(s)}: ${epochText(s.epochs, totalEpochs)}, ${s.steps} step${s.steps === 1 ? '' : 's'} in ${elapsed}; ${lossText({ loss: s.finalLoss })}${s.message ? ` — ${s.message}` : ''}`;
}
