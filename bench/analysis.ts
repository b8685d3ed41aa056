// Pure helpers of `npm run bench` (bench/run.ts), kept apart so they are tested with fixtures
// (test/unit/bench/analysis.test.ts): where one backend overtakes another in the sweep, and the
// sweep's SVG plot (docs/bench-sweep.svg).

/** One point of the sweep: a width-width-width-10 ReLU net at one batch size, samples/s per series. */
export interface SweepPoint {
  width: number;
  batch: number;
  /** forward multiply-adds per training step: per-sample MACs × batch (what `auto` decides by) */
  macsPerStep: number;
  /** samples/s by series ("cpu", "wasm", "wasm×2", "PyTorch"); absent where not measured */
  samplesPerSec: Record<string, number | undefined>;
}

export interface Crossover {
  /** the threshold in forward MACs per step: geometric mean of the last point `fast` lost and the first from which it never loses */
  macs: number;
  /** the largest MACs/step at which `fast` was slower (undefined: it never was) */
  lastLoss?: number;
  /** the smallest MACs/step from which `fast` is never slower */
  firstWin: number;
}

/**
 * From which work per step `fast` is at least as fast as `slow` at every measured point above it
 * (within `tie`: 3 % counts as a draw, which goes to `fast`). Undefined when `fast` loses at the
 * largest point measured by both. Sorted by MACs/step, so a noisy point in the middle moves the
 * crossover up, never down: the threshold errs on the side of `slow`.
 */
export function crossover(points: readonly SweepPoint[], slow: string, fast: string, tie = 0.03): Crossover | undefined {
  const both = points
    .filter((p) => p.samplesPerSec[slow] !== undefined && p.samplesPerSec[fast] !== undefined)
    .sort((a, b) => a.macsPerStep - b.macsPerStep);
  if (both.length === 0) return undefined;
  const wins = (p: SweepPoint): boolean => (p.samplesPerSec[fast] as number) >= (1 - tie) * (p.samplesPerSec[slow] as number);
  let i = both.length;
  while (i > 0 && wins(both[i - 1])) i--;
  if (i === both.length) return undefined;
  const firstWin = both[i].macsPerStep;
  if (i === 0) return { macs: firstWin, firstWin };
  const lastLoss = both[i - 1].macsPerStep;
  return { macs: Math.round(Math.sqrt(lastLoss * firstWin)), lastLoss, firstWin };
}

/** Whether a threshold in code agrees with a measured crossover: at or above the last loss, at or below the first win. */
export function agrees(threshold: number, c: Crossover | undefined): boolean {
  if (!c) return false;
  return (c.lastLoss === undefined || threshold > c.lastLoss) && threshold <= c.firstWin;
}

const COLORS: Record<string, string> = { cpu: '#c0392b', wasm: '#2471a3', PyTorch: '#7d3c98' };
const color = (series: string): string => COLORS[series] ?? (series.startsWith('wasm') ? '#17a589' : series.startsWith('PyTorch') ? '#af7ac5' : '#555');

/**
 * samples/s against forward MACs per step, log-log, one colour per series and one thin line per
 * (series, width) through its batch sizes; dashed verticals at the thresholds `auto` uses.
 */
export function sweepSvg(points: readonly SweepPoint[], series: readonly string[], title: string, thresholds: readonly { macs: number; label: string }[]): string {
  const W = 760;
  const H = 460;
  const m = { l: 70, r: 150, t: 40, b: 56 };
  const xs = [...points.map((p) => p.macsPerStep), ...thresholds.map((t) => t.macs)];
  const ys = points.flatMap((p) => series.map((s) => p.samplesPerSec[s]).filter((v): v is number => v !== undefined && v > 0));
  const lx0 = Math.floor(Math.log10(Math.min(...xs)));
  const lx1 = Math.ceil(Math.log10(Math.max(...xs)));
  const ly0 = Math.floor(Math.log10(Math.min(...ys)));
  const ly1 = Math.ceil(Math.log10(Math.max(...ys)));
  const px = (v: number): number => m.l + ((Math.log10(v) - lx0) / (lx1 - lx0)) * (W - m.l - m.r);
  const py = (v: number): number => H - m.b - ((Math.log10(v) - ly0) / (ly1 - ly0)) * (H - m.t - m.b);
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${m.l}" y="22" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (let e = lx0; e <= lx1; e++) {
    const x = px(10 ** e);
    out.push(`<line x1="${f(x)}" y1="${m.t}" x2="${f(x)}" y2="${H - m.b}" stroke="#eee"/><text x="${f(x)}" y="${H - m.b + 16}" text-anchor="middle">1e${e}</text>`);
  }
  for (let e = ly0; e <= ly1; e++) {
    const y = py(10 ** e);
    out.push(`<line x1="${m.l}" y1="${f(y)}" x2="${W - m.r}" y2="${f(y)}" stroke="#eee"/><text x="${m.l - 6}" y="${f(y + 4)}" text-anchor="end">1e${e}</text>`);
  }
  out.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 14}" text-anchor="middle">forward multiply-adds per training step (MACs per sample × batch)</text>`);
  out.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">samples/s</text>`);
  // labels one below the other (thresholds can lie close together)
  thresholds.forEach((t, i) => {
    const x = px(t.macs);
    out.push(`<line x1="${f(x)}" y1="${m.t}" x2="${f(x)}" y2="${H - m.b}" stroke="#888" stroke-dasharray="4 3"/><text x="${f(x + 3)}" y="${m.t + 12 + 14 * i}" fill="#555">${esc(t.label)}</text>`);
  });
  const widths = [...new Set(points.map((p) => p.width))].sort((a, b) => a - b);
  for (const s of series) {
    for (const w of widths) {
      const pts = points.filter((p) => p.width === w && p.samplesPerSec[s] !== undefined).sort((a, b) => a.macsPerStep - b.macsPerStep);
      if (pts.length > 1) out.push(`<polyline fill="none" stroke="${color(s)}" stroke-opacity="0.45" points="${pts.map((p) => `${f(px(p.macsPerStep))},${f(py(p.samplesPerSec[s] as number))}`).join(' ')}"/>`);
      for (const p of pts) out.push(`<circle cx="${f(px(p.macsPerStep))}" cy="${f(py(p.samplesPerSec[s] as number))}" r="3" fill="${color(s)}"><title>${esc(`${s}: width ${p.width}, batch ${p.batch}: ${Math.round(p.samplesPerSec[s] as number)} samples/s`)}</title></circle>`);
    }
  }
  series.forEach((s, i) => {
    const y = m.t + 14 + i * 18;
    out.push(`<circle cx="${W - m.r + 16}" cy="${y - 4}" r="4" fill="${color(s)}"/><text x="${W - m.r + 26}" y="${y}">${esc(s)}</text>`);
  });
  out.push(`<text x="${W - m.r + 10}" y="${m.t + 14 + series.length * 18 + 10}" fill="#555" font-size="11"><tspan x="${W - m.r + 10}">one line per width</tspan>${widthLines(widths).map((l) => `<tspan x="${W - m.r + 10}" dy="14">${l}</tspan>`).join('')}<tspan x="${W - m.r + 10}" dy="14">batch rising along it</tspan></text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Steady-state steps/s from the elapsed ms of each step: the second half of the run, JIT warm-up excluded. */
export function steadyRate(times: readonly number[]): number {
  const from = Math.floor(times.length / 2);
  const n = times.length - 1 - from;
  return n > 0 ? (n * 1000) / (times[times.length - 1] - times[from]) : NaN;
}

/**
 * The 1 → n threads crossovers on either side of WASM_THREADS_MIN_BATCH rows per step (the thread
 * rule's two thresholds, src/core/train/size.ts): `large` over the points with at least that batch,
 * `small` over the others.
 */
export function threadCrossovers(points: readonly SweepPoint[], threaded: string, minBatch: number): { large: Crossover | undefined; small: Crossover | undefined } {
  return {
    large: crossover(points.filter((p) => p.batch >= minBatch), 'wasm', threaded),
    small: crossover(points.filter((p) => p.batch < minBatch), 'wasm', threaded),
  };
}

/** The widths in the plot's side note, four to a line: "(8, 16, 32, 64," … "1024, 2048),". */
function widthLines(widths: readonly number[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < widths.length; i += 4) lines.push(widths.slice(i, i + 4).join(', '));
  return lines.map((l, i) => `${i === 0 ? '(' : ''}${l}${i === lines.length - 1 ? '),' : ','}`);
}

/** The parts of `npm run bench` besides the workload rows (`--only` names them). */
export const BENCH_PARTS = ['ceiling', 'split', 'product', 'sweep'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/** Whether `--only <list>` runs a part: a part runs when named; with only workloads named, every part but the sweep runs for them. */
export function wantsPart(only: readonly string[] | undefined, part: BenchPart): boolean {
  return !only || only.includes(part) || (part !== 'sweep' && !only.some((o) => (BENCH_PARTS as readonly string[]).includes(o)));
}

/** Whether the training benchmark runs at all: some workload row, or the sweep (which has no workload rows). */
export function trainsAnything(only: readonly string[] | undefined, workloads: number): boolean {
  return workloads > 0 || wantsPart(only, 'sweep');
}
