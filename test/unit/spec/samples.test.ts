// Every sample validates clean (no errors, no warnings), and every samples/invalid spec produces the
// problem it is named for, at the expected line and column (1-based, as `nnlab validate` prints them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSpec, CODES, type Analysis } from '../../../src/core/spec';

const root = resolve(__dirname, '../../..');
const samplesDir = join(root, 'samples');

function analyzeFileAt(path: string): Analysis {
  return analyzeSpec(readFileSync(path, 'utf8'), {
    specPath: path,
    readFile: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
}

const VALID = ['circle', 'image-3x3', 'iris', 'mnist', 'network-2-2-2', 'neural-chain', 'or', 'sine', 'spiral', 'xor'];

test('samples/ holds exactly the documented samples, each with $schema', () => {
  const files = readdirSync(samplesDir).filter((f) => f.endsWith('.nn.json')).sort();
  assert.deepEqual(files, VALID.map((v) => `${v}.nn.json`).sort());
  for (const f of files) {
    const json = JSON.parse(readFileSync(join(samplesDir, f), 'utf8')) as Record<string, unknown>;
    assert.equal(json['$schema'], '../media/schemas/nn.schema.json', f);
  }
});

for (const name of VALID) {
  test(`sample ${name} validates clean`, () => {
    const a = analyzeFileAt(join(samplesDir, `${name}.nn.json`));
    assert.deepEqual(
      a.problems.map((p) => `${p.code} ${p.message}`),
      [],
    );
    assert.ok(a.spec && a.shapes && a.dataInfo, 'spec, shapes and data info');
  });
}

// the teachers' exercises (samples/exercises/README.md): each validates clean, with $schema
const EXERCISES = ['learning-rate', 'or-by-hand', 'zeros-init'];
test('samples/exercises holds exactly the documented exercises, each with $schema and validating clean', () => {
  const dir = join(samplesDir, 'exercises');
  const files = readdirSync(dir).filter((f) => f.endsWith('.nn.json')).sort();
  assert.deepEqual(files, EXERCISES.map((v) => `${v}.nn.json`));
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  for (const f of files) {
    assert.ok(readme.includes(f), `README.md names ${f}`);
    const json = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>;
    assert.equal(json['$schema'], '../../media/schemas/nn.schema.json', f);
    const a = analyzeFileAt(join(dir, f));
    assert.deepEqual(a.problems.map((p) => `${p.code} ${p.message}`), [], f);
    assert.ok(a.spec && a.shapes && a.dataInfo, `${f}: spec, shapes and data info`);
  }
});

test('sample numbers: mnist 101,770 params; xor 17; image-3x3 flattens B×3×3 to B×9; iris 150×4 → 3 classes', () => {
  const mnist = analyzeFileAt(join(samplesDir, 'mnist.nn.json'));
  assert.equal(mnist.shapes!.totals.params, 101770);
  const xor = analyzeFileAt(join(samplesDir, 'xor.nn.json'));
  assert.equal(xor.shapes!.totals.params, 17);
  const img = analyzeFileAt(join(samplesDir, 'image-3x3.nn.json'));
  assert.deepEqual(img.shapes!.layers[0]!.inputShape, ['B', 3, 3]);
  assert.deepEqual(img.shapes!.layers[0]!.outputShape, ['B', 9]);
  assert.deepEqual(img.shapes!.layers[1]!.weightShape, [9, 4]);
  assert.equal(img.shapes!.layers[1]!.params, 40);
  const iris = analyzeFileAt(join(samplesDir, 'iris.nn.json'));
  assert.deepEqual(iris.dataInfo, { samples: 150, features: [4], labels: 3, classes: ['setosa', 'versicolor', 'virginica'] });
  const chain = analyzeFileAt(join(samplesDir, 'neural-chain.nn.json'));
  const l0 = chain.spec!.layers[0]!;
  const l1 = chain.spec!.layers[1]!;
  assert.ok(l0.type === 'dense' && l1.type === 'dense');
  assert.deepEqual(l0.init, { type: 'values', values: [[0.5]] });
  assert.deepEqual(l1.init, { type: 'values', values: [[-1]] });
  assert.equal(l0.useBias, false);
  assert.equal(chain.shapes!.totals.params, 2);
});

// file → the code it is named for, and where (1-based line:column) the problem starts
const INVALID: Record<string, { code: string; at: string; severity?: 'error' | 'warning' }> = {
  'json-syntax': { code: 'NN001', at: '5:3' },
  'unknown-key': { code: 'NN101', at: '6:36' },
  'missing-key': { code: 'NN102', at: '6:5' },
  'wrong-type': { code: 'NN103', at: '6:33' },
  'units-zero': { code: 'NN104', at: '6:33' },
  'negative-std': { code: 'NN104', at: '6:107' },
  'learning-rate-zero': { code: 'NN104', at: '6:49' },
  'unknown-name': { code: 'NN105', at: '7:50' },
  'unsupported-version': { code: 'NN106', at: '3:14' },
  'dense-needs-flatten': { code: 'NN201', at: '6:15' },
  'weight-values-shape': { code: 'NN202', at: '10:27' },
  'bias-values-shape': { code: 'NN203', at: '6:85' },
  'softmax-loss': { code: 'NN204', at: '9:11', severity: 'warning' },
  'no-layers': { code: 'NN205', at: '5:13' },
  'data-features': { code: 'NN301', at: '4:23' },
  'data-labels': { code: 'NN302', at: '7:33' },
  'batch-larger-than-data': { code: 'NN303', at: '9:45' },
  'csv-path-outside': { code: 'NN304', at: '7:36' },
  'csv-column': { code: 'NN306', at: '8:64' },
  'inline-data': { code: 'NN307', at: '7:75' },
  'validation-split-empty': { code: 'NN308', at: '6:52' },
  'memory-limit': { code: 'NN401', at: '5:3' },
};

test('samples/invalid holds exactly the table below', () => {
  const files = readdirSync(join(samplesDir, 'invalid')).filter((f) => f.endsWith('.nn.json')).sort();
  assert.deepEqual(files, Object.keys(INVALID).map((k) => `${k}.nn.json`).sort());
});

for (const [name, want] of Object.entries(INVALID)) {
  test(`invalid/${name} gives ${want.code} at ${want.at} and nothing else`, () => {
    const a = analyzeFileAt(join(samplesDir, 'invalid', `${name}.nn.json`));
    const got = a.problems.map((p) => `${p.severity} ${p.code} ${p.range.start.line + 1}:${p.range.start.character + 1}`);
    assert.deepEqual(got, [`${want.severity ?? 'error'} ${want.code} ${want.at}`]);
    // the file name is the code's short name, or a case of it (the three NN104 files)
    const codeName = CODES[want.code as keyof typeof CODES].name;
    assert.ok(name === codeName || want.code === 'NN104', `${name} is named for ${codeName}`);
  });
}
