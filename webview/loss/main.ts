// Loss curves panel: live train/validation loss and accuracy (uPlot), run controls, TensorBoard-style
// options (log y, EMA smoothing, x by step/epoch/time, overlays of earlier runs, CSV/PNG export) and,
// for 2-input classifiers, the decision-region heatmap (computed here from the worker's weights).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../shared/base.css';
import './loss.css';
import { connect } from '../shared/host';
import { button, chartAxisFonts, checkbox, fmt, fmtDuration, fontScale, h, lineAlpha, onThemeChange, palette, select, slider, withAlpha } from '../shared/dom';
import { exportSvgTextPng } from '../shared/exporting';
import { RunsTable } from './runsTable';
import { runsPicture, lossCurves } from '../../src/core/view/plot';
import { bandGroup, bandLabel, runNames, seedBand } from '../../src/core/view/compare';
import { minMaxDownsample } from '../../src/core/view/downsample';
import { emaSmooth } from '../../src/core/view/ema';
import { rateLimited, throttledRedraw } from '../shared/schedule';
import { column } from '../../src/core/view/metrics';
import { LossSeries, type LossNote } from '../../src/core/view/lossSeries';
import { bounds2d, isClassifier as specIsClassifier, predictGrid, singleOutput, type Grid, type RegionMap } from '../../src/core/view/forward';
import { hasRegions } from '../../src/core/view/edit';
import { paintRegions } from '../shared/regions';
import type { ForwardLayer } from '../../src/core/nn/dense';
import type { LayerWeights, WorkerToHost } from '../../src/protocol/training';
import type { DataSample, RunSeries, SpecView } from '../../src/protocol/webview';
import { loss as formatLoss } from '../../src/core/explain/format';
import { runSummaryText } from '../../src/core/explain/progress';
import { stepArea } from './step';

type XMode = 'step' | 'epoch' | 'time';
interface Saved {
  specUri?: string;
  log: boolean;
  smoothing: number;
  xMode: XMode;
  overlay: boolean;
  /** runs left out of the overlay (unticked in the runs table) */
  hiddenRuns?: string[];
}

const conn = connect();
const saved: Saved = { log: false, smoothing: 0.6, xMode: 'step', overlay: true, ...conn.getState<Saved>(), specUri: conn.boot.specUri };
const persist = (): void => conn.setState(saved);
persist();

// ---- state: every point received is kept (the chart draws a downsampled copy); src/core/view/lossSeries.ts
const series = new LossSeries();
const { batch, epochs } = series;
let redraws = 0;
let spec: SpecView | undefined;
let runs: RunSeries[] = [];
/** the panel's own run read from its metrics.csv (with its hyper-parameters and run.json): a row of the table and the picture's main run */
let currentRun: RunSeries | undefined;
const table = new RunsTable(new Set(saved.hiddenRuns ?? []), {
  changed: (hidden) => {
    saved.hiddenRuns = [...hidden];
    persist();
    rebuild();
  },
  rename: (id) => void renameRun(id),
});

/** The note under the chart, from the state's note. */
function noteText(n: LossNote | undefined, totalEpochs: number): string {
  if (!n) return '';
  if (n.kind === 'error') return `Training error${n.step ? ` at step ${n.step}` : ''}: ${n.message}`;
  const s = n.summary;
  if (n.kind === 'file') return `${table.name(n.label)}: ${runSummaryText(s, totalEpochs, fmtDuration(s.elapsedMs))} (from metrics.csv)`;
  return runSummaryText(s, totalEpochs, fmtDuration(s.elapsedMs));
}

// ---- layout
const app = document.getElementById('app')!;
const header = h('div', { class: 'header', id: 'header' });
const controls = h('div', { class: 'toolbar' });
const options = h('div', { class: 'toolbar' });
const chartBox = h('div', { class: 'chart', id: 'chart' });
const regionBox = h('div', { class: 'region card', id: 'region', hidden: true });
const regionCanvas = h('canvas', { width: 256, height: 256, id: 'region-canvas' });
const regionCaption = h('div', { class: 'muted' }, 'Decision regions: waiting for weights…');
regionBox.append(h('h3', {}, 'Decision regions'), regionCanvas, regionCaption);
const note = h('div', { class: 'muted', id: 'note' });
const stepBox = h('div', { class: 'step card', id: 'step' });
const steps = stepArea(stepBox);
app.append(header, controls, options, h('div', { class: 'row main' }, chartBox, regionBox), stepBox, note, table.el);

const btn = {
  train: button('Train', 'play', () => conn.post({ type: 'control', action: 'train' }), { id: 'btn-train' }),
  pause: button('Pause', 'debug-pause', () => conn.post({ type: 'control', action: 'pause' }), { secondary: true, id: 'btn-pause' }),
  resume: button('Resume', 'debug-continue', () => conn.post({ type: 'control', action: 'resume' }), { id: 'btn-resume' }),
  stepSample: button('Sample', 'debug-step-into', () => conn.post({ type: 'control', action: 'stepSample' }), { secondary: true, id: 'btn-step-sample', title: 'Step one sample: its forward pass, loss and gradient, added to the batch\'s (no update until the batch\'s last sample)' }),
  step: button('Batch', 'debug-step-over', () => conn.post({ type: 'control', action: 'step' }), { secondary: true, id: 'btn-step', title: 'Step one batch: the update W ← W − α·∂L/∂W' }),
  stepEpoch: button('Epoch', 'debug-step-out', () => conn.post({ type: 'control', action: 'stepEpoch' }), { secondary: true, id: 'btn-step-epoch', title: 'Step one epoch (the rest of the epoch in progress)' }),
  stop: button('Stop', 'debug-stop', () => conn.post({ type: 'control', action: 'stop' }), { secondary: true, id: 'btn-stop' }),
};
controls.append(...Object.values(btn), h('span', { class: 'spacer' }), button('CSV', 'desktop-download', exportCsv, { secondary: true, id: 'btn-csv', title: 'Export every point as CSV' }), button('PNG', 'file-media', () => void exportPicture('png'), { secondary: true, id: 'btn-png', title: 'Export the loss picture (title, axes, legend, white background) as a PNG at 2×, the picture nnlab plot writes' }), button('SVG', 'file-code', () => void exportPicture('svg'), { secondary: true, id: 'btn-svg', title: 'Export the loss picture as SVG' }));

const smoothLabel = h('span', { class: 'muted', id: 'smooth-value' }, saved.smoothing.toFixed(2));
options.append(
  checkbox('Log scale', saved.log, (v) => {
    saved.log = v;
    persist();
    rebuild();
  }, 'opt-log'),
  h('label', {}, 'Smoothing'),
  slider(0, 0.99, 0.01, saved.smoothing, (v) => {
    saved.smoothing = v;
    smoothLabel.textContent = v.toFixed(2);
    persist();
    invalidate();
  }, 'opt-smoothing'),
  smoothLabel,
  h('label', {}, 'x axis'),
  select([['step', 'Step'], ['epoch', 'Epoch'], ['time', 'Wall time (s)']], saved.xMode, (v) => {
    saved.xMode = v as XMode;
    persist();
    rebuild();
  }, 'opt-x'),
  checkbox('Earlier runs', saved.overlay, (v) => {
    saved.overlay = v;
    persist();
    rebuild();
  }, 'opt-overlay'),
);

function updateButtons(): void {
  const { phase } = series;
  const show = (el: HTMLElement, v: boolean): void => void (el.style.display = v ? '' : 'none');
  show(btn.train, phase === 'idle' || phase === 'done' || phase === 'failed');
  show(btn.pause, phase === 'running');
  show(btn.resume, phase === 'paused');
  // paused, or no run going: a step starts the run paused before its first step (issue 16 item 3)
  const canStep = phase === 'paused' || phase === 'idle' || phase === 'done' || phase === 'failed';
  show(btn.stepSample, canStep);
  show(btn.step, canStep);
  show(btn.stepEpoch, canStep);
  show(btn.stop, phase === 'running' || phase === 'paused');
}

function renderHeader(): void {
  const { phase, backend, totalEpochs, progress, samplesPerSec, etaMs } = series;
  const item = (label: string, value: string, id: string): HTMLElement => h('span', { class: 'item', id }, `${label} `, h('b', {}, value));
  header.replaceChildren(
    h('b', {}, spec?.name ?? 'NN Lab'),
    item('status', phase, 'hdr-phase'),
    item('backend', backend ? `${backend.active} (${backend.device})` : '–', 'hdr-backend'),
    item('epoch', totalEpochs ? `${progress.epochsDone}/${totalEpochs}` : '–', 'hdr-epoch'),
    item('loss', progress.loss !== undefined ? formatLoss(progress.loss) : '–', 'hdr-loss'),
    item('batch loss', progress.batchLoss !== undefined ? formatLoss(progress.batchLoss) : '–', 'hdr-batch-loss'),
    item('samples/s', samplesPerSec !== undefined ? fmt(samplesPerSec, 0) : '–', 'hdr-sps'),
    item('ETA', phase === 'running' ? fmtDuration(etaMs) : '–', 'hdr-eta'),
    item('points', String(batch.loss.n + epochs.loss.n), 'hdr-points'),
  );
  if (backend) header.title = [backend.reason, ...backend.skipped.map((s) => `${s.backend}: ${s.reason}`)].join('\n');
  note.textContent = noteText(series.note, series.totalEpochs);
  updateButtons();
}

// ---- chart
let plot: uPlot | undefined;
let seriesKeys: string[] = [];
const isClassifier = (): boolean => !!spec && specIsClassifier(spec);

function xOf(kind: 'batch' | 'epoch'): Float64Array {
  if (kind === 'batch') return saved.xMode === 'step' ? batch.step.view() : saved.xMode === 'epoch' ? batch.epochF.view() : batch.time.view();
  return saved.xMode === 'step' ? epochs.step.view() : saved.xMode === 'epoch' ? epochs.epoch.view() : epochs.time.view();
}

interface Line {
  key: string;
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  series: uPlot.Series;
}

function lines(): Line[] {
  const p = palette();
  const out: Line[] = [];
  const bx = xOf('batch');
  const by = batch.loss.view();
  out.push({ key: 'batch', label: 'train loss (batch)', x: bx, y: by, series: { stroke: withAlpha(p.blue, lineAlpha(0.35)), width: 1, scale: 'loss' } });
  if (saved.smoothing > 0) out.push({ key: 'ema', label: `train loss (EMA ${saved.smoothing.toFixed(2)})`, x: bx, y: emaSmooth(by, saved.smoothing), series: { stroke: p.blue, width: 1.5, scale: 'loss' } });
  const ex = xOf('epoch');
  // epoch markers while they are few enough to read
  const pts = { show: epochs.loss.n <= 60, size: 5 };
  out.push({ key: 'epoch', label: 'train loss (epoch)', x: ex, y: epochs.loss.view(), series: { stroke: p.blue, width: 3, scale: 'loss', points: pts } });
  if (hasAny(epochs.valLoss.view())) out.push({ key: 'val', label: 'validation loss', x: ex, y: epochs.valLoss.view(), series: { stroke: p.orange, width: 3, scale: 'loss', points: pts } });
  if (isClassifier() && hasAny(epochs.acc.view())) out.push({ key: 'acc', label: 'accuracy', x: ex, y: epochs.acc.view(), series: { stroke: p.green, width: 2, scale: 'acc', dash: [6, 3] } });
  if (isClassifier() && hasAny(epochs.valAcc.view())) out.push({ key: 'valacc', label: 'validation accuracy', x: ex, y: epochs.valAcc.view(), series: { stroke: p.yellow, width: 2, scale: 'acc', dash: [2, 3] } });
  if (saved.overlay) {
    const colours = [p.purple, p.muted, p.red, p.yellow];
    runs.forEach((r, i) => {
      if (!table.shown(r.id)) return;
      const o = overlayLine(r);
      if (o) out.push({ key: `run${i}`, label: `${table.name(r.id)} (${o.what})`, x: o.x, y: o.y, series: { stroke: withAlpha(colours[i % colours.length], lineAlpha(0.7)), width: 1.5, dash: [4, 4], scale: 'loss' } });
    });
    out.push(...bandLines());
  }
  return out;
}

/** The mean ± std band of the seed group with two or more runs drawn (compare.ts seedBand), against epochs or steps. */
function bandLines(): Line[] {
  if (saved.xMode === 'time') return [];
  const drawn = [...(currentRun ? [currentRun] : []), ...runs.filter((r) => table.shown(r.id) && r.id !== currentRun?.id)];
  const g = bandGroup(drawn.map((r) => ({ folder: r.id, ...(r.seedGroup ? { seedGroup: r.seedGroup } : {}) })));
  if (!g) return [];
  const members = g.members.map((i) => drawn[i]!);
  const band = seedBand(members.map((r) => lossCurves(r)).map((c) => ({ x: c.epochX, y: c.loss })));
  // steps per epoch of the group (the same data and batch size): the first epoch row's step
  const first = members[0]!;
  const kind = first.text?.kind ?? [];
  const step = column(first, 'step') ?? [];
  const ep = column(first, 'epoch') ?? [];
  const k = kind.findIndex((v) => v === 'epoch');
  const spe = saved.xMode === 'step' && k >= 0 ? step[k]! / ep[k]! : 1;
  const x = band.x.map((e) => e * spe);
  const ok = band.n.map((n) => n >= 2);
  const p = palette();
  const at = (f: (i: number) => number): number[] => band.x.map((_, i) => (ok[i] ? f(i) : NaN));
  return [
    { key: 'band-hi', label: 'mean + std', x, y: at((i) => band.mean[i]! + band.std[i]!), series: { stroke: withAlpha(p.purple, lineAlpha(0.35)), width: 1, scale: 'loss' } },
    { key: 'band-lo', label: 'mean − std', x, y: at((i) => band.mean[i]! - band.std[i]!), series: { stroke: withAlpha(p.purple, lineAlpha(0.35)), width: 1, scale: 'loss' } },
    { key: 'band-mean', label: bandLabel(members.length), x, y: band.mean, series: { stroke: p.purple, width: 2, dash: [3, 3], scale: 'loss' } },
  ];
}

function hasAny(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) return true;
  return false;
}

/** An earlier run's epoch loss (or its smoothed batch loss when it has no epoch rows) against the chosen x. */
function overlayLine(r: RunSeries): { x: number[]; y: number[]; what: string } | undefined {
  const kind = r.text?.kind ?? r.text?.type;
  const step = column(r, 'step');
  const epoch = column(r, 'epoch');
  const time = column(r, 'elapsedMs', 'elapsed_ms', 'time_ms');
  const loss = column(r, 'loss');
  if (!loss) return undefined;
  const xs = saved.xMode === 'step' ? step : saved.xMode === 'epoch' ? epoch : time?.map((t) => t / 1000);
  if (!xs) return undefined;
  const rows = loss.map((_, i) => i).filter((i) => Number.isFinite(loss[i]) && Number.isFinite(xs[i]));
  const epochRows = kind ? rows.filter((i) => kind[i] === 'epoch') : [];
  if (epochRows.length) return { x: epochRows.map((i) => xs[i]), y: epochRows.map((i) => loss[i]), what: 'epoch loss' };
  const sm = emaSmooth(rows.map((i) => loss[i]), 0.9);
  return { x: rows.map((i) => xs[i]), y: sm, what: 'batch loss, EMA 0.9' };
}

function buildData(ls: Line[], width: number): uPlot.AlignedData {
  const buckets = Math.max(50, Math.floor(width));
  const tables: uPlot.AlignedData[] = ls.map((l) => {
    const d = minMaxDownsample({ x: l.x, y: l.y }, buckets);
    const y = saved.log ? d.y.map((v) => (v > 0 ? v : null)) : d.y.map((v) => (Number.isFinite(v) ? v : null));
    return [d.x, y] as uPlot.AlignedData;
  });
  if (tables.length === 0) return [[]];
  // uPlot.join aligns series with different x values on one x array
  return uPlot.join(tables);
}

function rebuild(): void {
  dropPlot();
  invalidate();
}

const legendBox = (p: uPlot): HTMLElement => p.root.querySelector<HTMLElement>('.u-legend') ?? h('div');
/** Redraws when the chart's box or the plot's legend changes size (the plot fills the box less the legend). */
const resized = new ResizeObserver(() => invalidate());
function dropPlot(): void {
  if (plot) resized.unobserve(legendBox(plot));
  plot?.destroy();
  plot = undefined;
}

function draw(): void {
  const ls = lines();
  const width = Math.max(200, chartBox.clientWidth);
  // the legend sits under the plot inside the chart box and wraps in narrow panels: leave it its real height,
  // but never squeeze the drawing area below 100 px × the font scale under the x axis (a long legend of
  // earlier runs at a projector's size scrolls inside the chart box instead)
  const axes = chartAxisFonts();
  const minHeight = axes.size + axes.labelSize + Math.round(100 * fontScale());
  const height = Math.max(minHeight, chartBox.clientHeight - (plot ? legendBox(plot).offsetHeight + 8 : 48));
  const keys = ls.map((l) => l.key);
  const data = buildData(ls, width);
  if (!plot || keys.join() !== seriesKeys.join()) {
    dropPlot();
    seriesKeys = keys;
    const p = palette();
    const fonts = chartAxisFonts();
    const axis = (scale: string, side: number | undefined, label: string): uPlot.Axis => ({
      ...fonts,
      scale,
      ...(side !== undefined ? { side } : {}),
      label,
      stroke: p.fg,
      grid: { stroke: withAlpha(p.grid, 0.6), width: 1, show: scale !== 'acc' },
      ticks: { stroke: withAlpha(p.grid, 0.8), width: 1 },
    });
    plot = new uPlot(
      {
        width,
        height,
        pxAlign: 0,
        cursor: { drag: { x: true, y: false } },
        legend: { show: true },
        scales: {
          x: { time: false },
          loss: { distr: saved.log ? 3 : 1, auto: true },
          acc: { range: [0, 1] },
        },
        axes: [
          axis('x', undefined, saved.xMode === 'step' ? 'step' : saved.xMode === 'epoch' ? 'epoch' : 'wall time (s)'),
          axis('loss', 3, 'loss'),
          ...(ls.some((l) => l.series.scale === 'acc') ? [axis('acc', 1, 'accuracy')] : []),
        ],
        series: [{ label: saved.xMode }, ...ls.map((l) => ({ label: l.label, spanGaps: !l.key.startsWith('band-'), ...l.series }))],
        ...(keys.includes('band-hi') ? { bands: [{ series: [keys.indexOf('band-hi') + 1, keys.indexOf('band-lo') + 1] as [number, number], fill: withAlpha(p.purple, 0.18) }] } : {}),
      },
      data,
      chartBox,
    );
    // a new plot's legend may wrap to more or fewer lines than the estimate: refit once it is laid out
    resized.observe(legendBox(plot));
  } else {
    plot.setData(data);
    if (plot.width !== width || plot.height !== height) plot.setSize({ width, height });
  }
  redraws++;
  renderHeader();
  report();
}

// at most 30 draws a second, each in an animation frame
const invalidate = throttledRedraw(() => requestAnimationFrame(draw), 30);
resized.observe(chartBox);
onThemeChange(() => {
  rebuild();
  drawRegion();
});

function report(): void {
  conn.observe({ panel: 'loss', points: series.points, firstLoss: series.firstLoss, lastLoss: series.lastLoss, redraws });
}

// ---- training messages: the state takes them; `live` ones also fetch weights, runs and the full run
function onTrain(m: WorkerToHost, live: boolean): void {
  series.ingest(m);
  if (m.type === 'started') {
    weights = undefined;
    steps.clear();
  }
  if (!live) return;
  switch (m.type) {
    case 'started':
      void loadRuns();
      break;
    case 'epoch':
    case 'paused':
      requestWeights();
      break;
    case 'done':
      requestWeights();
      void loadRuns();
      void loadFullRun();
      break;
  }
}

conn.onMessage((msg) => {
  switch (msg.type) {
    case 'init':
    case 'spec':
      spec = msg.spec;
      setupRegion();
      if (msg.type === 'init') {
        void loadRuns();
        // a panel opened (or restored) with no run in this window shows the latest run on disk
        setTimeout(() => {
          if (series.points === 0 && series.phase === 'idle') void loadFullRun();
        }, 300);
      }
      break;
    case 'history':
      for (const m of msg.messages) onTrain(m, false);
      requestWeights();
      if (series.phase === 'done' || series.phase === 'failed') void loadFullRun();
      break;
    case 'train':
      onTrain(msg.message, true);
      break;
    case 'backend':
      series.backend = msg.report;
      break;
    case 'step':
      steps.show(msg.report);
      break;
    case 'weights':
      weights = msg.layers;
      weightsRun = undefined;
      drawRegion();
      break;
    default:
      return;
  }
  invalidate();
});

/** The live events are rate-limited; metrics.csv has every step and epoch. Replace the series with it. */
async function loadFullRun(): Promise<void> {
  let run: RunSeries | null;
  try {
    run = await conn.request('runMetrics', {});
  } catch {
    return;
  }
  if (!run || !Array.isArray(run.columns)) return;
  runs = runs.filter((r) => r.id !== run.id);
  currentRun = run;
  // the series takes the run (and its id) before the table is drawn: the table shows the panel's own run
  // only when it is the series' run, and nothing redrew it when an earlier-runs reply had come first
  const replaced = series.loadRun(run);
  renderTable();
  if (!replaced) return;
  weights = undefined;
  requestWeights();
  invalidate();
}

async function loadRuns(): Promise<void> {
  try {
    runs = await conn.request('listRuns', { limit: 8 });
    // the run in progress is drawn live; do not overlay it with itself
    if (series.phase === 'running' || series.phase === 'paused') runs = runs.filter((r) => r.summary !== undefined);
    runs = runs.filter((r) => r.id !== series.currentRunId);
    renderTable();
    rebuild();
  } catch (e) {
    conn.post({ type: 'log', level: 'warn', message: `earlier runs: ${e instanceof Error ? e.message : String(e)}` });
  }
}

// ---- decision regions (2-input classifiers)
let sample: DataSample | undefined;
let weights: LayerWeights[] | undefined;
/** the saved run the weights were read from (no run in this window) */
let weightsRun: string | undefined;
let grid: Grid | undefined;
const regionEnabled = (): boolean => !!spec && hasRegions(spec);

function setupRegion(): void {
  regionBox.hidden = !regionEnabled();
  if (!regionEnabled() || sample) return;
  void conn
    .request('sample', { max: 400 })
    .then((s) => {
      sample = s ?? undefined;
      if (sample) grid = bounds2d(sample.x);
      drawRegion();
    })
    .catch((e: unknown) => (regionCaption.textContent = `No data sample: ${e instanceof Error ? e.message : String(e)}`));
}

/** Weights at most 4 times a second, however fast epochs go. */
const fetchWeights = rateLimited(() => {
  void conn
    .request('weights', {})
    .then((w) => {
      if (w) {
        weights = w.layers;
        weightsRun = w.run;
        drawRegion();
      }
    })
    .catch(() => undefined);
}, 250);
function requestWeights(): void {
  if (regionEnabled()) fetchWeights();
}

function drawRegion(): void {
  if (!regionEnabled() || !spec) return;
  const g = grid ?? { x0: -1, x1: 1, y0: -1, y1: 1, nx: 64, ny: 64 };
  let map: RegionMap | undefined;
  if (weights) {
    try {
      const layers: ForwardLayer[] = spec.layers.map((l, i) => ({ type: l.type, activation: spec!.activations[i] }));
      map = { grid: g, ...predictGrid(layers, weights, g), singleOutput: singleOutput(spec) };
      regionCaption.textContent = `P(class) over [${fmt(g.x0, 2)}, ${fmt(g.x1, 2)}] × [${fmt(g.y0, 2)}, ${fmt(g.y1, 2)}]${sample?.standardized ? ' (standardised features: training mean 0, std 1)' : ''}, ${sample?.x.length ?? 0} points${weightsRun ? `; weights of run ${weightsRun}` : ''}`;
    } catch (e) {
      regionCaption.textContent = e instanceof Error ? e.message : String(e);
    }
  }
  paintRegions(regionCanvas, map, sample, g);
}

// ---- export
function exportCsv(): void {
  const lines = ['kind,step,epoch,batch_epoch,loss,val_loss,accuracy,val_accuracy,elapsed_ms'];
  const b = batch;
  for (let i = 0; i < b.loss.n; i++) lines.push(`batch,${b.step.a[i]},${Math.ceil(b.epochF.a[i])},${b.epochF.a[i]},${b.loss.a[i]},,,,${Math.round(b.time.a[i] * 1000)}`);
  const e = epochs;
  const cell = (v: number): string => (Number.isFinite(v) ? String(v) : '');
  for (let i = 0; i < e.loss.n; i++) lines.push(`epoch,${e.step.a[i]},${e.epoch.a[i]},${e.epoch.a[i]},${e.loss.a[i]},${cell(e.valLoss.a[i])},${cell(e.acc.a[i])},${cell(e.valAcc.a[i])},${Math.round(e.time.a[i] * 1000)}`);
  conn.post({ type: 'export', format: 'csv', name: `${spec?.name ?? 'loss'}-loss.csv`, data: lines.join('\n') + '\n' });
}

/** The runs of the table, the panel's own run first. */
function tableRuns(): { run: RunSeries; current: boolean }[] {
  const own = currentRun && currentRun.id === series.currentRunId ? currentRun : undefined;
  return [...(own ? [{ run: own, current: true }] : []), ...runs.filter((r) => r.id !== own?.id).map((run) => ({ run, current: false }))];
}

function renderTable(): void {
  table.render(tableRuns());
  renderHeader();
}

async function renameRun(id: string): Promise<void> {
  try {
    const r = await conn.request('renameRun', { id });
    if (!r) return;
    for (const run of [currentRun, ...runs]) if (run?.id === id) run.userLabel = r.label || undefined;
    renderTable();
    rebuild();
  } catch (e) {
    conn.post({ type: 'log', level: 'warn', message: `rename: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/**
 * The loss picture of src/core/view/plot.ts (runsPicture, the one `nnlab plot` writes): the panel's run
 * and the runs ticked in the table, by the names the table shows; PNG at 2× its 1200×675.
 */
async function exportPicture(format: 'png' | 'svg'): Promise<void> {
  let own: RunSeries | null = null;
  try {
    own = await conn.request('runMetrics', {});
  } catch {
    own = null;
  }
  if (own) currentRun = own;
  const rows = tableRuns().filter((r) => r.current || table.shown(r.run.id));
  if (rows.length === 0) {
    conn.post({ type: 'log', level: 'warn', message: 'export: no run to draw yet' });
    return;
  }
  table.render(tableRuns());
  const pictureRuns = rows.map(({ run }) => ({
    name: table.name(run.id),
    folder: run.id,
    series: run,
    ...(run.summary ? { summary: run.summary } : {}),
    ...(run.plannedEpochs !== undefined ? { plannedEpochs: run.plannedEpochs } : {}),
    ...(run.seedGroup ? { seedGroup: run.seedGroup } : {}),
  }));
  const { common } = runNames(rows.map(({ run }) => ({ folder: run.id, ...(run.hyper ? { hyper: run.hyper } : {}) })));
  const { svg } = runsPicture(pictureRuns, spec?.name, common);
  const name = `${spec?.name ?? 'loss'}-loss.${format}`;
  if (format === 'svg') conn.post({ type: 'export', format: 'svg', name, data: svg });
  else await exportSvgTextPng(conn, svg, 1200, 675, name, 2);
}

renderHeader();
conn.post({ type: 'ready' });
