// Issue 13 item 5: one definition of "epoch" (completed epochs) and "loss" (the epoch-mean training
// loss; a batch's loss only as "batch loss"), read the same by the lens, the status bar, the loss
// panel, the CLI and summary.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSummary, StopReason, WorkerToHost } from '../../../src/protocol/training';
import { batchLossText, epochText, epochsDoneAtBatch, liveRunLens, lossText, nextProgress, runSummaryText, startProgress, statusText, stopReasonText, statusTooltip, type Progress } from '../../../src/core/explain';

const run = (events: WorkerToHost[]): Progress => events.reduce(nextProgress, startProgress(0));
const batch = (epoch: number, b: number, loss: number): WorkerToHost => ({ type: 'batch', step: (epoch - 1) * 10 + b, epoch, batch: b, loss, elapsedMs: 0 });
const epoch = (e: number, epochs: number, loss: number): WorkerToHost => ({ type: 'epoch', step: e * 10, epoch: e, epochs, loss, samplesPerSec: 1, elapsedMs: 0, etaMs: 0 });
const summary = (over: Partial<RunSummary>): RunSummary => ({ backend: { active: 'cpu', device: 'CPU', skipped: [], reason: '' }, startedAt: '', finishedAt: '', elapsedMs: 1200, epochs: 0, steps: 0, finalLoss: NaN, bestLoss: NaN, stopReason: 'completed', ...over });

test('paused in epoch 19 of 30 (after epoch 18 completed): every view says epoch 18/30', () => {
  const events: WorkerToHost[] = [{ type: 'started', epochs: 30, stepsPerEpoch: 10 }];
  for (let e = 1; e <= 18; e++) events.push(batch(e, 10, 0.5), epoch(e, 30, 0.4 - e / 100));
  events.push(batch(19, 1, 0.02), batch(19, 2, 0.03), { type: 'paused', step: 182 });
  const p = run(events);
  assert.equal(epochText(p.epochsDone, p.epochs), 'epoch 18/30');
  assert.equal(epochsDoneAtBatch(19), 18, 'the host\'s count from a batch of epoch 19');
  assert.equal(lossText(p), 'loss 0.2200', 'the mean of epoch 18, not the last batch');
  assert.equal(batchLossText(p.batchLoss as number), 'batch loss 0.0300');
  const view = { phase: 'paused' as const, epoch: p.epochsDone, epochs: p.epochs, loss: p.loss, batchLoss: p.batchLoss };
  assert.equal(liveRunLens(view), 'Paused at epoch 18/30 · loss 0.2200');
  assert.equal(statusText('cpu', view), '$(chip) cpu · $(debug-pause) 18/30');
  assert.match(statusTooltip(undefined, 'cpu', view, 'x'), /\nPaused: epoch 18\/30, loss 0\.2200\n/);
});

test('a finished run: header and footer both show the final epoch-mean loss; the last batch is "batch loss"', () => {
  const events: WorkerToHost[] = [{ type: 'started', epochs: 2, stepsPerEpoch: 10 }, batch(1, 10, 0.3), epoch(1, 2, 0.5), batch(2, 10, 2.07e-4), epoch(2, 2, 0.011)];
  const s = summary({ epochs: 2, steps: 20, finalLoss: 0.011, bestLoss: 0.011 });
  const p = nextProgress(run(events), { type: 'done', summary: s });
  assert.equal(lossText(p), 'loss 0.0110');
  assert.equal(runSummaryText(s, p.epochs, '1.2 s'), 'completed: epoch 2/2, 20 steps in 1.2 s; loss 0.0110');
  assert.equal(batchLossText(p.batchLoss as number), 'batch loss 0.000207');
});

test('stopped in epoch 8 of 40: "epoch 7/40" everywhere, and the summary says 7 epochs', () => {
  const events: WorkerToHost[] = [{ type: 'started', epochs: 40, stepsPerEpoch: 10 }];
  for (let e = 1; e <= 7; e++) events.push(batch(e, 10, 0.5), epoch(e, 40, 0.5));
  events.push(batch(8, 3, 0.1));
  const live = run(events);
  assert.equal(epochText(live.epochsDone, live.epochs), 'epoch 7/40');
  const s = summary({ stopReason: 'stopped', epochs: 7, steps: 73, finalLoss: 0.5, message: 'stopped at step 73, after epoch 7/40' });
  const done = nextProgress(live, { type: 'done', summary: s });
  assert.equal(epochText(done.epochsDone, done.epochs), 'epoch 7/40');
  assert.equal(runSummaryText(s, 40, '1.2 s'), 'stopped: epoch 7/40, 73 steps in 1.2 s; loss 0.5000 — stopped at step 73, after epoch 7/40');
});

test('before the first epoch ends, the only loss is the batch loss, labelled so', () => {
  const p = run([{ type: 'started', epochs: 5, stepsPerEpoch: 10 }, batch(1, 3, 0.25)]);
  assert.equal(lossText(p), 'batch loss 0.2500');
  assert.equal(lossText(startProgress(5)), '');
});

test('every stop reason reads as plain words, the same in panel, status bar, lens and CLI (issue 13 item 5)', () => {
  const want: Record<StopReason, string> = {
    completed: 'completed',
    lossBelowTarget: 'loss below target 0.001',
    stopped: 'stopped',
    nan: 'loss became NaN',
    error: 'failed with an error',
    interrupted: 'interrupted before it finished',
  };
  for (const [reason, text] of Object.entries(want)) assert.equal(stopReasonText({ stopReason: reason, lossTarget: 0.001 }), text, reason);
  assert.equal(stopReasonText({ stopReason: 'lossBelowTarget' }), 'loss below target', 'an older summary.json without lossTarget');
  assert.equal(stopReasonText({ stopReason: 'somethingNew' }), 'somethingNew', 'an unknown code is shown as it is, not dropped');
  const s = summary({ stopReason: 'lossBelowTarget', lossTarget: 0.001, epochs: 58, steps: 58, finalLoss: 0.00098 });
  assert.equal(runSummaryText(s, 500, '0.4 s'), 'loss below target 0.001: epoch 58/500, 58 steps in 0.4 s; loss 0.00098');
  assert.match(statusTooltip(undefined, 'cpu', { phase: 'finished', epoch: 58, epochs: 500, summary: s }, 'x'), /\nLast run: loss 0\.00098 after epoch 58\/500 \(loss below target 0\.001\)\n/);
});
