import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSpecView } from '../../../src/core/view/specView';
import { isClassifier } from '../../../src/core/view/forward';
import { layerGraph, neuronGraph } from '../../../src/core/view/graph';
import { layerCompGraph, vec, num } from '../../../webview/graph/compgraph-layer';
import type { LayerWeights } from '../../../src/protocol/training';

const root = new URL('../../../', import.meta.url).pathname;
const xorText = readFileSync(`${root}samples/xor.nn.json`, 'utf8');

test('spec view of samples/xor.nn.json: shapes from the spec core, 4 layer-view nodes, 7 neurons', () => {
  const v = buildSpecView('file:///w/xor.nn.json', xorText);
  assert.deepEqual(v.errors, []);
  assert.equal(v.name, 'xor');
  assert.deepEqual(v.inputShape, [2]);
  assert.equal(v.totalParams, 17);
  assert.deepEqual(v.layers.map((l) => l.outputShape), [['B', 4], ['B', 1]]);
  assert.deepEqual(v.activations.map((a) => a?.name), ['tanh', 'sigmoid']);
  assert.equal(layerGraph(v).nodes.length, 4);
  assert.equal(neuronGraph(v).nodes.length, 7);
  assert.equal(isClassifier(v), true, 'a sigmoid output counts as a classifier even with MSE');
});

test('spec view of a broken spec carries located errors instead of throwing', () => {
  const v = buildSpecView('file:///w/bad.nn.json', '{ "version": 1, "input": { "shape": [2] }, "layers": [ { "type": "dense", "units": -3 } ] }');
  assert.ok(v.errors.length > 0);
  assert.match(v.errors[0], /^\d+:\d+ NN\d+ /);
  assert.deepEqual(buildSpecView('file:///w/x.nn.json', '{ not json').layers, []);
});

test("one layer's computational graph carries sample 1's forward values and gradients (hand-computed)", () => {
  const v = buildSpecView('file:///w/xor.nn.json', xorText);
  const w: LayerWeights[] = [
    { layer: 0, name: 'h', W: [[1, 0, 0, 0], [0, 1, 0, 0]], b: [0, 0, 0, 0] },
    { layer: 1, name: 'o', W: [[1], [1], [0], [0]], b: [0.5] },
  ];
  const g = layerCompGraph(v, 1, w, { x: [[1, 0]], y: [[1]] });
  const byId = new Map(g.model.nodes.map((n) => [n.id, n]));
  assert.deepEqual([...byId.keys()], ['x', 'W', 'mm', 'b', 'z', 'a', 'L', 'y']);
  const a0 = Math.tanh(1);
  const z = a0 + 0.5;
  const a = 1 / (1 + Math.exp(-z));
  const dA = 2 * (a - 1); // MSE with one output
  const dZ = dA * a * (1 - a);
  assert.equal(byId.get('x')!.value, vec([a0, 0, 0, 0]));
  assert.equal(byId.get('z')!.value, `[${num(z)}]`);
  assert.equal(byId.get('a')!.value, `[${num(a)}]`);
  assert.equal(byId.get('a')!.op, 'σ');
  assert.equal(byId.get('L')!.value, num((a - 1) ** 2));
  assert.equal(byId.get('a')!.grad, `[${num(dA)}]`);
  assert.equal(byId.get('z')!.grad, `[${num(dZ)}]`);
  assert.equal(byId.get('b')!.grad, `[${num(dZ)}]`);
  assert.equal(byId.get('x')!.grad, vec([dZ, dZ, 0, 0]));
  assert.equal(byId.get('z')!.value, '[1.262]');
  assert.equal(g.model.edges.length, 7);
  // the hidden layer: no target node, the loss is reached through the rest of the network
  const h = layerCompGraph(v, 0, w, { x: [[1, 0]], y: [[1]] });
  assert.equal(h.model.nodes.some((n) => n.id === 'y'), false);
  assert.equal(h.model.nodes.find((n) => n.id === 'L')!.op, '… MSE');
  // without weights: structure only
  const s = layerCompGraph(v, 1, undefined, undefined);
  assert.equal(s.model.nodes.every((n) => n.value === undefined), true);
});
