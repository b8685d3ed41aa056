// THE computational-graph component: nodes with their forward values, edges with the gradients that
// flow back along them, the current node and edge highlighted. Pure DOM + SVG, no framework; colours
// only from VS Code's theme variables (compgraph.css).
//
// API
//   import { CompGraph, type CompGraphModel } from '../shared/compgraph';
//   import '../shared/compgraph.css';
//
//   const graph = new CompGraph(containerElement, { onNodeClick: (id) => … });   // optional options
//   graph.render({
//     nodes: [{ id: 'x', label: 'x', kind: 'input', value: '1' },
//             { id: 'q', label: 'q', op: '+', value: '4', grad: '−2' }, …],
//     edges: [{ id: 'x>q', from: 'x', to: 'q', grad: '−2' }, …],
//     current: { node: 'q', edge: 'x>q' },            // optional highlight
//   });
//   graph.render(nextModel)   // re-render; layout is recomputed only when the node/edge ids change
//   graph.svg                 // the <svg> (for export or screenshots)
//   graph.dispose()
//
// Size: the SVG scales down to the container's width, not below 560 px (the container scrolls).
// Layout: left to right in columns by longest path from the inputs; a leaf that feeds a single
// operation sits in the column just before it (so w₂ stands next to its ×); within a column nodes
// are ordered by the mean row of their predecessors. Values are drawn above a node, gradients below
// it (and on edges, at their middle). Empty strings and undefined are not drawn.

import { svgEl } from './elements';
import { fillLayout, FILL_NODE_H, type FillDirection, type FilledGraph } from './compgraph-fill';

export type CompGraphNodeKind = 'input' | 'param' | 'op' | 'loss';

export interface CompGraphNode {
  id: string;
  /** the node's name, e.g. "q", "w₁", "f¹" */
  label: string;
  /** the operation inside the box, e.g. "+", "×", "σ", "·W"; empty for leaves */
  op?: string;
  kind?: CompGraphNodeKind;
  /** forward value, already formatted */
  value?: string;
  /** gradient of the output with respect to this node, already formatted */
  grad?: string;
  /** a shape hint such as "1×2", drawn small next to the name */
  shape?: string;
  /** the full value and gradient (every entry of a vector or matrix), for a hover; not drawn */
  detail?: string;
}

export interface CompGraphEdge {
  id: string;
  from: string;
  to: string;
  /** the gradient flowing back along this edge, already formatted */
  grad?: string;
}

export interface CompGraphModel {
  nodes: CompGraphNode[];
  edges: CompGraphEdge[];
  current?: { node?: string; edge?: string };
}

export interface CompGraphOptions {
  onNodeClick?: (id: string) => void;
  /** longest value/gradient text drawn before it is cut with "…" (the full text is in the tooltip) */
  maxTextChars?: number;
  /**
   * The graph panel's mode (compgraph-fill.ts): the SVG fills its container, the caller sets what it shows
   * with setViewBox (zoom, pan, fit), every text is 12 px and none overlaps, no edge labels and no native
   * tooltips (the panel shows its own); lay out left to right or top down (`direction`).
   */
  fill?: boolean;
}

const COL_W = 150;
const ROW_H = 86;
/**
 * Rows of a graph of vectors and matrices (nodes with a shape): the gap below a row holds its nodes'
 * gradients, the diagonal edges' gradient labels and the next row's values, one above the other; at
 * ROW_H the long vector labels ran into each other ("This network").
 */
const ROW_H_VECTORS = 124;
const NODE_H = 34;
const PAD_X = 30;
const PAD_Y = 34;
const CHAR_W = 7.2;

interface Placed {
  node: CompGraphNode;
  col: number;
  row: number;
  x: number;
  y: number;
  w: number;
}

const el = svgEl;

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Column and row of every node (exported for tests and for other panels that lay out the same way). */
export function layoutGraph(model: Pick<CompGraphModel, 'nodes' | 'edges'>): Map<string, { col: number; row: number }> {
  const ids = model.nodes.map((n) => n.id);
  const preds = new Map<string, string[]>(ids.map((i) => [i, []]));
  const succs = new Map<string, string[]>(ids.map((i) => [i, []]));
  for (const e of model.edges) {
    if (!preds.has(e.to) || !succs.has(e.from)) continue;
    preds.get(e.to)?.push(e.from);
    succs.get(e.from)?.push(e.to);
  }
  const col = new Map<string, number>();
  const depth = (id: string, seen: Set<string>): number => {
    const known = col.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0; // a cycle: not a DAG, draw what we can
    seen.add(id);
    const p = preds.get(id) ?? [];
    const d = p.length ? 1 + Math.max(...p.map((q) => depth(q, seen))) : 0;
    col.set(id, d);
    return d;
  };
  for (const id of ids) depth(id, new Set());
  // leaves next to the operation they feed
  for (const id of ids) {
    if ((preds.get(id) ?? []).length) continue;
    const s = succs.get(id) ?? [];
    if (s.length) col.set(id, Math.max(0, Math.min(...s.map((q) => col.get(q) ?? 1)) - 1));
  }
  const cols = new Map<number, string[]>();
  for (const id of ids) {
    const c = col.get(id) ?? 0;
    if (!cols.has(c)) cols.set(c, []);
    cols.get(c)?.push(id);
  }
  const row = new Map<string, number>();
  const order = [...cols.keys()].sort((a, b) => a - b);
  for (const c of order) {
    const members = cols.get(c) ?? [];
    const key = (id: string): number => {
      const p = (preds.get(id) ?? []).map((q) => row.get(q)).filter((r): r is number => r !== undefined);
      return p.length ? p.reduce((a, b) => a + b, 0) / p.length : members.indexOf(id);
    };
    const sorted = [...members].sort((a, b) => key(a) - key(b));
    sorted.forEach((id, i) => row.set(id, i));
  }
  // centre short columns against the tallest one
  const tallest = Math.max(1, ...order.map((c) => cols.get(c)?.length ?? 0));
  const out = new Map<string, { col: number; row: number }>();
  for (const id of ids) {
    const c = col.get(id) ?? 0;
    const n = cols.get(c)?.length ?? 1;
    out.set(id, { col: c, row: (row.get(id) ?? 0) + (tallest - n) / 2 });
  }
  return out;
}

export class CompGraph {
  readonly svg: SVGSVGElement;
  private layoutKey = '';
  private placed = new Map<string, Placed>();
  private readonly opts: CompGraphOptions;

  constructor(container: HTMLElement, opts: CompGraphOptions = {}) {
    this.opts = opts;
    this.svg = el('svg', { class: 'compgraph', role: 'img' });
    const defs = el('defs', {});
    for (const [id, cls] of [['cg-arrow', 'cg-arrowhead'], ['cg-arrow-current', 'cg-arrowhead current']] as const) {
      const m = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
      m.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
      defs.append(m);
    }
    this.svg.append(defs);
    container.append(this.svg);
  }

  /** the classic layout's row pitch (ROW_H, or ROW_H_VECTORS for a graph of vectors) */
  private rowH = ROW_H;
  /** fill mode: the drawing's size and direction after the last render */
  filled: FilledGraph | undefined;
  /** fill mode: the direction of the next render */
  direction: FillDirection = 'right';
  /** fill mode: the longest value/gradient text of the next render (else the option, else 22) */
  maxChars: number | undefined;
  /** fill mode: the panel's font scale of the next render (labels at 12 px × scale, issue 13 item 18) */
  scale = 1;

  /** fill mode: what the SVG shows (user-space rectangle). */
  setViewBox(x: number, y: number, w: number, h: number): void {
    this.svg.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
  }

  render(model: CompGraphModel): void {
    if (this.opts.fill) return this.renderFilled(model);
    const key = JSON.stringify([model.nodes.map((n) => [n.id, n.label, n.op ?? '']), model.edges.map((e) => [e.from, e.to])]);
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      const lay = layoutGraph(model);
      this.rowH = model.nodes.some((n) => n.shape) ? ROW_H_VECTORS : ROW_H;
      this.placed.clear();
      for (const n of model.nodes) {
        const p = lay.get(n.id) ?? { col: 0, row: 0 };
        const text = n.op ? `${n.label} ${n.op}` : n.label;
        const w = Math.max(40, Math.min(COL_W - 16, text.length * CHAR_W + 20));
        this.placed.set(n.id, { node: n, col: p.col, row: p.row, x: PAD_X + p.col * COL_W + (COL_W - 16 - w) / 2, y: PAD_Y + p.row * this.rowH, w });
      }
    } else {
      for (const n of model.nodes) {
        const p = this.placed.get(n.id);
        if (p) p.node = n;
      }
    }
    while (this.svg.childNodes.length > 1) this.svg.lastChild?.remove();
    const maxC = Math.max(0, ...[...this.placed.values()].map((p) => p.col));
    const maxR = Math.max(0, ...[...this.placed.values()].map((p) => p.row));
    const width = PAD_X * 2 + (maxC + 1) * COL_W;
    const height = PAD_Y * 2 + maxR * this.rowH + NODE_H + 16;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    // scales down to the container's width (never up): the viewBox keeps the proportions
    this.svg.setAttribute('width', '100%');
    // (its natural size grows with the panel font scale, issue 13 item 18: labels scale with the text)
    this.svg.style.maxWidth = `calc(${width}px * var(--nnlab-font-scale, 1))`;
    // …but not below a readable size, 80 % (12 px labels stay ≥ 9.6 px; a long chain in a 500 px
    // column drew them at 4 px): a narrow container scrolls instead, to the current node
    this.svg.style.minWidth = `calc(${Math.min(width, Math.max(560, Math.round(width * 0.8)))}px * var(--nnlab-font-scale, 1))`;
    this.svg.style.aspectRatio = `${width} / ${height}`;
    const maxChars = this.opts.maxTextChars ?? 18;
    const vectors = this.rowH === ROW_H_VECTORS;
    const edgesG = el('g', { class: 'cg-edges' });
    const labelsG = el('g', { class: 'cg-edge-labels' });
    for (const e of model.edges) {
      const a = this.placed.get(e.from);
      const b = this.placed.get(e.to);
      if (!a || !b) continue;
      const x1 = a.x + a.w;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      const current = model.current?.edge === e.id;
      const path = el('path', {
        d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`,
        class: `cg-edge${current ? ' current' : ''}${e.grad ? ' has-grad' : ''}`,
        'marker-end': current ? 'url(#cg-arrow-current)' : 'url(#cg-arrow)',
        'data-id': e.id,
      });
      edgesG.append(path);
      // in a graph of vectors an edge's label repeats its source node's ∂ (each node feeds one node):
      // drawn twice, the long vectors covered the next nodes' values
      if (e.grad && !(vectors && a.node.grad === e.grad)) {
        const t = el('text', { x: mx, y: (y1 + y2) / 2 + 14, class: `cg-edge-grad${current ? ' current' : ''}`, 'text-anchor': 'middle' }, cut(e.grad, maxChars));
        t.append(el('title', {}, `gradient flowing back: ${e.grad}`));
        labelsG.append(t);
      }
    }
    const nodesG = el('g', { class: 'cg-nodes' });
    for (const p of this.placed.values()) {
      const n = p.node;
      const current = model.current?.node === n.id;
      const g = el('g', { class: `cg-node kind-${n.kind ?? 'op'}${current ? ' current' : ''}`, 'data-id': n.id, transform: `translate(${p.x},${p.y})`, tabindex: -1 });
      g.append(el('rect', { width: p.w, height: NODE_H, rx: n.kind === 'op' || !n.kind ? 17 : 4, class: 'cg-box' }));
      const name = el('text', { x: p.w / 2, y: NODE_H / 2 + 5, 'text-anchor': 'middle', class: 'cg-label' });
      name.append(el('tspan', { class: 'cg-name' }, n.label));
      if (n.op) name.append(el('tspan', { class: 'cg-op', dx: 6 }, n.op));
      g.append(name);
      if (n.shape) g.append(el('text', { x: p.w + 3, y: 10, class: 'cg-shape' }, n.shape));
      if (n.value) {
        const v = el('text', { x: p.w / 2, y: -6, 'text-anchor': 'middle', class: 'cg-value' }, cut(n.value, maxChars));
        v.append(el('title', {}, `${n.label} = ${n.value}`));
        g.append(v);
      }
      if (n.grad) {
        const t = el('text', { x: p.w / 2, y: NODE_H + 15, 'text-anchor': 'middle', class: 'cg-grad' }, cut(`∂ ${n.grad}`, maxChars + 2));
        t.append(el('title', {}, `gradient at ${n.label}: ${n.grad}`));
        g.append(t);
      }
      const onClick = this.opts.onNodeClick;
      if (onClick) g.addEventListener('click', () => onClick(n.id));
      nodesG.append(g);
    }
    this.svg.append(edgesG, nodesG, labelsG);
    // the current node in view when the graph is wider than its container (scrolls the container only)
    const cur = nodesG.querySelector<SVGGElement>('.cg-node.current');
    const box = this.svg.parentElement;
    if (cur && box && box.scrollWidth > box.clientWidth) {
      const c = cur.getBoundingClientRect();
      const b = box.getBoundingClientRect();
      if (c.left < b.left || c.right > b.right) box.scrollLeft += c.left + c.width / 2 - (b.left + b.width / 2);
    }
  }

  private renderFilled(model: CompGraphModel): void {
    const g = fillLayout(model, this.direction, this.maxChars ?? this.opts.maxTextChars ?? 22, this.scale);
    const nodeH = FILL_NODE_H * g.scale;
    this.filled = g;
    this.svg.classList.add('fill');
    while (this.svg.childNodes.length > 1) this.svg.lastChild?.remove();
    const edgesG = el('g', { class: 'cg-edges' });
    for (const e of model.edges) {
      const a = g.nodes.get(e.from);
      const b = g.nodes.get(e.to);
      if (!a || !b) continue;
      const current = model.current?.edge === e.id;
      let d: string;
      if (g.direction === 'right') {
        const [x1, y1, x2, y2] = [a.x + a.w, a.y + nodeH / 2, b.x, b.y + nodeH / 2];
        const mx = (x1 + x2) / 2;
        d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`;
      } else {
        const [x1, y1, x2, y2] = [a.x + a.w / 2, a.y + nodeH, b.x + b.w / 2, b.y];
        const my = (y1 + y2) / 2;
        d = `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2 - 2}`;
      }
      edgesG.append(el('path', { d, class: `cg-edge${current ? ' current' : ''}${e.grad ? ' has-grad' : ''}`, 'marker-end': current ? 'url(#cg-arrow-current)' : 'url(#cg-arrow)', 'data-id': e.id }));
    }
    const nodesG = el('g', { class: 'cg-nodes' });
    for (const p of g.nodes.values()) {
      const n = p.node;
      const current = model.current?.node === n.id;
      const ng = el('g', { class: `cg-node kind-${n.kind ?? 'op'}${current ? ' current' : ''}`, 'data-id': n.id, transform: `translate(${p.x},${p.y})` });
      ng.append(el('rect', { width: p.w, height: nodeH, rx: (n.kind === 'op' || !n.kind ? 17 : 4) * g.scale, class: 'cg-box' }));
      const name = el('text', { x: p.w / 2, y: nodeH / 2 + 5 * g.scale, 'text-anchor': 'middle', class: 'cg-label' });
      name.append(el('tspan', { class: 'cg-name' }, n.label));
      if (n.op) name.append(el('tspan', { class: 'cg-op', dx: 6 * g.scale }, n.op));
      ng.append(name);
      for (const t of p.texts) ng.append(el('text', { x: t.x, y: t.y, class: t.cls }, t.text));
      const onClick = this.opts.onNodeClick;
      if (onClick) ng.addEventListener('click', () => onClick(n.id));
      nodesG.append(ng);
    }
    this.svg.append(edgesG, nodesG);
  }

  dispose(): void {
    this.svg.remove();
    this.placed.clear();
  }
}
