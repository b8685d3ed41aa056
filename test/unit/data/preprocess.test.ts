// CSV standardisation fitted on the training rows only (no validation leakage): hand-computed
// statistics, validation rows transformed with them, the trainer training on exactly those rows,
// iris through loadData, a mismatched split refused, and the preprocessing.json reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadData, parseCsvData, parseCsvRows, parsePreprocessing, splitRows } from '../../../src/core/data';
import { parseSpec } from '../../../src/core/spec/parse';
import type { NetworkSpec } from '../../../src/core/spec/types';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer, TrainingError } from '../../../src/core/train/trainer';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const f32 = (v: number): number => Math.fround(v);

/**
 * Six rows, a third held out with seed 7. The four training rows (wherever the seeded split puts them)
 * carry feature a = 1, 2, 3, 4 and a constant feature b = 7; the two validation rows carry a = 100 and
 * −50, b = 9 and 5, which would move an all-rows mean of a to 10 and make b non-constant.
 */
function handCsv(): { text: string; order: Int32Array; trainA: number[]; valA: number[] } {
  const split = splitRows(6, 1 / 3, 7);
  assert.equal(split.nTrain, 4);
  assert.equal(split.nVal, 2);
  const a = new Array<number>(6);
  const b = new Array<number>(6);
  const trainA = [1, 2, 3, 4];
  const valA = [100, -50];
  split.order!.forEach((row, k) => {
    a[row] = k < 4 ? trainA[k]! : valA[k - 4]!;
    b[row] = k < 4 ? 7 : [9, 5][k - 4]!;
  });
  const lines = ['a,b,label', ...a.map((v, i) => `${v},${b[i]},${i % 2}`)];
  return { text: lines.join('\n') + '\n', order: split.order!, trainA, valA };
}

test('standardize: mean 2.5 and std √1.25 from the 4 training rows only; validation rows use them; constant feature → mean subtracted', () => {
  const { text, order } = handCsv();
  const d = parseCsvData(text, { type: 'csv', path: 'f.csv', label: 'label', standardize: true }, { validationSplit: 1 / 3, seed: 7 });
  const s = d.preprocessing?.standardize;
  assert.ok(s);
  assert.deepEqual(s.features, ['a', 'b']);
  assert.deepEqual(s.mean, [2.5, 7]); // not (1+2+3+4+100−50)/6 = 10, nor b's (4·7+9+5)/6 = 7
  assert.deepEqual(s.std, [Math.sqrt(1.25), 0]);
  assert.equal(s.std[0], 1.118033988749895);
  assert.deepEqual(s.fittedOn, { rows: 4, of: 6, validationSplit: 1 / 3, seed: 7 });
  const at = (row: number): [number, number] => [d.x[row * 2]!, d.x[row * 2 + 1]!];
  // training rows: (a − 2.5)/√1.25 = −1.3416408, −0.4472136, 0.4472136, 1.3416408; b − 7 = 0
  assert.deepEqual([0, 1, 2, 3].map((k) => at(order[k]!)), [[f32(-1.3416407864998738), 0], [f32(-0.4472135954999579), 0], [f32(0.4472135954999579), 0], [f32(1.3416407864998738), 0]]);
  // validation rows, transformed with the training statistics: (100 − 2.5)/√1.25 = 87.2066511, (−50 − 2.5)/√1.25 = −46.9574275; b: 9 − 7, 5 − 7
  assert.deepEqual(at(order[4]!), [f32(97.5 / Math.sqrt(1.25)), 2]);
  assert.deepEqual(at(order[5]!), [f32(-52.5 / Math.sqrt(1.25)), -2]);
  assert.equal(+(97.5 / Math.sqrt(1.25)).toFixed(7), 87.2066511);
});

test('standardize without a split: every row is a training row (the old behaviour when nothing is held out)', () => {
  const d = parseCsvData('a,y\n1,0\n2,1\n3,0\n4,1\n', { type: 'csv', path: 'f.csv', label: 'y', standardize: true });
  assert.deepEqual(d.preprocessing?.standardize?.mean, [2.5]);
  assert.deepEqual(d.preprocessing?.standardize?.fittedOn, { rows: 4, of: 4, validationSplit: 0, seed: 0 });
  assert.deepEqual([...d.x], [-1.3416407864998738, -0.4472135954999579, 0.4472135954999579, 1.3416407864998738].map(f32));
  assert.equal(parseCsvData('a,y\n1,0\n2,1\n', { type: 'csv', path: 'f.csv', label: 'y' }).preprocessing, undefined);
});

test('the trainer trains on exactly the rows the statistics came from (mean 0, std 1) and validates on the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-std-'));
  try {
    const { text, trainA, valA } = handCsv();
    writeFileSync(join(dir, 'd.csv'), text);
    const specText = JSON.stringify({
      version: 1,
      input: { shape: [2] },
      layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }],
      loss: 'mse',
      training: { epochs: 1, batchSize: 4, seed: 7, validationSplit: 1 / 3 },
      data: { type: 'csv', path: 'd.csv', label: 'label', standardize: true },
    });
    const spec = parseSpec(specText).spec!;
    const d = await loadData(spec, join(dir, 's.nn.json'));
    assert.deepEqual(d.preprocessing?.standardize?.mean, [2.5, 7]);
    const { backend } = await selectBackend('cpu', { modulePaths: [] });
    const t = new Trainer({ backend, spec, data: d });
    try {
      assert.equal(t.nTrain, 4);
      // the trainer's own held-out copies (private fields, read here to prove which rows it uses)
      const trainX = t['trainX'];
      const valX = t['valX']!;
      const colA = (x: Float32Array): number[] => [...x].filter((_, i) => i % 2 === 0);
      assert.deepEqual(colA(trainX), trainA.map((a) => f32((a - 2.5) / Math.sqrt(1.25))));
      assert.deepEqual(colA(valX), valA.map((a) => f32((a - 2.5) / Math.sqrt(1.25))));
      const m = colA(trainX).reduce((s, v) => s + v, 0) / 4;
      const sd = Math.sqrt(colA(trainX).reduce((s, v) => s + (v - m) ** 2, 0) / 4);
      assert.ok(Math.abs(m) < 1e-7 && Math.abs(sd - 1) < 1e-6, `${m} ${sd}`);
    } finally {
      t.dispose();
    }
    // data loaded for one split and trained with another would leak: refused with the numbers
    const other: NetworkSpec = { ...spec, training: { ...spec.training, validationSplit: 0.5 } };
    assert.throws(
      () => new Trainer({ backend, spec: other, data: d }),
      (e: unknown) => e instanceof TrainingError && e.code === 'data' && e.message === 'data: the features were standardised with statistics of 4 of 6 rows (validationSplit 0.3333333333333333, seed 7), but this run trains on 3 of 6 (validationSplit 0.5, seed 7); load the data with this spec',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('iris sample: statistics of its 120 training rows (validationSplit 0.2, seed 42), not of all 150', async () => {
  const spec = parseSpec(readFileSync(join(root, 'samples/iris.nn.json'), 'utf8')).spec!;
  const d = await loadData(spec, join(root, 'samples/iris.nn.json'));
  const s = d.preprocessing!.standardize!;
  assert.deepEqual(s.fittedOn, { rows: 120, of: 150, validationSplit: 0.2, seed: 42 });
  assert.deepEqual(s.features, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  // oracle: the raw CSV's rows at the split's first 120 positions, summed here in float64
  const rows = parseCsvRows(readFileSync(join(root, 'samples/data/iris.csv'), 'utf8')).slice(1).map((r) => r.slice(0, 4).map(Number));
  const train = [...splitRows(150, 0.2, 42).order!.subarray(0, 120)].map((i) => rows[i]!);
  for (let j = 0; j < 4; j++) {
    const m = train.reduce((a, r) => a + r[j]!, 0) / 120;
    const sd = Math.sqrt(train.reduce((a, r) => a + (r[j]! - m) ** 2, 0) / 120);
    assert.ok(Math.abs(s.mean[j]! - m) < 1e-12 && Math.abs(s.std[j]! - sd) < 1e-12, `feature ${j}`);
  }
  // the all-rows means (Fisher's 5.843, 3.054, 3.759, 1.199) are not what the run was fitted on
  const all = [0, 1, 2, 3].map((j) => rows.reduce((a, r) => a + r[j]!, 0) / 150);
  assert.deepEqual(all.map((m) => +m.toFixed(3)), [5.843, 3.054, 3.759, 1.199]);
  assert.ok(s.mean.some((m, j) => Math.abs(m - all[j]!) > 1e-3));
});

test('preprocessing.json reader: round trip, and located refusals of damaged files', () => {
  const doc = { format: 'nnlab.preprocessing', version: 1, standardize: { features: ['a'], mean: [2.5], std: [1.118033988749895], fittedOn: { rows: 4, of: 6, validationSplit: 0.5, seed: 7 } } };
  assert.deepEqual(parsePreprocessing(doc, 'p.json'), { standardize: doc.standardize });
  assert.deepEqual(parsePreprocessing({ format: 'nnlab.preprocessing', version: 1 }, 'p.json'), {});
  const bad = (d: unknown, msg: string): void => assert.throws(() => parsePreprocessing(d, 'run/preprocessing.json'), { message: `run/preprocessing.json is not a valid NN Lab preprocessing file: ${msg}` });
  bad([], 'expected a JSON object');
  bad({ ...doc, format: 'x' }, '"format" must be "nnlab.preprocessing"');
  bad({ ...doc, version: 2 }, '"version" 2 is not supported (only 1)');
  bad({ ...doc, standardize: { mean: [], std: [] } }, '"standardize.mean" must be a non-empty array of finite numbers');
  bad({ ...doc, standardize: { mean: [1, 2], std: [1] } }, '"standardize.std" must be 2 finite numbers ≥ 0');
  bad({ ...doc, standardize: { mean: [1], std: [-1] } }, '"standardize.std" must be 1 finite numbers ≥ 0');
});
