// Stepping at three granularities (issue 16 item 3; semantics in src/core/train/stepping.ts), checked
// against oracles: a sample's share of the gradient against the pure-JS backward pass
// (src/core/nn/dense.ts) over that one sample; the shares added up over a batch against TF.js's own
// autodiff (tf.variableGrads) of the batch loss; a batch step's W against W − α·∂L/∂W in float32, as
// tfjs's SGD computes it; an epoch step against an unpaused run of the same spec and seed (the
// session `nnlab train` runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as tfc from '@tensorflow/tfjs-core';
import { parseSpec } from '../../../src/core/spec';
import { loadData } from '../../../src/core/data';
import type { NetworkSpec } from '../../../src/core/spec/types';
import type { BatchStepReport, EpochStepReport, LayerWeights, SampleStepReport, StepReport, WorkerToHost } from '../../../src/protocol/training';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer, type TrainData } from '../../../src/core/train/trainer';
import { startSession } from '../../../src/core/train/session';
import { Model } from '../../../src/core/train/model';
import { gradients as jsGradients, forwardOne, type ForwardLayer } from '../../../src/core/nn/dense';
import { dense, makeSpec, XOR } from './helpers';

const cpu = async () => (await selectBackend('cpu', { modulePaths: [] })).backend;
const sample = (name: string): { spec: NetworkSpec; path: string } => {
  const path = fileURLToPath(new URL(`../../../samples/${name}.nn.json`, import.meta.url));
  const p = parseSpec(readFileSync(path, 'utf8'));
  assert.ok(p.spec, `${name} parses`);
  return { spec: p.spec, path };
};
const forwardLayers = (spec: NetworkSpec): ForwardLayer[] => spec.layers.map((l) => (l.type === 'dense' ? { type: 'dense', activation: l.activation } : { type: l.type }));

/** |a − b| ≤ tol·max(1, |b|) everywhere. */
function close(a: readonly number[], b: readonly number[], tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths`);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${v} vs ${b[i]}`));
}

/** A paused trainer, running, and a step function. */
function paused(t: Trainer): { step: (u: 'sample' | 'batch' | 'epoch') => Promise<StepReport>; done: ReturnType<Trainer['run']> } {
  t.pause();
  const done = t.run();
  return { step: (u) => t.requestStep(u), done };
}

/** The batch gradient by TF.js's own autodiff (tf.variableGrads of the model's loss), flattened per variable. */
function tfBatchGradient(backend: Awaited<ReturnType<typeof cpu>>, spec: NetworkSpec, weights: LayerWeights[], x: number[][], y: number[][]): number[][] {
  const tf = backend.tf;
  const model = new Model(tf, spec, weights);
  const vars = model.variables();
  const out = tf.tidy(() => {
    const xb = tf.tensor2d(x);
    const yb = tf.tensor2d(y);
    const { grads } = tf.variableGrads(() => model.loss(model.forward(xb, { training: true, logits: true }), yb), vars);
    return vars.map((v) => grads[v.name]);
  });
  const flat = out.map((g: tfc.Tensor) => Array.from(g.dataSync()));
  tf.dispose(out);
  model.dispose();
  return flat;
}
const flatGrads = (layers: { dW?: number[][]; db?: number[] }[]): number[][] => layers.flatMap((l) => [l.dW!.flat(), ...(l.db ? [l.db] : [])]);

test('sample steps: each share is (1/B)·∂Lᵢ/∂θ of the pure-JS backward pass; added up over the batch they equal TF.js\'s batch gradient, and the update is applied after the last sample', async () => {
  const backend = await cpu();
  const spec = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 5, batchSize: 4, shuffle: false });
  const t = new Trainer({ backend, spec, data: XOR, yieldEveryMs: 0 });
  const { step, done } = paused(t);
  const w0 = t.weights();
  const reports: SampleStepReport[] = [];
  const tensors = t.numTensors();
  for (let i = 0; i < 4; i++) {
    reports.push((await step('sample')) as SampleStepReport);
    assert.equal(t.numTensors(), tensors, 'a sample step leaks no tensor');
  }
  const xs = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const ys = [[0], [1], [1], [0]];
  reports.forEach((r, i) => {
    assert.equal(r.unit, 'sample');
    assert.deepEqual([r.sample, r.row, r.batch, r.epoch, r.batchSize, r.stepsPerEpoch], [i + 1, i + 1, 1, 1, 4, 1], '1-based positions');
    assert.deepEqual(r.x, xs[i]);
    assert.deepEqual(r.target, ys[i]);
    // the oracle: the pure-JS backward pass of this one sample, at the weights before any update
    const g = jsGradients(forwardLayers(spec), w0, 'mse', [xs[i]], [ys[i]]);
    close([r.loss], [g.loss], 1e-6, `L${i + 1}`);
    close(flatGrads(r.grads).flat(), g.layers.flatMap((l) => [...l.dW.flat(), ...l.db]).map((v) => v / 4), 1e-5, `share of sample ${i + 1}`);
    // the forward pass shown is the pure-JS one, and agrees with the trainer's output
    const f = forwardOne(forwardLayers(spec), w0, xs[i]);
    assert.deepEqual(r.forward.map((l) => l.z), [f.z[0], f.z[1]]);
    close(r.output, f.output, 1e-6, 'output');
    assert.equal(r.step, i < 3 ? 0 : 1, 'no update until the last sample');
  });
  // shares so far add up
  close(flatGrads(reports[1].accumulated).flat(), flatGrads(reports[0].grads).flat().map((v, k) => v + flatGrads(reports[1].grads).flat()[k]), 1e-6, 'accumulated after 2');
  assert.ok(Math.abs(reports[3].meanLoss - reports.reduce((s, r) => s + r.loss, 0) / 4) < 1e-7, 'mean loss of the batch');
  // after all four: the accumulated shares are the batch gradient (TF.js autodiff), which is what was applied
  const oracle = tfBatchGradient(backend, spec, w0, xs, ys);
  close(flatGrads(reports[3].accumulated).flat(), oracle.flat(), 1e-5, 'Σ shares vs tf.variableGrads');
  const u = reports[3].update;
  assert.ok(u, 'the last sample applied the update');
  assert.equal(u.samplesStepped, 4);
  close(flatGrads(u.layers).flat(), oracle.flat(), 1e-6, 'applied gradient vs tf.variableGrads');
  close([u.loss], [reports[3].meanLoss], 1e-6, 'batch loss = mean of the samples\' losses');
  assert.notDeepEqual(t.weights(), w0);
  t.stop();
  await done;
  t.dispose();
});

test('a batch step: W ← W − α·∂L/∂W exactly as tfjs\'s SGD computes it (float32), with θ before/after in the report', async () => {
  const backend = await cpu();
  const spec = makeSpec({ input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.3 }, epochs: 5, batchSize: 2, shuffle: true, seed: 7 });
  const t = new Trainer({ backend, spec, data: XOR, yieldEveryMs: 0 });
  const { step, done } = paused(t);
  await step('sample'); // one sample first: the batch step then applies the whole batch, once
  const before = t.weights();
  const r = (await step('batch')) as BatchStepReport;
  const after = t.weights();
  assert.equal(r.unit, 'batch');
  assert.deepEqual([r.step, r.epoch, r.batch, r.batchSize, r.samplesStepped], [1, 1, 1, 2, 1]);
  assert.deepEqual(r.optimizer, { type: 'sgd', learningRate: 0.3 });
  const c = Math.fround(-0.3);
  r.layers.forEach((l, i) => {
    assert.deepEqual(l.W, before[i].W);
    assert.deepEqual(l.WAfter, after[i].W);
    // tfjs SGD: value + (−α)·g, each operation rounded to float32
    l.W!.forEach((row, a) => row.forEach((w, o) => assert.equal(l.WAfter![a][o], Math.fround(w + Math.fround(c * l.dW![a][o])), `layer ${i + 1} W[${a + 1}][${o + 1}]`)));
    l.b!.forEach((b, o) => assert.equal(l.bAfter![o], Math.fround(b + Math.fround(c * l.db![o]))));
    assert.ok(l.changeNorm > 0 && l.gradNorm > 0);
  });
  t.stop();
  await done;
  t.dispose();
});

test('sample steps with dropout: the shares use the batch\'s own dropout mask, so they add up to the applied batch gradient', async () => {
  const backend = await cpu();
  const spec = makeSpec({ input: [2], layers: [dense(6, 'relu'), { type: 'dropout', rate: 0.5 }, dense(1, 'sigmoid')], loss: 'binaryCrossentropy', optimizer: { type: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, epochs: 3, batchSize: 4, shuffle: false, seed: 3 });
  const t = new Trainer({ backend, spec, data: XOR, yieldEveryMs: 0 });
  const { step, done } = paused(t);
  let last: SampleStepReport | undefined;
  for (let i = 0; i < 4; i++) last = (await step('sample')) as SampleStepReport;
  assert.ok(last?.update);
  close(flatGrads(last.accumulated).flat(), flatGrads(last.update.layers).flat(), 1e-5, 'Σ shares vs the applied gradient');
  t.stop();
  await done;
  t.dispose();
});

async function sessionLosses(spec: NetworkSpec, path: string, data: TrainData, steps?: ('sample' | 'batch' | 'epoch')[]): Promise<{ epochLoss: number; reports: StepReport[]; messages: WorkerToHost[] }> {
  const messages: WorkerToHost[] = [];
  const s = await startSession({ spec: { ...spec, training: { ...spec.training, stopWhenLossBelow: undefined } }, specPath: path, backend: 'cpu', epochs: 1, writeRun: false, data, startPaused: !!steps, onMessage: (m) => messages.push(m) });
  const reports: StepReport[] = [];
  for (const u of steps ?? []) reports.push(await s.step(u));
  const summary = await s.done;
  return { epochLoss: summary.finalLoss, reports, messages };
}

test('an epoch step = one epoch of `nnlab train` with the same seed (circle: shuffled batches of 32, validation split), however the epoch was stepped', async () => {
  const { spec, path } = sample('circle');
  const data = await loadData(spec, path);
  const plain = await sessionLosses(spec, path, data);
  const stepped = await sessionLosses(spec, path, data, ['sample', 'sample', 'sample', 'batch', 'sample', 'epoch']);
  const e = stepped.reports.at(-1) as EpochStepReport;
  assert.equal(e.unit, 'epoch');
  assert.equal(e.loss, plain.epochLoss, 'the same epoch loss, to the bit');
  assert.equal(stepped.epochLoss, plain.epochLoss);
  assert.deepEqual([e.epochsDone, e.step, e.batches, e.stepsPerEpoch], [1, 10, 9, 10], '320 training samples / 32 = 10 batches; 1 stepped before, 9 by the epoch step');
  assert.ok(e.valLoss !== undefined && e.accuracy !== undefined);
  // every step sent the weights after it (the graph panel shows what changed)
  assert.equal(stepped.messages.filter((m) => m.type === 'weights').length, 6 + 1, 'one per step, and the final weights');
  const b = stepped.reports[3] as BatchStepReport;
  assert.deepEqual([b.unit, b.samplesStepped, b.batch, b.step], ['batch', 3, 1, 1]);
  const s = stepped.reports[4] as SampleStepReport;
  assert.deepEqual([s.unit, s.sample, s.batch, s.step], ['sample', 1, 2, 1], 'the next batch\'s first sample');
  assert.equal(s.forward.length, 2);
  assert.equal(s.forward[0].z.length, 8);
});

test('xor (samples/xor.nn.json): stepping one epoch of 4 samples = one epoch of `nnlab train`', async () => {
  const { spec, path } = sample('xor');
  const data = await loadData(spec, path);
  const plain = await sessionLosses(spec, path, data);
  const stepped = await sessionLosses(spec, path, data, ['sample', 'sample', 'sample', 'sample']);
  const last = stepped.reports[3] as SampleStepReport;
  assert.ok(last.update, 'the 4th sample completed the batch');
  assert.equal(stepped.epochLoss, plain.epochLoss);
  assert.equal(last.update.loss, plain.epochLoss, 'one batch = one epoch: the batch loss is the epoch loss');
});

test('steps queue in order, and a step asked after the run ended is refused with a reason', async () => {
  const backend = await cpu();
  const spec = makeSpec({ input: [2], layers: [dense(2, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 2, shuffle: false });
  const t = new Trainer({ backend, spec, data: XOR, yieldEveryMs: 0 });
  const { step, done } = paused(t);
  const [a, b, c] = await Promise.all([step('sample'), step('sample'), step('batch')]);
  assert.deepEqual([a.unit, b.unit, c.unit, a.step, b.step, c.step, c.batch], ['sample', 'sample', 'batch', 0, 1, 2, 2]);
  const r = await done;
  assert.equal(r.stopReason, 'completed', 'the batch step finished the only epoch');
  await assert.rejects(step('batch'), /the run has ended/);
  t.dispose();
});

test('the step area\'s words (src/core/explain/step.ts): 1-based positions, "epoch"/"batch loss" as progress.ts says them, every number from the report', async () => {
  const { stepView, stepDoneText } = await import('../../../src/core/explain/step');
  const backend = await cpu();
  const spec = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 5, batchSize: 2, shuffle: false });
  const t = new Trainer({ backend, spec, data: XOR, yieldEveryMs: 0 });
  const { step, done } = paused(t);
  const s1 = (await step('sample')) as SampleStepReport;
  const v = stepView(s1);
  assert.equal(v.title, 'sample 1 of 2 (data row 1), batch 1/2 of epoch 1: gradient added, no update yet · epoch 0/5');
  assert.deepEqual(v.rows.find((r) => r.id === 'loss')?.values, [s1.loss]);
  assert.deepEqual(v.rows.find((r) => r.id === 'z1')?.values, s1.forward[0].z);
  assert.deepEqual(v.matrices.map((m) => m.caption), ['(1/2)·∂Lᵢ/∂W¹', '(1/2)·∂Lᵢ/∂b¹', '(1/2)·∂Lᵢ/∂W²', '(1/2)·∂Lᵢ/∂b²', 'Σ so far ∂L/∂W¹', 'Σ so far ∂L/∂b¹', 'Σ so far ∂L/∂W²', 'Σ so far ∂L/∂b²']);
  assert.equal(v.update, undefined);
  assert.match(stepDoneText(s1), /^stepped sample 1 of 2 of batch 1\/2 of epoch 1: Lᵢ \S+; gradient added, no update yet$/);
  const s2 = (await step('sample')) as SampleStepReport;
  const v2 = stepView(s2);
  assert.equal(v2.update?.title, 'Batch 1/2 of epoch 1 (2 samples, 2 of its 2 samples stepped first): update 1 applied · epoch 0/5');
  assert.equal(v2.update?.rule, 'W ← W − α·∂L/∂W, α = 0.5 (SGD)');
  const b = (await step('batch')) as BatchStepReport;
  assert.equal(stepView(b).title, 'Batch 2/2 of epoch 1 (2 samples): update 2 applied · epoch 1/5', 'its last batch completes the epoch (the header says epoch 1/5 too)');
  assert.equal(stepDoneText(b), `stepped batch 2/2 of epoch 1: update 2 applied (batch loss ${(await import('../../../src/core/explain/format')).loss(b.loss)})`);
  const e = (await step('epoch')) as EpochStepReport;
  assert.equal(stepView(e).title, 'Epoch 2 done (2 batches, updates 3–4) · epoch 2/5');
  t.stop();
  await done;
  t.dispose();
});

test('stepped batches on the direct cpu step keep its optimiser state: Adam and momentum, stepped then resumed, end on the weights of an unpaused run, to the bit', async () => {
  // A stepped batch reports θ before and the gradient, then applies the update. On cpu the trainer takes
  // the direct step (direct.ts), which keeps its own Adam moments and momentum velocities: a reported
  // batch that updated through tfjs's optimiser instead would start that optimiser's state from zero
  // and leave the direct step's state one update behind.
  const backend = await cpu();
  for (const optimizer of [{ type: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, { type: 'momentum', learningRate: 0.1, momentum: 0.9 }] as const) {
    const spec = makeSpec({ input: [2], layers: [dense(3, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer, epochs: 4, batchSize: 2, shuffle: true, seed: 7 });
    const plain = new Trainer({ backend, spec, data: XOR, yieldEveryMs: 0 });
    assert.equal(plain.directStepUnsupported, undefined, 'this net takes the direct step');
    const a = await plain.run();
    const wa = await plain.weightsAsync();
    plain.dispose();
    const t = new Trainer({ backend, spec, data: XOR, yieldEveryMs: 0 });
    const { step, done } = paused(t);
    await step('batch');
    await step('sample');
    await step('sample');
    await step('batch');
    t.resume();
    const b = await done;
    const wb = await t.weightsAsync();
    t.dispose();
    assert.equal(b.finalLoss, a.finalLoss, `${optimizer.type}: the same final loss`);
    assert.deepEqual(wb, wa, `${optimizer.type}: the same weights`);
  }
});
