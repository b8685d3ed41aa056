// Graph panel: the network as layers (Netron-like, shapes on the edges), as neurons (weights coloured
// by sign and sized by |w|, live while training, hover for values and gradients), and the
// computational graph of one layer. Laid out by elkjs; zoom, pan, fit; SVG and PNG export.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode, ElkExtendedEdge } from 'elkjs/lib/elk-api';
import '../shared/base.css';
import './graph.css';
import { connect } from '../shared/host';
import { fmt, h, iconButton, onThemeChange, palette, select, svgEl, themeRgba } from '../shared/dom';
import { exportCroppedPng, exportCroppedSvg, type ExportBackground } from '../shared/exporting';
import { layerGraph, neuronGraph, toElk, edgeWeight, type GraphModel, type GraphNode, type GraphEdge } from '../../src/core/view/graph';
import { diverging, edgeWidth, maxAbs, toCss } from '../../src/core/view/color';
import { GraphState, viewBoxOf, type Size, type Transform } from '../../src/core/view/graphState';
import { rateLimited, throttledRedraw } from '../shared/schedule';
import { layerCompGraph } from './compgraph-layer';
import { CompGraph, type CompGraphModel } from '../shared/compgraph';
import { chooseFill } from '../shared/compgraph-fill';
import '../shared/compgraph.css';
import { Zoomer } from './zoom';
import { fontScale, onFontScaleChange } from '../shared/zoom';
import { samplePicker } from './sample-picker';
import { FlattenCard } from './flatten-card';
import { FormulaCardView } from './formulaCard';
import { WeightEditor, editTarget } from './edit';
import type { FormulaTarget } from '../../src/core/explain/formula';
import { GRAPH_SAMPLE_ROWS } from '../../src/core/view/edit';

type View = 'layers' | 'neurons' | 'compgraph';
interface Saved {
  specUri?: string;
  view: View;
  layer: number;
  /** exports on the theme's background or a light one (print, slides) */
  exportBg?: ExportBackground;
}
const conn = connect();
const saved: Saved = { view: 'layers', layer: -1, ...conn.getState<Saved>(), specUri: conn.boot.specUri };
const persist = (): void => conn.setState(saved);
persist();

const s = svgEl;

// the data, weights and what is computed from them: src/core/view/graphState.ts
const state = new GraphState();
let model: GraphModel | undefined;
let compCaption = '';
let compModel: CompGraphModel | undefined;
let drawn = { nodes: 0, edges: 0 };
let redraws = 0;

// ---- layout
const app = document.getElementById('app')!;
const viewButtons: Record<View, HTMLElement> = {
  layers: h('vscode-button', { id: 'view-layers', icon: 'layers' }, 'Layers'),
  neurons: h('vscode-button', { id: 'view-neurons', icon: 'circuit-board' }, 'Neurons'),
  compgraph: h('vscode-button', { id: 'view-compgraph', icon: 'symbol-operator' }, 'Computational graph'),
};
for (const [v, b] of Object.entries(viewButtons) as [View, HTMLElement][]) b.addEventListener('click', () => setView(v));
const layerSelectBox = h('span', { id: 'layer-select-box' });
const sampleBox = h('span', { id: 'sample-select-box' });
const toolbar = h(
  'div',
  { class: 'toolbar' },
  ...Object.values(viewButtons),
  layerSelectBox,
  sampleBox,
  h('span', { class: 'spacer' }),
  iconButton('zoom-in', 'Zoom in (+)', () => zoom.zoomBy(1.25), 'zoom-in'),
  iconButton('zoom-out', 'Zoom out (−)', () => zoom.zoomBy(0.8), 'zoom-out'),
  iconButton('screen-full', 'Fit (0)', () => fit(), 'fit'),
  select(
    [
      ['theme', 'Theme background'],
      ['print', 'Light (print)'],
    ],
    saved.exportBg ?? 'theme',
    (v) => {
      saved.exportBg = v === 'print' ? 'print' : 'theme';
      persist();
    },
    'export-bg',
  ),
  iconButton('file-code', 'Export SVG (cropped to the drawing)', () => exportCroppedSvg(conn, currentSvg(), currentContent(), exportName('svg'), saved.exportBg ?? 'theme'), 'export-svg'),
  iconButton('file-media', 'Export PNG (2×, cropped to the drawing)', () => void exportCroppedPng(conn, currentSvg(), currentContent(), exportName('png'), saved.exportBg ?? 'theme'), 'export-png'),
);
const info = h('div', { class: 'muted', id: 'info' });
const stage = h('div', { class: 'stage', id: 'stage' });
const svg = s('svg', { id: 'graph-svg', class: 'graph' });
const viewport = s('g', { id: 'viewport' });
svg.append(viewport);
const tooltip = h('div', { class: 'tooltip', id: 'tooltip', hidden: true });
const compBox = h('div', { class: 'comp-box', id: 'compgraph', hidden: true });
const compView = new CompGraph(compBox, { fill: true, onNodeClick: (id) => openCard({ kind: 'node', layer: saved.layer, node: id as 'x' }) });
stage.append(svg, compBox, tooltip);
// an image input: its pixels next to the flattened vector, and the prediction (flatten-card.ts)
const flattenCard = new FlattenCard();
const stageRow = h('div', { class: 'stage-row' }, stage, flattenCard.el);
const currentSvg = (): SVGSVGElement => (saved.view === 'compgraph' ? compView.svg : svg);
/** the drawing without the panel's zoom: the viewport group, or the computational graph's whole SVG */
const currentContent = (): SVGGraphicsElement => (saved.view === 'compgraph' ? compView.svg : viewport);
const exportName = (ext: string): string => `${state.spec?.name ?? 'network'}-${saved.view === 'compgraph' ? `layer${saved.layer + 1}-compgraph` : saved.view}.${ext}`;
const legend = h('div', { class: 'muted', id: 'legend' });
// ---- formula card and weight editing (issue 16: ./formulaCard.ts, ./edit.ts)
const card = new FormulaCardView({
  onWalkthrough: (quantity, sample) => conn.post({ type: 'openWalkthrough', quantity, sample: state.sampleNumber(sample) - 1, weights: state.weightsLabel ? 'initial' : 'trained' }),
  onChange: () => {
    if (!card.target) editor.render(state.spec, undefined);
    refreshCard();
    report();
  },
});
const editor = new WeightEditor({
  onWeights: (w) => {
    if (w) state.setWeights(w, state.weightsStep, state.weightsRun, state.weightsLabel);
    drawWeights();
  },
  post: (layers) => conn.post({ type: 'editedWeights', layers }),
  write: () => conn.post({ type: 'writeWeights' }),
});
card.extra.append(editor.el);
function openCard(t: FormulaTarget): void {
  card.open(t);
  editor.render(state.spec, editTarget(t) ?? (t.kind === 'neuron' && state.weights?.find((w) => w.layer === t.layer)?.b ? { kind: 'bias', layer: t.layer, unit: t.unit } : undefined));
  refreshCard();
  report();
}
function refreshCard(): void {
  card.update(state.spec, state.weights, state.sample);
  editor.refresh(state.spec);
}
/** the base weights changed (a run's update, the spec's initial weights): edits are dropped */
function newBase(): void {
  editor.setBase(state.weights);
  editor.recompute(state.spec, state.weights, state.sample);
  if (card.target) openCard(card.target);
}
/** the spec's seeded initial weights, when there is no run to show */
async function loadInitial(): Promise<void> {
  const w = await conn.request('initialWeights', {}).catch(() => null);
  if (!w || state.weights) return;
  state.setWeights(w, 0, undefined, 'initial weights (seeded, as training starts; click a weight or a neuron to edit it)');
  newBase();
  invalidateWeights();
}
stageRow.append(card.el);
app.append(toolbar, info, stageRow, legend);

function setView(v: View): void {
  saved.view = v;
  persist();
  void render(true);
}

function updateToolbar(): void {
  for (const [v, b] of Object.entries(viewButtons) as [View, HTMLElement][]) {
    if (v === saved.view) b.removeAttribute('secondary');
    else b.setAttribute('secondary', '');
  }
  const dense = state.spec?.layers.filter((l) => l.type === 'dense') ?? [];
  if (saved.view === 'compgraph' && dense.length) {
    if (!dense.some((l) => l.index === saved.layer)) saved.layer = dense[dense.length - 1].index;
    layerSelectBox.replaceChildren(
      select(
        dense.map((l) => [String(l.index), `layer ${l.index + 1}: ${l.name}`]),
        String(saved.layer),
        (v) => {
          saved.layer = Number(v);
          persist();
          void render(true);
        },
        'layer-select',
      ),
    );
  } else layerSelectBox.replaceChildren();
  sampleBox.replaceChildren(
    ...samplePicker(state.sampleChoices(), state.sampleIndex, (row) => {
      state.sampleIndex = row;
      recompute();
      if (saved.view === 'compgraph') void render(false);
      else colourWeights();
      sampleChanged();
    }),
  );
}
/** other views of the selected sample (the flatten card) */
const onSample: (() => void)[] = [];
const sampleChanged = (): void => onSample.forEach((f) => f());
onSample.push(() => flattenCard.update(state.spec, state.sample, state.sampleIndex, state.sampleNumber(), state.weights));

// ---- zoom and pan (webview/graph/zoom.ts; the maths: src/core/view/graphState.ts)
let contentW = 100;
let contentH = 100;
const contentSize = (): Size => (saved.view === 'compgraph' && compView.filled ? { w: compView.filled.width, h: compView.filled.height } : { w: contentW, h: contentH });
function applyTransform(t: Transform, size: Size): void {
  if (saved.view === 'compgraph') compView.setViewBox(...viewBoxOf(t, size));
  else viewport.setAttribute('transform', `translate(${t.tx} ${t.ty}) scale(${t.k})`);
}
const zoom = new Zoomer(stage, contentSize, applyTransform);
const fit = (): void => zoom.fit();
stage.addEventListener('click', (e) => {
  if (!(e.target as Element).closest('.hit, .cg-node')) {
    pinned = false;
    tooltip.hidden = true;
  }
});

// ---- tooltip
let pinned = false;
function showTip(e: MouseEvent, text: string): void {
  const r = stage.getBoundingClientRect();
  tooltip.textContent = text;
  tooltip.hidden = false;
  tooltip.style.left = `${Math.min(e.clientX - r.left + 14, r.width - 260)}px`;
  tooltip.style.top = `${e.clientY - r.top + 14}px`;
}
function hideTip(): void {
  if (!pinned) tooltip.hidden = true;
}
function hoverable(el: SVGElement, text: () => string): void {
  el.classList.add('hit');
  el.addEventListener('mouseenter', (e) => !pinned && showTip(e, text()));
  el.addEventListener('mousemove', (e) => !pinned && showTip(e, text()));
  el.addEventListener('mouseleave', hideTip);
  el.addEventListener('click', (e) => {
    pinned = true;
    showTip(e, text());
  });
}

// the computational graph's nodes: every entry of their vectors and matrices on hover (a click pins it)
const compDetail = (e: Event): string | undefined => {
  const id = (e.target as Element).closest('.cg-node')?.getAttribute('data-id');
  const n = id ? compModel?.nodes.find((q) => q.id === id) : undefined;
  return n ? (n.detail ?? n.label) : undefined;
};
for (const type of ['mouseover', 'mousemove'] as const)
  compView.svg.addEventListener(type, (e) => {
    const text = compDetail(e);
    if (text && !pinned) showTip(e, text);
    else if (!text) hideTip();
  });
compView.svg.addEventListener('mouseleave', hideTip);
compView.svg.addEventListener('click', (e) => {
  const text = compDetail(e);
  if (!text) return;
  pinned = true;
  showTip(e, text);
});

// ---- computing values and gradients on the data sample
function recompute(): void {
  const error = state.recompute();
  if (error) info.textContent = `Cannot evaluate the weights: ${error}`;
}

function neuronText(n: GraphNode): string {
  if (n.unit === undefined) return n.label.join('\n');
  if (n.layer < 0) {
    const x = state.sample?.x[state.sampleIndex]?.[n.unit];
    return `input x${n.unit + 1}${x !== undefined ? `\nvalue (sample ${state.sampleNumber()}) ${fmt(x)}` : ''}`;
  }
  const l = state.spec!.layers[n.layer];
  const w = state.weights?.find((q) => q.layer === n.layer);
  const lines = [`${l.name}, unit ${n.unit + 1} (${state.spec!.activations[n.layer]?.name ?? 'linear'})`];
  if (w?.b) lines.push(`bias b = ${fmt(w.b[n.unit])}`);
  const z = state.trace?.z[n.layer]?.[n.unit];
  const a = state.trace?.a[n.layer]?.[n.unit];
  if (z !== undefined) lines.push(`z (sample ${state.sampleNumber()}) = ${fmt(z)}`, `a (sample ${state.sampleNumber()}) = ${fmt(a)}`);
  const g = state.grads?.layers.find((q) => q.layer === n.layer);
  if (g) lines.push(`∂L/∂b = ${fmt(g.db[n.unit])}`);
  if (!state.weights) lines.push('(weights appear once a run starts)');
  return lines.join('\n');
}
function edgeText(e: GraphEdge): string {
  if (e.from === undefined || e.to === undefined || e.layer === undefined) return e.label ?? 'all weights of this layer';
  const w = state.weights ? edgeWeight(e, state.weights) : undefined;
  const g = state.grads?.layers.find((q) => q.layer === e.layer)?.dW[e.from]?.[e.to];
  const l = state.spec!.layers[e.layer];
  // what the last step changed (issue 16 item 3): the weight before it and the difference
  const was = state.previous ? edgeWeight(e, state.previous.layers) : undefined;
  const change = was !== undefined && w !== undefined ? [`before (step ${state.previous!.step}) = ${fmt(was)}, Δw = ${fmt(w - was)}`] : [];
  return [`${l.name}: W[${e.from + 1}][${e.to + 1}]`, `w = ${fmt(w)}`, ...change, ...(g !== undefined ? [`∂L/∂w = ${fmt(g)}`] : []), ...(state.weights ? [] : ['(weights appear once a run starts)'])].join('\n');
}

// ---- drawing
const elk = new ELK();
let renderSeq = 0;
const edgeEls = new Map<string, SVGPathElement>();
const nodeEls = new Map<string, SVGElement>();

function pathOf(e: ElkExtendedEdge): string {
  return (e.sections ?? [])
    .map((sec) => {
      const pts = [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint];
      return pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    })
    .join(' ');
}

async function render(refit = false): Promise<void> {
  const seq = ++renderSeq;
  updateToolbar();
  if (!state.spec) {
    info.textContent = 'Waiting for the spec…';
    return;
  }
  if (state.spec.errors.length) {
    viewport.replaceChildren();
    info.replaceChildren(h('span', { class: 'error' }, `The spec has errors, fix them to see the graph:\n${state.spec.errors.join('\n')}`));
    drawn = { nodes: 0, edges: 0 };
    report();
    return;
  }
  info.textContent = `${state.spec.name}: ${state.spec.layers.length} layers, ${state.spec.totalParams.toLocaleString('en-US')} parameters; ${state.weightsText()}`;
  svg.style.display = saved.view === 'compgraph' ? 'none' : '';
  compBox.hidden = saved.view !== 'compgraph';
  if (saved.view === 'compgraph') {
    const cg = layerCompGraph(state.spec, saved.layer, state.weights, state.sample, state.sampleIndex, state.sampleNumber());
    // left to right or top down, and how much of each value is drawn: 12 px labels at Fit in this stage
    // (× the panel's font scale, issue 13 item 18: the CSS draws the labels at 12 px × scale)
    const scale = fontScale();
    const { direction, maxChars } = chooseFill(cg.model, zoom.size(), scale);
    if (scale !== compView.scale) refit = true;
    compView.scale = scale;
    if (direction !== compView.direction || maxChars !== compView.maxChars) refit = true;
    compView.direction = direction;
    compView.maxChars = maxChars;
    compView.render(cg.model);
    compModel = cg.model;
    if (refit) fit();
    compCaption = cg.caption;
    drawn = { nodes: cg.model.nodes.length, edges: cg.model.edges.length };
    colourWeights();
    redraws++;
    report();
    return;
  }
  model = saved.view === 'layers' ? layerGraph(state.spec) : neuronGraph(state.spec);
  const input = toElk(model, saved.view === 'layers' ? 'layers' : 'neurons') as unknown as ElkNode;
  let laid: ElkNode;
  try {
    laid = await elk.layout(input);
  } catch (e) {
    info.textContent = `Layout failed: ${e instanceof Error ? e.message : String(e)}`;
    return;
  }
  if (seq !== renderSeq) return;
  draw(laid);
  if (refit) fit();
  report();
}

function draw(laid: ElkNode): void {
  const p = palette();
  viewport.replaceChildren();
  edgeEls.clear();
  nodeEls.clear();
  contentW = laid.width ?? 100;
  contentH = laid.height ?? 100;
  const byId = new Map(model!.nodes.map((n) => [n.id, n]));
  const eById = new Map(model!.edges.map((e) => [e.id, e]));
  const gEdges = s('g', { class: 'edges' });
  const gNodes = s('g', { class: 'nodes' });
  viewport.append(gEdges, gNodes);
  const pos = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0, w: c.width ?? 0, h: c.height ?? 0 }]));
  // neuron view: every weight a straight line from centre to centre (elk's ports fan them out)
  const straight = (e: GraphEdge): string | undefined => {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (saved.view !== 'neurons' || !a || !b) return undefined;
    return `M${(a.x + a.w).toFixed(1)},${(a.y + a.h / 2).toFixed(1)} L${b.x.toFixed(1)},${(b.y + b.h / 2).toFixed(1)}`;
  };
  for (const le of (laid.edges ?? []) as ElkExtendedEdge[]) {
    const e = eById.get(le.id)!;
    const d = straight(e) ?? pathOf(le);
    const path = s('path', { d, class: `edge ${saved.view}`, fill: 'none', stroke: p.muted, 'stroke-width': 1.5, 'marker-end': saved.view === 'neurons' ? '' : 'url(#arrow)' });
    gEdges.append(path);
    edgeEls.set(e.id, path);
    // a wider invisible path makes thin edges easy to hover
    const hit = s('path', { d, fill: 'none', stroke: 'transparent', 'stroke-width': 8 });
    hoverable(hit, () => edgeText(e));
    if (e.layer !== undefined && e.from !== undefined && e.to !== undefined) {
      hit.setAttribute('data-edge', e.id);
      hit.addEventListener('click', () => openCard({ kind: 'weight', layer: e.layer!, from: e.from!, to: e.to! }));
    }
    gEdges.append(hit);
    for (const lab of le.labels ?? []) {
      if (lab.x === undefined || lab.y === undefined) continue;
      gEdges.append(s('text', { x: lab.x + (lab.width ?? 0) / 2, y: lab.y + 12, class: 'edge-label', 'text-anchor': 'middle' }, lab.text ?? ''));
    }
  }
  for (const ln of laid.children ?? []) {
    const n = byId.get(ln.id)!;
    const x = ln.x ?? 0;
    const y = ln.y ?? 0;
    const g = s('g', { transform: `translate(${x} ${y})`, class: `node ${n.kind}` });
    if (n.kind === 'neuron') {
      const c = s('circle', { cx: n.width / 2, cy: n.height / 2, r: n.width / 2 - 2, class: 'neuron-shape' });
      g.append(c, s('text', { x: n.width / 2, y: n.height / 2 + 4, 'text-anchor': 'middle', class: 'node-text' }, n.label[0]));
    } else {
      g.append(s('rect', { width: n.width, height: n.height, rx: n.kind === 'input' ? 12 : 4, class: `node-shape ${n.kind}` }));
      n.label.forEach((line, i) => g.append(s('text', { x: 12, y: 20 + 18 * i, class: i === 0 ? 'node-title' : 'node-text' }, line)));
    }
    hoverable(g, () => neuronText(n));
    g.setAttribute('data-node', n.id);
    if (n.unit !== undefined) g.addEventListener('click', () => openCard(n.layer < 0 ? { kind: 'input', unit: n.unit! } : { kind: 'neuron', layer: n.layer, unit: n.unit! }));
    gNodes.append(g);
    nodeEls.set(n.id, g);
  }
  const defs = s('defs');
  const marker = s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.append(s('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: p.muted }));
  defs.append(marker);
  viewport.prepend(defs);
  drawn = { nodes: model!.nodes.length, edges: model!.edges.length };
  colourWeights();
  redraws++;
}

/** Neuron view: colour by sign, width by |w|; runs on every weights update without a new layout. */
function colourWeights(): void {
  const neg = themeRgba('--vscode-charts-orange', '#d18616');
  const pos = themeRgba('--vscode-charts-blue', '#3794ff');
  const mid = themeRgba('--vscode-descriptionForeground', '#9d9d9d');
  mid[3] = 0.35;
  if (saved.view === 'neurons' && state.weights && model) {
    const m = maxAbs(state.weights.flatMap((w) => w.W.flat()));
    for (const e of model.edges) {
      const el = edgeEls.get(e.id);
      const w = edgeWeight(e, state.weights);
      if (!el || w === undefined) continue;
      el.style.setProperty('stroke', toCss(diverging(w, m, neg, mid, pos)));
      el.setAttribute('stroke-width', edgeWidth(w, m).toFixed(2));
    }
    legend.textContent = `Edge colour: blue w > 0, orange w < 0; width ∝ √|w| (max |w| = ${fmt(m)}). Hover or click a neuron or an edge for its values${state.grads ? ` and ∂L/∂· over ${state.gradRows} samples (mean loss ${fmt(state.grads.loss)})` : ''}.`;
    // neuron fill: activation of the selected sample
    if (state.trace) {
      for (const n of model.nodes) {
        if (n.unit === undefined || n.layer < 0) continue;
        const a = state.trace.a[n.layer]?.[n.unit];
        const el = nodeEls.get(n.id)?.querySelector('circle');
        if (el && a !== undefined) el.style.setProperty('fill', toCss(diverging(a, 1, neg, themeRgba('--vscode-editor-background', '#1e1e1e'), pos)));
      }
    }
  } else if (saved.view === 'layers') legend.textContent = 'Shapes on the edges: B = batch size. Hover a layer for details.';
  else if (saved.view === 'compgraph') legend.textContent = compCaption;
  else legend.textContent = 'Weights appear once a run starts.';
}

function report(): void {
  // the e2e scenarios name the views 'layers', 'neuron' and 'compgraph'
  conn.observe({ panel: 'graph', nodes: drawn.nodes, edges: drawn.edges, view: saved.view === 'neurons' ? 'neuron' : saved.view, redraws, weights: state.weightsText(), card: card.text(), edited: editor.edits.changed, ...(editor.view ? { dataLoss: editor.view.loss } : {}) });
}

// ---- live updates at most ~30 times a second (weights at most 4 times a second)
const invalidateWeights = throttledRedraw(drawWeights, 30);
function drawWeights(): void {
  recompute();
  editor.recompute(state.spec, state.weights, state.sample);
  refreshCard();
  if (saved.view === 'compgraph') void render(false);
  else {
    colourWeights();
    redraws++;
    report();
  }
  info.textContent = `${state.spec?.name}: ${state.spec?.layers.length} layers, ${state.spec?.totalParams.toLocaleString('en-US')} parameters; ${state.weightsText()}`;
  sampleChanged();
}

/** The run's weights at most 4 times a second. */
const requestWeights = rateLimited(() => {
  void conn
    .request('weights', {})
    .then((w) => {
      if (!w) {
        if (!state.weights) void loadInitial();
        return;
      }
      state.setWeights(w.layers, w.step, w.run);
      newBase();
      invalidateWeights();
    })
    .catch(() => undefined);
}, 250);

async function loadSample(): Promise<void> {
  try {
    state.setSample((await conn.request('sample', { max: GRAPH_SAMPLE_ROWS })) ?? undefined);
    recompute();
    editor.recompute(state.spec, state.weights, state.sample);
    refreshCard();
    updateToolbar();
    if (saved.view === 'compgraph') void render(false);
    else colourWeights();
    sampleChanged();
  } catch {
    state.setSample(undefined);
  }
}

conn.onMessage((msg) => {
  switch (msg.type) {
    case 'init':
    case 'spec':
      state.spec = msg.spec;
      // a saved spec may start from other initial weights: draw those
      if (msg.type === 'spec' && state.weightsLabel) {
        state.weights = undefined;
        void loadInitial();
      }
      void render(true);
      sampleChanged();
      if (msg.type === 'init') {
        void loadSample();
        requestWeights();
      }
      break;
    case 'weights':
      state.setWeights(msg.layers, msg.step);
      newBase();
      invalidateWeights();
      break;
    case 'history': {
      // a panel opened mid-run: no editing while the run goes on
      const last = [...msg.messages].reverse().find((m) => ['started', 'resumed', 'paused', 'done', 'error'].includes(m.type));
      editor.running = last?.type === 'started' || last?.type === 'resumed';
      if (msg.messages.length) requestWeights();
      break;
    }
    case 'train': {
      const was = editor.running;
      editor.running = msg.message.type === 'started' || msg.message.type === 'resumed' || (editor.running && !['paused', 'done', 'error'].includes(msg.message.type));
      if (was !== editor.running && card.target) openCard(card.target);
      const fx = state.onTrain(msg.message, saved.view);
      if (fx.fetchWeights) requestWeights();
      if (fx.reloadSample) void loadSample();
      break;
    }
  }
});

// a new stage size: fit again (the computational graph may turn from left-to-right to top-down)
new ResizeObserver(() => (saved.view === 'compgraph' ? void render(true) : fit())).observe(stage);
onThemeChange(() => void render(false));
onFontScaleChange(() => saved.view === 'compgraph' && void render(true));
conn.post({ type: 'ready' });
