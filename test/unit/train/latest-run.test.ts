// The latest saved run of a spec (what panels restored after Reload Window show): the newest of the
// spec's own run folders with a model that fits; other specs' runs in the same .nnlab/runs are ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { LayerWeights } from '../../../src/protocol/training';
import { latestRun, latestRunWeights, runDirsOf, RunWriter } from '../../../src/core/train/runs';
import { dense, makeSpec } from './helpers';

const spec = makeSpec({ input: [2], layers: [dense(2, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4 });
/** Weights whose every value is `v` (exact in float32), so a run is recognised by its weights. */
const filled = (v: number): LayerWeights[] => [
  { layer: 0, name: 'dense_1', W: [[v, v], [v, v]], b: [v, v] },
  { layer: 1, name: 'dense_2', W: [[v], [v]], b: [v] },
];

function saveRun(specPath: string, at: string, w: LayerWeights[] | undefined, runsDir: string, s = spec): string {
  const r = new RunWriter(specPath, s, { backend: { active: 'cpu', device: 'x', skipped: [], reason: 'r' }, startedAt: at }, { runsDir, now: new Date(at) });
  r.finish({ finishedAt: at, elapsedMs: 5, epochs: 1, steps: 1, finalLoss: w ? w[0].W[0][0] : NaN, bestLoss: 0.1, stopReason: w ? 'completed' : 'error' }, s, w);
  return r.dir;
}

test('latestRunWeights: the newer of two runs wins; a newer run of another spec in the same folder is ignored', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnlab-latest-'));
  try {
    const runs = join(root, '.nnlab', 'runs');
    const xor = join(root, 'xor.nn.json');
    const older = saveRun(xor, '2026-12-01T10:00:00.000Z', filled(0.25), runs);
    const newer = saveRun(xor, '2026-12-01T11:00:00.000Z', filled(0.5), runs);
    // newer still, but of xor2.nn.json and of spiral.nn.json: not xor's
    saveRun(join(root, 'xor2.nn.json'), '2026-12-01T12:00:00.000Z', filled(0.75), runs);
    saveRun(join(root, 'spiral.nn.json'), '2026-12-01T13:00:00.000Z', filled(1), runs);
    assert.deepEqual(runDirsOf(xor).map((d) => basename(d)), ['20261201-110000-000-xor', '20261201-100000-000-xor']);
    const got = latestRunWeights(xor, spec);
    assert.ok(got, 'xor has runs');
    assert.equal(got.runDir, newer);
    assert.equal(got.run, '20261201-110000-000-xor');
    assert.deepEqual(got.layers, filled(0.5));
    assert.equal(got.summary?.stopReason, 'completed');
    assert.equal(got.summary?.finalLoss, 0.5);
    assert.notEqual(older, newer);
    assert.deepEqual(latestRunWeights(join(root, 'xor2.nn.json'), spec)?.layers, filled(0.75));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('latestRunWeights: a newer run without a model, or of another shape, is passed over for the one before it', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnlab-latest-'));
  try {
    const runs = join(root, '.nnlab', 'runs');
    const xor = join(root, 'xor.nn.json');
    saveRun(xor, '2026-12-01T10:00:00.000Z', filled(0.25), runs);
    saveRun(xor, '2026-12-01T11:00:00.000Z', undefined, runs);
    const wide = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4 });
    saveRun(xor, '2026-12-01T12:00:00.000Z', [{ layer: 0, name: 'dense_1', W: [[1, 1, 1], [1, 1, 1]], b: [1, 1, 1] }, { layer: 1, name: 'dense_2', W: [[1], [1], [1]], b: [1] }], runs, wide);
    const got = latestRunWeights(xor, spec);
    assert.equal(got?.run, '20261201-100000-000-xor');
    assert.deepEqual(got?.layers, filled(0.25));
    assert.equal(latestRunWeights(xor, wide)?.run, '20261201-120000-000-xor');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('latestRunWeights: no runs folder, or only other specs\' runs → undefined', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnlab-latest-'));
  try {
    const xor = join(root, 'xor.nn.json');
    assert.equal(latestRunWeights(xor, spec), undefined);
    assert.deepEqual(runDirsOf(xor), []);
    saveRun(join(root, 'spiral.nn.json'), '2026-12-01T13:00:00.000Z', filled(1), join(root, '.nnlab', 'runs'));
    assert.equal(latestRunWeights(xor, spec), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('latestRun (the "Last run" lens after a reload): the newest run with a summary, even one without a model; NaN read back from null', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnlab-latest-'));
  try {
    const runs = join(root, '.nnlab', 'runs');
    const xor = join(root, 'xor.nn.json');
    assert.equal(latestRun(xor), undefined);
    saveRun(xor, '2026-12-01T10:00:00.000Z', filled(0.25), runs);
    const failed = saveRun(xor, '2026-12-01T11:00:00.000Z', undefined, runs);
    saveRun(join(root, 'spiral.nn.json'), '2026-12-01T13:00:00.000Z', filled(1), runs);
    const got = latestRun(xor);
    assert.equal(got?.runDir, failed);
    assert.equal(got?.run, '20261201-110000-000-xor');
    assert.equal(got?.summary.stopReason, 'error');
    assert.ok(Number.isNaN(got?.summary.finalLoss), 'finalLoss NaN was saved as null and reads back as NaN');
    assert.equal(got?.summary.backend.active, 'cpu');
    assert.equal(got?.epochs, 1, "the epochs of the run's spec.nn.json");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
