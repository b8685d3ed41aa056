// The teaching samples are trainable as configured: trained with TensorFlow.js (Keras semantics) using
// each sample's own loss, optimizer, epochs and batch size, on its own generated data. Seeded
// initialisers and no shuffling keep the runs deterministic. XOR and OR are fast (CI-sized); the
// spiral run (~30 s on this pure-JS backend) only runs with NNLAB_HEAVY=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadData } from '../../../src/core/data';
import { parseSpec, type NetworkSpec } from '../../../src/core/spec';

const samplesDir = resolve(__dirname, '../../../samples');

async function trainSample(name: string): Promise<{ mse: number; accuracy: number }> {
  const path = join(samplesDir, `${name}.nn.json`);
  const spec: NetworkSpec = parseSpec(readFileSync(path, 'utf8')).spec!;
  const data = await loadData(spec, path);
  await tf.setBackend('cpu');
  const model = tfl.sequential();
  spec.layers.forEach((l, i) => {
    assert.equal(l.type, 'dense');
    if (l.type !== 'dense') return;
    assert.ok(l.activation.name !== 'leakyRelu');
    const kernelInitializer = l.init.type === 'he' ? tfl.initializers.heNormal({ seed: spec.training.seed + i }) : tfl.initializers.glorotUniform({ seed: spec.training.seed + i });
    model.add(tfl.layers.dense({ units: l.units, activation: l.activation.name as 'linear', kernelInitializer, ...(i === 0 ? { inputShape: spec.input.shape } : {}) }));
  });
  const o = spec.optimizer;
  const optimizer = o.type === 'adam' ? tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon) : o.type === 'momentum' ? tf.train.momentum(o.learningRate, o.momentum) : tf.train.sgd(o.learningRate);
  model.compile({ loss: spec.loss === 'mse' ? 'meanSquaredError' : spec.loss, optimizer });
  const x = tf.tensor(data.x, data.xShape);
  const y = tf.tensor(data.y, data.yShape);
  await model.fit(x, y, { epochs: spec.training.epochs, batchSize: spec.training.batchSize as number, shuffle: false, verbose: 0 });
  const pred = model.predict(x) as tf.Tensor;
  const p = Array.from(await pred.data());
  const mse = p.reduce((s, v, i) => s + (v - data.y[i]!) ** 2, 0) / p.length;
  const accuracy = p.filter((v, i) => (v > 0.5 ? 1 : 0) === data.y[i]).length / p.length;
  tf.dispose([x, y, pred]);
  model.layers.forEach((l) => l.dispose());
  return { mse, accuracy };
}

test('xor.nn.json trains to MSE < 0.01 (2-4-1, tanh/sigmoid, adam 0.05, batch 4, 500 epochs)', async () => {
  const r = await trainSample('xor');
  assert.ok(r.mse < 0.01, `MSE ${r.mse}`);
  assert.equal(r.accuracy, 1);
});

test('or.nn.json: a single neuron learns OR (100 % of the truth table)', async () => {
  const r = await trainSample('or');
  assert.equal(r.accuracy, 1);
});

test('spiral.nn.json reaches ≥ 95 % training accuracy', { skip: process.env['NNLAB_HEAVY'] !== '1' && 'heavy (~30 s): set NNLAB_HEAVY=1' }, async () => {
  const r = await trainSample('spiral');
  assert.ok(r.accuracy >= 0.95, `accuracy ${r.accuracy}`);
});
