// Runs on disk: layout, atomic files, the TensorFlow.js layers model round trip through
// tf.loadLayersModel, interrupted runs, --from, and the CLI (`nnlab train`, `nnlab predict`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetworkSpec } from '../../../src/core/spec/types';
import type { RunSummary, WorkerToHost } from '../../../src/protocol/training';
import { startSession } from '../../../src/core/train/session';
import { readRunSpec, readRunWeights, resolveRunDir, RunWriter, toLayersModel } from '../../../src/core/train/runs';
import { predictRun } from '../../../src/core/train/predict';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer } from '../../../src/core/train/trainer';
import { run as trainCli } from '../../../src/cli/commands/train';
import { run as predictCli } from '../../../src/cli/commands/predict';
import { dense, makeSpec, XOR } from './helpers';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'nnlab-runs-'));
const capture = (): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => void out.push(s), err: (s) => void err.push(s) }, out, err };
};

for (const eluAlpha of [1, 0.5]) test(`saved model (leakyRelu, elu(α=${eluAlpha}), dropout, flatten, softmax) ${eluAlpha === 1 ? 'loads with tf.loadLayersModel' : 'falls back to our forward pass (tfjs-layers 4.22 refuses ELU α ≠ 1)'} and predicts what the trainer predicts`, async () => {
  const dir = tmp();
  try {
    const spec = makeSpec({
      input: [2, 2],
      layers: [{ type: 'flatten' }, dense(5, 'leakyRelu', { type: 'glorot' }, { activation: { name: 'leakyRelu', alpha: 0.1 } }), { type: 'dropout', rate: 0.1 }, dense(4, 'elu', { type: 'he' }, { activation: { name: 'elu', alpha: eluAlpha } }), dense(3, 'softmax')],
      loss: 'categoricalCrossentropy',
      optimizer: { type: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
      epochs: 20,
      batchSize: 4,
    });
    const n = 12;
    const x = new Float32Array(n * 4).map((_, i) => Math.cos(i * 0.9));
    const y = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) y[i * 3 + (i % 3)] = 1;
    const { backend } = await selectBackend('cpu', { modulePaths: [] });
    const t = new Trainer({ backend, spec, data: { x, xShape: [n, 2, 2], y, yShape: [n, 3] } });
    await t.run();
    const weights = t.weights();
    const mine = t.predict(x, n);
    t.dispose();
    const w = new RunWriter(join(dir, 'm.nn.json'), spec, { backend: { active: 'cpu', device: 'x', skipped: [], reason: 'r' }, startedAt: new Date().toISOString() });
    w.finish({ finishedAt: '', elapsedMs: 1, epochs: 20, steps: 60, finalLoss: 0.1, bestLoss: 0.1, stopReason: 'completed' }, spec, weights);
    const topology = JSON.parse(readFileSync(join(w.dir, 'model.json'), 'utf8')).modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    assert.deepEqual(topology, eluAlpha === 1 ? ['Flatten', 'Dense', 'LeakyReLU', 'Dropout', 'Dense', 'Dense'] : ['Flatten', 'Dense', 'LeakyReLU', 'Dropout', 'Dense', 'ELU', 'Dense']);
    const rows = Array.from({ length: n }, (_, i) => [Array.from(x.subarray(i * 4, i * 4 + 2)), Array.from(x.subarray(i * 4 + 2, i * 4 + 4))]);
    const theirs = await predictRun(w.dir, rows);
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) assert.ok(Math.abs(theirs[i][k] - mine[i][k]) < 1e-5, `sample ${i} class ${k}: ${theirs[i][k]} vs ${mine[i][k]}`);
    assert.deepEqual(readRunWeights(w.dir, spec), weights.map((l) => ({ ...l, W: l.W.map((r) => r.map((v) => Math.fround(v))), b: l.b?.map((v) => Math.fround(v)) })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run folder: written "interrupted" first, metrics.csv only once complete, no temp files left, user spec untouched', async () => {
  const dir = tmp();
  try {
    const specPath = join(dir, 'xor.nn.json');
    const original = '{"note": "the user file"}\n';
    writeFileSync(specPath, original);
    const spec = makeSpec({ input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 5, batchSize: 4 });
    const w = new RunWriter(specPath, spec, { backend: { active: 'cpu', device: 'd', skipped: [], reason: 'r' }, startedAt: '2026-01-01T00:00:00.000Z' }, { now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) });
    assert.equal(w.dir, join(dir, '.nnlab', 'runs', '20260102-030405-006-xor'));
    const early = JSON.parse(readFileSync(join(w.dir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(early.stopReason, 'interrupted');
    assert.equal(existsSync(join(w.dir, 'metrics.csv')), false);
    w.row({ kind: 'step', step: 1, epoch: 1, batch: 1, loss: 0.25, elapsedMs: 1 });
    w.row({ kind: 'epoch', step: 1, epoch: 1, loss: 0.25, accuracy: 0.5, elapsedMs: 1.5 });
    w.finish({ finishedAt: '2026-01-01T00:00:01.000Z', elapsedMs: 1000, epochs: 1, steps: 1, finalLoss: 0.25, bestLoss: 0.25, stopReason: 'completed' }, spec, undefined);
    assert.deepEqual(readFileSync(join(w.dir, 'metrics.csv'), 'utf8').split('\n'), ['kind,step,epoch,batch,loss,val_loss,accuracy,val_accuracy,elapsed_ms', 'step,1,1,1,0.25,,,,1.0', 'epoch,1,1,,0.25,,0.5,,1.5', '']);
    const s = JSON.parse(readFileSync(join(w.dir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(s.stopReason, 'completed');
    assert.equal(s.runDir, w.dir);
    assert.deepEqual(readdirSync(w.dir).sort(), [`events.out.tfevents.1767323045.${hostname()}`, 'metrics.csv', 'spec.nn.json', 'summary.json']); // 2026-01-02T03:04:05Z
    assert.equal(readFileSync(specPath, 'utf8'), original);
    assert.deepEqual(readRunSpec(w.dir), spec);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--from: a run starts from a saved run\'s weights; a run that does not fit the spec is refused', async () => {
  const dir = tmp();
  try {
    const specPath = join(dir, 'xor.nn.json');
    const spec: NetworkSpec = { ...makeSpec({ input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 2 }, epochs: 300, batchSize: 4 }), data: { type: 'inline', x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] } };
    const msgs: WorkerToHost[] = [];
    const first = await startSession({ spec, specPath, backend: 'cpu', onMessage: (m) => msgs.push(m) });
    const s1 = await first.done;
    const second = await startSession({ spec: { ...spec, training: { ...spec.training, epochs: 1 } }, specPath, backend: 'cpu', fromRun: 'latest', startPaused: true, onMessage: () => {} });
    assert.deepEqual(second.trainer.weights(), readRunWeights(s1.runDir as string, spec));
    second.trainer.resume();
    const s2 = await second.done;
    assert.ok(Math.abs(s2.finalLoss - s1.finalLoss) < 0.01 && s2.finalLoss < 0.05, `continues where it left off: ${s1.finalLoss} → ${s2.finalLoss}`);
    const wider = { ...spec, layers: [dense(5, 'tanh'), dense(1, 'sigmoid')] };
    await assert.rejects(startSession({ spec: wider, specPath, backend: 'cpu', fromRun: s1.runDir, onMessage: () => {} }), { message: /does not fit this spec: layers\[0\] needs W 2×5, the run has 2×4$/ });
    assert.equal(resolveRunDir('latest', join(dir, '.nnlab', 'runs')), s2.runDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nnlab train samples/xor.nn.json then nnlab predict: backend line, layer table, summary with run folder, the trained outputs', async () => {
  const dir = tmp();
  try {
    const specPath = join(dir, 'xor.nn.json');
    copyFileSync(fileURLToPath(new URL('../../../samples/xor.nn.json', import.meta.url)), specPath);
    const c = capture();
    assert.equal(await trainCli([specPath, '--backend', 'cpu'], c.io), 0);
    const out = c.out.join('');
    assert.match(out, /^backend: cpu — CPU \(pure JavaScript\) \(requested: cpu\)\n/);
    assert.match(out, /\n#  layer    kind   output shape  W    b    params  activation\n/);
    assert.match(out, /\nstopped: loss below target 0\.001 — epoch \d+: training loss 0\.000\d+ < stopWhenLossBelow 0\.001\n/);
    // the sample's description says what happens (issue 13 item 16): "… after 58 epochs, and training stops there"
    const promised = /after (\d+) epochs/.exec((JSON.parse(readFileSync(specPath, 'utf8')) as { description: string }).description)?.[1];
    assert.match(out, new RegExp(`\\nstopped: loss below target 0\\.001 — epoch ${promised}: training loss`), `the description promises ${promised} epochs`);
    assert.match(out, new RegExp(`\\nepoch ${promised}/500, steps ${promised}, `));
    // one line for the skipped backends; their reasons only with --verbose
    assert.doesNotMatch(out, /skipped [a-z-]+: /);
    const runDir = /\nrun: (.+)\n/.exec(out)?.[1] as string;
    assert.ok(runDir && existsSync(join(runDir, 'model.json')));
    const p = capture();
    assert.equal(await predictCli([runDir, '--input', '[[0,0],[0,1],[1,0],[1,1]]'], p.io), 0);
    const y = (JSON.parse(p.out.join('')) as number[][]).map((r) => r[0]);
    assert.deepEqual(y.map(Math.round), [0, 1, 1, 0]);
    assert.ok(y[0] < 0.1 && y[1] > 0.9, `predictions ${y}`);
    // --json: one JSON object per line, backend first, done last
    const j = capture();
    assert.equal(await trainCli([specPath, '--backend', 'cpu', '--epochs', '3', '--json'], j.io), 0);
    const lines = j.out.join('').trim().split('\n').map((l) => JSON.parse(l) as WorkerToHost);
    assert.equal(lines[0].type, 'backend');
    assert.equal(lines[1].type, 'started');
    assert.equal(lines.at(-1)?.type, 'done');
    assert.equal((lines.at(-1) as Extract<WorkerToHost, { type: 'done' }>).summary.epochs, 3);
    // bad usage and unknown backends are clear
    const bad = capture();
    assert.equal(await trainCli([specPath, '--backend', 'gpu'], bad.io), 2);
    assert.equal(bad.err.join(''), 'nnlab train: unknown backend "gpu" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)\n');
    const missing = capture();
    assert.equal(await trainCli([specPath, '--backend', 'tfjs-node'], missing.io), 1);
    assert.match(missing.err.join(''), /^nnlab train: backend tfjs-node cannot be used: not installed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('toLayersModel: manifest order and shapes follow the dense layers', () => {
  const spec = makeSpec({ input: [2], layers: [dense(3, 'relu'), dense(1, 'linear', { type: 'zeros' }, { useBias: false })], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 1, batchSize: 1 });
  const { modelJson, weightsBin } = toLayersModel(spec, [
    { layer: 0, name: 'dense_1', W: [[1, 2, 3], [4, 5, 6]], b: [7, 8, 9] },
    { layer: 1, name: 'dense_2', W: [[10], [11], [12]] },
  ]);
  assert.deepEqual((modelJson.weightsManifest as { weights: unknown[] }[])[0].weights, [
    { name: 'dense_1/kernel', shape: [2, 3], dtype: 'float32' },
    { name: 'dense_1/bias', shape: [3], dtype: 'float32' },
    { name: 'dense_2/kernel', shape: [3, 1], dtype: 'float32' },
  ]);
  assert.deepEqual(Array.from(new Float32Array(weightsBin.buffer)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  void XOR;
});
