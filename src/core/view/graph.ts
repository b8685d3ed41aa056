// Graph models for the graph panel: a layer view (one node per layer, like Netron) and a neuron view
// (one node per unit for small layers, a labelled block for large ones), plus the elkjs input.
import type { Shape } from '../spec/types';
import type { SpecView } from '../../protocol/webview';
import type { LayerWeights } from '../../protocol/training';

export interface GraphNode {
  id: string;
  kind: 'input' | 'dense' | 'flatten' | 'dropout' | 'neuron' | 'block';
  /** lines of text drawn in the node */
  label: string[];
  width: number;
  height: number;
  /** spec layer index (−1 for the input) */
  layer: number;
  unit?: number;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
  /** for neuron edges: W[from][to] of spec layer `layer` */
  layer?: number;
  from?: number;
  to?: number;
}
export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** "B×784" — the course's notation, with the batch dimension written B. */
export function formatShape(s: Shape): string {
  return s.map(String).join('×');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

const CHAR_W = 7;
function box(lines: string[], minW = 120): { width: number; height: number } {
  const w = Math.max(minW, ...lines.map((l) => l.length * CHAR_W + 24));
  return { width: w, height: 18 * lines.length + 16 };
}

function actLabel(a: { name: string; alpha?: number } | undefined): string {
  if (!a) return '';
  return a.alpha !== undefined && (a.name === 'leakyRelu' || a.name === 'elu') ? `${a.name}(α=${a.alpha})` : a.name;
}

/** Input, one node per layer, output (Netron-like): layers + 2 nodes; the tensor shapes on the edges. */
export function layerGraph(spec: SpecView): GraphModel {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const inLines = ['Input', formatShape(['B', ...spec.inputShape])];
  nodes.push({ id: 'in', kind: 'input', label: inLines, layer: -1, ...box(inLines) });
  let prev = 'in';
  spec.layers.forEach((l, i) => {
    const title = l.type === 'dense' ? `Dense ${l.weightShape ? l.weightShape[1] : ''}`.trim() : l.type === 'flatten' ? 'Flatten' : 'Dropout';
    const lines = [`${l.name}: ${title}`, `${formatShape(l.inputShape)} → ${formatShape(l.outputShape)}`];
    const act = actLabel(spec.activations[i] ?? l.activation);
    if (act) lines.push(`activation ${act}`);
    if (l.weightShape) lines.push(`W ${l.weightShape.join('×')}${l.biasShape ? `, b ${l.biasShape.join('×')}` : ''}`);
    lines.push(`${formatCount(l.params)} params`);
    const id = `L${i}`;
    nodes.push({ id, kind: l.type, label: lines, layer: i, ...box(lines) });
    edges.push({ id: `e${i}`, source: prev, target: id, label: `${formatShape(l.inputShape)}` });
    prev = id;
  });
  const last = spec.layers[spec.layers.length - 1];
  if (last) {
    const outLines = ['Output', formatShape(last.outputShape)];
    nodes.push({ id: 'out', kind: 'input', label: outLines, layer: spec.layers.length, ...box(outLines, 90) });
    edges.push({ id: 'eout', source: prev, target: 'out', label: formatShape(last.outputShape) });
  }
  return { nodes, edges };
}

/** Units of each column in the neuron view: the input, then every dense layer. */
export function neuronColumns(spec: SpecView): { layer: number; units: number; title: string }[] {
  const cols = [{ layer: -1, units: spec.inputShape.reduce((a, b) => a * b, 1), title: 'input' }];
  spec.layers.forEach((l, i) => {
    if (l.type === 'dense' && l.weightShape) cols.push({ layer: i, units: l.weightShape[1], title: `${l.name} (${actLabel(spec.activations[i] ?? l.activation)})` });
  });
  return cols;
}

export const NEURON_SIZE = 36;

export function neuronGraph(spec: SpecView, maxUnits = 16): GraphModel {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const cols = neuronColumns(spec);
  const ids: string[][] = [];
  cols.forEach((c, ci) => {
    if (c.units <= maxUnits) {
      const col: string[] = [];
      for (let u = 0; u < c.units; u++) {
        const id = `n${ci}_${u}`;
        nodes.push({ id, kind: 'neuron', label: [ci === 0 ? `x${u + 1}` : `${u + 1}`], width: NEURON_SIZE, height: NEURON_SIZE, layer: c.layer, unit: u });
        col.push(id);
      }
      ids.push(col);
    } else {
      const id = `blk${ci}`;
      const lines = [c.title, `${formatCount(c.units)} units`];
      nodes.push({ id, kind: 'block', label: lines, layer: c.layer, ...box(lines, 100) });
      ids.push([id]);
    }
  });
  for (let ci = 1; ci < cols.length; ci++) {
    const src = ids[ci - 1];
    const dst = ids[ci];
    const layer = cols[ci].layer;
    if (src.length === cols[ci - 1].units && dst.length === cols[ci].units && !(src.length === 1 && nodes.find((n) => n.id === src[0])?.kind === 'block')) {
      src.forEach((s, from) => dst.forEach((t, to) => edges.push({ id: `w${layer}_${from}_${to}`, source: s, target: t, layer, from, to })));
    } else {
      // at least one side is collapsed: one edge per pair of node groups
      for (const s of src) for (const t of dst) edges.push({ id: `w${layer}_${s}_${t}`, source: s, target: t, layer });
    }
  }
  return { nodes, edges };
}

/** Looks up the weight an edge of the neuron view stands for. */
export function edgeWeight(e: GraphEdge, weights: readonly LayerWeights[]): number | undefined {
  if (e.layer === undefined || e.from === undefined || e.to === undefined) return undefined;
  const w = weights.find((l) => l.layer === e.layer);
  return w?.W[e.from]?.[e.to];
}

/** The JSON elkjs lays out (layered, left to right, orthogonal-free straight edges for neurons). */
export interface ElkInput {
  id: string;
  layoutOptions: Record<string, string>;
  children: { id: string; width: number; height: number }[];
  edges: { id: string; sources: string[]; targets: string[]; labels?: { text: string; width: number; height: number }[] }[];
}

export function toElk(g: GraphModel, kind: 'layers' | 'neurons'): ElkInput {
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': kind === 'layers' ? 'DOWN' : 'RIGHT',
      'elk.spacing.nodeNode': kind === 'layers' ? '30' : '14',
      // layers: an edge's shape label sits in a layer of its own, so this gap counts twice between two
      // layers; 24 keeps a 2-layer net tall enough to read at Fit beside the editor (issue 13 item 2)
      'elk.layered.spacing.nodeNodeBetweenLayers': kind === 'layers' ? '24' : '140',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.nodePlacement.strategy': kind === 'layers' ? 'BRANDES_KOEPF' : 'NETWORK_SIMPLEX',
      // keep neurons in unit order (unit 1 on top), edges straight so each weight is one line
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'true',
      'elk.edgeRouting': kind === 'layers' ? 'ORTHOGONAL' : 'POLYLINE',
    },
    children: g.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: g.edges.map((e) => ({
      id: e.id,
      sources: [e.source],
      targets: [e.target],
      ...(e.label ? { labels: [{ text: e.label, width: e.label.length * CHAR_W + 8, height: 16 }] } : {}),
    })),
  };
}
