// Layout of the shared computational-graph component (pure part; the DOM part runs in the panel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutGraph } from '../../../webview/shared/compgraph';
import { builtin } from '../../../src/core/autodiff';

test('columns follow the longest path; a leaf sits just before the operation it feeds', () => {
  const g = builtin('neural-chain').graphs[0];
  const lay = layoutGraph(g);
  const col = (label: string) => lay.get(g.nodes.find((n) => n.label === label)?.id ?? '')?.col;
  assert.deepEqual(['x', 'w₁', 'x₂', 'w₂', 'y', 'L'].map(col), [0, 0, 1, 1, 2, 3]);
});

test('every node placed, rows distinct within a column, cycles do not hang', () => {
  for (const id of ['graph', 'sigmoid-neuron', 'matrix']) {
    for (const g of builtin(id).graphs) {
      const lay = layoutGraph(g);
      assert.equal(lay.size, g.nodes.length);
      const seen = new Set<string>();
      for (const p of lay.values()) {
        const k = `${p.col}:${p.row}`;
        assert.ok(!seen.has(k), `${id}: two nodes at ${k}`);
        seen.add(k);
      }
    }
  }
  const cyc = layoutGraph({ nodes: [{ id: 'a', label: 'a' }, { id: 'b', label: 'b' }], edges: [{ id: '1', from: 'a', to: 'b' }, { id: '2', from: 'b', to: 'a' }] });
  assert.equal(cyc.size, 2);
});
