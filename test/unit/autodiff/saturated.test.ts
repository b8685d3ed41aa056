// Saturated outputs (issue 12, item 17): sigmoid + binaryCrossentropy and softmax +
// categoricalCrossentropy are computed from the logits by the trainer, so the tape, the walkthrough,
// the graph panel's pass and `nnlab grad` do the same. Oracles: PyTorch (float64 BCEWithLogitsLoss /
// cross_entropy on the logits, autograd) and the trainer itself (its own backward pass and tf.grads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkGradients, networkWalkthrough } from '../../../src/core/autodiff';
import { tfGradients } from '../../../src/core/autodiff/tfgrads';
import { gradients as panelGradients } from '../../../src/core/nn/dense';
import { Model } from '../../../src/core/train/model';
import { cpuBackend } from '../../../src/core/train/backends/cpu';
import { createRng } from '../../../src/core/rng';
import { run as grad } from '../../../src/cli/commands/grad';
import type { DenseLayer, LossName, NetworkSpec } from '../../../src/core/spec/types';
import type { LayerWeights } from '../../../src/protocol/training';

interface Case {
  spec: NetworkSpec;
  weights: LayerWeights[];
  x: number[];
  y: number[];
}

const layer = (units: number, activation: DenseLayer['activation']['name']): DenseLayer => ({ type: 'dense', units, activation: { name: activation }, useBias: true, init: { type: 'zeros' }, biasInit: { type: 'zeros' } });
const specOf = (loss: LossName, layers: DenseLayer[], inputs: number): NetworkSpec => ({
  version: 1,
  name: 'saturated',
  input: { shape: [inputs] },
  layers,
  loss,
  optimizer: { type: 'sgd', learningRate: 0.1 },
  training: { epochs: 1, batchSize: 1, shuffle: false, seed: 1, validationSplit: 0 },
});

/** The two cases: one sigmoid output at z = 60 with target 0, and two softmax logits 40 and −40 with the other class the target. */
const BCE60: Case = { spec: specOf('binaryCrossentropy', [layer(1, 'sigmoid')], 2), weights: [{ layer: 0, name: 'dense_1', W: [[30], [30]], b: [0] }], x: [1, 1], y: [0] };
const CCE80: Case = { spec: specOf('categoricalCrossentropy', [layer(2, 'softmax')], 2), weights: [{ layer: 0, name: 'dense_1', W: [[40, -40], [0, 0]], b: [0, 0] }], x: [1, 1], y: [0, 1] };

/** Random 2-layer nets (tanh hidden) with large output weights, so that some outputs saturate. */
function randomCases(): Case[] {
  const r = createRng(7);
  const u = (lo: number, hi: number): number => lo + (hi - lo) * r();
  const out: Case[] = [];
  for (let k = 0; k < 12; k++) {
    const loss: LossName = k % 2 ? 'categoricalCrossentropy' : 'binaryCrossentropy';
    const nIn = 2 + (k % 3);
    const hidden = 3;
    const nOut = loss === 'binaryCrossentropy' ? 1 + (k % 3) : 2 + (k % 3);
    const big = k < 4 ? 1 : 40; // the first few unsaturated, the rest far into saturation
    const W1 = Array.from({ length: nIn }, () => Array.from({ length: hidden }, () => u(-1, 1)));
    const W2 = Array.from({ length: hidden }, () => Array.from({ length: nOut }, () => u(-big, big)));
    const y = loss === 'binaryCrossentropy' ? Array.from({ length: nOut }, () => (r() < 0.5 ? 0 : 1)) : Array.from({ length: nOut }, (_, j) => (j === k % nOut ? 1 : 0));
    out.push({
      spec: specOf(loss, [layer(hidden, 'tanh'), layer(nOut, loss === 'binaryCrossentropy' ? 'sigmoid' : 'softmax')], nIn),
      weights: [
        { layer: 0, name: 'dense_1', W: W1, b: Array.from({ length: hidden }, () => u(-0.5, 0.5)) },
        { layer: 1, name: 'dense_2', W: W2, b: Array.from({ length: nOut }, () => u(-0.5, 0.5)) },
      ],
      x: Array.from({ length: nIn }, () => u(-2, 2)),
      y,
    });
  }
  return out;
}

const TORCH = `
import json, sys, torch
import torch.nn.functional as F
torch.set_default_dtype(torch.float64)
out = []
for c in json.load(sys.stdin):
    D = torch.float64
    h = torch.tensor([c['x']], dtype=D)
    params = []
    for i, l in enumerate(c['layers']):
        W = torch.tensor(l['W'], dtype=D, requires_grad=True)
        b = torch.tensor([l['b']], dtype=D, requires_grad=True)
        params += [W, b]
        z = h @ W + b
        h = torch.tanh(z) if i < len(c['layers']) - 1 else z
    t = torch.tensor([c['y']], dtype=D)
    if c['loss'] == 'binaryCrossentropy':
        L = torch.nn.BCEWithLogitsLoss()(h, t)
    else:
        L = F.cross_entropy(h, t)
    L.backward()
    out.append({'loss': L.item(), 'grads': [p.grad.reshape(-1).tolist() for p in params]})
print(json.dumps(out))
`;

function torchAvailable(): boolean {
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
}

test('the tape computes sigmoid + BCE and softmax + CCE from the logits: the issue\'s loss 60 / 80 and gradient ±1', () => {
  const b = networkGradients(BCE60.spec, BCE60.weights, { x: BCE60.x, y: BCE60.y });
  assert.equal(b.loss, 60);
  assert.deepEqual(b.params.map((p) => [p.name, p.tape]), [['W[0][0]', 1], ['W[1][0]', 1], ['b[0]', 1]]);
  const c = networkGradients(CCE80.spec, CCE80.weights, { x: CCE80.x, y: CCE80.y });
  assert.equal(c.loss, 80);
  assert.deepEqual(c.params.map((p) => p.tape), [1, -1, 1, -1, 1, -1]);
  // the difference quotient of the same loss agrees (it was 0 = 0 before, the clipped loss being flat)
  for (const p of [...b.params, ...c.params]) assert.ok(Math.abs((p.numeric ?? NaN) - p.tape) < 1e-6, `${p.name}: quotient ${p.numeric} vs tape ${p.tape}`);
  // the graph panel's backward pass is the same
  const pg = panelGradients(BCE60.spec.layers, BCE60.weights, 'binaryCrossentropy', [BCE60.x], [BCE60.y]);
  assert.equal(pg.loss, 60);
  assert.deepEqual([...pg.layers[0].dW.flat(), ...pg.layers[0].db], [1, 1, 1]);
  const pc = panelGradients(CCE80.spec.layers, CCE80.weights, 'categoricalCrossentropy', [CCE80.x], [CCE80.y]);
  assert.equal(pc.loss, 80);
  assert.deepEqual([...pc.layers[0].dW.flat(), ...pc.layers[0].db], [1, -1, 1, -1, 1, -1]);
});

test('saturated and unsaturated outputs: the tape equals PyTorch float64 (BCEWithLogitsLoss, cross_entropy on the logits)', { skip: !torchAvailable() && 'python3 with torch is not installed' }, () => {
  const cases = [BCE60, CCE80, ...randomCases()];
  const input = cases.map((c) => ({ x: c.x, y: c.y, loss: c.spec.loss, layers: c.weights.map((w) => ({ W: w.W, b: w.b })) }));
  const r = spawnSync('/usr/bin/python3', ['-c', TORCH], { input: JSON.stringify(input), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const torch = JSON.parse(r.stdout) as { loss: number; grads: number[][] }[];
  let saturated = 0;
  cases.forEach((c, k) => {
    const g = networkGradients(c.spec, c.weights, { x: c.x, y: c.y });
    const t = torch[k];
    if (g.output.some((v) => v === 0 || v === 1 || v < 1e-7 || v > 1 - 1e-7)) saturated++;
    assert.ok(Math.abs(g.loss - t.loss) <= 1e-12 * Math.max(1, Math.abs(t.loss)), `case ${k}: loss ${g.loss} vs torch ${t.loss}`);
    const mine = g.grads.flatMap((l) => [l.W.flat(), l.b ?? []]);
    mine.forEach((v, i) => v.forEach((x, j) => assert.ok(Math.abs(x - t.grads[i][j]) <= 1e-12 * Math.max(1, Math.abs(t.grads[i][j])), `case ${k} param ${i}[${j}]: ${x} vs torch ${t.grads[i][j]}`)));
  });
  assert.ok(saturated >= 8, `${saturated} of ${cases.length} cases saturate`);
});

test('saturated outputs: the tape equals the trainer (its own backward pass and tf.grads), float32', async () => {
  const { tf } = await cpuBackend.load({ modulePaths: [] });
  for (const c of [BCE60, CCE80, ...randomCases()]) {
    const g = networkGradients(c.spec, c.weights, { x: c.x, y: c.y });
    const model = new Model(tf, c.spec, c.weights);
    try {
      const { loss, grads } = tf.tidy(() => {
        const r = model.gradients(tf.tensor2d([c.x]), tf.tensor2d([c.y]));
        return { loss: r.loss.dataSync()[0], grads: r.grads.map((t) => Array.from(t.dataSync())) };
      });
      const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 + 1e-5 * Math.abs(b);
      assert.ok(close(loss, g.loss), `trainer loss ${loss} vs tape ${g.loss}`);
      g.grads.flatMap((l) => [l.W.flat(), l.b ?? []]).forEach((v, i) => v.forEach((x, j) => assert.ok(close(grads[i][j], x), `trainer ${grads[i][j]} vs tape ${x}`)));
    } finally {
      model.dispose();
    }
    const tg = await tfGradients(c.spec, c.weights, { x: c.x, y: c.y });
    assert.ok(Math.abs(tg.loss - g.loss) <= 1e-4 + 1e-5 * g.loss, `tf.grads loss ${tg.loss} vs tape ${g.loss}`);
  }
});

test('the walkthrough shows the loss from the logits and, for this sample, the clipped value beside it', () => {
  const w = networkWalkthrough(BCE60.spec, BCE60.weights, { x: BCE60.x, y: BCE60.y }, { index: 0, source: 'given weights' });
  const loss = w.steps.find((s) => s.phase === 'forward' && s.quantity === 'L');
  assert.equal(loss?.text, 'L = loss from the logits (z = [60], ŷ = [0]) = 60');
  assert.ok(loss?.ruleText.startsWith('The trainer computes binary cross-entropy from the logits z, not from y = σ(z): −ŷ ln σ(z) − (1 − ŷ) ln(1 − σ(z)) = max(z, 0) − z·ŷ + ln(1 + e^{−|z|})'), loss?.ruleText);
  assert.ok(loss?.ruleText.includes('TensorFlow.js clips y to [ε, 1 − ε] with ε = 1e-7, so a saturated wrong output costs at most 16.118 there and gets gradient 0'), loss?.ruleText);
  assert.ok(loss?.ruleText.endsWith('For this sample: L = 60 from the logits, 16.118096 from y = [1] clipped (ε = 1e-7).'), loss?.ruleText);
  const delta = w.steps.find((s) => s.phase === 'backward' && s.rule === 'loss');
  assert.equal(delta?.text, 'δ = ∂L/∂z = (1/n)(σ(z) − ŷ) = (1/n)(y − ŷ) = [1]');
  // no ∂L/∂y step: the gradient goes from L straight to z
  assert.equal(w.steps.filter((s) => s.quantity === '∂L/∂y').length, 0);
  // one step of α = 0.1 along ∂L/∂(W, b) = (1, 1, 1) lowers z by 0.3, and the loss by as much
  assert.equal(w.update?.lossBefore, 60);
  assert.ok(Math.abs((w.update?.lossAfter ?? NaN) - 59.7) < 1e-12);
  const c = networkWalkthrough(CCE80.spec, CCE80.weights, { x: CCE80.x, y: CCE80.y }, { index: 0, source: 'given weights' });
  assert.ok(c.steps.some((s) => s.ruleText.endsWith('For this sample: L = 80 from the logits, 16.118096 from y = [1, 1.805e-35] clipped (ε = 1e-7).')));
});

test('nnlab grad on a saturated output: tape = tf.grads = quotient, exit 0 (was 16.118 vs 60, exit 1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-sat-'));
  const file = join(dir, 'sat.nn.json');
  writeFileSync(
    file,
    JSON.stringify({ version: 1, name: 'sat', input: { shape: [2] }, layers: [{ type: 'dense', units: 1, activation: 'sigmoid', init: { values: [[30], [30]] } }], loss: 'binaryCrossentropy', training: { batchSize: 1 }, data: { type: 'inline', x: [[1, 1]], y: [[0]] } }),
  );
  const out: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? (out.push(s), true) : o(s, ...rest))) as typeof process.stdout.write;
  let code: number;
  try {
    code = await grad([file, '--json']);
  } finally {
    process.stdout.write = o;
  }
  assert.equal(code, 0);
  const j = JSON.parse(out.join('')) as { loss: { tape: number; tfjs: number }; params: { tape: number; tfjs: number; numeric: number }[]; agree: { tfjs: boolean; numeric: boolean } };
  assert.deepEqual([j.loss.tape, j.loss.tfjs], [60, 60]);
  assert.deepEqual(j.params.map((p) => [p.tape, p.tfjs]), [[1, 1], [1, 1], [1, 1]]);
  assert.deepEqual(j.agree, { tfjs: true, numeric: true });
});
