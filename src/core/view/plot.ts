// A run's loss curves as a standalone SVG (light print background, sized for a 16:9 slide): the title,
// axes with ticks and labels (epoch; loss, on a log scale when the values span more than two decades),
// a legend, the epoch-mean training loss, the validation loss when the run has one, and every batch's
// loss faint behind them; for a comparison, other runs' epoch-mean losses named by what sets them apart,
// and the mean ± std band of a seed group. The loss panel's PNG/SVG export and `nnlab plot` draw this one
// picture (the panel rasterises it at 2× in the browser, the CLI with resvg). Pure: the SVG is built as a string (no DOM), every text escaped, so the CLI
// (`nnlab plot`) and a panel can both use it.
import type { RunSeries } from '../../protocol/webview';
import { column } from './metrics';
import { bandGroup, bandLabel, seedBand, type Band } from './compare';
import { runSummaryText } from '../explain/progress';
import { duration } from '../explain/format';
import type { RunSummary } from '../../protocol/training';

/** The loss series of one run, x in epochs: an epoch row at its completed-epoch count, batch b of n in epoch e at e − 1 + b/n. */
export interface LossCurves {
  /** completed epochs of the epoch rows */
  epochX: number[];
  /** the epoch-mean training loss ("loss" everywhere in NN Lab) */
  loss: number[];
  /** the validation loss of the epoch rows; absent when the run has none */
  valLoss?: number[];
  batchX: number[];
  batchLoss: number[];
}

/** The legend's words: "loss" is the epoch-mean training loss, a batch's loss is always "batch loss" (src/core/explain/progress.ts). */
export const LEGEND = { loss: 'training loss (epoch mean)', valLoss: 'validation loss', batchLoss: 'batch loss' } as const;

/** The loss curves of a parsed metrics.csv (parseMetricsCsv): rows of kind `epoch` and `step`. */
export function lossCurves(run: RunSeries): LossCurves {
  const kind = run.text?.kind ?? [];
  const epoch = column(run, 'epoch') ?? [];
  const batch = column(run, 'batch') ?? [];
  const loss = column(run, 'loss') ?? [];
  const val = column(run, 'val_loss');
  const perEpoch = new Map<number, number>();
  kind.forEach((k, i) => {
    if (k === 'step') perEpoch.set(epoch[i]!, Math.max(perEpoch.get(epoch[i]!) ?? 0, batch[i]!));
  });
  const c: LossCurves = { epochX: [], loss: [], batchX: [], batchLoss: [] };
  const v: number[] = [];
  kind.forEach((k, i) => {
    if (k === 'epoch') {
      c.epochX.push(epoch[i]!);
      c.loss.push(loss[i]!);
      v.push(val?.[i] ?? NaN);
    } else if (k === 'step') {
      c.batchX.push(epoch[i]! - 1 + batch[i]! / perEpoch.get(epoch[i]!)!);
      c.batchLoss.push(loss[i]!);
    }
  });
  if (v.some(Number.isFinite)) c.valLoss = v;
  return c;
}

/** The title of a run's plot: `<spec name> — <run folder name>` (the folder's name alone without a spec). */
export function plotTitle(specName: string | undefined, runName: string): string {
  return specName ? `${specName} — ${runName}` : runName;
}

/** `&`, `<`, `>`, quotes → entities; characters XML 1.0 does not allow (control characters, lone surrogates) → U+FFFD. */
export function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A map from data to pixels: linear, or linear in log10(value). */
export interface Scale {
  log: boolean;
  domain: [number, number];
  range: [number, number];
  ticks: number[];
  at(v: number): number;
}

function scale(log: boolean, domain: [number, number], range: [number, number], ticks: number[]): Scale {
  const f = log ? Math.log10 : (v: number) => v;
  const [d0, d1] = [f(domain[0]), f(domain[1])];
  return { log, domain, range, ticks, at: (v) => range[0] + ((f(v) - d0) / (d1 - d0)) * (range[1] - range[0]) };
}

/** Round numbers 1, 2 or 5 × 10^k apart covering [lo, hi], about `n` of them; the domain is the outer ticks. */
export function niceTicks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, n);
  }
  const raw = (hi - lo) / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * p;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const out: number[] = [];
  // decimals of the step, so 0.1 + 0.2 prints as 0.3
  const dp = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  for (let i = first; i <= last; i++) out.push(Number((i * step).toFixed(dp)));
  return out;
}

/** Powers of ten covering [lo, hi] (lo > 0); every other one (evenly spaced) past eight decades. */
export function decadeTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const every = b - a > 8 ? 2 : 1;
  const out: number[] = [];
  // evenly spaced: the top tick is the first one at or above hi
  for (let k = a; k - every < b; k += every) out.push(Number(`1e${k}`));
  return out;
}

/** A tick's label: `0.25`, `2`, `1e-4` (powers of ten below 0.001 and from 1e5 up as exponents). */
export function tickText(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential().replace(/\.?0*e\+?/, 'e');
  return String(Number(v.toPrecision(6)));
}

/** `s`, or its first characters and `…` when it is longer than `max` characters (a title stays inside the picture). */
export function fit(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, Math.max(1, Math.floor(max) - 1)).join('') + '…';
}

const r2 = (v: number): string => String(Math.round(v * 100) / 100);

/** `x1,y1 x2,y2 …` per run of finite (and, on a log scale, positive) points: a NaN breaks the line. */
export function polylinePoints(xs: readonly number[], ys: readonly number[], x: Scale, y: Scale): string[] {
  const lines: string[] = [];
  let cur: string[] = [];
  xs.forEach((xv, i) => {
    const yv = ys[i]!;
    if (Number.isFinite(xv) && Number.isFinite(yv) && (!y.log || yv > 0)) cur.push(`${r2(x.at(xv))},${r2(y.at(yv))}`);
    else if (cur.length) {
      lines.push(cur.join(' '));
      cur = [];
    }
  });
  if (cur.length) lines.push(cur.join(' '));
  return lines;
}

/** Another run drawn over the main one: its epoch-mean training loss, named in the legend. */
export interface PlotOverlay {
  label: string;
  curves: LossCurves;
}

export interface LossPlotOptions {
  title: string;
  /** the main run's name in the legend when runs are compared ("lr 0.05": the legend then says "lr 0.05 (training loss, epoch mean)") */
  mainLabel?: string;
  /** other runs, drawn as solid coloured lines over the main run (epoch-mean loss only) */
  overlays?: readonly PlotOverlay[];
  /** the mean ± std band across seeds (compare.ts seedBand), drawn under the curves where n ≥ 2 */
  band?: { label: string; band: Band };
  /** one line under the title, e.g. the run's summary */
  subtitle?: string;
  /** default 1200 × 675 (16:9) */
  width?: number;
  height?: number;
}

export interface LossPlot {
  svg: string;
  x: Scale;
  y: Scale;
}

// unquoted family names (valid CSS): resvg 2.6 skips quoted names in a list; browsers read both
const FONT = 'font-family="Helvetica Neue, Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif"';
const COLORS = { loss: '#1f5fbf', valLoss: '#d9622b', batchLoss: '#1f5fbf', axis: '#333333', grid: '#e3e3e3', text: '#1a1a1a', muted: '#555555', band: '#7a4fbf' };
/** the compared runs' colours (Tableau 10, print-safe on white; blue and orange are the main run's) */
export const OVERLAY_COLORS = ['#59a14f', '#e15759', '#b07aa1', '#9c755f', '#edc948', '#76b7b2', '#ff9da7', '#bab0ac'] as const;
/** about the width of a character of a sans-serif font, as a fraction of its size */
const CHAR_W = 0.6;

/** The loss plot of a run's curves: the SVG text and the two scales it drew with. */
export function lossPlot(c: LossCurves, o: LossPlotOptions): LossPlot {
  const W = o.width ?? 1200;
  const H = o.height ?? 675;
  const overlays = o.overlays ?? [];
  const band = o.band?.band;
  const bandRows = band ? band.x.map((_, i) => i).filter((i) => band.n[i]! >= 2 && Number.isFinite(band.std[i]!)) : [];
  const bandLo = bandRows.map((i) => band!.mean[i]! - band!.std[i]!);
  const bandHi = bandRows.map((i) => band!.mean[i]! + band!.std[i]!);
  const ys = [...c.loss, ...(c.valLoss ?? []), ...c.batchLoss, ...overlays.flatMap((v) => v.curves.loss), ...(band?.mean ?? []), ...bandHi].filter(Number.isFinite);
  // the band's lower edge counts where it stays positive (on a log scale a band reaching 0 is cut at the axis)
  ys.push(...bandLo.filter((v) => Number.isFinite(v) && (v > 0 || ys.some((y) => y <= 0))));
  const positive = ys.filter((v) => v > 0);
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const log = positive.length === ys.length && positive.length > 0 && hi / lo > 100;
  const yTicks = log ? decadeTicks(lo, hi) : niceTicks(lo, hi);
  const xs = [...c.epochX, ...c.batchX, ...overlays.flatMap((v) => v.curves.epochX), ...(band?.x ?? [])].filter(Number.isFinite);
  const xMax = xs.length ? Math.max(...xs) : 1;
  const xTicks = niceTicks(0, Math.max(1, xMax), 8).filter((t) => Number.isInteger(t));

  // margins from the text they hold
  const tickFont = 15;
  const yLabelW = Math.max(...yTicks.map((t) => tickText(t).length)) * tickFont * CHAR_W;
  const left = 24 + 22 + yLabelW + 10;
  const right = 36;
  const bottom = 72;

  // legend: rows under the title, wrapped to the plot's width
  const compared = overlays.length > 0 || band !== undefined;
  const entries: [string, string][] = [[compared && o.mainLabel ? `${o.mainLabel}: ${LEGEND.loss}` : LEGEND.loss, `stroke="${COLORS.loss}" stroke-width="2.5"`]];
  if (c.valLoss) entries.push([compared && o.mainLabel ? `${o.mainLabel}: ${LEGEND.valLoss}` : LEGEND.valLoss, `stroke="${COLORS.valLoss}" stroke-width="2.5" stroke-dasharray="8 5"`]);
  if (c.batchLoss.length) entries.push([LEGEND.batchLoss, `stroke="${COLORS.batchLoss}" stroke-opacity="0.5" stroke-width="2"`]);
  overlays.forEach((v, i) => entries.push([v.label, `stroke="${OVERLAY_COLORS[i % OVERLAY_COLORS.length]}" stroke-width="2.5"`]));
  if (band && o.band) entries.push([o.band.label, `stroke="${COLORS.band}" stroke-width="10" stroke-opacity="0.25"`]);
  const legendFont = 15;
  const maxLegend = (W - right - left) / (legendFont * 0.52) - 12;
  const labels = entries.map(([label]) => fit(label, maxLegend));
  const widths = labels.map((label) => 28 + 8 + [...label].length * legendFont * 0.52 + 22);
  const rows: number[][] = [[]];
  let rowW = 0;
  widths.forEach((w, i) => {
    if (rowW + w > W - right - left + 22 && rows[rows.length - 1]!.length) {
      rows.push([]);
      rowW = 0;
    }
    rows[rows.length - 1]!.push(i);
    rowW += w;
  });
  const legendTop = o.subtitle ? 94 : 72;
  const top = legendTop + 24 * rows.length + 4;
  const x = scale(false, [0, xTicks[xTicks.length - 1]!], [left, W - right], xTicks);
  const y = scale(log, [yTicks[0]!, yTicks[yTicks.length - 1]!], [H - bottom, top], yTicks);

  const out: string[] = [];
  const text = (tx: number, ty: number, s: string, attrs: string): void => void out.push(`<text x="${r2(tx)}" y="${r2(ty)}" ${attrs}>${xmlText(s)}</text>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" ${FONT}>`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  text(left, 38, fit(o.title, (W - right - left) / (26 * CHAR_W)), `font-size="26" font-weight="600" fill="${COLORS.text}"`);
  if (o.subtitle) text(left, 66, fit(o.subtitle, (W - right - left) / (16 * CHAR_W)), `font-size="16" fill="${COLORS.muted}"`);

  // grid, ticks and tick labels
  for (const t of yTicks) {
    const py = r2(y.at(t));
    out.push(`<line x1="${r2(left)}" y1="${py}" x2="${r2(W - right)}" y2="${py}" stroke="${COLORS.grid}" stroke-width="1"/>`);
    out.push(`<line x1="${r2(left - 6)}" y1="${py}" x2="${r2(left)}" y2="${py}" stroke="${COLORS.axis}" stroke-width="1"/>`);
    text(left - 10, y.at(t) + 5, tickText(t), `font-size="${tickFont}" text-anchor="end" fill="${COLORS.text}"`);
  }
  for (const t of xTicks) {
    const px = r2(x.at(t));
    out.push(`<line x1="${px}" y1="${r2(H - bottom)}" x2="${px}" y2="${r2(H - bottom + 6)}" stroke="${COLORS.axis}" stroke-width="1"/>`);
    text(x.at(t), H - bottom + 24, tickText(t), `font-size="${tickFont}" text-anchor="middle" fill="${COLORS.text}"`);
  }
  out.push(`<path d="M${r2(left)},${r2(top)} V${r2(H - bottom)} H${r2(W - right)}" fill="none" stroke="${COLORS.axis}" stroke-width="1.5"/>`);
  text((left + W - right) / 2, H - 18, 'epoch', `font-size="17" text-anchor="middle" fill="${COLORS.text}"`);
  const yLabel = log ? 'loss (log scale)' : 'loss';
  out.push(`<text transform="translate(30 ${r2((top + H - bottom) / 2)}) rotate(-90)" font-size="17" text-anchor="middle" fill="${COLORS.text}">${xmlText(yLabel)}</text>`);

  // curves: batch loss faint underneath, then validation, then the training loss on top
  const curve = (pts: string[], cls: string, style: string): void => {
    for (const p of pts) out.push(`<polyline class="${cls}" points="${p}" fill="none" ${style}/>`);
  };
  if (band && bandRows.length) {
    // the band: mean + std left to right, then mean − std back (clamped to the axis on a log scale)
    const lowest = y.domain[0];
    const pt = (i: number, v: number): string => `${r2(x.at(band.x[i]!))},${r2(y.at(y.log ? Math.max(v, lowest) : v))}`;
    const upper = bandRows.map((i) => pt(i, band.mean[i]! + band.std[i]!));
    const lower = [...bandRows].reverse().map((i) => pt(i, band.mean[i]! - band.std[i]!));
    out.push(`<polygon class="band" points="${[...upper, ...lower].join(' ')}" fill="${COLORS.band}" fill-opacity="0.18" stroke="none"/>`);
    curve(polylinePoints(band.x, band.mean, x, y), 'band-mean', `stroke="${COLORS.band}" stroke-width="2" stroke-dasharray="3 3"`);
  }
  curve(polylinePoints(c.batchX, c.batchLoss, x, y), 'batch-loss', `stroke="${COLORS.batchLoss}" stroke-opacity="0.3" stroke-width="1.2"`);
  if (c.valLoss) curve(polylinePoints(c.epochX, c.valLoss, x, y), 'val-loss', `stroke="${COLORS.valLoss}" stroke-width="2.5" stroke-dasharray="8 5" stroke-linejoin="round"`);
  overlays.forEach((v, i) => curve(polylinePoints(v.curves.epochX, v.curves.loss, x, y), `overlay overlay-${i}`, `stroke="${OVERLAY_COLORS[i % OVERLAY_COLORS.length]}" stroke-width="2.5" stroke-linejoin="round"`));
  curve(polylinePoints(c.epochX, c.loss, x, y), 'loss', `stroke="${COLORS.loss}" stroke-width="2.5" stroke-linejoin="round"`);
  // few epochs: each epoch's value marked, so a short run's points read as points
  if (c.epochX.length <= 40) {
    const dots = (ys: readonly number[], color: string): void => {
      for (const p of polylinePoints(c.epochX, ys, x, y).flatMap((l) => l.split(' '))) {
        const [cx, cy] = p.split(',');
        out.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${color}"/>`);
      }
    };
    if (c.valLoss) dots(c.valLoss, COLORS.valLoss);
    dots(c.loss, COLORS.loss);
  }

  out.push('<g class="legend">');
  rows.forEach((row, r) => {
    let lx = left;
    const ly = legendTop + 24 * r;
    for (const i of row) {
      out.push(`<line x1="${r2(lx)}" y1="${r2(ly)}" x2="${r2(lx + 28)}" y2="${r2(ly)}" ${entries[i]![1]}/>`);
      text(lx + 36, ly + 5, labels[i]!, `font-size="${legendFont}" fill="${COLORS.text}"`);
      lx += widths[i]!;
    }
  });
  out.push('</g>');
  out.push('</svg>');
  return { svg: out.join('\n') + '\n', x, y };
}

/** One run of a comparison plot: its metrics and its name (compare.ts runNames). */
export interface PlotRun {
  name: string;
  series: RunSeries;
}

/**
 * The picture of runs compared: the first run is the main one (batch loss faint, validation loss), the
 * others are drawn over it by name, and `band` (indices into `runs` of one seed group) adds the mean ± std
 * band of their epoch-mean losses. One run alone is lossPlot of its curves. The loss panel's export and
 * `nnlab plot` both call this.
 */
export function runsPlot(runs: readonly PlotRun[], o: Omit<LossPlotOptions, 'overlays' | 'band' | 'mainLabel'>, band?: readonly number[]): LossPlot {
  const curves = runs.map((r) => lossCurves(r.series));
  const main = curves[0] ?? { epochX: [], loss: [], batchX: [], batchLoss: [] };
  if (runs.length < 2) return lossPlot(main, o);
  const members = band && band.length >= 2 ? band : undefined;
  return lossPlot(main, {
    ...o,
    mainLabel: runs[0]!.name,
    overlays: runs.slice(1).map((r, i) => ({ label: r.name, curves: curves[i + 1]! })),
    ...(members ? { band: { label: bandLabel(members.length), band: seedBand(members.map((i) => ({ x: curves[i]!.epochX, y: curves[i]!.loss }))) } } : {}),
  });
}

/** A run as the picture needs it: its metrics, name, folder, summary, planned epochs and seed group. */
export interface PictureRun extends PlotRun {
  folder: string;
  summary?: RunSummary;
  plannedEpochs?: number;
  seedGroup?: string;
}

/**
 * The one picture of runs, as the loss panel exports it and `nnlab plot` writes it: one run is titled
 * `<spec> — <its name>` under its summary line (runSummaryText, as the CLI prints it); several are
 * `<spec> — N runs` under what they share (`common`, compare.ts runNames), with the band of the first
 * seed group that has two of them.
 */
export function runsPicture(runs: readonly PictureRun[], specName: string | undefined, common: string): LossPlot {
  const first = runs[0];
  let title = plotTitle(specName, `${runs.length} runs`);
  let subtitle: string | undefined = common || undefined;
  if (runs.length === 1 && first) {
    title = plotTitle(specName, first.name);
    const s = first.summary;
    subtitle = s && first.plannedEpochs !== undefined ? runSummaryText({ ...s, finalLoss: typeof s.finalLoss === 'number' ? s.finalLoss : NaN }, first.plannedEpochs, duration(s.elapsedMs)) : undefined;
  }
  const band = bandGroup(runs.map((r) => ({ folder: r.folder, ...(r.seedGroup ? { seedGroup: r.seedGroup } : {}) })));
  return runsPlot(runs, { title, ...(subtitle ? { subtitle } : {}) }, band?.members);
}
