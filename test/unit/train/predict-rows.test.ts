// `nnlab predict` rows (issue 12, item 6): every row is exactly one sample of the model's input, flat or
// shaped like input.shape; any other row is an error naming it, never reshaped into other samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputRows, predictRun } from '../../../src/core/train/predict';
import { RunWriter } from '../../../src/core/train/runs';
import { initialWeights } from '../../../src/core/train/init';
import { run as predictCli } from '../../../src/cli/commands/predict';
import { dense, makeSpec } from './helpers';

test('inputRows: flat rows or rows shaped like input.shape; anything else names the row', () => {
  assert.deepEqual(inputRows([[0, 1], [1, 1]], [2]), [0, 1, 1, 1]);
  assert.deepEqual(inputRows([[[1, 2], [3, 4]], [5, 6, 7, 8]], [2, 2]), [1, 2, 3, 4, 5, 6, 7, 8]);
  const err = (input: unknown, shape: number[]): string => {
    try {
      inputRows(input, shape);
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  assert.equal(err([[0, 1, 1, 1]], [2]), '--input row 0 has 4 numbers; each row is one sample of 2 numbers (input shape [2])');
  assert.equal(err([[0, 1], [1]], [2]), '--input row 1 has 1 number; each row is one sample of 2 numbers (input shape [2])');
  assert.equal(err([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [3, 3]), '--input row 0 has 3 numbers; each row is one sample of 9 numbers (input shape [3, 3])');
  assert.equal(err([[[1, 2, 3], [4, 5, 6]]], [2, 2]), '--input row 0 has shape 2×3; each row is one sample of 4 numbers (input shape [2, 2])');
  assert.equal(err([[[1, 2], [3]]], [2, 2]), '--input row 0 has rows of different lengths; each row is one sample of 4 numbers (input shape [2, 2])');
  assert.equal(err([[0, 1], 5], [2]), '--input row 1 has 5, not a row; each row is one sample of 2 numbers (input shape [2])');
  assert.equal(err([[0, 'a']], [2]), '--input row 0 has "a"; rows contain only finite numbers');
  assert.equal(err([], [2]), '--input must be a JSON array of rows, one sample each, e.g. [[0,1],[1,1]]');
});

test('nnlab predict on a 2-input run: [[0,1,1,1]] is refused with exit 1 and the row named; two rows give two predictions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-predict-rows-'));
  try {
    const spec = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4 });
    const w = new RunWriter(join(dir, 'p.nn.json'), spec, { backend: { active: 'cpu', device: 'x', skipped: [], reason: 'r' }, startedAt: new Date().toISOString() });
    w.finish({ finishedAt: '', elapsedMs: 1, epochs: 1, steps: 1, finalLoss: 0.1, bestLoss: 0.1, stopReason: 'completed' }, spec, initialWeights(spec));
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
    assert.equal(await predictCli([w.dir, '--input', '[[0,1,1,1]]'], io), 1);
    assert.deepEqual(out, []);
    assert.deepEqual(err, ['nnlab predict: --input row 0 has 4 numbers; each row is one sample of 2 numbers (input shape [2])\n']);
    const two = await predictRun(w.dir, [[0, 1], [1, 1]]);
    assert.equal(two.length, 2);
    assert.ok(two.every((r) => r.length === 1 && r[0]! > 0 && r[0]! < 1));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
