// Run comparison (issue 13 item 20, issue 16 item 7): labels from the hyper-parameters that differ,
// the runs table's cells (the strings the CLI prints), and the mean ± std band across seeds (numpy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec } from '../../../src/core/spec/parse';
import type { NetworkSpec } from '../../../src/core/spec/types';
import { diffLabels, groupSpread, hyperParams, meanStd, runDisplayName, runRow, seedBand, spreadText } from '../../../src/core/view/compare';
import { loss as formatLoss } from '../../../src/core/explain/format';
import { summaryLines } from '../../../src/cli/commands/train';
import type { RunSummary } from '../../../src/protocol/training';

const xor = (): NetworkSpec => parseSpec(readFileSync(join(__dirname, '../../../samples/xor.nn.json'), 'utf8')).spec!;
const variant = (f: (s: NetworkSpec) => NetworkSpec): NetworkSpec => f(xor());

test("xor's hyper-parameters, in order, as a person reads them", () => {
  assert.deepEqual(
    hyperParams(xor()).map((p) => p.text),
    ['2-4-1', 'tanh/sigmoid', 'init glorot', 'mse', 'lr 0.05', 'adam', 'β₁ 0.9', 'β₂ 0.999', 'ε 1e-7', 'batch 4', '500 epochs', 'shuffled', 'stop below 0.001', 'seed 42', 'xor ×4', 'data seed 42'],
  );
});

test('two xor runs with another learning rate are named by it; what they share is said once', () => {
  const a = xor();
  const b = variant((s) => ({ ...s, optimizer: { ...s.optimizer, learningRate: 0.5 } }));
  const d = diffLabels([hyperParams(a), hyperParams(b)]);
  assert.deepEqual(d.labels, ['lr 0.05', 'lr 0.5']);
  assert.equal(d.common, '2-4-1 · tanh/sigmoid · init glorot · mse · adam · β₁ 0.9 · β₂ 0.999 · ε 1e-7 · batch 4 · 500 epochs · shuffled · stop below 0.001 · seed 42 · xor ×4 · data seed 42');
});

test('learning rate, optimizer and seed differing: "lr 0.05 · adam · seed 42"; a missing spec gets no label', () => {
  const a = xor();
  const b = variant((s) => ({ ...s, optimizer: { type: 'sgd', learningRate: 0.1 }, training: { ...s.training, seed: 7 } }));
  const d = diffLabels([hyperParams(a), hyperParams(b), undefined]);
  // Adam's constants belong to adam only: they differ too, and are said after the optimizer
  assert.deepEqual(d.labels, ['lr 0.05 · adam · β₁ 0.9 · β₂ 0.999 · ε 1e-7 · seed 42', 'lr 0.1 · sgd · seed 7', '']);
  assert.ok(!d.common.split(' · ').includes('seed 42') && d.common.split(' · ').includes('data seed 42'));
});

test('identical runs: empty labels, so the folder name (or the user label) names them', () => {
  const d = diffLabels([hyperParams(xor()), hyperParams(xor())]);
  assert.deepEqual(d.labels, ['', '']);
  assert.equal(runDisplayName('20261207-210000-000-xor', d.labels[0]!), '20261207-210000-000-xor');
  assert.equal(runDisplayName('20261207-210000-000-xor', 'lr 0.5', '  fast one '), 'fast one');
  assert.equal(runDisplayName('20261207-210000-000-xor', 'lr 0.5', '   '), 'lr 0.5');
});

test('a generator seed of its own is a difference; a training seed alone keeps the data (and its seed)', () => {
  const a = xor();
  const b = variant((s) => ({ ...s, data: { type: 'generator', name: 'xor', samples: 4, noise: 0, seed: 9 } }));
  assert.deepEqual(diffLabels([hyperParams(a), hyperParams(b)]).labels, ['data seed 42', 'data seed 9']);
});

test('layer changes: units and activations', () => {
  const b = variant((s) => ({ ...s, layers: s.layers.map((l, i) => (i === 0 && l.type === 'dense' ? { ...l, units: 8, activation: { name: 'relu' } } : l)) }));
  assert.deepEqual(diffLabels([hyperParams(xor()), hyperParams(b)]).labels, ['2-4-1 · tanh/sigmoid', '2-8-1 · relu/sigmoid']);
});

// numpy: a = [[.25,.2,.11],[.3,.18,.09],[.27,.22,nan]]; per column c = c[~isnan(c)]; c.mean(), c.std(ddof=1)
test('the seed band equals numpy mean and std (ddof=1) per epoch; a run that stopped early leaves it', () => {
  const band = seedBand([
    { x: [1, 2, 3], y: [0.25, 0.2, 0.11] },
    { x: [1, 2, 3], y: [0.3, 0.18, 0.09] },
    { x: [1, 2], y: [0.27, 0.22] },
  ]);
  assert.deepEqual(band.x, [1, 2, 3]);
  assert.deepEqual(band.n, [3, 3, 2]);
  const want = { mean: [0.2733333333333334, 0.19999999999999998, 0.1], std: [0.025166114784235825, 0.020000000000000004, 0.014142135623730954] };
  band.mean.forEach((m, i) => assert.ok(Math.abs(m - want.mean[i]!) < 1e-15, `mean ${i}: ${m}`));
  band.std.forEach((s, i) => assert.ok(Math.abs(s - want.std[i]!) < 1e-15, `std ${i}: ${s}`));
});

test('one value has no std; NaN values are left out', () => {
  assert.deepEqual(meanStd([0.5]), { mean: 0.5, std: NaN, n: 1 });
  assert.deepEqual(meanStd([NaN, 1, 3]), { mean: 2, std: Math.SQRT2, n: 2 });
  assert.deepEqual(seedBand([{ x: [1, 2], y: [1, NaN] }]), { x: [1], mean: [1], std: [NaN], n: [1] });
});

// numpy: l = [.0123,.0101,.0154,.0098,.0131]; l.mean() = 0.01214, l.std(ddof=1) = 0.002302824352832843
test("a seed group's spread: mean ± std of the final losses and accuracies", () => {
  const losses = [0.0123, 0.0101, 0.0154, 0.0098, 0.0131];
  const s = meanStd(losses);
  assert.ok(Math.abs(s.mean - 0.01214) < 1e-15 && Math.abs(s.std - 0.002302824352832843) < 1e-15);
  const g = groupSpread(losses.map((finalLoss, i) => ({ finalLoss, accuracy: i === 4 ? 0.75 : 1 })));
  assert.equal(g.loss, '0.0121 ± 0.0023 (5 seeds)');
  // accuracy [1,1,1,1,.75]: mean 0.95, std 0.11180339887498948
  assert.equal(g.accuracy, '95.0 % ± 11.2 % (5 seeds)');
  assert.equal(spreadText(meanStd([]), formatLoss), '–');
  assert.equal(spreadText(meanStd([0.5]), formatLoss), '0.5000 (1 seed)');
});

test("a run's table row says what summary.json and `nnlab train` say", () => {
  const summary = { runDir: '/r', backend: { active: 'cpu', device: 'cpu', reason: '', skipped: [] }, startedAt: '', finishedAt: '', elapsedMs: 4123, epochs: 58, steps: 58, finalLoss: 0.00987654, bestLoss: 0.0098, accuracy: 1, stopReason: 'lossBelowTarget', lossTarget: 0.01 } as unknown as RunSummary;
  const row = runRow(summary, 500);
  // the stop reason in words (stopReasonText), never the summary.json code
  assert.deepEqual(row, { epochs: 'epoch 58/500', loss: '0.0099', accuracy: '100.0 %', time: '4.12 s', stop: 'loss below target 0.01' });
  const cli = summaryLines(summary, 500).join('\n');
  for (const cell of [row.epochs, `loss ${row.loss}`, `accuracy ${row.accuracy}`, row.time]) assert.ok(cli.includes(cell), `CLI output has "${cell}":\n${cli}`);
  assert.deepEqual(runRow(undefined, 500), { epochs: '–', loss: '–', accuracy: '–', time: '–', stop: 'running or interrupted' });
  assert.equal(runRow({ ...summary, finalLoss: null as unknown as number, accuracy: undefined }, 500).loss, 'NaN');
});
