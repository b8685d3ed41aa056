// The graph panel's formula card (src/core/explain/formula.ts): its numbers are the walkthrough tape's
// (src/core/autodiff) and the difference quotient's, on the shipped samples; its text is the course's
// notation with the numbers plugged in (the neural chain's worked numbers, written out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec } from '../../../src/core/spec';
import type { NetworkSpec } from '../../../src/core/spec/types';
import { buildSpecView } from '../../../src/core/view/specView';
import { initialWeights } from '../../../src/core/train/init';
import { loadData } from '../../../src/core/data';
import { networkGradients, networkWalkthrough, sampleAt, H, type SampleSource } from '../../../src/core/autodiff';
import { denseLoss } from '../../../src/core/autodiff/layers';
import { formulaCard, walkthroughPosition, FormulaError, type FormulaTarget } from '../../../src/core/explain/formula';
import type { LayerWeights } from '../../../src/protocol/training';
import type { SpecView } from '../../../src/protocol/webview';

const ROOT = join(__dirname, '..', '..', '..');

async function load(file: string): Promise<{ spec: NetworkSpec; view: SpecView; data: SampleSource; path: string }> {
  const path = join(ROOT, 'samples', file);
  const text = readFileSync(path, 'utf8');
  const spec = parseSpec(text).spec!;
  return { spec, view: buildSpecView(`file://${path}`, text), data: await loadData(spec, path), path };
}

const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** every weight, bias and neuron of every dense layer */
function targets(spec: SpecView, weights: LayerWeights[]): FormulaTarget[] {
  const out: FormulaTarget[] = [];
  for (const w of weights) {
    const nOut = w.W[0].length;
    w.W.forEach((r, i) => r.forEach((_, j) => out.push({ kind: 'weight', layer: w.layer, from: i, to: j })));
    for (let j = 0; j < nOut; j++) {
      out.push({ kind: 'neuron', layer: w.layer, unit: j });
      if (w.b) out.push({ kind: 'bias', layer: w.layer, unit: j });
    }
  }
  for (let i = 0; i < spec.inputShape.reduce((a, b) => a * b, 1); i++) out.push({ kind: 'input', unit: i });
  return out;
}

/** the spec's dense layers as the tape's DenseParams, with one parameter moved by `by` */
function lossAt(spec: NetworkSpec, weights: LayerWeights[], x: number[], y: number[], t: FormulaTarget, by: number): number {
  const layers = weights.map((w) => {
    const l = spec.layers[w.layer];
    if (l.type !== 'dense') throw new Error('not dense');
    const W = w.W.map((r, i) => r.map((v, j) => (t.kind === 'weight' && t.layer === w.layer && t.from === i && t.to === j ? v + by : v)));
    const b = w.b?.map((v, j) => (t.kind === 'bias' && t.layer === w.layer && t.unit === j ? v + by : v));
    return { W, b, activation: l.activation };
  });
  const xs = t.kind === 'input' ? x.map((v, i) => (i === t.unit ? v + by : v)) : x;
  return denseLoss(layers, [xs], [y], spec.loss);
}

for (const [file, seeds] of [
  ['xor.nn.json', [42, 7]],
  ['neural-chain.nn.json', [42]],
  ['image-3x3.nn.json', [42]],
] as const) {
  test(`formula card of ${file}: ∂L/∂w, ∂L/∂b, ∂L/∂x and L equal the tape's and the difference quotient, on every sample`, async () => {
    const { spec, view, data } = await load(file);
    const n = data.xShape[0];
    for (const seed of seeds) {
      const weights = initialWeights(spec, seed);
      for (let s = 0; s < n; s++) {
        const smp = sampleAt(data, s);
        const tape = networkGradients(spec, weights, smp, { fdLimit: 0 });
        for (const t of targets(view, weights)) {
          const card = formulaCard(view, weights, { x: smp.x, y: smp.y, index: s, count: n }, t);
          assert.ok(close(card.values.loss, tape.loss), `${file} sample ${s}: L ${card.values.loss} vs tape ${tape.loss}`);
          if (t.kind === 'neuron' || t.kind === 'node') continue;
          const g = card.values.grad!;
          if (t.kind !== 'input') {
            const p = tape.params.find((q) => q.layer === t.layer && (t.kind === 'weight' ? q.param === 'W' && q.i === t.from && q.j === t.to : q.param === 'b' && q.j === t.unit))!;
            assert.ok(close(g, p.tape), `${file} seed ${seed} sample ${s} ${JSON.stringify(t)}: card ${g} vs tape ${p.tape}`);
          }
          const fd = (lossAt(spec, weights, smp.x, smp.y, t, H) - lossAt(spec, weights, smp.x, smp.y, t, -H)) / (2 * H);
          assert.ok(Math.abs(g - fd) <= 1e-5 * Math.max(1, Math.abs(fd)), `${file} seed ${seed} sample ${s} ${JSON.stringify(t)}: card ${g} vs difference quotient ${fd}`);
          // the card's own product: ∂L/∂w = x·δ
          if (t.kind === 'weight') assert.ok(close(g, card.values.x! * card.values.delta!), 'x·δ');
          if (t.kind === 'bias') assert.equal(g, card.values.delta);
        }
      }
    }
  });

  test(`formula card of ${file}: z = Σ xᵢwᵢⱼ + bⱼ term by term, a = f(z), and every linked walkthrough step exists`, async () => {
    const { spec, view, data } = await load(file);
    const weights = initialWeights(spec);
    const smp = sampleAt(data, 0);
    const w = networkWalkthrough(spec, weights, smp, { index: 0, source: 'initial weights' });
    const run = networkGradients(spec, weights, smp, { fdLimit: 0 });
    const nodes: FormulaTarget[] = weights.flatMap((lw) => (['x', 'W', 'mm', ...(lw.b ? ['b' as const] : []), 'z', 'a', 'L'] as const).map((node) => ({ kind: 'node' as const, layer: lw.layer, node })));
    for (const t of [...targets(view, weights), ...nodes]) {
      const card = formulaCard(view, weights, { x: smp.x, y: smp.y, index: 0, count: data.xShape[0] }, t);
      if (t.kind === 'node' && t.node === 'W') assert.ok(close(card.values.grad!, run.params.find((p) => p.layer === t.layer && p.param === 'W' && p.i === 0 && p.j === 0)!.tape));
      if (card.values.terms) {
        const sum = card.values.terms.reduce((a, b) => a + b, 0) + (card.values.b ?? 0);
        assert.ok(close(sum, card.values.z!), `Σ terms + b = z for ${JSON.stringify(t)}`);
      }
      assert.ok(card.walkthrough, `a walkthrough link for ${JSON.stringify(t)}`);
      assert.ok(walkthroughPosition(w.steps, card.walkthrough!) > 0, `${file}: the walkthrough has a step "${card.walkthrough}" (${JSON.stringify(t)})`);
      assert.equal(card.text.split('\n').length, card.lines.length + 2);
    }
    // the output neuron's a is the network's output
    const last = weights[weights.length - 1];
    const out = formulaCard(view, weights, { x: smp.x, y: smp.y, index: 0, count: 1 }, { kind: 'neuron', layer: last.layer, unit: 0 });
    assert.ok(close(out.values.a!, run.output[0]));
  });
}

test('formula card: the neural chain with the course numbers (x = 3, w₁ = 0.5, w₂ = −1, ŷ = 3), as text', async () => {
  const { spec, view, data } = await load('neural-chain.nn.json');
  const weights = initialWeights(spec);
  const smp = sampleAt(data, 0);
  const sample = { x: smp.x, y: smp.y, index: 0, count: 1 };
  const w2 = formulaCard(view, weights, sample, { kind: 'weight', layer: 1, from: 0, to: 0 });
  assert.equal(
    w2.text,
    [
      'Weight w²₁₁: layer 2 (dense_2), from unit 1 to unit 1',
      'sample 1 of 1: x = [3], ŷ = [3]; L = 20.25',
      'w²₁₁ = −1',
      'z²₁ = a¹₁·w²₁₁ = 1.5·(−1) = −1.5',
      'a²₁ = id(z²₁) = id(−1.5) = −1.5',
      'y₁ = a²₁ = −1.5, ŷ₁ = 3',
      '∂L/∂y₁ = (2/1)(−1.5 − 3) = −9   (∂L/∂y = (2/n)(y − ŷ))',
      'δ²₁ = ∂L/∂z²₁ = id′(z²₁)·∂L/∂y₁ = 1·(−9) = −9',
      '∂L/∂w²₁₁ = a¹₁·δ²₁ = 1.5·(−9) = −13.5',
    ].join('\n'),
  );
  assert.equal(w2.walkthrough, '∂L/∂W²');
  const w1 = formulaCard(view, weights, sample, { kind: 'weight', layer: 0, from: 0, to: 0 });
  assert.deepEqual([w1.values.x, w1.values.w, w1.values.delta, w1.values.grad], [3, 0.5, 9, 27]);
  assert.ok(w1.text.includes('∂L/∂a¹₁ = w²₁₁·δ²₁ = (−1)·(−9) = 9'), w1.text);
  assert.ok(w1.text.endsWith('∂L/∂w¹₁₁ = x₁·δ¹₁ = 3·9 = 27'), w1.text);
  // the TeX of the same line
  assert.equal(w1.lines[w1.lines.length - 1].tex, '\\frac{\\partial L}{\\partial w^{1}_{11}} = x_{1} \\cdot \\delta^{1}_{1} = 3 \\cdot 9 = 27');
});

test('formula card: a neuron of xor (tanh, 2 inputs + bias) shows every term; 9 inputs (image-3x3) are cut with Σ', async () => {
  const xor = await load('xor.nn.json');
  const wx = initialWeights(xor.spec);
  const s1 = sampleAt(xor.data, 1);
  const card = formulaCard(xor.view, wx, { x: s1.x, y: s1.y, index: 1, count: 4 }, { kind: 'neuron', layer: 0, unit: 1 });
  const W = wx[0].W;
  const z = s1.x[0] * W[0][1] + s1.x[1] * W[1][1] + wx[0].b![1];
  assert.ok(card.lines[0].text.startsWith('z¹₂ = x₁·w¹₁₂ + x₂·w¹₂₂ + b¹₂ = '), card.lines[0].text);
  assert.ok(close(card.values.z!, z));
  assert.ok(close(card.values.a!, Math.tanh(z)));
  assert.equal(card.title, 'Neuron a¹₂: layer 1 (dense_1), unit 2, tanh');
  const img = await load('image-3x3.nn.json');
  const wi = initialWeights(img.spec);
  const si = sampleAt(img.data, 0);
  const c2 = formulaCard(img.view, wi, { x: si.x, y: si.y, index: 0, count: 6 }, { kind: 'neuron', layer: 1, unit: 0 });
  assert.ok(c2.lines[0].text.startsWith('z¹₁ = Σᵢ xᵢ·w¹ᵢ₁ + b¹₁ = '), c2.lines[0].text);
  assert.ok(c2.lines[0].text.includes(' + … + '), c2.lines[0].text);
  assert.equal(c2.values.terms!.length, 9);
  // softmax + categorical cross-entropy: δ from the logits
  const out = formulaCard(img.view, wi, { x: si.x, y: si.y, index: 0, count: 6 }, { kind: 'bias', layer: 2, unit: 0 });
  assert.ok(out.text.includes('softmax folded into the loss'), out.text);
});

test('formula card: a target the network does not have is a FormulaError, not a crash', async () => {
  const { spec, view, data } = await load('xor.nn.json');
  const weights = initialWeights(spec);
  const smp = sampleAt(data, 0);
  const s = { x: smp.x, y: smp.y, index: 0, count: 4 };
  assert.throws(() => formulaCard(view, weights, s, { kind: 'neuron', layer: 0, unit: 4 }), FormulaError);
  assert.throws(() => formulaCard(view, weights, s, { kind: 'weight', layer: 1, from: 4, to: 0 }), FormulaError);
  assert.throws(() => formulaCard(view, weights.slice(0, 1), s, { kind: 'neuron', layer: 1, unit: 0 }), FormulaError);
});

test('walkthroughPosition: the position that shows the last step computing a quantity (0: none)', () => {
  const steps = [{ quantity: 'z' }, { quantity: '∂L/∂W' }, { quantity: '∂L/∂W' }, { quantity: 'L' }];
  assert.equal(walkthroughPosition(steps, '∂L/∂W'), 3);
  assert.equal(walkthroughPosition(steps, 'z'), 1);
  assert.equal(walkthroughPosition(steps, 'q'), 0);
});
