// Comparing runs in one picture (issue 13 items 17 and 20, issue 16 item 7): `nnlab train --seeds N`
// groups its runs in run.json, `nnlab plot` names several runs by what sets them apart and draws a seed
// group's mean ± std band, and `--out loss.png` rasterises the same SVG at 2× (resvg), a PNG that decodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { run as trainCli } from '../../../src/cli/commands/train';
import { run as plotCli } from '../../../src/cli/commands/plot';
import { readRunMeta, writeRunMeta, parseRunMeta, runMetaText, cleanRunLabel, RUN_LABEL_MAX } from '../../../src/core/train/runs';
import { parseMetricsCsv } from '../../../src/core/view/metrics';
import { lossCurves } from '../../../src/core/view/plot';
import { groupSpread, seedBand } from '../../../src/core/view/compare';
import type { RunSummary } from '../../../src/protocol/training';

function capture(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => void out.push(s), err: (s) => void err.push(s) }, out, err };
}
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
const XOR = { version: 1, name: 'xor', input: { shape: [2] }, layers: [{ type: 'dense', units: 4, activation: 'tanh' }, { type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'mse', optimizer: { type: 'adam', learningRate: 0.05 }, training: { epochs: 6, batchSize: 4, seed: 42 }, data: { type: 'generator', name: 'xor', samples: 4 } };

test('run.json: a label is cleaned and kept beside the seed group; a damaged file reads as nothing', () => {
  assert.equal(cleanRunLabel('  fast\u0007 one\n\t '), 'fast one');
  assert.equal([...cleanRunLabel('x'.repeat(200))].length, RUN_LABEL_MAX);
  assert.deepEqual(parseRunMeta('{"label": 3, "seedGroup": "g"}'), { seedGroup: 'g' });
  assert.deepEqual(parseRunMeta('not json'), {});
  assert.equal(runMetaText({ label: 'lr 0.5 (fast)', seedGroup: 'g' }), '{\n  "format": "nnlab.run",\n  "version": 1,\n  "label": "lr 0.5 (fast)",\n  "seedGroup": "g"\n}\n');
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-meta-'));
  try {
    assert.deepEqual(readRunMeta(dir), {});
    writeRunMeta(dir, { seedGroup: 'seeds-1' });
    assert.deepEqual(writeRunMeta(dir, { label: ' mine ' }), { label: 'mine', seedGroup: 'seeds-1' });
    // an empty label removes it and keeps the group
    assert.deepEqual(writeRunMeta(dir, { label: '' }), { seedGroup: 'seeds-1' });
    assert.deepEqual(readdirSync(dir), ['run.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nnlab train --seeds 3, then nnlab plot --seeds: runs named by seed, the band from their metrics, a 2× PNG that decodes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-seeds-'));
  try {
    const spec = join(dir, 'xor.nn.json');
    writeFileSync(spec, JSON.stringify(XOR));
    const before = readFileSync(spec, 'utf8');
    const t = capture();
    assert.equal(await trainCli([spec, '--backend', 'cpu', '--seeds', '3'], t.io), 0, t.err.join(''));
    assert.equal(readFileSync(spec, 'utf8'), before, 'the user spec is untouched');
    const runsDir = join(dir, '.nnlab', 'runs');
    const runs = readdirSync(runsDir).sort().map((n) => join(runsDir, n));
    assert.equal(runs.length, 3);
    const seeds = runs.map((r) => (JSON.parse(readFileSync(join(r, 'spec.nn.json'), 'utf8')) as typeof XOR).training.seed);
    assert.deepEqual(seeds, [42, 43, 44]);
    const groups = runs.map((r) => readRunMeta(r).seedGroup);
    assert.ok(groups[0] && groups.every((g) => g === groups[0]), String(groups));
    // the spread line is groupSpread of the three summary.json files
    const summaries = runs.map((r) => JSON.parse(readFileSync(join(r, 'summary.json'), 'utf8')) as RunSummary);
    const spread = groupSpread(summaries);
    assert.match(spread.loss, /^0\.\d{4} ± 0\.\d{4} \(3 seeds\)$/);
    assert.ok(t.out.join('').endsWith(`3 seeds (42, 43, 44): loss ${spread.loss}${spread.accuracy !== '–' ? `, accuracy ${spread.accuracy}` : ''}\n`), t.out.join('').slice(-200));

    const svgOut = join(dir, 'seeds.svg');
    assert.equal(await plotCli([runs[1]!, '--seeds', '--out', svgOut], capture().io), 0);
    const svg = readFileSync(svgOut, 'utf8');
    const words = texts(svg);
    assert.equal(words[0], 'xor — 3 runs');
    for (const legend of ['seed 42: training loss (epoch mean)', 'seed 43', 'seed 44', 'mean (dotted) ± std of 3 seeds']) assert.ok(words.includes(legend), `legend "${legend}" in ${words.join(' | ')}`);
    // the band's polygon spans every epoch: mean + std out, mean − std back, 6 + 6 points
    const band = seedBand(runs.map((r) => lossCurves(parseMetricsCsv(readFileSync(join(r, 'metrics.csv'), 'utf8'), r))).map((c) => ({ x: c.epochX, y: c.loss })));
    assert.deepEqual(band.n, [3, 3, 3, 3, 3, 3]);
    const poly = /<polygon class="band" points="([^"]*)"/.exec(svg);
    assert.ok(poly && poly[1]!.split(' ').length === 12);

    const pngOut = join(dir, 'seeds.png');
    const c = capture();
    assert.equal(await plotCli([runs[0]!, runs[1]!, runs[2]!, '--out', pngOut], c.io), 0, c.err.join(''));
    assert.deepEqual(c.out, [`wrote ${pngOut} (2400×1350 px)\n`]);
    const png = PNG.sync.read(readFileSync(pngOut));
    assert.equal(png.width, 2 * 1200);
    assert.equal(png.height, 2 * 675);
    // white print background in the corner, dark title text in its box (text rendered with a system font)
    const at = (x: number, y: number): number[] => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4));
    assert.deepEqual(at(2, 2), [255, 255, 255, 255]);
    let dark = 0;
    for (let y = 40; y < 90; y++) for (let x = 200; x < 700; x++) if (at(x, y)[0]! < 100) dark++;
    assert.ok(dark > 500, `title pixels: ${dark}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nnlab plot --seeds on a run trained alone says why, exit 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-seeds1-'));
  try {
    const spec = join(dir, 'xor.nn.json');
    writeFileSync(spec, JSON.stringify({ ...XOR, training: { ...XOR.training, epochs: 1 } }));
    assert.equal(await trainCli([spec, '--backend', 'cpu'], capture().io), 0);
    const c = capture();
    assert.equal(await plotCli(['latest', '--runs', join(dir, '.nnlab', 'runs'), '--seeds', '--out', join(dir, 'x.svg')], c.io), 1);
    assert.match(c.err.join(''), /^nnlab plot: run \d{8}-\d{6}-\d{3}-xor was not trained as one of several seeds \(its run\.json has no seedGroup\); train with nnlab train --seeds N\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
