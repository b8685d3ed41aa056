// Oracle: for every sample (and a few extra networks), build the equivalent TensorFlow.js
// (Keras-compatible) Sequential model and compare each layer's output shape and parameter count,
// and the model's countParams(), with inferShapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { formatShape, inferShapes, parseSpec, type NetworkSpec } from '../../../src/core/spec';

const samplesDir = resolve(__dirname, '../../../samples');

type TfActivation = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'elu' | 'softmax';

function kerasModel(spec: NetworkSpec): tfl.Sequential {
  const m = tfl.sequential();
  spec.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: spec.input.shape } : {};
    if (l.type === 'dense') {
      // leakyRelu is a separate layer in Keras; it changes neither shapes nor parameters
      const activation: TfActivation = l.activation.name === 'leakyRelu' ? 'linear' : l.activation.name;
      m.add(tfl.layers.dense({ units: l.units, activation, useBias: l.useBias, ...first }));
    } else if (l.type === 'flatten') m.add(tfl.layers.flatten(first));
    else m.add(tfl.layers.dropout({ rate: l.rate, ...first }));
  });
  return m;
}

function compare(label: string, spec: NetworkSpec): void {
  const ours = inferShapes(spec);
  const model = kerasModel(spec);
  try {
    assert.equal(ours.totals.params, model.countParams(), `${label}: total params`);
    model.layers.forEach((kl, i) => {
      const want = (kl.outputShape as (number | null)[]).map((d) => (d === null ? 'B' : d));
      assert.deepEqual(ours.layers[i]!.outputShape, want, `${label}: layer ${i} output shape`);
      assert.equal(ours.layers[i]!.params, kl.countParams(), `${label}: layer ${i} params`);
      const weights = kl.getWeights();
      if (ours.layers[i]!.weightShape) assert.deepEqual(weights[0]!.shape, ours.layers[i]!.weightShape, `${label}: layer ${i} kernel shape (nᵢ×nₒ)`);
      if (ours.layers[i]!.biasShape) assert.deepEqual([1, ...weights[1]!.shape], ours.layers[i]!.biasShape, `${label}: layer ${i} bias shape`);
      if (ours.layers[i]!.type === 'dense' && !ours.layers[i]!.biasShape) assert.equal(weights.length, 1, `${label}: layer ${i} has no bias`);
    });
    const inShape = (model.inputs[0]!.shape as (number | null)[]).map((d) => (d === null ? 'B' : d));
    assert.deepEqual(ours.layers[0]!.inputShape, inShape, `${label}: input shape`);
  } finally {
    model.layers.forEach((l) => l.dispose());
  }
}

test('tfjs backend is the pure-JS cpu one', async () => {
  await tf.setBackend('cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

for (const f of readdirSync(samplesDir).filter((x) => x.endsWith('.nn.json')).sort()) {
  test(`oracle: samples/${f} matches TensorFlow.js`, () => {
    const p = parseSpec(readFileSync(join(samplesDir, f), 'utf8'));
    assert.ok(p.spec, f);
    compare(f, p.spec);
  });
}

const EXTRA: Record<string, string> = {
  'dropout, no bias, leakyRelu and elu': `{"input": {"shape": [5]}, "layers": [
    {"type": "dense", "units": 7, "activation": {"type": "leakyRelu", "alpha": 0.2}, "useBias": false},
    {"type": "dropout", "rate": 0.3},
    {"type": "dense", "units": 3, "activation": "elu"}]}`,
  'dense on the last axis of a 2-D input (Keras semantics, reported as NN201)': `{"input": {"shape": [3, 3]}, "layers": [
    {"type": "dense", "units": 4}, {"type": "flatten"}, {"type": "dense", "units": 2}]}`,
  '3-D input flattened': `{"input": {"shape": [2, 3, 4]}, "layers": [{"type": "flatten"}, {"type": "dense", "units": 5}]}`,
  'wide and deep': `{"input": {"shape": [300]}, "layers": [
    {"type": "dense", "units": 256, "activation": "relu"}, {"type": "dense", "units": 256, "activation": "relu"},
    {"type": "dense", "units": 64, "activation": "tanh"}, {"type": "dense", "units": 10, "activation": "softmax"}]}`,
};
for (const [label, text] of Object.entries(EXTRA)) {
  test(`oracle: ${label}`, () => {
    const p = parseSpec(text);
    assert.ok(p.spec, label);
    compare(label, p.spec);
  });
}

test('MNIST 784-128-10: 101,770 params, shapes and MACs as Keras summary', () => {
  const p = parseSpec(readFileSync(join(samplesDir, 'mnist.nn.json'), 'utf8'));
  const s = inferShapes(p.spec!);
  assert.equal(s.totals.params, 101770);
  assert.deepEqual(s.layers.map((l) => formatShape(l.outputShape)), ['B×784', 'B×128', 'B×10']);
  assert.deepEqual(s.layers.map((l) => l.params), [0, 100480, 1290]);
  assert.equal(s.totals.macs, 784 * 128 + 128 * 10);
  assert.equal(s.totals.paramBytes, 101770 * 4);
  assert.equal(s.batchSize, 64);
  assert.equal(s.totals.activationBytesPerBatch, (784 + 128 + 10) * 64 * 4);
  assert.equal(formatShape(['B', 3, 3]), 'B×3×3');
});
