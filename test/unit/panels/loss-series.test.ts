// The loss panel's state (src/core/view/lossSeries.ts), apart from its DOM: the live events and a run's
// metrics.csv fill the same series, with the same numbers, and the phase and header numbers follow the run.
import { test } from 'node:test';
import { runSummaryText } from '../../../src/core/explain/progress';
import assert from 'node:assert/strict';
import { LossSeries } from '../../../src/core/view/lossSeries';
import { parseMetricsCsv } from '../../../src/core/view/metrics';
import { METRICS_HEADER } from '../../../src/core/train/runs';
import type { RunSummary, WorkerToHost } from '../../../src/protocol/training';

const backend = { active: 'cpu', device: 'CPU (pure JavaScript)', skipped: [], reason: 'requested: cpu' };
const summary: RunSummary = { backend, startedAt: 'a', finishedAt: 'b', elapsedMs: 40, epochs: 2, steps: 4, finalLoss: 0.2, bestLoss: 0.2, stopReason: 'completed', runDir: '/w/.nnlab/runs/t-xor' };

/** a 2-epoch run of 2 steps per epoch, as the worker sends it */
const live: WorkerToHost[] = [
  { type: 'backend', report: backend },
  { type: 'started', runDir: '/w/.nnlab/runs/t-xor', epochs: 2, stepsPerEpoch: 2 },
  { type: 'batch', step: 1, epoch: 1, batch: 1, loss: 0.8, elapsedMs: 10 },
  { type: 'batch', step: 2, epoch: 1, batch: 2, loss: 0.6, elapsedMs: 20 },
  { type: 'epoch', step: 2, epoch: 1, epochs: 2, loss: 0.7, accuracy: 0.5, samplesPerSec: 200, elapsedMs: 20, etaMs: 20 },
  { type: 'batch', step: 3, epoch: 2, batch: 1, loss: 0.4, elapsedMs: 30 },
  { type: 'batch', step: 4, epoch: 2, batch: 2, loss: 0.2, elapsedMs: 40 },
  { type: 'epoch', step: 4, epoch: 2, epochs: 2, loss: 0.3, accuracy: 0.75, samplesPerSec: 100, elapsedMs: 40, etaMs: 0 },
  { type: 'done', summary },
];
/** the same run's metrics.csv */
const csv = [
  METRICS_HEADER,
  'step,1,1,1,0.8,,,,10',
  'step,2,1,2,0.6,,,,20',
  'epoch,2,1,,0.7,,0.5,,20',
  'step,3,2,1,0.4,,,,30',
  'step,4,2,2,0.2,,,,40',
  'epoch,4,2,,0.3,,0.75,,40',
].join('\n');

const arrays = (s: LossSeries): Record<string, number[]> => ({
  ...Object.fromEntries(Object.entries(s.batch).map(([k, g]) => [`batch.${k}`, [...g.view()]])),
  ...Object.fromEntries(Object.entries(s.epochs).map(([k, g]) => [`epochs.${k}`, [...g.view()]])),
});

test('live events: every point kept, fractional epochs, phase and header numbers', () => {
  const s = new LossSeries();
  assert.equal(s.phase, 'idle');
  for (const m of live.slice(0, 5)) s.ingest(m);
  assert.equal(s.phase, 'running');
  assert.deepEqual([s.lastEpoch, s.totalEpochs, s.samplesPerSec, s.etaMs, s.firstLoss, s.lastLoss], [1, 2, 200, 20, 0.8, 0.6]);
  s.ingest({ type: 'paused', step: 2 });
  assert.equal(s.phase, 'paused');
  s.ingest({ type: 'resumed' });
  for (const m of live.slice(5)) s.ingest(m);
  assert.equal(s.phase, 'done');
  assert.deepEqual(s.note, { kind: 'done', summary });
  assert.equal(s.points, 6);
  assert.equal(s.currentRunId, 't-xor');
  assert.deepEqual(arrays(s), {
    'batch.step': [1, 2, 3, 4],
    'batch.epochF': [0.5, 1, 1.5, 2],
    'batch.time': [0.01, 0.02, 0.03, 0.04],
    'batch.loss': [0.8, 0.6, 0.4, 0.2],
    'epochs.step': [2, 4],
    'epochs.epoch': [1, 2],
    'epochs.time': [0.02, 0.04],
    'epochs.loss': [0.7, 0.3],
    'epochs.valLoss': [NaN, NaN],
    'epochs.acc': [0.5, 0.75],
    'epochs.valAcc': [NaN, NaN],
  });
});

test('a run loaded from metrics.csv gives the same series as its live events; an idle panel shows it as done', () => {
  const fromLive = new LossSeries();
  for (const m of live) fromLive.ingest(m);
  const fromFile = new LossSeries();
  const run = { ...parseMetricsCsv(csv, 't-xor'), summary };
  assert.equal(fromFile.loadRun(run), true);
  assert.deepEqual(arrays(fromFile), arrays(fromLive));
  assert.deepEqual([fromFile.phase, fromFile.lastEpoch, fromFile.totalEpochs, fromFile.firstLoss, fromFile.lastLoss, fromFile.stepsPerEpoch], ['done', 2, 2, 0.8, 0.2, 2]);
  assert.deepEqual(fromFile.note, { kind: 'file', label: 't-xor', summary });
  assert.deepEqual(fromFile.backend, backend);
  // a run with no more rows than the panel holds does not replace them
  assert.equal(fromLive.loadRun(run), false);
});

test("a run loaded from disk counts its epochs of the ones its spec asked for, as the CLI and the runs table do (epoch 2/500, not 2/2)", () => {
  const s = new LossSeries();
  assert.equal(s.loadRun({ ...parseMetricsCsv(csv, 't-xor'), summary, plannedEpochs: 500 }), true);
  assert.equal(s.totalEpochs, 500);
  assert.equal(runSummaryText(summary, s.totalEpochs, '1 s').split(';')[0], `${summary.stopReason}: epoch 2/500, ${summary.steps} steps in 1 s`);
});

test('the full run replaces rate-limited live points; a new run starts empty; an error is noted', () => {
  const s = new LossSeries();
  for (const m of live.slice(0, 3)) s.ingest(m);
  assert.equal(s.points, 1);
  assert.equal(s.loadRun(parseMetricsCsv(csv, 't-xor')), true);
  assert.equal(s.points, 6);
  assert.equal(s.phase, 'running', 'a run still going stays running');
  s.ingest({ type: 'error', message: 'NaN loss', step: 3 });
  assert.deepEqual([s.phase, s.note], ['failed', { kind: 'error', message: 'NaN loss', step: 3 }]);
  s.ingest({ type: 'started', epochs: 5, stepsPerEpoch: 1 });
  assert.deepEqual([s.points, s.phase, s.note, s.firstLoss, s.totalEpochs], [0, 'running', undefined, undefined, 5]);
});
