// `nnlab validate` and `nnlab inspect`: exact output lines and exit codes, through run() with captured
// output, and once through the built bundle (node dist/cli.js) when it exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run as validate } from '../../../src/cli/commands/validate';
import { run as inspect, type InspectDocument } from '../../../src/cli/commands/inspect';

const root = resolve(__dirname, '../../..');

async function capture(fn: (args: string[], io: { out(s: string): void; err(s: string): void }) => Promise<number>, args: string[]) {
  let out = '';
  let err = '';
  const prev = process.cwd();
  process.chdir(root);
  try {
    const code = await fn(args, { out: (s) => void (out += s), err: (s) => void (err += s) });
    return { code, out: out.split('\n').filter((l) => l !== ''), err: err.split('\n').filter((l) => l !== '') };
  } finally {
    process.chdir(prev);
  }
}

test('validate: clean samples print nothing on stdout and exit 0', async () => {
  const r = await capture(validate, ['samples/xor.nn.json', 'samples/iris.nn.json', 'samples/mnist.nn.json']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out, []);
  assert.deepEqual(r.err, ['3 files checked: 0 errors, 0 warnings']);
});

test('validate: compiler-style lines, 1-based, exit 1 on an error', async () => {
  const r = await capture(validate, ['samples/invalid/unknown-key.nn.json', 'samples/invalid/softmax-loss.nn.json', 'samples/invalid/weight-values-shape.nn.json']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out, [
    'samples/invalid/unknown-key.nn.json:6:36: error NN101: Unknown property "activaton" in a dense layer; did you mean "activation"?',
    'samples/invalid/softmax-loss.nn.json:9:11: warning NN204: The output layer uses softmax but the loss is "mse"; softmax outputs class probabilities, which belong with "categoricalCrossentropy".',
    'samples/invalid/weight-values-shape.nn.json:10:27: error NN202: W must be 2×4 (inputs × units), got 3×4.',
  ]);
  assert.deepEqual(r.err, ['3 files checked: 2 errors, 1 warning']);
});

test('validate: a folder stands for every .nn.json below it', async () => {
  const r = await capture(validate, ['samples/invalid']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.err, ['22 files checked: 21 errors, 1 warning']);
  assert.equal(r.out.length, 22);
  assert.equal(r.out[0], 'samples/invalid/batch-larger-than-data.nn.json:9:45: error NN303: batchSize 32 is larger than the 4 training samples; use at most 4, or "full" for the whole set.');
});

test('validate: warnings alone exit 0; unreadable file and bad usage', async () => {
  const w = await capture(validate, ['samples/invalid/softmax-loss.nn.json', '--quiet']);
  assert.equal(w.code, 0);
  assert.deepEqual(w.err, []);
  const missing = await capture(validate, ['samples/nope.nn.json']);
  assert.equal(missing.code, 1);
  assert.deepEqual(missing.out, ['samples/nope.nn.json:1:1: error NN000: cannot read the file (ENOENT).']);
  assert.equal((await capture(validate, [])).code, 2);
});

test('validate: --memory-limit-mb makes a small network too big', async () => {
  const r = await capture(validate, ['samples/mnist.nn.json', '--memory-limit-mb', '1']);
  assert.equal(r.code, 1);
  assert.equal(r.out.length, 1);
  assert.match(r.out[0]!, /^samples\/mnist\.nn\.json:7:3: error NN401: Estimated training memory 32\.5 MiB \(parameters 398 KiB, gradients 398 KiB, optimizer state 795 KiB, activations 692 KiB at batch size 64, data 30\.3 MiB for 5000 samples\) exceeds the limit of 1\.00 MiB \(nnlab\.memoryLimitMB\); /);
});

test('inspect: the table for xor', async () => {
  const r = await capture(inspect, ['samples/xor.nn.json']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out, [
    'xor (samples/xor.nn.json): 2-4-1, input B×2, loss mse, optimizer adam (α = 0.05)',
    '#  layer    kind   output shape  W    b    params  activation',
    '-  -------  -----  ------------  ---  ---  ------  ----------',
    '1  dense_1  dense  B×4           2×4  1×4      12  tanh',
    '2  dense_2  dense  B×1           4×1  1×1       5  sigmoid',
    'total params: 17 (68 B float32)',
    'multiply-adds per sample: 12',
    'activations per batch of 4: 80 B',
    'training memory estimate: 704 B (parameters 68 B, gradients 68 B, optimizer state 136 B, activations 336 B at batch size 4, data 96 B for 4 samples)',
    'data: 4 samples of 2 features, 1 label column',
  ]);
});

test('inspect: many classes read as a count and the first five (as NN302), not an 11 KB line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-classes-'));
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 2},class${String(i % 20).padStart(2, '0')}`);
  writeFileSync(join(dir, 'many.csv'), ['a,b,label', ...rows].join('\n') + '\n');
  const file = join(dir, 'many.nn.json');
  writeFileSync(file, JSON.stringify({ version: 1, input: { shape: [2] }, layers: [{ type: 'dense', units: 20, activation: 'softmax' }], loss: 'categoricalCrossentropy', training: { batchSize: 8 }, data: { type: 'csv', path: 'many.csv', label: 'label', oneHot: true } }));
  const r = await capture(inspect, [file]);
  assert.equal(r.code, 0, r.err.join("\n"));
  assert.equal(r.out.at(-1), 'data: 40 samples of 2 features, 20 label columns (20 classes: class00, class01, class02, class03, class04 and 15 more)');
});

test('inspect: the table for mnist (flatten, 101,770 params)', async () => {
  const r = await capture(inspect, ['samples/mnist.nn.json']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out.slice(1, 6), [
    '#  layer      kind     output shape  W        b       params  activation',
    '-  ---------  -------  ------------  -------  -----  -------  ----------',
    '1  flatten_1  flatten  B×784         —        —            0  —',
    '2  dense_1    dense    B×128         784×128  1×128  100,480  relu',
    '3  dense_2    dense    B×10          128×10   1×10     1,290  softmax',
  ]);
  assert.equal(r.out[6], 'total params: 101,770 (398 KiB float32)');
});

test('inspect --json: the stable document', async () => {
  const r = await capture(inspect, ['samples/mnist.nn.json', '--json']);
  assert.equal(r.code, 0);
  const doc = JSON.parse(r.out.join('\n')) as InspectDocument;
  assert.equal(doc.format, 'nnlab.inspect');
  assert.equal(doc.version, 1);
  assert.equal(doc.valid, true);
  assert.equal(doc.totals!.params, 101770);
  assert.deepEqual(doc.input, { shape: ['B', 28, 28] });
  assert.deepEqual(
    doc.layers.map((l) => [l.type, l.inputShape, l.outputShape, l.weightShape, l.biasShape, l.params, l.macs]),
    [
      ['flatten', ['B', 28, 28], ['B', 784], null, null, 0, 0],
      ['dense', ['B', 784], ['B', 128], [784, 128], [1, 128], 100480, 100352],
      ['dense', ['B', 128], ['B', 10], [128, 10], [1, 10], 1290, 1280],
    ],
  );
  assert.deepEqual(doc.layers[1]!.activation, { name: 'relu' });
  assert.deepEqual(Object.keys(doc), ['format', 'version', 'file', 'name', 'valid', 'input', 'batchSize', 'layers', 'totals', 'outputShape', 'memory', 'data', 'problems']);
  assert.deepEqual(doc.data, { samples: 5000, features: [28, 28], labels: 10, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
  assert.deepEqual(doc.problems, []);
});

test('inspect: a spec with errors lists them (JSON: located problems) and exits 1', async () => {
  const r = await capture(inspect, ['samples/invalid/data-labels.nn.json', '--json']);
  assert.equal(r.code, 1);
  const doc = JSON.parse(r.out.join('\n')) as InspectDocument;
  assert.equal(doc.valid, false);
  assert.deepEqual(doc.problems.map((p) => [p.code, p.line, p.column, p.endLine, p.endColumn]), [['NN302', 7, 33, 7, 34]]);
  const t = await capture(inspect, ['samples/invalid/json-syntax.nn.json']);
  assert.equal(t.code, 1);
  assert.deepEqual(t.out, []);
  assert.deepEqual(t.err, ['samples/invalid/json-syntax.nn.json:5:3: error NN001: A comma is expected between two values or properties.']);
});

test('the built CLI (node dist/cli.js) reports 101770 params for mnist and validates a temp file', { skip: !existsSync(join(root, 'dist/cli.js')) && 'dist/cli.js not built (npm test builds it first)' }, () => {
  const r = spawnSync(process.execPath, [join(root, 'bin/nnlab.js'), 'inspect', 'samples/mnist.nn.json', '--json'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as InspectDocument).totals!.params, 101770);
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-cli-'));
  writeFileSync(join(dir, 'bad.nn.json'), '{"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 0}]}');
  const v = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'validate', 'bad.nn.json'], { cwd: dir, encoding: 'utf8' });
  assert.equal(v.status, 1);
  assert.equal(v.stdout, 'bad.nn.json:1:65: error NN104: layers[0].units must be an integer ≥ 1 (the number of neurons), got 0.\n');
});
