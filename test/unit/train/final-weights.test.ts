// A finished run hands its trained weights to the views once, before `done` (the loss panel's decision
// regions and the graph panel show a run that ended in 0.3 s): they are the saved model's weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkerToHost } from '../../../src/protocol/training';
import { startSession } from '../../../src/core/train/session';
import { readRunWeights } from '../../../src/core/train/runs';
import { dense, makeSpec } from './helpers';

test('session: the trained weights are sent once  right before done, equal to the saved model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-final-'));
  try {
    const spec = makeSpec({ name: 'xorf', input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 30, batchSize: 4, shuffle: false });
    spec.data = { type: 'inline', x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
    const got: WorkerToHost[] = [];
    const s = await startSession({ spec, specPath: join(dir, 'xorf.nn.json'), backend: 'cpu', onMessage: (m) => got.push(m) });
    const summary = await s.done;
    const finals = got.filter((m): m is Extract<WorkerToHost, { type: 'weights' }> => m.type === 'weights');
    assert.equal(finals.length, 1);
    assert.equal(got[got.length - 1]?.type, 'done');
    assert.equal(got[got.length - 2], finals[0]);
    assert.equal(finals[0].step, summary.steps);
    assert.equal(summary.steps, 30);
    const saved = readRunWeights(summary.runDir!, spec);
    assert.deepEqual(
      finals[0].layers.map((l) => [l.W.length, l.W[0]?.length, l.b?.length]),
      [[2, 4, 4], [4, 1, 1]],
    );
    // float32 on disk, float32 in the message
    for (let i = 0; i < saved.length; i++) {
      saved[i].W.forEach((row, r) => row.forEach((v, c) => assert.equal(Math.fround(finals[0].layers[i].W[r][c]), Math.fround(v))));
      saved[i].b?.forEach((v, o) => assert.equal(Math.fround(finals[0].layers[i].b![o]), Math.fround(v)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
