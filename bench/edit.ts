// `npm run bench -- --only edit`: what one edit of a weight costs in the graph panel (issue 16 item 2:
// "editing updates within 100 ms on the samples"): WeightEdits.set, then everything the panel
// recomputes from the edited weights: the loss on the data, the decision regions (64×64 grid), the
// formula card (src/core/view/edit.ts editView), and the neuron view's trace and gradients over the
// panel's sample (GraphState.recompute) — on xor, circle, spiral and mnist, the panel's data (at most 256 rows).
// Pure JS in this process, as the webview runs it. Also runnable alone: node --import tsx bench/edit.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../src/core/spec';
import { loadData } from '../src/core/data';
import { initialWeights } from '../src/core/train/init';
import { buildSpecView } from '../src/core/view/specView';
import { GraphState } from '../src/core/view/graphState';
import { GRAPH_SAMPLE_ROWS, WeightEdits, editView, sampleStride } from '../src/core/view/edit';
import type { DataSample } from '../src/protocol/webview';

export interface EditResult {
  spec: string;
  rows: number;
  params: number;
  edits: number;
  /** per edit: best and median of the whole recompute, and of its parts (median) */
  bestMs: number;
  medianMs: number;
  regionsLossCardMs: number;
  traceGradsMs: number;
  /** median CPU time (user + system) of one edit: less sensitive than wall time to a busy machine */
  cpuMs: number;
}

const SPECS = ['xor', 'circle', 'spiral', 'mnist'];
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');

async function panelSample(file: string): Promise<{ text: string; sample: DataSample }> {
  const text = readFileSync(file, 'utf8');
  const spec = parseSpec(text).spec!;
  const d = await loadData(spec, file);
  const n = d.xShape[0];
  const w = d.x.length / n;
  const k = d.yShape[1];
  const step = sampleStride(n, GRAPH_SAMPLE_ROWS);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n && x.length < GRAPH_SAMPLE_ROWS; i += step) {
    x.push(Array.from(d.x.subarray(i * w, (i + 1) * w)));
    y.push(Array.from(d.y.subarray(i * k, (i + 1) * k)));
  }
  return { text, sample: { x, y } };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function editBench(edits = 40): Promise<EditResult[]> {
  const out: EditResult[] = [];
  for (const name of SPECS) {
    const file = join(root, 'samples', `${name}.nn.json`);
    const { text, sample } = await panelSample(file);
    const view = buildSpecView(file, text);
    const base = initialWeights(parseSpec(text).spec!);
    const e = new WeightEdits();
    e.setBase(base);
    const state = new GraphState();
    state.spec = view;
    state.sample = sample;
    const first = base[0];
    const totals: number[] = [];
    const partA: number[] = [];
    const partB: number[] = [];
    const cpu: number[] = [];
    for (let k = 0; k < edits + 3; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const w = e.set({ kind: 'weight', layer: first.layer, from: k % first.W.length, to: k % first.W[0].length }, -1 + (2 * k) / edits);
      const v = editView(view, w, sample, { target: { kind: 'weight', layer: first.layer, from: 0, to: 0 }, cardSample: 1 });
      const t1 = performance.now();
      state.setWeights(w, 0);
      if (state.recompute()) throw new Error(`${name}: the weights do not evaluate`);
      const t2 = performance.now();
      const c = process.cpuUsage(c0);
      if (!Number.isFinite(v.loss) || !v.card) throw new Error(`${name}: no loss or card`);
      if (k < 3) continue; // warm-up (JIT)
      totals.push(t2 - t0);
      partA.push(t1 - t0);
      partB.push(t2 - t1);
      cpu.push((c.user + c.system) / 1000);
    }
    out.push({
      spec: name,
      rows: sample.x.length,
      params: view.totalParams,
      edits,
      bestMs: Math.min(...totals),
      medianMs: median(totals),
      regionsLossCardMs: median(partA),
      traceGradsMs: median(partB),
      cpuMs: median(cpu),
    });
  }
  return out;
}

export function editLines(rs: readonly EditResult[]): string[] {
  const f = (v: number): string => v.toFixed(1);
  return [
    'Edit a weight in the graph panel (one edit → loss on the data, 64×64 decision regions, formula card, neuron trace and gradients):',
    '',
    '| spec | rows | params | edits | best ms | median ms | median CPU ms | loss + regions + card (median ms) | trace + gradients (median ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rs.map((r) => `| ${r.spec} | ${r.rows} | ${r.params} | ${r.edits} | ${f(r.bestMs)} | ${f(r.medianMs)} | ${f(r.cpuMs)} | ${f(r.regionsLossCardMs)} | ${f(r.traceGradsMs)} |`),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void editBench().then((r) => console.log(editLines(r).join('\n')));
}
