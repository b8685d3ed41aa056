// The lab panel (issue 16 #4, #5): an experiment's variants side by side — their epoch-loss curves
// overlaid (uPlot, log scale; one chart per thing varied), the results table (experimentTable, the
// same cells as `nnlab lab`), and per dense layer the histograms of weights, pre-activations z and
// gradients ∂L/∂W over time (x: the snapshot epochs, y: the value, brightness: how many values), one
// column per variant, with σ, the distinct units (zeros' symmetry) and the dead ReLUs under each.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../shared/base.css';
import './lab.css';
import { connect } from '../shared/host';
import { chartAxisFonts, h, onThemeChange, palette, select, withAlpha } from '../shared/dom';
import { tickText } from '../../src/core/view/plot';
import { experimentTable, GROUP_TEXT, QUANTITIES, QUANTITY_TEXT, snapshotCaption, type ExperimentResult, type VariantGroup, type VariantResult } from '../../src/core/train/experiment';
import type { LabState } from '../../src/protocol/lab';
import type { SpecView } from '../../src/protocol/webview';

interface Saved {
  specUri?: string;
  state?: LabState;
  group?: VariantGroup;
  alphas: string;
}
const conn = connect();
const saved: Saved = { alphas: '', ...conn.getState<Saved>(), specUri: conn.boot.specUri };
const persist = (): void => conn.setState(saved);
persist();

let spec: SpecView | undefined;
let plots: uPlot[] = [];
let redraws = 0;

// ---- layout
const app = document.getElementById('app')!;
const title = h('h3', { id: 'lab-title' }, 'Lab');
const status = h('span', { id: 'lab-status', class: 'muted' });
const initBtn = h('vscode-button', { id: 'run-init' }, 'Compare initialisations');
initBtn.addEventListener('click', () => conn.post({ type: 'runLab', kind: 'init' }));
const alphaField = h('vscode-textfield', { id: 'alphas', placeholder: 'α list, e.g. 0.3, 0.9, 1.1', value: saved.alphas });
alphaField.addEventListener('change', () => {
  saved.alphas = (alphaField as unknown as { value: string }).value;
  persist();
});
const sweepBtn = h('vscode-button', { id: 'run-sweep', secondary: true }, 'Sweep α / batch size');
sweepBtn.addEventListener('click', () => {
  const text = (alphaField as unknown as { value: string }).value.trim();
  const alphas = text ? text.split(/[\s,;]+/).filter((t) => t !== '').map(Number) : [];
  conn.post(alphas.length && alphas.every((a) => Number.isFinite(a) && a > 0) ? { type: 'runLab', kind: 'sweep', alphas } : { type: 'runLab', kind: 'sweep' });
});
const groupBox = h('span', { class: 'toolbar', id: 'group-box' });
const toolbar = h('div', { class: 'toolbar' }, initBtn, sweepBtn, h('label', {}, 'α'), alphaField, groupBox, h('span', { class: 'spacer' }), status);
const charts = h('div', { class: 'charts', id: 'charts' });
const tableBox = h('div', { id: 'table-box' });
const note = h('div', { class: 'muted', id: 'lab-note' });
const histBox = h('div', { id: 'hist-box' });
app.append(h('div', { class: 'header' }, title), toolbar, charts, tableBox, note, histBox);

const COLORS = (): string[] => {
  const p = palette();
  return [p.red, p.blue, p.green, p.orange, p.purple, p.yellow, p.fg, p.muted];
};

function render(): void {
  const st = saved.state;
  const name = spec?.name ?? saved.specUri?.split('/').pop()?.replace(/\.nn\.json$/, '') ?? '';
  title.textContent = !st ? `Lab: ${name}` : st.kind === 'init' ? `Compare initialisations: ${name}` : `Learning rate / batch size: ${name}`;
  if (!st) {
    status.textContent = 'Run an experiment: the same network trained with each variant, same data and seed.';
    observe();
    return;
  }
  if (st.phase === 'running') {
    const p = st.progress;
    status.textContent = p ? `training ${p.label} (${p.variant} of ${p.variants}), epoch ${p.epoch}/${p.epochs}…` : 'starting…';
  } else if (st.phase === 'error') status.textContent = `failed: ${st.error ?? ''}`;
  else status.textContent = st.result ? `${st.result.variants.length} variants, seed ${st.result.seed}, backend ${st.result.backend}` : '';
  status.className = st.phase === 'error' ? 'error' : 'muted';
  if (st.result && st.phase === 'done') draw(st.result);
  observe();
}

function groupsOf(r: ExperimentResult): VariantGroup[] {
  return [...new Set(r.variants.map((v) => v.group))];
}

function draw(r: ExperimentResult): void {
  const groups = groupsOf(r);
  const group = saved.group && groups.includes(saved.group) ? saved.group : groups[0]!;
  groupBox.replaceChildren(
    ...(groups.length > 1
      ? [
          h('label', {}, 'histograms of'),
          select(
            groups.map((g) => [g, GROUP_TEXT[g]]),
            group,
            (v) => {
              saved.group = v as VariantGroup;
              persist();
              drawHistograms(r, saved.group);
            },
            'group-select',
          ),
        ]
      : []),
  );
  drawCharts(r, groups);
  drawTable(r);
  const diverged = r.variants.filter((v) => v.divergence.diverged);
  note.textContent = [
    r.target !== undefined ? `ε = ${r.target} (training.stopWhenLossBelow): a variant stops when its epoch loss falls below it.` : 'The spec sets no ε (training.stopWhenLossBelow): every variant trains all its epochs.',
    ...diverged.map((v) => `${v.label}: diverged — ${v.divergence.why}.`),
  ].join(' ');
  drawHistograms(r, group);
}

function drawCharts(r: ExperimentResult, groups: VariantGroup[]): void {
  for (const p of plots) p.destroy();
  plots = [];
  charts.replaceChildren();
  const p = palette();
  const colors = COLORS();
  for (const g of groups) {
    const vs = r.variants.filter((v) => v.group === g);
    const box = h('div', { class: 'chart' });
    charts.append(h('div', { class: 'chart-box' }, h('div', { class: 'muted' }, `epoch loss by ${GROUP_TEXT[g]}`), box));
    const n = Math.max(1, ...vs.map((v) => v.losses.length));
    const xs = Array.from({ length: n }, (_, i) => i + 1);
    // log scale: non-positive and non-finite losses (a diverged run's NaN) are gaps
    const ys = vs.map((v) => xs.map((_, i) => {
      const l = v.losses[i];
      return l !== undefined && Number.isFinite(l) && l > 0 ? l : null;
    }));
    const width = Math.max(300, Math.floor(charts.clientWidth / groups.length) - 16);
    const grid = { stroke: withAlpha(p.grid, 0.6) };
    plots.push(
      new uPlot(
        {
          width,
          height: 240,
          cursor: { drag: { x: false, y: false } },
          // the table below names the colours (its swatches), so no legend takes the chart's room
          legend: { show: false },
          scales: { x: { time: false }, y: { distr: 3 } },
          // the axes in the panel's font scale; the loss axis labelled as `nnlab plot` labels it (1e27,
          // not 1,000,000,000,000,000,000,000,000,000 cut at the panel's edge, for a diverged run). uPlot's
          // log axis passes null for the ticks it leaves unlabelled.
          axes: [
            { ...chartAxisFonts(), stroke: p.fg, grid, ticks: grid, label: 'epoch' },
            { ...chartAxisFonts(), stroke: p.fg, grid, ticks: grid, label: 'loss', values: (_u: uPlot, splits: (number | null)[]) => splits.map((v) => (v == null ? '' : tickText(v))) },
          ],
          series: [{ label: 'epoch' }, ...vs.map((v, i) => ({ label: v.label, stroke: colors[i % colors.length], width: 2, spanGaps: false }))],
        },
        [xs, ...ys] as uPlot.AlignedData,
        box,
      ),
    );
  }
  redraws++;
}

function drawTable(r: ExperimentResult): void {
  const t = experimentTable(r);
  const colors = COLORS();
  const groupIndex = new Map<VariantGroup, number>();
  const rows = t.rows.map((row, i) => {
    const v = r.variants[i]!;
    const k = groupIndex.get(v.group) ?? 0;
    groupIndex.set(v.group, k + 1);
    const sw = h('span', { class: 'swatch' });
    sw.style.background = colors[k % colors.length]!;
    const outcome = row[row.length - 1]!;
    return h(
      'tr',
      {},
      ...row.map((cell, c) => h('td', { class: c === row.length - 1 ? (outcome.startsWith('diverged') ? 'diverged' : outcome === 'reached ε' ? 'reached' : '') : '' }, ...(c === 0 ? [sw] : []), cell)),
    );
  });
  tableBox.replaceChildren(h('table', { class: 'results', id: 'lab-table' }, h('thead', {}, h('tr', {}, ...t.headers.map((x) => h('th', {}, x)))), h('tbody', {}, ...rows)));
}

function drawHistograms(r: ExperimentResult, group: VariantGroup): void {
  const vs = r.variants.filter((v) => v.group === group);
  const layers = vs[0]?.ranges ?? [];
  const grid = h('div', { class: 'hist-grid', id: 'hist-grid' });
  grid.style.gridTemplateColumns = `max-content repeat(${vs.length}, max-content)`;
  grid.append(h('div', { class: 'rowhead' }, 'epochs →'), ...vs.map((v) => h('div', { class: 'head' }, v.label)));
  layers.forEach((l, k) => {
    for (const q of QUANTITIES) {
      grid.append(h('div', { class: 'rowhead' }, `${l.name}: ${QUANTITY_TEXT[q]}`));
      for (const v of vs) grid.append(cell(v, k, q));
    }
  });
  histBox.replaceChildren(h('h3', {}, `Per layer over time (${vs[0]?.snapshots.length ?? 0} snapshots, epoch 0 = initial weights)`), grid);
}

/** One heatmap: x the snapshots, y the bins over [−m, m] (0 in the middle), brightness the share of values. */
function cell(v: VariantResult, k: number, q: (typeof QUANTITIES)[number]): HTMLElement {
  const W = 180;
  const canvas = h('canvas', { width: W, height: 64 }) as HTMLCanvasElement;
  const ctx = canvas.getContext('2d');
  const p = palette();
  const snaps = v.snapshots;
  const m = v.ranges[k]!.range[q];
  if (ctx) {
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, W, 64);
    const cw = W / Math.max(1, snaps.length);
    snaps.forEach((s, i) => {
      const counts = s.layers[k]!.counts[q];
      const max = Math.max(1, ...counts);
      const bh = 64 / counts.length;
      counts.forEach((c, b) => {
        if (c === 0) return;
        ctx.fillStyle = withAlpha(q === 'grad' ? p.orange : q === 'z' ? p.green : p.blue, 0.15 + 0.85 * (c / max));
        ctx.fillRect(i * cw, 64 - (b + 1) * bh, Math.ceil(cw), Math.ceil(bh));
      });
    });
    ctx.strokeStyle = withAlpha(p.muted, 0.5);
    ctx.beginPath();
    ctx.moveTo(0, 32);
    ctx.lineTo(W, 32);
    ctx.stroke();
  }
  const last = snaps[snaps.length - 1]?.layers[k];
  const first = snaps[0]?.layers[k];
  const range = `±${Number(m.toPrecision(2))}`;
  // the symmetry a random init starts without, or that training breaks, is said when it changed
  const capText = last ? (first && q === 'weights' && first.distinct !== last.distinct ? `${snapshotCaption(last, q)} (epoch 0: ${first.distinct})` : snapshotCaption(last, q)) : '';
  return h('div', { class: 'hist-cell' }, canvas, h('div', { class: 'cap' }, `${range} · epoch ${snaps[snaps.length - 1]?.epoch ?? 0}: ${capText}`));
}

function observe(): void {
  const st = saved.state;
  const table = st?.result && st.phase === 'done' ? experimentTable(st.result).rows : undefined;
  conn.observe({ panel: 'lab', redraws, ...(st ? { lab: { kind: st.kind, phase: st.phase, ...(table ? { table } : {}) } } : {}) });
}

conn.onMessage((msg) => {
  switch (msg.type) {
    case 'init':
      if (msg.spec) spec = msg.spec;
      render();
      break;
    case 'spec':
      spec = msg.spec;
      render();
      break;
    case 'lab':
      // progress only updates the status line; a finished experiment redraws everything
      saved.state = msg.state;
      if (msg.state.kind === 'sweep' && msg.state.alphas) {
        saved.alphas = msg.state.alphas.join(', ');
        (alphaField as unknown as { value: string }).value = saved.alphas;
      }
      persist();
      if (msg.state.phase === 'running') {
        const p = msg.state.progress;
        status.textContent = p ? `training ${p.label} (${p.variant} of ${p.variants}), epoch ${p.epoch}/${p.epochs}…` : 'starting…';
        status.className = 'muted';
        observe();
      } else render();
      break;
    default:
      break;
  }
});
onThemeChange(() => saved.state?.result && render());
// the charts take the panel's width when drawn: redraw them after the panel is resized
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  if (resizeTimer) clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    const r = saved.state?.phase === 'done' ? saved.state.result : undefined;
    if (r) drawCharts(r, groupsOf(r));
  }, 200);
});
conn.post({ type: 'ready' });
render();
