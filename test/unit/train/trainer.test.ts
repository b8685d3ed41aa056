// The trainer on real problems and its contract: learning (XOR, OR, spiral, MNIST), determinism,
// no tensor leaks, NaN explained, pause/step/stop, cpu and wasm agreeing, memory refused up front.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../../../src/core/spec';
import { loadData } from '../../../src/core/data';
import type { NetworkSpec } from '../../../src/core/spec/types';
import type { WorkerToHost } from '../../../src/protocol/training';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer, TrainingError, type MetricsRow } from '../../../src/core/train/trainer';
import { dense, makeSpec, OR, XOR } from './helpers';
import { epochText, loss, nextProgress, runSummaryText, startProgress } from '../../../src/core/explain';

const sample = (name: string): { spec: NetworkSpec; path: string } => {
  const path = fileURLToPath(new URL(`../../../samples/${name}.nn.json`, import.meta.url));
  const p = parseSpec(readFileSync(path, 'utf8'));
  assert.ok(p.spec, `${name} parses`);
  return { spec: p.spec, path };
};
const cpu = async () => (await selectBackend('cpu', { modulePaths: [] })).backend;
const wasm = async () => (await selectBackend('wasm', { modulePaths: [] })).backend;

test('XOR 2-4-1 (samples/xor.nn.json without its early stop) reaches MSE < 0.01', async () => {
  const { spec, path } = sample('xor');
  const s = { ...spec, training: { ...spec.training, stopWhenLossBelow: undefined, epochs: 300 } };
  const t = new Trainer({ backend: await cpu(), spec: s, data: await loadData(s, path) });
  const r = await t.run();
  assert.equal(r.stopReason, 'completed');
  assert.ok(r.finalLoss < 0.01, `final MSE ${r.finalLoss}`);
  const p = t.predict(XOR.x, 4).map((row) => row[0]);
  assert.deepEqual(p.map((v) => Math.round(v)), [0, 1, 1, 0]);
  t.dispose();
});

test('OR with one sigmoid neuron learns (samples/or.nn.json): 100 % accuracy, loss falls', async () => {
  const { spec, path } = sample('or');
  const rows: MetricsRow[] = [];
  const t = new Trainer({ backend: await cpu(), spec, data: await loadData(spec, path), onRow: (r) => rows.push(r) });
  const r = await t.run();
  assert.equal(r.accuracy, 1);
  const epochs = rows.filter((x) => x.kind === 'epoch');
  assert.ok(epochs[0].loss > 0.5 && r.finalLoss < 0.15, `loss ${epochs[0].loss} → ${r.finalLoss}`);
  assert.deepEqual(t.predict(OR.x, 4).map((row) => Math.round(row[0])), [0, 1, 1, 1]);
  t.dispose();
});

test('spiral (samples/spiral.nn.json) reaches ≥ 95 % training accuracy', async () => {
  const { spec, path } = sample('spiral');
  const t = new Trainer({ backend: (await selectBackend('auto', { modulePaths: [], networkMacs: 1100 * 32 })).backend, spec, data: await loadData(spec, path) });
  const r = await t.run();
  assert.ok((r.accuracy ?? 0) >= 0.95, `training accuracy ${r.accuracy}`);
  t.dispose();
});

test('MNIST 784-128-10 on 2,000 digits reaches ≥ 90 % validation accuracy (CI-sized: 10 epochs on wasm)', async () => {
  const { spec, path } = sample('mnist');
  const s: NetworkSpec = { ...spec, data: { type: 'mnist', samples: 2000 }, training: { ...spec.training, epochs: 10, batchSize: 32, validationSplit: 0.2 } };
  const data = await loadData(s, path);
  assert.deepEqual(data.xShape, [2000, 28, 28]);
  const t = new Trainer({ backend: await wasm(), spec: s, data });
  assert.equal(t.nVal, 400);
  const r = await t.run();
  assert.ok((r.valAccuracy ?? 0) >= 0.9, `validation accuracy ${r.valAccuracy}`);
  t.dispose();
});

test('same spec + same seed + same backend → identical loss trajectory, step for step; another seed differs', async () => {
  const spec = makeSpec({ input: [2], layers: [dense(6, 'tanh'), { type: 'dropout', rate: 0.2 }, dense(1, 'sigmoid')], loss: 'binaryCrossentropy', optimizer: { type: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, epochs: 15, batchSize: 3, seed: 9 });
  const data = { x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1, 0.5, 0.5, 0.2, 0.9]), xShape: [6, 2], y: new Float32Array([0, 1, 1, 0, 1, 0]), yShape: [6, 1] as [number, number] };
  const trajectory = async (seed: number): Promise<number[]> => {
    const rows: number[] = [];
    const t = new Trainer({ backend: await cpu(), spec: { ...spec, training: { ...spec.training, seed } }, data, onRow: (r) => r.kind === 'step' && rows.push(r.loss) });
    await t.run();
    t.dispose();
    return rows;
  };
  const a = await trajectory(9);
  const b = await trajectory(9);
  assert.equal(a.length, 30);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, await trajectory(10));
});

test('no tensor leaks: the tensor count is flat across epochs (shuffle, dropout, validation, accuracy)', async () => {
  const spec = makeSpec({ input: [2], layers: [dense(8, 'relu'), { type: 'dropout', rate: 0.3 }, dense(2, 'softmax')], loss: 'categoricalCrossentropy', optimizer: { type: 'momentum', learningRate: 0.1, momentum: 0.9 }, epochs: 12, batchSize: 5, validationSplit: 0.25 });
  const n = 40;
  const x = new Float32Array(n * 2).map((_, i) => Math.sin(i));
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) y[i * 2 + (x[i * 2] > 0 ? 1 : 0)] = 1;
  const backend = await cpu();
  const baseline = backend.tf.memory().numTensors;
  const counts: number[] = [];
  const t = new Trainer({ backend, spec, data: { x, xShape: [n, 2], y, yShape: [n, 2] }, onRow: (r) => r.kind === 'epoch' && counts.push(backend.tf.memory().numTensors) });
  await t.run();
  assert.equal(counts.length, 12);
  // momentum slots appear with the first update; from then on nothing may grow
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor counts per epoch: ${counts.join(',')}`);
  t.dispose();
  assert.equal(backend.tf.memory().numTensors, baseline, 'dispose() releases data, variables and optimizer slots');
});

test('NaN/Inf in the loss stops the run, names the step and the likely cause', async () => {
  const spec = makeSpec({ input: [1], layers: [dense(1, 'linear', { type: 'constant', value: 1 })], loss: 'mse', optimizer: { type: 'sgd', learningRate: 10 }, epochs: 100, batchSize: 2, shuffle: false });
  const data = { x: new Float32Array([100, 200, -150, 50]), xShape: [4, 1], y: new Float32Array([1, 2, 3, 4]), yShape: [4, 1] as [number, number] };
  const events: WorkerToHost[] = [];
  const t = new Trainer({ backend: await cpu(), spec, data, onEvent: (m) => events.push(m) });
  const r = await t.run();
  assert.equal(r.stopReason, 'nan');
  assert.ok(r.failedStep !== undefined && r.failedStep > 1 && r.failedStep < 50, `step ${r.failedStep}`);
  assert.match(r.message ?? '', new RegExp(`^loss became (NaN|Infinity) at step ${r.failedStep} \\(epoch \\d+, batch [12]\\): training stopped\\. Likely cause: the input data is not standardised \\(values up to 200;.*or the learning rate 10 is too high \\(try 1\\)\\.$`));
  assert.ok(events.some((e) => e.type === 'batch' && e.step === r.failedStep && !Number.isFinite(e.loss)), 'the failing step was reported');
  t.dispose();
});

test('pause, step one batch, step one epoch, resume and stop act between steps', async () => {
  const spec = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 1000, batchSize: 1, shuffle: false });
  const events: WorkerToHost[] = [];
  const pausedAt: number[] = [];
  const waitPaused = async (): Promise<number> => {
    for (let i = 0; i < 1000 && pausedAt.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    return pausedAt.shift() as number;
  };
  const t = new Trainer({ backend: await cpu(), spec, data: XOR, maxEventsPerSec: 1000, yieldEveryMs: 0, onEvent: (m) => {
    events.push(m);
    if (m.type === 'paused') pausedAt.push(m.step);
  } });
  t.pause();
  const done = t.run();
  assert.equal(await waitPaused(), 0, 'paused before the first step');
  t.stepOnce('batch');
  assert.equal(await waitPaused(), 1, 'one batch');
  assert.ok(events.some((e) => e.type === 'batch' && e.step === 1 && e.batch === 1), 'the stepped batch is always reported');
  t.stepOnce('batch');
  assert.equal(await waitPaused(), 2);
  t.stepOnce('epoch');
  assert.equal(await waitPaused(), 4, 'to the end of epoch 1 (4 batches of 1)');
  assert.ok(events.some((e) => e.type === 'epoch' && e.epoch === 1 && e.step === 4));
  t.stepOnce('epoch');
  assert.equal(await waitPaused(), 8, 'one whole epoch');
  const w = t.weights();
  assert.equal(w.length, 2);
  assert.equal(w[0].W.length, 2);
  t.resume();
  assert.ok(events.some((e) => e.type === 'resumed'));
  await new Promise((r) => setTimeout(r, 30));
  t.stop();
  const r = await done;
  assert.equal(r.stopReason, 'stopped');
  assert.ok(r.steps > 8 && r.steps < 4000, `stopped at ${r.steps}`);
  assert.match(r.message ?? '', /^stopped at step \d+, after epoch \d+\/1000$/);
  t.dispose();
});

test('stopped part-way through epoch 3: summary epochs = 2 completed, loss = epoch 2\'s mean, as the lens and panels say', async () => {
  const spec = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 40, batchSize: 1, shuffle: false });
  const events: WorkerToHost[] = [];
  let paused = 0;
  const t = new Trainer({ backend: await cpu(), spec, data: XOR, maxEventsPerSec: 1000, yieldEveryMs: 0, onEvent: (m) => {
    events.push(m);
    if (m.type === 'paused') paused++;
  } });
  t.pause();
  const done = t.run();
  const step = async (unit: 'batch' | 'epoch'): Promise<void> => {
    const before = paused;
    t.stepOnce(unit);
    for (let i = 0; i < 2000 && paused === before; i++) await new Promise((r) => setTimeout(r, 2));
  };
  for (let i = 0; i < 1000 && paused === 0; i++) await new Promise((r) => setTimeout(r, 2));
  await step('epoch');
  await step('epoch');
  await step('batch');
  let p = startProgress(40);
  for (const m of events) p = nextProgress(p, m);
  assert.equal(epochText(p.epochsDone, p.epochs), 'epoch 2/40', 'paused in epoch 3 after one of its batches');
  const epoch2 = events.find((e) => e.type === 'epoch' && e.epoch === 2) as Extract<WorkerToHost, { type: 'epoch' }>;
  assert.equal(p.loss, epoch2.loss);
  t.stop();
  const r = await done;
  assert.equal(r.stopReason, 'stopped');
  assert.equal(r.steps, 9);
  assert.equal(r.epochs, 2);
  assert.equal(r.finalLoss, epoch2.loss);
  assert.equal(r.message, 'stopped at step 9, after epoch 2/40');
  const summary = { ...r, backend: { active: 'cpu' as const, device: 'CPU', skipped: [], reason: '' } };
  assert.equal(epochText(nextProgress(p, { type: 'done', summary }).epochsDone, 40), 'epoch 2/40');
  assert.equal(runSummaryText(r, 40, '1.0 s'), `stopped: epoch 2/40, 9 steps in 1.0 s; loss ${loss(epoch2.loss)} — stopped at step 9, after epoch 2/40`);
  t.dispose();
});

test('a run stopped part-way through its first epoch reports the mean loss of the batches it ran, not NaN', async () => {
  const spec = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 10, batchSize: 1, shuffle: false });
  const losses: number[] = [];
  let paused = false;
  const t = new Trainer({ backend: await cpu(), spec, data: XOR, maxEventsPerSec: 1000, yieldEveryMs: 0, onEvent: (m) => m.type === 'paused' && (paused = true), onRow: (r) => r.kind === 'step' && losses.push(r.loss) });
  t.pause();
  const done = t.run();
  const stepped = async () => {
    paused = false;
    t.stepOnce('batch');
    for (let i = 0; i < 1000 && !paused; i++) await new Promise((r) => setTimeout(r, 2));
  };
  for (let i = 0; i < 3; i++) await stepped();
  t.stop();
  const r = await done;
  assert.equal(r.stopReason, 'stopped');
  assert.equal(r.steps, 3);
  assert.equal(losses.length, 3);
  assert.ok(Math.abs(r.finalLoss - (losses[0] + losses[1] + losses[2]) / 3) < 1e-12, `${r.finalLoss} vs mean of ${losses.join(', ')}`);
  assert.equal(r.bestLoss, r.finalLoss, 'no whole epoch yet: the best is the final');
  t.dispose();
});

test('progress events are rate-limited; every step still reaches the metrics rows', async () => {
  const spec = makeSpec({ input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 400, batchSize: 1 });
  let batches = 0;
  let epochs = 0;
  let rows = 0;
  const t = new Trainer({ backend: await cpu(), spec, data: XOR, maxEventsPerSec: 20, onEvent: (m) => (m.type === 'batch' ? batches++ : m.type === 'epoch' ? epochs++ : 0), onRow: () => rows++ });
  const r = await t.run();
  assert.equal(rows, 1600 + 400);
  const seconds = r.elapsedMs / 1000;
  assert.ok(batches <= 10 * seconds + 2 && epochs <= 10 * seconds + 3, `${batches} batch and ${epochs} epoch events in ${seconds.toFixed(2)} s`);
  assert.ok(epochs >= 1, 'the last epoch is always reported');
  t.dispose();
});

test('cpu and wasm agree on the loss after 30 steps to float32 tolerance', async () => {
  const spec = makeSpec({ input: [4], layers: [dense(16, 'relu', { type: 'he' }), dense(8, 'tanh'), dense(3, 'softmax')], loss: 'categoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, epochs: 10, batchSize: 8, seed: 4 });
  const n = 24;
  const x = new Float32Array(n * 4).map((_, i) => Math.sin(i * 0.37) * 2);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) y[i * 3 + (i % 3)] = 1;
  const data = { x, xShape: [n, 4], y, yShape: [n, 3] as [number, number] };
  const losses = async (b: Awaited<ReturnType<typeof cpu>>): Promise<number[]> => {
    const out: number[] = [];
    const t = new Trainer({ backend: b, spec, data, onRow: (r) => r.kind === 'step' && out.push(r.loss) });
    await t.run();
    t.dispose();
    return out;
  };
  const a = await losses(await cpu());
  const b = await losses(await wasm());
  assert.equal(a.length, 30);
  for (let i = 0; i < 30; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-4 * Math.max(1, Math.abs(a[i])), `step ${i + 1}: cpu ${a[i]} wasm ${b[i]}`);
  assert.ok(a[29] < a[0], 'and it learned');
});

test('out-of-memory risk is refused before anything is allocated', async () => {
  const spec = makeSpec({ input: [4096], layers: [dense(8192, 'relu'), dense(8192, 'relu'), dense(10, 'softmax')], loss: 'categoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, epochs: 1, batchSize: 32 });
  const backend = await cpu();
  const before = backend.tf.memory().numTensors;
  assert.throws(
    () => new Trainer({ backend, spec, data: { x: new Float32Array(4096), xShape: [1, 4096], y: new Float32Array(10), yShape: [1, 10] }, memoryLimitMB: 512 }),
    (e: unknown) => e instanceof TrainingError && e.code === 'memory' && /^Estimated training memory [\d.]+ GiB \(.*\) exceeds the limit of 512 MiB \(nnlab\.memoryLimitMB\)/.test(e.message),
  );
  assert.equal(backend.tf.memory().numTensors, before);
});

test('data that does not fit the network is a clear error', async () => {
  const spec = makeSpec({ input: [3], layers: [dense(1, 'linear')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4 });
  await assert.rejects(async () => new Trainer({ backend: await cpu(), spec, data: XOR }), { message: 'data: x has 8 values, expected 4 samples × 3 inputs (input.shape [3])' });
});
