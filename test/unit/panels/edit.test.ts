// Edit and watch (issue 16 item 2): edited weights' loss and decision regions are the forward pass's,
// and "Write Edited Weights to Spec" writes them so that the spec validates and trains from exactly them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec, analyzeSpec } from '../../../src/core/spec';
import { buildSpecView } from '../../../src/core/view/specView';
import { initialWeights } from '../../../src/core/train/init';
import { loadData } from '../../../src/core/data';
import { forwardOne } from '../../../src/core/nn/dense';
import { regionValue, bounds2d } from '../../../src/core/view/forward';
import { WeightEdits, EditError, dataLoss, editView, paramValue } from '../../../src/core/view/edit';
import { float32Shortest, weightsEdits, writeWeights, WriteWeightsError } from '../../../src/core/spec/writeWeights';
import { applyEdits } from 'jsonc-parser';
import { networkGradients, sampleAt } from '../../../src/core/autodiff';
import type { DataSample } from '../../../src/protocol/webview';

const ROOT = join(__dirname, '..', '..', '..');
const read = (f: string): string => readFileSync(join(ROOT, 'samples', f), 'utf8');

async function sampleOf(file: string): Promise<DataSample> {
  const spec = parseSpec(read(file)).spec!;
  const d = await loadData(spec, join(ROOT, 'samples', file));
  const n = d.xShape[0];
  const w = d.x.length / n;
  const k = d.yShape[1];
  return { x: Array.from({ length: n }, (_, i) => Array.from(d.x.subarray(i * w, (i + 1) * w))), y: Array.from({ length: n }, (_, i) => Array.from(d.y.subarray(i * k, (i + 1) * k))) };
}

test('WeightEdits: set one weight or bias over the base, count the changes, reset; bad edits are EditErrors', () => {
  const base = initialWeights(parseSpec(read('xor.nn.json')).spec!);
  const e = new WeightEdits();
  assert.throws(() => e.set({ kind: 'weight', layer: 0, from: 0, to: 0 }, 1), EditError);
  e.setBase(base);
  assert.equal(e.hasEdits, false);
  const w = e.set({ kind: 'weight', layer: 0, from: 1, to: 2 }, 2.5);
  assert.equal(w[0].W[1][2], 2.5);
  assert.equal(base[0].W[1][2] === 2.5, false, 'the base is not modified');
  e.set({ kind: 'bias', layer: 1, unit: 0 }, -1);
  assert.equal(e.changed, 2);
  assert.equal(paramValue(e.current!, { kind: 'bias', layer: 1, unit: 0 }), -1);
  // setting a value back to the base's is no edit
  e.set({ kind: 'bias', layer: 1, unit: 0 }, base[1].b![0]);
  assert.equal(e.changed, 1);
  assert.throws(() => e.set({ kind: 'weight', layer: 0, from: 2, to: 0 }, 1), EditError);
  assert.throws(() => e.set({ kind: 'bias', layer: 0, unit: 0 }, NaN), EditError);
  assert.throws(() => e.set({ kind: 'bias', layer: 0, unit: 0 }, 1e39), EditError);
  e.reset();
  assert.equal(e.hasEdits, false);
  assert.deepEqual(e.current, base);
});

test('edit view of xor: an edited weight changes the loss and the regions, and both are the forward pass of the edited weights', async () => {
  const text = read('xor.nn.json');
  const view = buildSpecView('xor', text);
  const spec = parseSpec(text).spec!;
  const sample = await sampleOf('xor.nn.json');
  const e = new WeightEdits();
  e.setBase(initialWeights(spec));
  const before = editView(view, e.current!, sample);
  const edited = e.set({ kind: 'weight', layer: 1, from: 0, to: 0 }, 3);
  const after = editView(view, edited, sample, { target: { kind: 'weight', layer: 1, from: 0, to: 0 } });
  assert.notEqual(after.loss, before.loss);
  // the loss is the tape's mean over the four samples
  const mean = [0, 1, 2, 3].reduce((s, i) => s + networkGradients(spec, edited, { x: sample.x[i], y: sample.y[i] }, { fdLimit: 0 }).loss, 0) / 4;
  assert.ok(Math.abs(after.loss - mean) < 1e-12, `${after.loss} vs ${mean}`);
  // every region cell is the forward pass at its centre
  const r = after.regions!;
  const g = r.grid;
  let differs = 0;
  for (let j = 0; j < g.ny; j += 7) {
    for (let i = 0; i < g.nx; i += 5) {
      const x = g.x0 + ((i + 0.5) / g.nx) * (g.x1 - g.x0);
      const y = g.y1 - ((j + 0.5) / g.ny) * (g.y1 - g.y0);
      const rv = regionValue(forwardOne(view.layers, edited, [x, y]).output);
      assert.equal(r.cls[j * g.nx + i], rv.cls);
      assert.equal(r.p[j * g.nx + i], Math.fround(rv.p));
      if (before.regions!.p[j * g.nx + i] !== r.p[j * g.nx + i]) differs++;
    }
  }
  assert.ok(differs > 0, 'the edit moved the regions');
  assert.equal(after.card!.values.w, 3);
  assert.deepEqual(g, bounds2d(sample.x));
});

test('write back: the edited xor validates, trains from exactly the edited weights, and draws the same regions; nothing else in the text changes', async () => {
  const text = read('xor.nn.json');
  const spec = parseSpec(text).spec!;
  const e = new WeightEdits();
  e.setBase(initialWeights(spec));
  e.set({ kind: 'weight', layer: 0, from: 0, to: 1 }, 1.25);
  const edited = e.set({ kind: 'bias', layer: 0, unit: 3 }, -0.5);
  const out = writeWeights(text, edited);
  const a = analyzeSpec(out, { specPath: join(ROOT, 'samples', 'xor.nn.json') });
  assert.deepEqual(a.problems.filter((p) => p.severity !== 'info'), []);
  const again = initialWeights(a.spec!);
  // equal in float32, the numbers training computes with
  assert.deepEqual(
    again.map((w) => ({ W: w.W.map((r) => r.map(Math.fround)), b: w.b?.map(Math.fround) })),
    edited.map((w) => ({ W: w.W.map((r) => r.map(Math.fround)), b: w.b?.map(Math.fround) })),
  );
  assert.equal(again[0].W[0][1], 1.25);
  assert.equal(again[0].b![3], -0.5);
  const view = buildSpecView('xor', out);
  const sample = await sampleOf('xor.nn.json');
  const r1 = editView(view, edited, sample).regions!;
  const r2 = editView(view, again, sample).regions!;
  assert.deepEqual(r2.cls, r1.cls);
  // everything outside "layers" is as it was, byte for byte
  const cut = (t: string): [string, string] => [t.slice(0, t.indexOf('"layers"')), t.slice(t.indexOf('"loss"'))];
  assert.deepEqual(cut(out), cut(text));
  assert.ok(out.includes('{ "type": "dense", "units": 4, "activation": "tanh", "init": { "values": [['), out);
  // one edit of the changed span, which gives the same text
  const edits = weightsEdits(text, edited);
  assert.equal(edits.length, 1);
  assert.equal(applyEdits(text, edits), out);
  // writing the same weights again changes nothing
  assert.deepEqual(weightsEdits(out, again), []);
});

test('write back: explicit values are replaced in place (neural chain), a multi-line layer keeps its layout, wrong weights are refused', () => {
  const chain = read('neural-chain.nn.json');
  const w = initialWeights(parseSpec(chain).spec!);
  w[1].W[0][0] = 0.75;
  const out = writeWeights(chain, w);
  assert.equal(out, chain.replace('"init": { "values": [[-1]] }', '"init": { "values": [[0.75]] }'));
  const multi = '{\n  "version": 1,\n  "input": { "shape": [2] },\n  "layers": [\n    {\n      "type": "dense",\n      "units": 1,\n      "init": "he"\n    }\n  ],\n  "data": { "type": "generator", "name": "or" }\n}\n';
  assert.equal(
    writeWeights(multi, [{ layer: 0, name: 'dense_1', W: [[0.1], [0.30000001192092896]], b: [0] }]),
    '{\n  "version": 1,\n  "input": { "shape": [2] },\n  "layers": [\n    {\n      "type": "dense",\n      "units": 1,\n      "init": { "values": [[0.1], [0.3]] },\n      "biasInit": { "values": [0] }\n    }\n  ],\n  "data": { "type": "generator", "name": "or" }\n}\n',
  );
  assert.throws(() => writeWeights(multi, [{ layer: 0, name: 'dense_1', W: [[0.1]], b: [0] }]), /W must be 2×1, got 1×1/);
  assert.throws(() => writeWeights(multi, []), WriteWeightsError);
  assert.throws(() => writeWeights('{ "version": ', []), WriteWeightsError);
});

test('float32Shortest: the shortest decimal with the same float32', () => {
  assert.equal(float32Shortest(0.30000001192092896), 0.3);
  assert.equal(float32Shortest(0.1), 0.1);
  assert.equal(float32Shortest(-1), -1);
  for (const v of [Math.PI, -0.123456789, 1e-8, 12345.678]) assert.equal(Math.fround(float32Shortest(v)), Math.fround(v));
});

test('dataLoss on sigmoid + binary cross-entropy is the loss from the logits, as the trainer computes it', async () => {
  const text = read('or.nn.json');
  const spec = parseSpec(text).spec!;
  const view = buildSpecView('or', text);
  const sample = await sampleOf('or.nn.json');
  const w = initialWeights(spec);
  const tape = sample.x.reduce((s, x, i) => s + networkGradients(spec, w, sampleAt({ x: x, xShape: [1, x.length], y: sample.y[i], yShape: [1, sample.y[i].length] }, 0), { fdLimit: 0 }).loss, 0) / sample.x.length;
  assert.ok(Math.abs(dataLoss(view, w, sample) - tape) < 1e-12);
});
