import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { predictGrid, regionValue, bounds2d } from '../../../src/core/view/forward';
import { forwardOne, type ForwardLayer } from '../../../src/core/nn/dense';
import { layerGraph, neuronGraph, toElk, formatShape, edgeWeight } from '../../../src/core/view/graph';
import type { LayerWeights } from '../../../src/protocol/training';
import type { SpecView } from '../../../src/protocol/webview';
import type { Activation, LayerShapes } from '../../../src/core/spec/types';

test('forward pass solves XOR with the textbook weights (relu hidden, linear out)', () => {
  const layers = [
    { type: 'dense' as const, activation: { name: 'relu' } as Activation },
    { type: 'dense' as const, activation: { name: 'linear' } as Activation },
  ];
  const w: LayerWeights[] = [
    { layer: 0, name: 'h', W: [[1, 1], [1, 1]], b: [0, -1] },
    { layer: 1, name: 'o', W: [[1], [-2]], b: [0] },
  ];
  const out = [[0, 0], [0, 1], [1, 0], [1, 1]].map((x) => forwardOne(layers, w, x).output[0]);
  assert.deepEqual(out, [0, 1, 1, 0]);
  const t = forwardOne(layers, w, [1, 1]);
  assert.deepEqual(t.z[0], [2, 1]);
  assert.deepEqual(t.a[0], [2, 1]);
});

test('forward pass equals TensorFlow.js (matMul + bias + activation) on random weights', async () => {
  await tf.setBackend('cpu');
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const sizes = [5, 7, 6, 4];
  const acts: Activation[] = [{ name: 'elu', alpha: 0.7 }, { name: 'tanh' }, { name: 'softmax' }];
  const weights: LayerWeights[] = [];
  const layers: ForwardLayer[] = [];
  let li = 0;
  // a dropout between dense layers must be the identity at inference
  for (let k = 0; k < 3; k++) {
    if (k === 1) {
      layers.push({ type: 'dropout' as const });
      li++;
    }
    const W = Array.from({ length: sizes[k] }, () => Array.from({ length: sizes[k + 1] }, rnd));
    const b = Array.from({ length: sizes[k + 1] }, rnd);
    weights.push({ layer: li, name: `d${k}`, W, b });
    layers.push({ type: 'dense' as const, activation: acts[k] });
    li++;
  }
  const X = Array.from({ length: 6 }, () => Array.from({ length: 5 }, rnd));
  let a: tf.Tensor = tf.tensor2d(X);
  for (let k = 0; k < 3; k++) {
    const z = tf.add(tf.matMul(a as tf.Tensor2D, tf.tensor2d(weights[k].W)), tf.tensor1d(weights[k].b!));
    a = k === 0 ? tf.where(tf.greaterEqual(z, 0), z, tf.mul(tf.sub(tf.exp(z), 1), 0.7)) : k === 1 ? tf.tanh(z) : tf.softmax(z);
  }
  const expected = (await a.array()) as number[][];
  X.forEach((x, i) => {
    const got = forwardOne(layers, weights, x).output;
    got.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) < 1e-5, `row ${i} col ${j}: ${v} vs ${expected[i][j]}`));
  });
});

test('forward pass errors are located; flatten accepts image rows', () => {
  const layers = [{ type: 'flatten' as const }, { type: 'dense' as const, activation: { name: 'sigmoid' } as Activation }];
  const w: LayerWeights[] = [{ layer: 1, name: 'd', W: [[1], [1], [1], [1]], b: [0] }];
  assert.equal(forwardOne(layers, w, [[0, 0], [0, 0]]).output[0], 0.5);
  assert.throws(() => forwardOne(layers, w, [1, 2]), /layers\[1\]: W has 4 rows but the input has 2 values/);
  assert.throws(() => forwardOne(layers, [], [1, 2, 3, 4]), /layers\[1\]: no weights received/);
});

test('decision-region grid: a linear boundary x > y', () => {
  const layers = [{ type: 'dense' as const, activation: { name: 'sigmoid' } as Activation }];
  const w: LayerWeights[] = [{ layer: 0, name: 'd', W: [[10], [-10]], b: [0] }];
  const g = { x0: -1, x1: 1, y0: -1, y1: 1, nx: 4, ny: 4 };
  const { cls } = predictGrid(layers, w, g);
  // row 0 is the top (y = 0.75); cell centres x = −.75, −.25, .25, .75; on x = y, p = 0.5 → class 1
  assert.deepEqual([...cls.slice(0, 4)], [0, 0, 0, 1]);
  assert.deepEqual([...cls.slice(4, 8)], [0, 0, 1, 1]);
  assert.deepEqual([...cls.slice(8, 12)], [0, 1, 1, 1]);
  assert.deepEqual([...cls.slice(12, 16)], [1, 1, 1, 1]);
  assert.deepEqual(regionValue([0.1, 0.7, 0.2]), { cls: 1, p: 0.7 });
  assert.deepEqual(bounds2d([[0, 0], [1, 2]], 0.1), { x0: -0.1, x1: 1.1, y0: -0.2, y1: 2.2, nx: 64, ny: 64 });
});

function dense(index: number, nIn: number | 'B', nOut: number, act: Activation): LayerShapes {
  const nI = nIn as number;
  return {
    index, type: 'dense', name: `dense_${index}`, inputShape: ['B', nI], outputShape: ['B', nOut], weightShape: [nI, nOut], biasShape: [1, nOut],
    params: nI * nOut + nOut, macs: nI * nOut, paramBytes: 4 * (nI * nOut + nOut), activationBytesPerBatch: 0, activation: act,
  };
}
const xorView: SpecView = {
  uri: 'file:///xor.nn.json', name: 'xor', inputShape: [2], loss: 'binaryCrossentropy', totalParams: 17, errors: [],
  layers: [dense(0, 2, 4, { name: 'tanh' }), dense(1, 4, 1, { name: 'sigmoid' })],
  activations: [{ name: 'tanh' }, { name: 'sigmoid' }],
};

test('layer view: input, one node per layer, output; shapes on the edges and in → out in the nodes', () => {
  const g = layerGraph(xorView);
  assert.deepEqual(g.nodes.map((n) => n.id), ['in', 'L0', 'L1', 'out']);
  assert.deepEqual(g.edges.map((e) => e.label), ['B×2', 'B×4', 'B×1']);
  assert.deepEqual(g.nodes[1].label, ['dense_0: Dense 4', 'B×2 → B×4', 'activation tanh', 'W 2×4, b 1×4', '12 params']);
  assert.deepEqual(g.nodes[2].label[1], 'B×4 → B×1');
  assert.equal(formatShape(['B', 784]), 'B×784');
  const elk = toElk(g, 'layers');
  assert.equal(elk.children.length, 4);
  assert.deepEqual(elk.edges[0], { id: 'e0', sources: ['in'], targets: ['L0'], labels: [{ text: 'B×2', width: 29, height: 16 }] });
});

test('neuron view: a node per unit and a weight edge per W entry; large layers collapse to a block', () => {
  const g = neuronGraph(xorView);
  assert.equal(g.nodes.length, 2 + 4 + 1);
  assert.equal(g.edges.length, 2 * 4 + 4 * 1);
  const w: LayerWeights[] = [
    { layer: 0, name: 'a', W: [[1, 2, 3, 4], [5, 6, 7, 8]], b: [0, 0, 0, 0] },
    { layer: 1, name: 'b', W: [[9], [10], [11], [12]], b: [0] },
  ];
  const e = g.edges.find((x) => x.source === 'n0_1' && x.target === 'n1_2')!;
  assert.equal(edgeWeight(e, w), 7);
  const mnist: SpecView = { ...xorView, inputShape: [784], layers: [dense(0, 784, 16, { name: 'relu' }), dense(1, 16, 10, { name: 'softmax' })], activations: [{ name: 'relu' }, { name: 'softmax' }] };
  const m = neuronGraph(mnist);
  assert.equal(m.nodes.filter((n) => n.kind === 'block').length, 1);
  assert.equal(m.nodes.length, 1 + 16 + 10);
  assert.equal(m.edges.length, 16 + 160);
  assert.equal(m.edges.filter((x) => x.from !== undefined).length, 160);
});
