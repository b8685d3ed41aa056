// Activation-function explorer: f and f′ together (uPlot), the saturation zones where |f′| < 0.05
// shaded, α sliders for leaky ReLU and ELU, softmax as bars before and after, the course's formulas
// (KaTeX → MathML, no inline styles needed under the CSP) and notes; with a spec and weights, a
// histogram of one layer's real pre-activations z under the curve.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import katex from 'katex';
import '../shared/base.css';
import './activations.css';
import { connect } from '../shared/host';
import { rateLimited } from '../shared/schedule';
import { chartAxisFonts, fmt, h, onThemeChange, palette, select, slider, withAlpha } from '../shared/dom';
import { deadUnitText, explorerSelection, saturationZones, type ExplorerLayer } from '../../src/core/view/activations';
import { ACTIVATION_TEXT, RULE_OF_THUMB } from '../../src/core/explain/activations';
import { activate, derivative, softmax, DEFAULT_ALPHA } from '../../src/core/nn/activations';
import { histogram, deadUnits, type Histogram } from '../../src/core/view/histogram';
import { forwardOne, type ForwardLayer } from '../../src/core/nn/dense';
import { ACTIVATIONS, type ActivationName } from '../../src/core/spec/types';
import { parseActivationName, type DataSample, type SpecView } from '../../src/protocol/webview';
import type { LayerWeights } from '../../src/protocol/training';

interface Saved {
  specUri?: string;
  activation: ActivationName;
  alpha: Partial<Record<ActivationName, number>>;
  layer: number;
  softmaxInput: string;
}
const conn = connect();
const saved: Saved = {
  activation: 'relu',
  alpha: { leakyRelu: DEFAULT_ALPHA.leakyRelu, elu: DEFAULT_ALPHA.elu },
  layer: -1,
  softmaxInput: '2, 1, 0.1, -1',
  ...conn.getState<Saved>(),
  specUri: conn.boot.specUri,
};
const bootAct = parseActivationName(conn.boot.activation);
if (bootAct) saved.activation = bootAct;
// the function the user asked for (hover link, or a restored panel's own); without one, the explorer opens
// on the selected layer's activation (explorerSelection)
let requested: ActivationName | undefined = bootAct ?? (conn.boot.restored ? saved.activation : undefined);
const persist = (): void => conn.setState(saved);
persist();

const X0 = -6;
const X1 = 6;
const N = 481;
const SAT_EPS = 0.05;

let spec: SpecView | undefined;
let weights: LayerWeights[] | undefined;
let sample: DataSample | undefined;
let hist: Histogram | undefined;
let histText = '';
let redraws = 0;

// ---- layout
const app = document.getElementById('app')!;
const fnButtons = new Map<ActivationName, HTMLElement>();
const fnBar = h('div', { class: 'toolbar', id: 'functions', role: 'tablist', 'aria-label': 'Activation function' });
for (const a of ACTIVATIONS) {
  const b = h('vscode-button', { id: `fn-${a}`, secondary: true, role: 'tab' }, ACTIVATION_TEXT[a].label);
  b.addEventListener('click', () => choose(a));
  fnButtons.set(a, b);
  fnBar.append(b);
}
const alphaValue = h('span', { id: 'alpha-value', class: 'muted' });
const alphaSlider = slider(0, 2, 0.01, 0.01, (v) => setAlpha(v), 'alpha');
const alphaBox = h('span', { class: 'toolbar', id: 'alpha-box' }, h('label', {}, 'α'), alphaSlider, alphaValue);
const layerBox = h('span', { class: 'toolbar', id: 'layer-box' });
const controls = h('div', { class: 'toolbar' }, alphaBox, h('span', { class: 'spacer' }), layerBox);
const chartBox = h('div', { class: 'chart', id: 'chart' });
const softmaxBox = h('div', { class: 'softmax card', id: 'softmax', hidden: true });
const histInfo = h('div', { class: 'muted', id: 'hist-info' });
const notes = h('div', { class: 'notes card', id: 'notes' });
app.append(fnBar, controls, h('div', { class: 'row main' }, h('div', { class: 'col plot' }, chartBox, softmaxBox, histInfo), notes));

function choose(a: ActivationName): void {
  saved.activation = a;
  persist();
  render();
}
function setAlpha(v: number): void {
  saved.alpha[saved.activation] = v;
  persist();
  render();
}
const alphaOf = (a: ActivationName): number | undefined => (a === 'leakyRelu' || a === 'elu' ? (saved.alpha[a] ?? DEFAULT_ALPHA[a]) : undefined);

// ---- f and f′
const xs = Array.from({ length: N }, (_, i) => X0 + ((X1 - X0) * i) / (N - 1));
let plot: uPlot | undefined;

function drawZonesAndHistogram(u: uPlot): void {
  const a = saved.activation;
  const ctx = u.ctx;
  const p = palette();
  const top = u.bbox.top;
  const height = u.bbox.height;
  ctx.save();
  // saturation zones: |f′| < 0.05
  ctx.fillStyle = withAlpha(p.red, 0.12);
  for (const [z0, z1] of saturationZones(a, X0, X1, SAT_EPS, alphaOf(a))) {
    const left = u.valToPos(z0, 'x', true);
    const right = u.valToPos(z1, 'x', true);
    ctx.fillRect(left, top, right - left, height);
  }
  // histogram of real pre-activations, bottom 35% of the plot
  if (hist && hist.total > 0) {
    const max = Math.max(...hist.counts);
    const bw = (hist.hi - hist.lo) / hist.counts.length;
    ctx.fillStyle = withAlpha(p.purple, 0.45);
    hist.counts.forEach((c, i) => {
      if (!c) return;
      const l = u.valToPos(hist!.lo + i * bw, 'x', true);
      const r = u.valToPos(hist!.lo + (i + 1) * bw, 'x', true);
      const bh = (c / max) * height * 0.35;
      ctx.fillRect(l + 0.5, top + height - bh, Math.max(1, r - l - 1), bh);
    });
  }
  ctx.restore();
}

function renderPlot(): void {
  const a = saved.activation;
  const alpha = alphaOf(a);
  const f = xs.map((x) => activate(a, x, alpha));
  const df = xs.map((x) => derivative(a, x, alpha));
  const width = Math.max(300, chartBox.clientWidth);
  const height = Math.max(240, chartBox.clientHeight - 34);
  const p = palette();
  const fonts = chartAxisFonts();
  plot?.destroy();
  plot = new uPlot(
    {
      width,
      height,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: [X0, X1] }, y: { auto: true } },
      axes: [
        { ...fonts, stroke: p.fg, grid: { stroke: withAlpha(p.grid, 0.6) }, ticks: { stroke: withAlpha(p.grid, 0.8) }, label: 'x (pre-activation z)' },
        { ...fonts, stroke: p.fg, grid: { stroke: withAlpha(p.grid, 0.6) }, ticks: { stroke: withAlpha(p.grid, 0.8) } },
      ],
      series: [
        { label: 'x' },
        { label: `f(x)`, stroke: p.blue, width: 2.5 },
        { label: `f′(x)`, stroke: p.orange, width: 2, dash: [6, 4] },
      ],
      hooks: { drawClear: [drawZonesAndHistogram] },
    },
    [xs, f, df],
    chartBox,
  );
  redraws++;
}

// ---- softmax
function renderSoftmax(): void {
  const parsed = saved.softmaxInput.split(/[\s,;]+/).filter((t) => t !== '').map(Number);
  const input = h('vscode-textfield', { id: 'softmax-input', value: saved.softmaxInput, placeholder: 'e.g. 2, 1, 0.1' });
  input.addEventListener('change', () => {
    saved.softmaxInput = (input as unknown as { value: string }).value;
    persist();
    renderSoftmax();
  });
  const head = h('div', { class: 'toolbar' }, h('label', {}, 'Input vector y (editable):'), input);
  if (parsed.length === 0 || parsed.some((v) => !Number.isFinite(v)) || parsed.length > 20) {
    softmaxBox.replaceChildren(head, h('div', { class: 'error' }, 'Enter 1 to 20 numbers separated by commas.'));
    return;
  }
  const out = softmax(parsed);
  const sum = out.reduce((s, v) => s + v, 0);
  const maxIn = Math.max(1e-9, ...parsed.map(Math.abs));
  const bars = (vals: number[], scale: number, cls: string, signed: boolean): HTMLElement =>
    h(
      'div',
      { class: `bars ${cls}` },
      ...vals.map((v, i) => {
        const bar = h('div', { class: `bar ${v < 0 ? 'neg' : 'pos'}` });
        bar.style.height = `${Math.max(1, (Math.abs(v) / scale) * (signed ? 60 : 120))}px`;
        return h('div', { class: 'bar-cell' }, h('div', { class: 'bar-value' }, fmt(v, 3)), h('div', { class: `bar-track ${signed ? 'signed' : ''}` }, bar), h('div', { class: 'bar-label muted' }, `${i + 1}`));
      }),
    );
  softmaxBox.replaceChildren(
    head,
    h('div', { class: 'softmax-row' }, h('div', { class: 'col' }, h('h3', {}, 'Before: y'), bars(parsed, maxIn, 'before', true)), h('div', { class: 'col' }, h('h3', {}, 'After: softmax(y)'), bars(out, 1, 'after', false))),
    h('div', { id: 'softmax-sum' }, 'Σ softmax(y) = ', h('b', {}, sum.toFixed(6)), h('span', { class: 'muted' }, `  (largest: class ${out.indexOf(Math.max(...out)) + 1} with ${(100 * Math.max(...out)).toFixed(1)} %)`)),
  );
  redraws++;
}

// ---- notes
function math(tex: string): HTMLElement {
  const span = h('span', { class: 'formula' });
  try {
    // MathML output: rendered by the browser itself, no inline styles (the CSP allows none)
    span.innerHTML = katex.renderToString(tex, { output: 'mathml', throwOnError: false, displayMode: true });
  } catch {
    span.textContent = tex;
  }
  return span;
}

/** Text with `code` spans (the table's Markdown for spec values) as text and <code> nodes. */
const withCode = (text: string): (Node | string)[] => text.split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part));

function renderNotes(): void {
  const a = saved.activation;
  const t = ACTIVATION_TEXT[a];
  const zones = saturationZones(a, X0, X1, SAT_EPS, alphaOf(a));
  notes.replaceChildren(
    h('h3', { id: 'notes-title' }, t.title),
    math(t.f.tex),
    math(t.df.tex),
    h('div', { class: 'muted', id: 'range' }, `Range: ${t.range} · zero-centred output: ${t.zeroCentred ? 'yes' : 'no'}.`),
    ...t.course.flatMap((g) => [...(g.head ? [h('div', { class: 'remark-head' }, g.head)] : []), h('ul', { class: 'notes' }, ...g.items.map((i) => h('li', {}, i)))]),
    ...t.extra.map((e) => h('p', { class: 'muted extra' }, ...withCode(e))),
    h('p', { id: 'use' }, h('b', {}, 'Use: '), ...withCode(t.use)),
    h('div', { class: 'muted', id: 'zones' }, a === 'softmax' ? '' : zones.length ? `Shaded: |f′(x)| < ${SAT_EPS} on ${zones.map(([l, r]) => `[${fmt(l, 2)}, ${fmt(r, 2)}]`).join(' and ')} — the gradient vanishes there.` : `No saturation: |f′(x)| ≥ ${SAT_EPS} everywhere on [${X0}, ${X1}].`),
    h('h3', {}, 'Rule of thumb'),
    h('ul', { class: 'notes' }, ...RULE_OF_THUMB.map((r) => h('li', {}, r))),
  );
}

// ---- real pre-activations
const denseLayers = (): (ExplorerLayer & { name: string })[] =>
  spec?.layers.filter((l) => l.type === 'dense').map((l) => ({ index: l.index, name: l.name, activation: spec!.activations[l.index]?.name ?? 'linear' })) ?? [];

/** Function and layer from the spec's layers: the requested function, else the selected layer's own. */
function reselect(layer: number | undefined = saved.layer): void {
  const s = explorerSelection(denseLayers(), { requested, layer, fallback: saved.activation });
  saved.activation = s.activation;
  saved.layer = s.layer;
  persist();
}

function renderLayerSelect(): void {
  const ls = denseLayers();
  if (!ls.length) {
    layerBox.replaceChildren();
    return;
  }
  layerBox.replaceChildren(
    h('label', {}, 'Histogram of z for'),
    select(ls.map((l) => [String(l.index), `layer ${l.index + 1}: ${l.name} (${l.activation})`]), String(saved.layer), (v) => {
      // a layer picked by the user: the function follows it
      requested = undefined;
      reselect(Number(v));
      computeHistogram();
      render();
    }, 'layer-select'),
  );
}

function computeHistogram(): void {
  hist = undefined;
  histText = spec ? 'The histogram of real pre-activations appears once a run has weights.' : 'Open from a spec (with a run) to see real pre-activations under the curve.';
  if (!spec || !weights || !sample?.x.length || saved.layer < 0) return;
  const layers: ForwardLayer[] = spec.layers.map((l, i) => ({ type: l.type, activation: spec!.activations[i] }));
  try {
    const rows = sample.x.map((x) => forwardOne(layers, weights!, x).z[saved.layer]!);
    hist = histogram(rows.flat(), 48, X0, X1);
    const d = deadUnits(rows);
    const l = spec.layers[saved.layer];
    histText = `Purple bars: z of ${l.name} (${d.units} units) over ${rows.length} samples, ${hist.total} values${hist.below + hist.above ? `, ${hist.below} below ${X0} and ${hist.above} above ${X1} (not drawn)` : ''}. ${deadUnitText(spec.activations[saved.layer]?.name ?? 'linear', d) ?? ''}`.trimEnd();
  } catch (e) {
    histText = e instanceof Error ? e.message : String(e);
  }
}

// ---- render
function render(): void {
  const a = saved.activation;
  for (const [name, b] of fnButtons) {
    if (name === a) b.removeAttribute('secondary');
    else b.setAttribute('secondary', '');
    b.setAttribute('aria-selected', String(name === a));
  }
  const alpha = alphaOf(a);
  alphaBox.style.display = alpha === undefined ? 'none' : '';
  if (alpha !== undefined) {
    alphaSlider.max = a === 'elu' ? '3' : '1';
    alphaSlider.value = String(alpha);
    alphaValue.textContent = alpha.toFixed(2);
  }
  renderLayerSelect();
  const isSoftmax = a === 'softmax';
  softmaxBox.hidden = !isSoftmax;
  chartBox.style.display = isSoftmax ? 'none' : '';
  if (isSoftmax) {
    plot?.destroy();
    plot = undefined;
    renderSoftmax();
  } else renderPlot();
  histInfo.textContent = isSoftmax ? '' : histText;
  renderNotes();
  conn.observe({ panel: 'activations', activation: a, ...(alpha !== undefined ? { alpha } : {}), redraws });
}

async function loadData(): Promise<void> {
  if (!spec) return;
  try {
    const [w, s] = await Promise.all([conn.request('weights', {}), sample ? Promise.resolve(sample) : conn.request('sample', { max: 500 })]);
    weights = w?.layers;
    sample = s ?? undefined;
  } catch {
    // no run yet: the explorer works without data
  }
  computeHistogram();
  render();
}

// the histogram follows a run at most once a second; the last event (done, paused) is always loaded
const reload = rateLimited(() => void loadData(), 1000);
conn.onMessage((msg) => {
  switch (msg.type) {
    case 'init':
    case 'spec':
      spec = msg.spec;
      if (msg.type === 'init' && msg.activation) requested = msg.activation;
      // an edited spec (the layer's activation changed): the function follows the layer again
      if (msg.type === 'spec') requested = undefined;
      reselect();
      computeHistogram();
      render();
      void loadData();
      return;
    case 'select':
      requested = msg.activation;
      reselect();
      computeHistogram();
      render();
      return;
    case 'train':
      if (msg.message.type === 'epoch' || msg.message.type === 'done' || msg.message.type === 'paused') reload();
      return;
  }
});

new ResizeObserver(() => {
  if (plot) plot.setSize({ width: Math.max(300, chartBox.clientWidth), height: Math.max(240, chartBox.clientHeight - 34) });
}).observe(chartBox);
onThemeChange(() => render());
render();
conn.post({ type: 'ready' });
