// Flatten made visible (src/core/view/flatten.ts, issue 16 item 6): the pixel ↔ index mapping is
// TensorFlow.js' own flatten (row-major reshape), said 1-based; the flatten card's prediction equals the
// trainer's TensorFlow.js model (src/core/train/model.ts) on the same weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { flatIndex, pixelOf, mappingText, imageShape, toImage, predict, targetClass } from '../../../src/core/view/flatten';
import { buildSpecView } from '../../../src/core/view/specView';
import { parseSpec } from '../../../src/core/spec';
import { initialWeights } from '../../../src/core/train/init';
import { Model } from '../../../src/core/train/model';

const root = new URL('../../../', import.meta.url).pathname;
const load = (f: string) => {
  const text = readFileSync(`${root}samples/${f}`, 'utf8');
  return { view: buildSpecView(`file:///w/${f}`, text), spec: parseSpec(text).spec! };
};

test('pixel (r, c) ↔ index: the same entry as TensorFlow.js flattening the image, 1-based in words', async () => {
  await tf.setBackend('cpu');
  for (const [rows, cols] of [[3, 3], [28, 28], [2, 5]] as const) {
    const img = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => r * 100 + c));
    const flat = tf.reshape(tf.tensor3d([img]), [1, rows * cols]).arraySync() as number[][];
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const i = flatIndex(r, c, cols);
        assert.equal(flat[0]![i], img[r]![c]);
        assert.deepEqual(pixelOf(i, cols), { r, c });
      }
    assert.deepEqual(toImage(flat[0]!, cols), img);
  }
  assert.equal(mappingText(1, 2, 3), 'pixel (2, 3) ↔ x6 = x[(2 − 1)·3 + 3]');
  assert.equal(mappingText(27, 27, 28), 'pixel (28, 28) ↔ x784 = x[(28 − 1)·28 + 28]');
  assert.equal(mappingText(0, 0, 28), 'pixel (1, 1) ↔ x1 = x[(1 − 1)·28 + 1]');
  assert.deepEqual(imageShape(load('image-3x3.nn.json').view), [3, 3]);
  assert.deepEqual(imageShape(load('mnist.nn.json').view), [28, 28]);
  assert.equal(imageShape(load('xor.nn.json').view), undefined);
});

test('the flatten card predicts what the trainer\'s TensorFlow.js model predicts (image-3x3, MNIST-shaped)', async () => {
  await tf.setBackend('cpu');
  let seed = 3;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const [f, digits] of [['image-3x3.nn.json', false], ['mnist.nn.json', true]] as const) {
    const { view, spec } = load(f);
    const weights = initialWeights(spec);
    const [rows, cols] = imageShape(view)!;
    const model = new Model(tf, spec, weights);
    for (let k = 0; k < 3; k++) {
      const x = Array.from({ length: rows * cols }, rnd);
      const p = predict(view, weights, x, digits);
      const want = (model.forward(tf.tensor3d([toImage(x, cols)])).arraySync() as number[][])[0]!;
      assert.equal(p.output.length, want.length);
      p.output.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-5, `${f}: output ${i}: ${v} vs TF.js ${want[i]}`));
      assert.ok(Math.abs(p.output.reduce((a, b) => a + b, 0) - 1) < 1e-9, 'softmax sums to 1');
      assert.equal(p.predicted, want.indexOf(Math.max(...want)));
    }
    model.dispose();
    assert.deepEqual(predict(view, weights, Array(rows * cols).fill(0), digits).labels.slice(0, 2), digits ? ['0', '1'] : ['class 1', 'class 2']);
  }
  assert.equal(targetClass([0, 0, 1, 0]), 2);
  assert.equal(targetClass([1]), 1);
});
