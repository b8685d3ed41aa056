// The computational graph as the graph panel draws it (webview/shared/compgraph-fill.ts, issue 13 item 2):
// no two labels overlap in either direction, and Fit shows the 12 px labels of a 2-layer net's layers at
// 12 px or more in the panel beside the editor of a 1440×900 window; hover text carries every entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chooseFill, fillFontPx, fillLayout, labelBoxes, overlaps, FILL_CHARS, FILL_FONT_PX } from '../../../webview/shared/compgraph-fill';
import { layerCompGraph, fullVec, fullMat } from '../../../webview/graph/compgraph-layer';
import { buildSpecView } from '../../../src/core/view/specView';
import { bestFit, labelPxAtFit } from '../../../src/core/view/graphState';
import { initialWeights } from '../../../src/core/train/init';
import { parseSpec } from '../../../src/core/spec';
import type { LayerWeights } from '../../../src/protocol/training';

const root = new URL('../../../', import.meta.url).pathname;
// the graph panel's stage beside the editor in code-server at 1440×900, measured by e2e scenario 4b:
// 522×633 with the explorer open; wider without it, and with the group maximised
const STAGES = [
  { w: 522, h: 633 },
  { w: 810, h: 633 },
  { w: 1386, h: 667 },
];

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
      for (const [dir, chars] of (['right', 'down'] as const).flatMap((d) => FILL_CHARS.map((c) => [d, c] as const))) {
        const g = fillLayout(model, dir, chars);
        assert.equal(g.nodes.size, model.nodes.length);
        assert.deepEqual(overlaps(labelBoxes(g)), [], `${name}, ${dir}, ${chars} characters`);
        for (const b of labelBoxes(g)) assert.ok(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= g.width && b.y1 <= g.height, `${name} ${dir}: ${b.id} outside the drawing`);
      }
    }
  }
  // the overlap check itself finds an overlap
  assert.deepEqual(overlaps([{ id: 'a', x0: 0, y0: 0, x1: 10, y1: 10 }, { id: 'b', x0: 9, y0: 9, x1: 20, y1: 20 }, { id: 'c', x0: 20, y0: 0, x1: 30, y1: 9 }]), [['a', 'b']]);
});

test("Fit shows xor's layer graphs with labels of 12 px or more beside the editor and maximised", () => {
  for (const { name, model } of graphsOf('xor.nn.json')) {
    for (const stage of STAGES) {
      const pick = chooseFill(model, stage);
      const g = fillLayout(model, pick.direction, pick.maxChars);
      const px = labelPxAtFit(FILL_FONT_PX, { w: g.width, h: g.height }, stage);
      assert.equal(px, pick.labelPx);
      assert.ok(px >= 12, `${name} in ${stage.w}×${stage.h}: labels at ${px.toFixed(2)} px`);
      // the longest texts that allow it: one step longer would be smaller than 12 px (or is the longest)
      const i = FILL_CHARS.indexOf(pick.maxChars as (typeof FILL_CHARS)[number]);
      if (i > 0) {
        const longer = (['right', 'down'] as const).map((d) => fillLayout(model, d, FILL_CHARS[i - 1]!)).map((q) => ({ w: q.width, h: q.height }));
        assert.ok(labelPxAtFit(FILL_FONT_PX, longer[bestFit(longer, stage)]!, stage) < 12, `${name} in ${stage.w}×${stage.h}: ${FILL_CHARS[i - 1]} characters would fit too`);
      }
    }
    // the narrow stage beside the editor is tall: top down, the texts shortened; a wide, low one: left to right
    assert.equal(chooseFill(model, STAGES[0]!).direction, 'down', name);
    if (!name.includes('no weights')) assert.ok(chooseFill(model, STAGES[0]!).maxChars < FILL_CHARS[0], name);
    assert.equal(chooseFill(model, { w: 1386, h: 400 }).direction, 'right', name);
  }
  // a stage too small for 12 px: the largest labels there are
  const tiny = chooseFill(graphsOf('xor.nn.json')[0]!.model, { w: 200, h: 150 });
  const all = FILL_CHARS.flatMap((c) => (['right', 'down'] as const).map((d) => fillLayout(graphsOf('xor.nn.json')[0]!.model, d, c))).map((q) => labelPxAtFit(FILL_FONT_PX, { w: q.width, h: q.height }, { w: 200, h: 150 }));
  assert.ok(tiny.labelPx < 12 && tiny.labelPx === Math.max(...all), JSON.stringify(tiny));
});

test('the labels follow the panel font scale (issue 13 item 18): 12 px × scale, laid out for it, never overlapping', () => {
  assert.equal(fillFontPx(), 12);
  assert.equal(fillFontPx(1.5), 18);
  assert.equal(fillFontPx(22 / 14), (12 * 22) / 14);
  const { model } = graphsOf('xor.nn.json')[0]!;
  for (const dir of ['right', 'down'] as const) {
    const g1 = fillLayout(model, dir, 16);
    const g2 = fillLayout(model, dir, 16, 1.5);
    assert.equal(g2.scale, 1.5);
    // the drawing grows with its labels: 1.5 × as wide and as high, every label box 1.5 × as tall
    assert.ok(Math.abs(g2.width - 1.5 * g1.width) < 1e-9 && Math.abs(g2.height - 1.5 * g1.height) < 1e-9, dir);
    const shape = labelBoxes(g2).find((b) => b.id.endsWith(':cg-shape'))!;
    assert.equal(shape.y1 - shape.y0, 1.5 * (FILL_FONT_PX + 3));
    for (const s of [0.5, 1.25, 22 / 14, 2, 3]) {
      const g = fillLayout(model, dir, 16, s);
      assert.deepEqual(overlaps(labelBoxes(g)), [], `${dir} at scale ${s}`);
      for (const b of labelBoxes(g)) assert.ok(b.x1 <= g.width + 1e-9 && b.y1 <= g.height + 1e-9, `${dir} at ${s}: ${b.id} outside`);
    }
  }
  // Fit in the maximised panel aims at 12 px × scale: at editor.fontSize 22 (scale 1.57) the labels are
  // 18.9 px or more at Fit in the maximised panel (shorter texts if need be), not the 12 px of scale 1
  for (const stage of STAGES) {
    const pick = chooseFill(model, stage, 22 / 14);
    const g = fillLayout(model, pick.direction, pick.maxChars, 22 / 14);
    const px = labelPxAtFit(fillFontPx(22 / 14), { w: g.width, h: g.height }, stage);
    assert.equal(px, pick.labelPx);
    if (stage.w > 1000) assert.ok(px >= fillFontPx(22 / 14) - 1e-9, `${stage.w}×${stage.h}: ${px.toFixed(2)} px`);
    // where no text length reaches it, the largest labels there are: never smaller than at scale 1
    else assert.ok(px >= chooseFill(model, stage).labelPx - 1e-6, `${stage.w}×${stage.h}: ${px.toFixed(2)} px`);
    assert.ok(pick.maxChars <= chooseFill(model, stage).maxChars);
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
