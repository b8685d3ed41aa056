// A run trained on a standardised CSV saves its training statistics (preprocessing.json), and
// `nnlab predict` / predictRun on RAW rows gives what the trainer's own forward pass gives on the
// standardised rows (tfjs-layers path and our own forward pass); damaged files are refused, located.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadData, parseCsvRows } from '../../../src/core/data';
import { parseSpec } from '../../../src/core/spec/parse';
import { startSession } from '../../../src/core/train/session';
import { readRunWeights } from '../../../src/core/train/runs';
import { predictRun } from '../../../src/core/train/predict';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer } from '../../../src/core/train/trainer';
import { run as predictCli } from '../../../src/cli/commands/predict';

// height in cm and income in euros: raw scales far from mean 0, std 1
const CSV = `height,income,buys
152,21000,0
160,35000,0
171,88000,1
158,64000,1
185,23000,0
177,91000,1
166,47000,0
190,72000,1
149,56000,1
181,30000,0
`;

const capture = (): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => void out.push(s), err: (s) => void err.push(s) }, out, err };
};

for (const hidden of [{ name: 'tanh' }, { name: 'elu', alpha: 0.5 }] as const) {
  const activation = 'alpha' in hidden ? { type: hidden.name, alpha: hidden.alpha } : hidden.name;
  test(`standardised CSV (${hidden.name}${'alpha' in hidden ? ` α=${hidden.alpha}` : ''}: ${'alpha' in hidden ? 'our own forward pass' : 'tf.loadLayersModel'}): predict on raw rows = the trainer's forward pass on standardised rows (1e-6)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-stdrun-'));
    try {
      writeFileSync(join(dir, 'buyers.csv'), CSV);
      const specPath = join(dir, 'buyers.nn.json');
      const specText = JSON.stringify({
        version: 1,
        name: 'buyers',
        input: { shape: [2] },
        layers: [{ type: 'dense', units: 3, activation }, { type: 'dense', units: 1, activation: 'sigmoid' }],
        loss: 'binaryCrossentropy',
        optimizer: { type: 'adam', learningRate: 0.05 },
        training: { epochs: 30, batchSize: 4, seed: 3, validationSplit: 0.2 },
        data: { type: 'csv', path: 'buyers.csv', label: 'buys', standardize: true },
      });
      writeFileSync(specPath, specText);
      const parsed = parseSpec(specText);
      assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
      const spec = parsed.spec!;
      const session = await startSession({ spec, specPath, backend: 'cpu', onMessage: () => {} });
      const summary = await session.done;
      assert.equal(summary.stopReason, 'completed');
      const runDir = session.runDir!;

      // the run folder records the statistics of the 8 training rows
      const data = await loadData(spec, specPath);
      const saved = JSON.parse(readFileSync(join(runDir, 'preprocessing.json'), 'utf8')) as { standardize: { mean: number[]; std: number[]; fittedOn: unknown } };
      assert.deepEqual(saved, { format: 'nnlab.preprocessing', version: 1, standardize: data.preprocessing!.standardize });
      assert.deepEqual(saved.standardize.fittedOn, { rows: 8, of: 10, validationSplit: 0.2, seed: 3 });

      // the trainer's own forward pass with the saved weights on the standardised rows
      const { backend } = await selectBackend('cpu', { modulePaths: [] });
      const t = new Trainer({ backend, spec, data, initial: readRunWeights(runDir, spec) });
      const raw = parseCsvRows(CSV).slice(1).map((r) => [Number(r[0]), Number(r[1])]);
      let mine: number[][];
      let unstandardised: number[][];
      try {
        mine = t.predict(data.x, 10);
        unstandardised = t.predict(Float32Array.from(raw.flat()), 10);
      } finally {
        t.dispose();
      }

      const theirs = await predictRun(runDir, raw);
      const io = capture();
      assert.equal(await predictCli([runDir, '--input', JSON.stringify(raw)], io.io), 0, io.err.join(''));
      const cli = JSON.parse(io.out.join('')) as number[][];
      for (let i = 0; i < 10; i++) {
        assert.ok(Math.abs(theirs[i]![0]! - mine[i]![0]!) <= 1e-6, `row ${i}: predictRun ${theirs[i]![0]} vs trainer ${mine[i]![0]}`);
        assert.ok(Math.abs(cli[i]![0]! - mine[i]![0]!) <= 1e-6, `row ${i}: nnlab predict ${cli[i]![0]} vs trainer ${mine[i]![0]}`);
      }
      // a single flat raw row is accepted too
      const one = capture();
      assert.equal(await predictCli([runDir, '--input', JSON.stringify(raw[2])], one.io), 0);
      assert.ok(Math.abs((JSON.parse(one.out.join('')) as number[][])[0]![0]! - mine[2]![0]!) <= 1e-6);
      // the failure this guards against: raw inputs fed to the network without the statistics
      assert.ok(mine.some((r, i) => Math.abs(r[0]! - unstandardised[i]![0]!) > 0.05), 'raw and standardised inputs should give different outputs');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('predict refuses a damaged or mismatched preprocessing.json instead of predicting on raw inputs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-stdrun-'));
  try {
    writeFileSync(join(dir, 'buyers.csv'), CSV);
    const specPath = join(dir, 'buyers.nn.json');
    const spec = parseSpec(JSON.stringify({
      version: 1,
      input: { shape: [2] },
      layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }],
      loss: 'binaryCrossentropy',
      training: { epochs: 1, batchSize: 'full', seed: 3 },
      data: { type: 'csv', path: 'buyers.csv', label: 'buys', standardize: true },
    })).spec!;
    const session = await startSession({ spec, specPath, backend: 'cpu', onMessage: () => {} });
    await session.done;
    const runDir = session.runDir!;
    const file = join(runDir, 'preprocessing.json');
    assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as { standardize: { fittedOn: unknown } }).standardize.fittedOn, { rows: 10, of: 10, validationSplit: 0, seed: 3 });
    const cases: [string, RegExp][] = [
      ['{"format": "nnlab.preprocessing", "version": 1, "standardize": {"mean": [1, 2, 3], "std": [1, 1, 1]}}', /^nnlab predict: the run's preprocessing\.json standardises 3 features, but the model takes 2 inputs a sample\n$/],
      ['{"format": "nnlab.preprocessing", "version": 1, "standardize": {"mean": [1, 2], "std": [1]}}', /^nnlab predict: .*preprocessing\.json is not a valid NN Lab preprocessing file: "standardize\.std" must be 2 finite numbers ≥ 0\n$/],
      ['{"format": "nnlab.preprocessing", ', /^nnlab predict: .*preprocessing\.json is not valid JSON \(/],
    ];
    for (const [text, want] of cases) {
      writeFileSync(file, text);
      const io = capture();
      assert.equal(await predictCli([runDir, '--input', '[[170, 50000]]'], io.io), 1);
      assert.match(io.err.join(''), want);
      assert.deepEqual(io.out, []);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
