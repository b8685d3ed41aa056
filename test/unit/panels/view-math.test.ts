import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minMaxDownsample, visibleRange } from '../../../src/core/view/downsample';
import { emaSmooth, StreamingEma } from '../../../src/core/view/ema';
import { RedrawThrottle } from '../../../src/core/view/throttle';
import { histogram, deadUnits } from '../../../src/core/view/histogram';
import { parseColor, diverging, edgeWidth, toCss } from '../../../src/core/view/color';
import { parseMetricsCsv, column, toCsv, CsvError } from '../../../src/core/view/metrics';

test('min/max downsampling of 100,000 points keeps first, last, global min and max, and stays small', () => {
  const n = 100_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = Float64Array.from({ length: n }, (_, i) => Math.exp(-i / 20_000) + 0.01 * Math.sin(i));
  y[12_345] = 5; // a spike
  y[77_777] = -3; // a dip
  const d = minMaxDownsample({ x, y }, 1000);
  assert.ok(d.x.length <= 2002, `got ${d.x.length} points`);
  assert.ok(d.x.length >= 1000);
  assert.equal(d.x[0], 0);
  assert.equal(d.x[d.x.length - 1], n - 1);
  assert.ok(d.x.includes(12_345) && d.y.includes(5));
  assert.ok(d.x.includes(77_777) && d.y.includes(-3));
  for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] > d.x[i - 1], 'x strictly increasing');
  // the input is untouched (never drop data)
  assert.equal(y.length, n);
  assert.equal(y[12_345], 5);
});

test('downsampling a short series returns it unchanged; NaN gaps are skipped in buckets', () => {
  assert.deepEqual(minMaxDownsample({ x: [1, 2, 3], y: [3, 2, 1] }, 10), { x: [1, 2, 3], y: [3, 2, 1] });
  const x = Array.from({ length: 50 }, (_, i) => i);
  const y = x.map((i) => (i % 2 ? NaN : i));
  const d = minMaxDownsample({ x, y }, 5);
  assert.ok(d.y.slice(1, -1).every((v) => Number.isFinite(v)));
});

test('visibleRange finds the slice of sorted x inside a zoom window', () => {
  const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  assert.deepEqual(visibleRange(x, 3, 5), [2, 7]);
  assert.deepEqual(visibleRange(x, -10, 100), [0, 10]);
});

test('EMA smoothing is debiased like TensorBoard (hand-computed values)', () => {
  const s = emaSmooth([1, 2, 3], 0.6);
  assert.equal(s[0], 1);
  assert.ok(Math.abs(s[1] - 1.04 / 0.64) < 1e-12);
  assert.ok(Math.abs(s[2] - 1.824 / 0.784) < 1e-12);
  assert.deepEqual(emaSmooth([4, 5, 6], 0), [4, 5, 6]);
  const withGap = emaSmooth([1, NaN, 3], 0.5);
  assert.ok(Number.isNaN(withGap[1]));
  assert.ok(Math.abs(withGap[2] - (0.25 + 1.5) / 0.75) < 1e-12);
  const st = new StreamingEma(0.6);
  const streamed = [1, 2, 3].map((v) => st.push(v));
  assert.deepEqual(streamed, s);
});

test('redraw throttle: 1,000 messages in one second give at most 31 draws, and the last data is drawn', () => {
  const t = new RedrawThrottle(30);
  const timers: number[] = [];
  let draws = 0;
  let lastDrawAt = -1;
  for (let now = 0; now <= 1000; now++) {
    const d = t.invalidate(now);
    if (d !== undefined) timers.push(now + d);
    // fire due timers
    for (let i = timers.length - 1; i >= 0; i--) {
      if (timers[i] <= now) {
        timers.splice(i, 1);
        if (t.shouldDraw(now)) {
          draws++;
          lastDrawAt = now;
        } else {
          const r = t.retryDelay(now);
          if (r !== undefined) timers.push(now + r);
        }
      }
    }
  }
  // drain
  for (let now = 1001; timers.length && now < 2000; now++) {
    for (let i = timers.length - 1; i >= 0; i--) {
      if (timers[i] <= now) {
        timers.splice(i, 1);
        if (t.shouldDraw(now)) {
          draws++;
          lastDrawAt = now;
        }
      }
    }
  }
  assert.ok(draws <= 32 && draws >= 25, `draws=${draws}`);
  assert.ok(lastDrawAt >= 1000, 'the final data gets drawn');
});

test('histogram bins, out-of-range counts and dead units', () => {
  const h = histogram([-2, -1, -0.5, 0, 0.5, 1, 3, NaN], 4, -1, 1);
  assert.deepEqual(h.counts, [1, 1, 1, 2]); // [-1,-.5) [-.5,0) [0,.5) [.5,1]
  assert.equal(h.below, 1);
  assert.equal(h.above, 1);
  assert.equal(h.total, 7);
  assert.deepEqual(deadUnits([[-1, 2, -3], [-0.5, -1, 4]]), { dead: 1, units: 3 });
});

test('colour parsing and the diverging weight scale', () => {
  assert.deepEqual(parseColor('#fff'), [255, 255, 255, 1]);
  assert.deepEqual(parseColor('#1e1e1e'), [30, 30, 30, 1]);
  assert.deepEqual(parseColor('#00000080'), [0, 0, 0, 128 / 255]);
  assert.deepEqual(parseColor('rgba(10, 20, 30, 0.5)'), [10, 20, 30, 0.5]);
  assert.equal(parseColor('var(--x)'), undefined);
  const neg: [number, number, number, number] = [255, 0, 0, 1];
  const mid: [number, number, number, number] = [128, 128, 128, 1];
  const pos: [number, number, number, number] = [0, 0, 255, 1];
  assert.deepEqual(diverging(-2, 2, neg, mid, pos), neg);
  assert.deepEqual(diverging(0, 2, neg, mid, pos), mid);
  assert.deepEqual(diverging(1, 2, neg, mid, pos), [64, 64, 191.5, 1]);
  assert.deepEqual(diverging(99, 2, neg, mid, pos), pos);
  assert.equal(toCss([64, 64, 191.5, 1]), 'rgba(64, 64, 192, 1)');
  assert.equal(edgeWidth(0, 1), 0.5);
  assert.equal(edgeWidth(-1, 1), 6);
  assert.equal(edgeWidth(0.25, 1), 0.5 + 5.5 * 0.5);
});

test('metrics.csv parsing keeps every row and reports bad cells with their line', () => {
  const r = parseMetricsCsv('step,epoch,loss,val_loss\n1,1,0.7,\n2,1,0.6,0.65\n\n3,2,0.5,0.55\n', 'run1');
  assert.deepEqual(r.columns, ['step', 'epoch', 'loss', 'val_loss']);
  assert.deepEqual(r.values[2], [0.7, 0.6, 0.5]);
  assert.ok(Number.isNaN(r.values[3][0]));
  assert.deepEqual(column(r, 'valLoss')?.slice(1), [0.65, 0.55]);
  const k = parseMetricsCsv('kind,step,loss\nstep,1,0.9\nepoch,1,0.8\n', 'r');
  assert.deepEqual(k.text, { kind: ['step', 'epoch'] });
  assert.ok(k.values[0].every(Number.isNaN));
  assert.deepEqual(k.values[2], [0.9, 0.8]);
  assert.throws(() => parseMetricsCsv('', 'r'), (e: unknown) => e instanceof CsvError && e.message === 'line 1: missing header row');
  assert.throws(() => parseMetricsCsv('a,b\n1\n', 'r'), /line 2: expected 2 cells, found 1/);
  // the line is the file's, blank lines counted; quoted cells are read as the writer writes them
  assert.throws(() => parseMetricsCsv('a,b\n1,2\n\n3\n', 'r'), /line 4: expected 2 cells, found 1/);
  assert.deepEqual(parseMetricsCsv('"a,1",b\n1,2\n', 'r').columns, ['a,1', 'b']);
  assert.equal(toCsv(['step', 'loss'], [[1, 2], [0.5, NaN]]), 'step,loss\n1,0.5\n2,\n');
});
