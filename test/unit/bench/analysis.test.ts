// bench/analysis.ts: the crossovers `auto` is set from, and the sweep's plot, on fixed sweep data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { agrees, crossover, sweepSvg, threadCrossovers, trainsAnything, wantsPart, type SweepPoint } from '../../../bench/analysis';
import { AUTO_WASM_MIN_STEP_MACS } from '../../../src/core/train/select';
import { WASM_THREADS_MIN_BATCH, WASM_THREADS_MIN_STEP_MACS, WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS } from '../../../src/core/train/size';

const pt = (macsPerStep: number, cpu?: number, wasm?: number, threads?: number): SweepPoint => ({ width: 64, batch: 16, macsPerStep, samplesPerSec: { cpu, wasm, 'wasm×2': threads } });

// cpu wins up to 1e4, wasm from 1e5; threads lose up to 1e6 and win (or tie within 3 %) from 4e6
const FIXTURE: SweepPoint[] = [
  pt(1e3, 5000, 2000, 1500),
  pt(1e4, 3000, 2500, 2000),
  pt(1e5, 1000, 4000, 3000),
  pt(1e6, 100, 3000, 2900),
  pt(4e6, 30, 2000, 1950),
  pt(1e7, undefined, 1000, 1800),
];

test('crossover: the geometric mean between the last loss and the first point from which the faster one never loses', () => {
  assert.deepEqual(crossover(FIXTURE, 'cpu', 'wasm'), { macs: Math.round(Math.sqrt(1e4 * 1e5)), lastLoss: 1e4, firstWin: 1e5 });
  // 2900 vs 3000 is a 3.3 % loss; 1950 vs 2000 a 2.5 % draw, which goes to the threads
  assert.deepEqual(crossover(FIXTURE, 'wasm', 'wasm×2'), { macs: 2e6, lastLoss: 1e6, firstWin: 4e6 });
});

test('crossover: a loss above a win moves the crossover up; never winning at the top is undefined; always winning is the smallest point', () => {
  const noisy = FIXTURE.map((p) => (p.macsPerStep === 1e6 ? { ...p, samplesPerSec: { ...p.samplesPerSec, cpu: 5000 } } : p));
  assert.equal(crossover(noisy, 'cpu', 'wasm')?.firstWin, 4e6);
  assert.equal(crossover(FIXTURE, 'wasm', 'cpu'), undefined);
  assert.deepEqual(crossover([pt(10, 1, 2), pt(100, 1, 3)], 'cpu', 'wasm'), { macs: 10, firstWin: 10 });
  assert.equal(crossover([], 'cpu', 'wasm'), undefined);
});

test('agrees: a threshold in code must lie above the last loss and at or below the first win', () => {
  const c = crossover(FIXTURE, 'cpu', 'wasm');
  assert.equal(agrees(20_000, c), true);
  assert.equal(agrees(1e5, c), true);
  assert.equal(agrees(1e4, c), false);
  assert.equal(agrees(2e5, c), false);
  assert.equal(agrees(1, undefined), false);
});

test('sweepSvg: log-log axes over the data, one marker per measured point, thresholds as dashed lines, escaped text', () => {
  const svg = sweepSvg(FIXTURE, ['cpu', 'wasm', 'wasm×2'], 'a < b & c', [{ macs: 2e4, label: 'cpu→wasm' }]);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="760" height="460"/);
  assert.equal((svg.match(/<circle cx/g) ?? []).length, 5 + 6 + 6 + 3, 'measured points plus 3 legend markers');
  assert.match(svg, />1e3<\/text>/);
  assert.match(svg, />1e7<\/text>/);
  assert.match(svg, /stroke-dasharray="4 3"\/><text [^>]*>cpu→wasm<\/text>/);
  assert.match(svg, />a &lt; b &amp; c<\/text>/);
  assert.match(svg, /<title>wasm×2: width 64, batch 16: 1800 samples\/s<\/title>/);
});

test('the thresholds `auto` uses agree with the recorded sweep (bench-sweep.json, written by `npm run bench -- --only sweep --svg`)', () => {
  const sweep = JSON.parse(readFileSync(new URL('./bench-sweep.json', import.meta.url), 'utf8')) as { series: string[]; points: SweepPoint[] };
  const threaded = sweep.series.find((s) => /^wasm×\d+$/.test(s));
  assert.ok(threaded, `a threaded wasm series in ${sweep.series.join(', ')}`);
  const c = crossover(sweep.points, 'cpu', 'wasm');
  assert.ok(agrees(AUTO_WASM_MIN_STEP_MACS, c), `AUTO_WASM_MIN_STEP_MACS ${AUTO_WASM_MIN_STEP_MACS} against the measured cpu → wasm crossover ${JSON.stringify(c)}`);
  const t = threadCrossovers(sweep.points, threaded, WASM_THREADS_MIN_BATCH);
  assert.ok(agrees(WASM_THREADS_MIN_STEP_MACS, t.large), `WASM_THREADS_MIN_STEP_MACS ${WASM_THREADS_MIN_STEP_MACS} against the measured 1 → n threads crossover at batch ≥ ${WASM_THREADS_MIN_BATCH}: ${JSON.stringify(t.large)}`);
  assert.ok(agrees(WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS, t.small), `WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS ${WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS} against the measured crossover at batch < ${WASM_THREADS_MIN_BATCH}: ${JSON.stringify(t.small)}`);
});

test('threadCrossovers: one crossover over the steps of at least minBatch rows, one over the smaller batches', () => {
  const at = (batch: number, macsPerStep: number, wasm: number, threads: number): SweepPoint => ({ width: 64, batch, macsPerStep, samplesPerSec: { wasm, 'wasm×2': threads } });
  const points = [at(64, 1e5, 100, 80), at(64, 1e6, 100, 110), at(16, 1e6, 100, 90), at(16, 1e7, 100, 95), at(16, 1e8, 100, 130), at(256, 1e7, 100, 150)];
  assert.deepEqual(threadCrossovers(points, 'wasm×2', 64), {
    large: { macs: Math.round(Math.sqrt(1e5 * 1e6)), lastLoss: 1e5, firstWin: 1e6 },
    small: { macs: Math.round(Math.sqrt(1e7 * 1e8)), lastLoss: 1e7, firstWin: 1e8 },
  });
});

test('--only: a part runs when named, with only workloads named every part but the sweep; `--only sweep` trains (it has no workload rows, and printed nothing when that stopped the bench)', () => {
  assert.equal(trainsAnything(['sweep'], 0), true);
  assert.equal(wantsPart(['sweep'], 'sweep'), true);
  assert.equal(wantsPart(['sweep'], 'product'), false);
  assert.equal(trainsAnything(['analyze'], 0), false);
  assert.equal(trainsAnything(['step', 'edit'], 0), false);
  assert.equal(trainsAnything(['wide'], 1), true);
  assert.deepEqual(['ceiling', 'split', 'product', 'sweep'].map((p) => wantsPart(['wide'], p as 'sweep')), [true, true, true, false]);
  assert.deepEqual(['ceiling', 'split', 'product', 'sweep'].map((p) => wantsPart(undefined, p as 'sweep')), [true, true, true, true]);
  assert.deepEqual(['ceiling', 'split', 'product', 'sweep'].map((p) => wantsPart(['mnist64', 'product'], p as 'sweep')), [false, false, true, false]);
});
