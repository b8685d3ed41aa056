// `nnlab plot RUN --out loss.svg` and its pure SVG builder (src/core/view/plot.ts): the curves read from
// metrics.csv, the points placed through the axis scales, the log scale past two decades, the title and
// legend words, XML escaping (checked by Python's XML parser), and the CLI's usage errors and exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetricsCsv } from '../../../src/core/view/metrics';
import { fit, LEGEND, lossCurves, lossPlot, niceTicks, decadeTicks, tickText, xmlText, type LossCurves } from '../../../src/core/view/plot';
import { runSummaryText } from '../../../src/core/explain/progress';
import { duration } from '../../../src/core/explain/format';
import { usageText } from '../../../src/cli/args';
import { command, run as plotCli } from '../../../src/cli/commands/plot';
import { run as trainCli } from '../../../src/cli/commands/train';
import type { RunSummary } from '../../../src/protocol/training';

const METRICS = `kind,step,epoch,batch,loss,val_loss,accuracy,val_accuracy,elapsed_ms
step,1,1,1,0.8,,,,1.0
step,2,1,2,0.6,,,,2.0
epoch,2,1,,0.7,0.9,,,2.5
step,3,2,1,0.5,,,,3.0
step,4,2,2,0.3,,,,4.0
epoch,4,2,,0.4,0.55,,,4.5
`;

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => void out.push(s), err: (s) => void err.push(s) }, out, err };
}

/** The `points` of the polylines of one class, in order. */
const points = (svg: string, cls: string): string[] => [...svg.matchAll(new RegExp(`<polyline class="${cls}" points="([^"]*)"`, 'g'))].map((m) => m[1]!);
/** Every text element's content, in order. */
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

test('lossCurves: epoch rows at their completed-epoch count, batch b of n in epoch e at e − 1 + b/n, validation loss kept', () => {
  const c = lossCurves(parseMetricsCsv(METRICS, 'r'));
  assert.deepEqual(c, { epochX: [1, 2], loss: [0.7, 0.4], valLoss: [0.9, 0.55], batchX: [0.5, 1, 1.5, 2], batchLoss: [0.8, 0.6, 0.5, 0.3] });
  // no val_loss values: no validation curve and no legend entry for it
  const noVal = lossCurves(parseMetricsCsv(METRICS.replace(',0.9,', ',,').replace(',0.55,', ',,'), 'r'));
  assert.equal(noVal.valLoss, undefined);
  const svg = lossPlot(noVal, { title: 't' }).svg;
  assert.deepEqual(points(svg, 'val-loss'), []);
  assert.ok(!texts(svg).includes(LEGEND.valLoss));
});

test('ticks: 1-2-5 steps on a linear axis, powers of ten on a log axis, labels short', () => {
  assert.deepEqual(niceTicks(0.3, 0.9), [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  assert.deepEqual(niceTicks(0.22, 0.293), [0.22, 0.24, 0.26, 0.28, 0.3]);
  assert.deepEqual(niceTicks(0, 500, 8), [0, 100, 200, 300, 400, 500]);
  assert.deepEqual(niceTicks(2, 2), [1.8, 1.9, 2, 2.1, 2.2]);
  assert.deepEqual(decadeTicks(4.48e-5, 0.25), [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
  assert.deepEqual(decadeTicks(2e-12, 3), [1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1, 100]);
  assert.deepEqual(decadeTicks(0.01, 1), [0.01, 0.1, 1]);
  assert.deepEqual([1e-5, 1e-4, 0.001, 0.3, 2, 100, 1e5].map(tickText), ['1e-5', '1e-4', '0.001', '0.3', '2', '100', '1e5']);
});

test('lossPlot: every polyline point is its metrics value through the axis scale (linear)', () => {
  const c = lossCurves(parseMetricsCsv(METRICS, 'r'));
  const { svg, x, y } = lossPlot(c, { title: 't' });
  assert.equal(y.log, false);
  assert.deepEqual(y.domain, [0.3, 0.9]);
  assert.deepEqual(x.domain, [0, 2]);
  assert.equal(x.range[1], 1200 - 36);
  assert.equal(y.range[0], 675 - 72);
  // the oracle: the linear map written out, not the module's `at`
  const px = (e: number): number => x.range[0] + (e / 2) * (x.range[1] - x.range[0]);
  const py = (v: number): number => y.range[0] + ((v - 0.3) / 0.6) * (y.range[1] - y.range[0]);
  const pts = (xs: number[], ys: number[]): string => xs.map((e, i) => `${Math.round(px(e) * 100) / 100},${Math.round(py(ys[i]!) * 100) / 100}`).join(' ');
  assert.deepEqual(points(svg, 'loss'), [pts([1, 2], [0.7, 0.4])]);
  assert.deepEqual(points(svg, 'val-loss'), [pts([1, 2], [0.9, 0.55])]);
  assert.deepEqual(points(svg, 'batch-loss'), [pts([0.5, 1, 1.5, 2], [0.8, 0.6, 0.5, 0.3])]);
  // the top tick (0.9) is the plot's top edge: the first validation point lies on it
  assert.equal(Math.round(py(0.9) * 100) / 100, y.range[1]);
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675" width="1200" height="675"'));
  assert.match(svg, /<rect width="1200" height="675" fill="#ffffff"\/>/);
  assert.deepEqual(texts(svg), ['t', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '0', '1', '2', 'epoch', 'loss', LEGEND.loss, LEGEND.valLoss, LEGEND.batchLoss]);
  assert.deepEqual(LEGEND, { loss: 'training loss (epoch mean)', valLoss: 'validation loss', batchLoss: 'batch loss' });
});

test('lossPlot: log scale once the values span more than two decades; a NaN breaks the line', () => {
  const c: LossCurves = { epochX: [1, 2, 3, 4], loss: [1, 0.01, NaN, 0.0001], batchX: [], batchLoss: [] };
  const { svg, y } = lossPlot(c, { title: 't' });
  assert.equal(y.log, true);
  assert.deepEqual(y.ticks, [1e-4, 1e-3, 1e-2, 1e-1, 1]);
  // 0.01 is two of four decades up: halfway between the bottom and the top
  const mid = Math.round(((y.range[0] + y.range[1]) / 2) * 100) / 100;
  const lines = points(svg, 'loss');
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!.split(' ')[1]!.split(',')[1], String(mid));
  assert.equal(lines[1]!.split(',')[1], String(y.range[0]));
  assert.ok(texts(svg).includes('loss (log scale)'));
  // exactly two decades stays linear; a batch loss of 0 keeps the axis linear (log 0 has no place)
  assert.equal(lossPlot({ ...c, loss: [1, 0.01] , epochX: [1, 2] }, { title: 't' }).y.log, false);
  assert.equal(lossPlot({ ...c, batchX: [0.5], batchLoss: [0] }, { title: 't' }).y.log, false);
});

test('xmlText: markup and quotes become entities, characters XML forbids become U+FFFD', () => {
  assert.equal(xmlText(`<b>"Tom & Jerry's"</b>`), '&lt;b&gt;&quot;Tom &amp; Jerry&apos;s&quot;&lt;/b&gt;');
  assert.equal(xmlText('a\u0001b\u001fc\ud800d\n'), 'a\ufffdb\ufffdc\ufffdd\n');
  assert.equal(xmlText('😀'), '😀');
});

test('a title too long for the picture is cut with …, characters (not UTF-16 halves) counted', () => {
  assert.equal(fit('abcdef', 6), 'abcdef');
  assert.equal(fit('abcdefg', 6), 'abcde…');
  assert.equal(fit('😀😀😀', 2), '😀…');
  const long = 'x'.repeat(300);
  const title = texts(lossPlot(lossCurves(parseMetricsCsv(METRICS, 'r')), { title: long }).svg)[0]!;
  // 1200 − 36 − the left margin (24 + 22 + three tick characters at 15 × 0.6 + 10) over 26 × 0.6 per character
  assert.equal(title, 'x'.repeat(Math.floor((1200 - 36 - (24 + 22 + 3 * 15 * 0.6 + 10)) / (26 * 0.6)) - 1) + '…');
});

test('nnlab plot: trains a tiny run with a hostile name, writes a well-formed SVG with its title, summary and curves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-plot-'));
  try {
    const name = `<script>alert("x")</script> & 'y' \u0001]]>`;
    const spec = {
      version: 1,
      name,
      input: { shape: [2] },
      layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 1, activation: 'sigmoid' }],
      loss: 'mse',
      optimizer: { type: 'adam', learningRate: 0.05 },
      training: { epochs: 3, batchSize: 8, seed: 42, validationSplit: 0.25 },
      data: { type: 'generator', name: 'circle', samples: 32 },
    };
    writeFileSync(join(dir, 'h.nn.json'), JSON.stringify(spec));
    assert.equal(await trainCli([join(dir, 'h.nn.json'), '--backend', 'cpu'], capture().io), 0);
    const runsDir = join(dir, '.nnlab', 'runs');
    const [runName] = readdirSync(runsDir);
    const runDir = join(runsDir, runName!);
    const out = join(dir, 'loss.svg');
    const c = capture();
    assert.equal(await plotCli(['latest', '--runs', runsDir, '--out', out], c.io), 0);
    assert.deepEqual(c.err, []);
    assert.deepEqual(c.out, [`wrote ${out}\n`]);
    const svg = readFileSync(out, 'utf8');
    // Python's XML parser reads it: the hostile name did not break the document
    const parsed = spawnSync('python3', ['-c', 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.tag); print(next(r.iter("{http://www.w3.org/2000/svg}text")).text)', out], { encoding: 'utf8' });
    assert.equal(parsed.status, 0, parsed.stderr);
    assert.equal(parsed.stdout, `{http://www.w3.org/2000/svg}svg\n${name.replace('\u0001', '\ufffd')} — ${runName}\n`);
    assert.ok(!svg.includes('<script'));
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    const t = texts(svg);
    assert.equal(t[1], xmlText(runSummaryText(summary, 3, duration(summary.elapsedMs))));
    assert.match(t[1]!, /^completed: epoch 3\/3, 9 steps in .+; loss 0\.\d{4}$/);
    assert.deepEqual(t.slice(-3), [LEGEND.loss, LEGEND.valLoss, LEGEND.batchLoss]);
    // the curves are the metrics.csv's: 3 epoch points each for loss and validation, 9 batch points
    const curves = lossCurves(parseMetricsCsv(readFileSync(join(runDir, 'metrics.csv'), 'utf8'), 'r'));
    assert.deepEqual(curves.epochX, [1, 2, 3]);
    assert.equal(points(svg, 'loss')[0]!.split(' ').length, 3);
    assert.equal(points(svg, 'val-loss')[0]!.split(' ').length, 3);
    assert.equal(points(svg, 'batch-loss')[0]!.split(' ').length, 9);
    // the run folder works as well as a name
    assert.equal(await plotCli([runDir, '--out', out], capture().io), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nnlab plot: usage errors exit 2 (--out missing or neither .svg nor .png), a missing run exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-plot-usage-'));
  try {
    const cases: [string[], number, string][] = [
      [['latest', '--runs', dir, '--out', 'loss.txt'], 2, 'nnlab plot: --out must name an .svg or .png file, got loss.txt\n'],
      [['latest', '--runs', dir], 2, `nnlab plot: --out is required, e.g. --out loss.svg or --out loss.png\n\n${usageText(command)}`],
      [['--out', 'loss.svg'], 2, `nnlab plot: expects at least 1 argument (<run> [<run>…]), got 0\n\n${usageText(command)}`],
      [['latest', '--runs', dir, '--out', join(dir, 'loss.png')], 1, `nnlab plot: no run found at "latest" (nor in ${dir})\n`],
      [['latest', '--runs', dir, '--out', join(dir, 'loss.svg')], 1, `nnlab plot: no run found at "latest" (nor in ${dir})\n`],
    ];
    for (const [args, code, err] of cases) {
      const c = capture();
      assert.equal(await plotCli(args, c.io), code, args.join(' '));
      assert.deepEqual(c.out, []);
      assert.equal(c.err.join(''), err);
    }
    assert.ok(!existsSync(join(dir, 'loss.png')) && !existsSync(join(dir, 'loss.svg')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
