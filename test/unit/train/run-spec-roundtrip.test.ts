// Item 1 of issue 13: a run's spec.nn.json is a valid spec that trains to the same result. For every
// sample: train a few epochs → read the run's spec.nn.json → validate it (no problem at all) → train
// it again with the same seed → the same metrics, step by step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSpec } from '../../../src/core/spec/analyze';
import { parseSpec } from '../../../src/core/spec/parse';
import { specDocument, specText } from '../../../src/core/spec/serialize';
import { readTextOrUndefined } from '../../../src/core/data/read';
import { startSession } from '../../../src/core/train/session';
import type { RunSummary } from '../../../src/protocol/training';
import type { NetworkSpec } from '../../../src/core/spec/types';

const SAMPLES = fileURLToPath(new URL('../../../samples/', import.meta.url));
const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.nn.json')).sort();

/** metrics.csv without the wall-clock column */
const metrics = (runDir: string): string[] =>
  readFileSync(join(runDir, 'metrics.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').slice(0, -1).join(','));

async function train(spec: NetworkSpec, specPath: string, epochs?: number): Promise<RunSummary> {
  const s = await startSession({ spec, specPath, backend: spec.data?.type === 'mnist' ? 'wasm' : 'cpu', epochs, onMessage: () => {} });
  return s.done;
}

test('every sample is in the round trip', () => {
  assert.ok(samples.length >= 10, samples.join(', '));
  assert.ok(samples.includes('iris.nn.json') && samples.includes('mnist.nn.json'));
});

for (const file of samples) {
  test(`${file}: the run's spec.nn.json validates and trains to the same metrics`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnlab-roundtrip-'));
    try {
      cpSync(SAMPLES, dir, { recursive: true, filter: (src) => !src.includes('.nnlab') });
      const specPath = join(dir, file);
      const a = analyzeSpec(readFileSync(specPath, 'utf8'), { specPath, readFile: readTextOrUndefined });
      assert.ok(a.spec, file);
      const epochs = file === 'mnist.nn.json' ? 1 : 3;
      const first = await train(a.spec, specPath, epochs);
      const runSpecPath = join(first.runDir as string, 'spec.nn.json');
      const text = readFileSync(runSpecPath, 'utf8');
      const b = analyzeSpec(text, { specPath: runSpecPath, readFile: readTextOrUndefined });
      assert.deepEqual(b.problems.map((p) => `${p.code} ${p.message}`), [], `${file}: the run's spec has problems`);
      assert.deepEqual(b.spec, { ...a.spec, training: { ...a.spec.training, epochs } }, 'the run spec reads back as the spec trained');
      const second = await train(b.spec as NetworkSpec, runSpecPath);
      assert.equal(second.epochs, first.epochs);
      assert.equal(second.steps, first.steps);
      assert.equal(second.finalLoss, first.finalLoss);
      assert.deepEqual(metrics(second.runDir as string), metrics(first.runDir as string));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('specText writes activations as names (the format), not {"name": …} objects', () => {
  const spec = parseSpec(readFileSync(join(SAMPLES, 'xor.nn.json'), 'utf8')).spec as NetworkSpec;
  const doc = specDocument(spec) as { layers: { activation: unknown; init: unknown }[] };
  assert.deepEqual(doc.layers.map((l) => l.activation), ['tanh', 'sigmoid']);
  assert.deepEqual(doc.layers.map((l) => l.init), ['glorot', 'glorot']);
  const leaky = parseSpec('{"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 2, "activation": {"type": "leakyRelu", "alpha": 0.2}, "init": {"values": [[1, 2], [3, 4]]}, "biasInit": {"type": "constant", "value": 0.5}}, {"type": "dense", "units": 1, "useBias": false}]}').spec as NetworkSpec;
  const back = parseSpec(specText(leaky));
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.spec, leaky);
  assert.deepEqual((specDocument(leaky) as { layers: unknown[] }).layers[0], { type: 'dense', units: 2, activation: { type: 'leakyRelu', alpha: 0.2 }, useBias: true, init: { values: [[1, 2], [3, 4]] }, biasInit: { type: 'constant', value: 0.5 } });
});
