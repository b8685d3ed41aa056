// The computational graph as the graph panel draws it (webview/shared/compgraph-fill.ts, issue 13 item 2):
// no two labels overlap in either direction, and Fit shows the 12 px labels of a 2-layer net's layers at
// 12 px or more in the panel beside the editor of a 1440×900 window; hover text carries every entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fillLayout, labelBoxes, overlaps, FILL_FONT_PX } from '../../../webview/shared/compgraph-fill';
import { layerCompGraph, fullVec, fullMat } from '../../../webview/graph/compgraph-layer';
import { buildSpecView } from '../../../src/core/view/specView';
import { bestFit, labelPxAtFit } from '../../../src/core/view/graphState';
import { initialWeights } from '../../../src/core/train/init';
import { parseSpec } from '../../../src/core/spec';
import type { LayerWeights } from '../../../src/protocol/training';

const root = new URL('../../../', import.meta.url).pathname;
// the graph panel's stage beside the editor in code-server at 1440×900 (measured by the e2e scenario:
// 673×667), and with the group maximised
const BESIDE = { w: 673, h: 667 };
const MAXIMISED = { w: 1386, h: 667 };

function graphsOf(file: string): { name: string; model: ReturnType<typeof layerCompGraph>['model'] }[] {
  const text = readFileSync(`${root}samples/${file}`, 'utf8');
  const v = buildSpecView(`file:///w/${file}`, text);
  const spec = parseSpec(text).spec!;
  const w: LayerWeights[] = initialWeights(spec).map((q) => ({ ...q, W: q.W.map((r) => r.map((x) => x - 0.123456)) }));
  const nIn = v.inputShape.reduce((a, b) => a * b, 1);
  const nOut = v.layers[v.layers.length - 1]!.outputShape[1] as number;
  const sample = { x: [Array.from({ length: nIn }, (_, i) => -0.5 + i / 7)], y: [Array.from({ length: nOut }, (_, i) => (i === 0 ? 1 : 0))] };
  return v.layers.flatMap((l, i) => (l.type === 'dense' ? [{ name: `${file} layer ${i + 1}`, model: layerCompGraph(v, i, w, sample).model }, { name: `${file} layer ${i + 1} (no weights)`, model: layerCompGraph(v, i, undefined, undefined).model }] : []));
}

test('no two labels overlap, left to right or top down, for every dense layer of the samples', () => {
  for (const file of ['xor.nn.json', 'iris.nn.json', 'image-3x3.nn.json', 'mnist.nn.json', 'network-2-2-2.nn.json']) {
    for (const { name, model } of graphsOf(file)) {
      for (const dir of ['right', 'down'] as const) {
        const g = fillLayout(model, dir);
        assert.equal(g.nodes.size, model.nodes.length);
        assert.deepEqual(overlaps(labelBoxes(g)), [], `${name}, ${dir}`);
        for (const b of labelBoxes(g)) assert.ok(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= g.width && b.y1 <= g.height, `${name} ${dir}: ${b.id} outside the drawing`);
      }
    }
  }
  // the overlap check itself finds an overlap
  assert.deepEqual(overlaps([{ id: 'a', x0: 0, y0: 0, x1: 10, y1: 10 }, { id: 'b', x0: 9, y0: 9, x1: 20, y1: 20 }, { id: 'c', x0: 20, y0: 0, x1: 30, y1: 9 }]), [['a', 'b']]);
});

test("Fit shows xor's layer graphs with labels of 12 px or more beside the editor and maximised", () => {
  for (const { name, model } of graphsOf('xor.nn.json')) {
    const sizes = (['right', 'down'] as const).map((d) => fillLayout(model, d)).map((g) => ({ w: g.width, h: g.height }));
    for (const stage of [BESIDE, MAXIMISED]) {
      const px = labelPxAtFit(FILL_FONT_PX, sizes[bestFit(sizes, stage)]!, stage);
      assert.ok(px >= 12, `${name} in ${stage.w}×${stage.h}: labels at ${px.toFixed(2)} px`);
    }
    // beside the editor the panel is tall: top down; in a wide, low stage: left to right
    assert.equal(bestFit(sizes, BESIDE), 1, name);
    assert.equal(bestFit(sizes, { w: 1386, h: 400 }), 0, name);
  }
});

test('hover text: every entry of x, W, b, z, a and their gradients, for the chosen sample', () => {
  assert.equal(fullVec([1, -0.5, 0.25]), '[1, -0.5, 0.25]');
  assert.equal(fullVec([1, 2, 3], 2), '[1, 2, … (3 entries)]');
  assert.equal(fullMat([[1, 2], [3, 4]]), '[\n  [1, 2]\n  [3, 4]\n]');
  assert.equal(fullMat([[1], [2], [3]], 2), '[\n  [1]\n  [2]\n  … (3 rows)\n]');
  const v = buildSpecView('file:///w/xor.nn.json', readFileSync(`${root}samples/xor.nn.json`, 'utf8'));
  const w: LayerWeights[] = [
    { layer: 0, name: 'h', W: [[1, 0, 0, 0], [0, 1, 0, 0]], b: [0, 0, 0, 0] },
    { layer: 1, name: 'o', W: [[1], [1], [0], [0]], b: [0.5] },
  ];
  const sample = { x: [[0, 0], [1, 0]], y: [[0], [1]] };
  const g = layerCompGraph(v, 0, w, sample, 1, 2);
  const byId = new Map(g.model.nodes.map((n) => [n.id, n]));
  assert.equal(byId.get('x')!.detail!.split('\n')[0], 'x (the layer input) 1×2, sample 2');
  assert.equal(byId.get('x')!.detail!.split('\n')[1], 'value [1, 0]');
  assert.equal(byId.get('W')!.detail!.split('\n').slice(1, 5).join('|'), 'value [|  [1, 0, 0, 0]|  [0, 1, 0, 0]|]');
  assert.equal(byId.get('a')!.detail!.split('\n')[1], `value [${+Math.tanh(1).toFixed(3)}, 0, 0, 0]`);
  assert.match(g.caption, /for sample 2:/);
  // sample 1 of the same data gives other values
  assert.equal(layerCompGraph(v, 0, w, sample, 0, 1).model.nodes[0]!.detail!.split('\n')[1], 'value [0, 0]');
});
