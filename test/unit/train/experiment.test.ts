// The initialisation lab and the learning-rate / batch-size sweep (src/core/train/experiment.ts) on
// the real trainer (CPU backend): zeros' symmetry, He/Glorot σ against their formulas and the course's
// worked number, the 1-D gradient descent of the walkthrough (its table is the oracle) diverging above
// α = 1, the divergence rule, the default variants, and `nnlab lab` (exact table cells, usage errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSpec } from '../../../src/core/spec';
import { loadData } from '../../../src/core/data';
import type { NetworkSpec } from '../../../src/core/spec/types';
import { selectBackend } from '../../../src/core/train/select';
import { initialWeights } from '../../../src/core/train/init';
import { descentTable } from '../../../src/core/autodiff/examples';
import {
  defaultAlphas,
  defaultBatchSizes,
  distinctUnits,
  divergence,
  experimentTable,
  initStd,
  initVariants,
  runExperiment,
  sweepVariants,
  type ExperimentKind,
  type ExperimentResult,
} from '../../../src/core/train/experiment';
import { run as lab } from '../../../src/cli/commands/lab';
import { dense, makeSpec } from './helpers';

const root = resolve(__dirname, '../../..');
const cpu = async () => (await selectBackend('cpu', { modulePaths: [] })).backend;

async function experiment(file: string, kind: ExperimentKind, extra: { epochs?: number; alphas?: number[]; batchSizes?: (number | 'full')[] } = {}): Promise<ExperimentResult> {
  const path = resolve(root, file);
  const spec = parseSpec(readFileSync(path, 'utf8')).spec;
  assert.ok(spec, `${file} parses`);
  return runExperiment({ backend: await cpu(), spec, specName: file, data: await loadData(spec, path), kind, ...extra });
}

const std = (v: number[]): number => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};

test('zeros init: every hidden unit stays identical (the columns of W¹ and b¹ equal) at every snapshot, and the loss stays high', async () => {
  const r = await experiment('samples/exercises/zeros-init.nn.json', 'init', { epochs: 30 });
  assert.deepEqual(r.variants.map((v) => v.id), ['zeros', 'normal', 'he', 'glorot']);
  const zeros = r.variants[0]!;
  const W1 = zeros.finalWeights[0]!.W;
  // the units moved (not a trivially untouched network) …
  assert.ok(W1.flat().some((x) => Math.abs(x) > 0.01), `W¹ moved: ${JSON.stringify(W1)}`);
  // … but every unit (column: W ∈ ℝ^{nᵢ×nₒ}) equals the first, exactly (same z, same gradient, same update)
  for (const row of W1) for (const x of row) assert.equal(x, row[0]);
  const b1 = zeros.finalWeights[0]!.b!;
  for (const x of b1) assert.equal(x, b1[0]);
  for (const s of zeros.snapshots) assert.equal(s.layers[0]!.distinct, 1, `epoch ${s.epoch}: 1 distinct unit of 4`);
  assert.equal(zeros.snapshots[0]!.layers[0]!.units, 4);
  // a random init breaks the symmetry: 4 distinct units from the start
  for (const v of r.variants.slice(1)) assert.equal(v.snapshots[0]!.layers[0]!.distinct, 4, v.id);
  assert.ok(zeros.finalLoss > 0.15, `zeros loss ${zeros.finalLoss}`);
  for (const v of r.variants.slice(1)) assert.ok(v.finalLoss < zeros.finalLoss, `${v.id} ${v.finalLoss} < zeros ${zeros.finalLoss}`);
});

test('zeros init on XOR (tanh, samples/xor.nn.json): every gradient is exactly 0, nothing moves, loss 0.25 for all 500 epochs', async () => {
  const r = await experiment('samples/xor.nn.json', 'init');
  const zeros = r.variants.find((v) => v.id === 'zeros')!;
  assert.equal(zeros.epochs, 500);
  assert.equal(zeros.epochsToTarget, undefined);
  assert.ok(Math.abs(zeros.finalLoss - 0.25) < 1e-6, String(zeros.finalLoss));
  for (const s of zeros.snapshots) for (const l of s.layers) assert.equal(l.stats.grad.meanAbs, 0, `epoch ${s.epoch} ${l.name}`);
  for (const row of zeros.finalWeights[0]!.W) for (const x of row) assert.equal(x, row[0]);
  // Glorot is the sample's own init: 58 epochs to ε, as samples/xor.nn.json's description says
  const glorot = r.variants.find((v) => v.id === 'glorot')!;
  assert.equal(glorot.epochsToTarget, 58);
  assert.equal(glorot.stopReason, 'lossBelowTarget');
  const t = experimentTable(r);
  assert.deepEqual(t.headers, ['variant', 'final loss', 'best loss', 'epochs to ε = 0.001', 'epochs', 'time', 'outcome']);
  assert.deepEqual(t.rows[0]!.filter((_, i) => i !== 5), ['zeros', '0.2500', '0.2500', '—', '500', 'not below ε']);
  assert.deepEqual(t.rows[3]!.filter((_, i) => i !== 5).slice(3), ['58', '58', 'reached ε']);
});

test('He and Glorot σ per layer equal √(2/nᵢ) and √(2/(nᵢ+nₒ)); nᵢ = 2 gives the course\'s σ = 1; drawn weights match within 2 %', async () => {
  const r = await experiment('samples/xor.nn.json', 'init', { epochs: 1 });
  const he = r.variants.find((v) => v.id === 'he')!;
  const glorot = r.variants.find((v) => v.id === 'glorot')!;
  assert.deepEqual(he.init.map((l) => [l.nIn, l.nOut, l.formula]), [
    [2, 4, 1], // the course: nᵢ = 2 ⇒ σ = 1
    [4, 1, Math.sqrt(2 / 4)],
  ]);
  assert.deepEqual(glorot.init.map((l) => l.formula), [Math.sqrt(2 / 6), Math.sqrt(2 / 5)]);
  assert.deepEqual(r.variants.find((v) => v.id === 'normal')!.init.map((l) => l.formula), [0.4, 0.4]);
  assert.deepEqual(r.variants.find((v) => v.id === 'zeros')!.init.map((l) => [l.formula, l.measured]), [[0, 0], [0, 0]]);
  // the drawn weights of a large layer (784 → 128, 100,352 values) have the formula's σ
  const big = makeSpec({ input: [784], layers: [dense(128, 'relu'), dense(10, 'linear')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 1 });
  for (const v of initVariants(big).filter((x) => x.id !== 'zeros')) {
    const W = initialWeights(v.spec)[0]!.W.flat();
    const want = initStd((v.spec.layers[0] as { init: Parameters<typeof initStd>[0] }).init, 784, 128)!;
    assert.ok(Math.abs(std(W) / want - 1) < 0.02, `${v.id}: σ ${std(W)} vs ${want}`);
  }
  assert.equal(initStd({ type: 'he' }, 784, 128), Math.sqrt(2 / 784));
  assert.equal(initStd({ type: 'glorot' }, 784, 128), Math.sqrt(2 / 912));
});

test('1-D gradient descent (L = w², w₀ = 1.8): the trainer reproduces the walkthrough table; α = 1.1 diverges, 0.3 and 0.9 converge, 1 stalls', async () => {
  const alphas = [0.3, 0.9, 1, 1.1];
  const r = await experiment('samples/exercises/learning-rate.nn.json', 'sweep', { alphas, epochs: 12 });
  // one training sample: no batch-size group
  assert.deepEqual(r.variants.map((v) => v.label), ['α = 0.3', 'α = 0.9', 'α = 1', 'α = 1.1']);
  for (const v of r.variants) {
    const oracle = descentTable(v.learningRate, 1.8, 0, v.epochs);
    // epoch k's loss is measured before its update: L(w_{k−1}); float32 training, so relative 1e-5
    v.losses.forEach((l, k) => assert.ok(Math.abs(l - oracle.rows[k]!.loss) <= 1e-5 * Math.max(1, oracle.rows[k]!.loss), `α ${v.learningRate} epoch ${k + 1}: ${l} vs ${oracle.rows[k]!.loss}`));
    const w = v.finalWeights[0]!.W[0]![0]!;
    const wOracle = oracle.rows[v.epochs]!.w;
    assert.ok(Math.abs(w - wOracle) <= 1e-5 * Math.max(1, Math.abs(wOracle)), `α ${v.learningRate}: w ${w} vs ${wOracle}`);
    assert.equal(v.divergence.diverged, oracle.behaviour === 'diverges', `α ${v.learningRate}: ${oracle.behaviour}`);
  }
  const [a03, a09, a1, a11] = r.variants;
  assert.equal(a03!.epochsToTarget, 6); // L(w₅) = 0.00034 < ε, measured in epoch 6
  assert.equal(a09!.divergence.diverged, false);
  assert.equal(a1!.divergence.diverged, false);
  assert.ok(Math.abs(a1!.finalLoss - 3.24) < 1e-5, 'α = 1: w jumps between ±1.8, L = 3.24 for ever');
  assert.deepEqual(a11!.divergence, { diverged: true, epoch: 1, why: 'the loss grew from epoch 1 on (3.240 → 178.9)' });
  assert.equal(experimentTable(r).rows[3]![6], 'diverged (epoch 1)');
});

test('a loss that overflows to ∞ (α = 1000 on L = w²) stops the variant: diverged in the epoch it happened, the others still run', async () => {
  const r = await experiment('samples/exercises/learning-rate.nn.json', 'sweep', { alphas: [1000, 0.3] });
  const [big, ok] = r.variants;
  // w_k = (1 − 2000)ᵏ·1.8: L = w² passes float32's 3.4e38 in step 7 (L(w₆) ≈ 1.3e40)
  assert.equal(big!.stopReason, 'nan');
  assert.equal(big!.epochs, 6);
  assert.deepEqual(big!.divergence, { diverged: true, epoch: 7, why: 'the loss became NaN or ∞ in epoch 7' });
  assert.equal(big!.snapshots.at(-1)!.epoch, 7);
  assert.equal(experimentTable(r).rows[0]![6], 'diverged (epoch 7)');
  assert.equal(ok!.epochsToTarget, 6);
});

test('divergence: NaN/∞ or a growing loss diverges; falling, flat and oscillating-down do not', () => {
  assert.deepEqual(divergence([1, 0.5, NaN]), { diverged: true, epoch: 3, why: 'the loss became NaN or ∞ in epoch 3' });
  assert.deepEqual(divergence([1, 0.5], 'nan'), { diverged: true, epoch: 3, why: 'the loss became NaN or ∞ in epoch 3' });
  assert.deepEqual(divergence([1, Infinity]), { diverged: true, epoch: 2, why: 'the loss became NaN or ∞ in epoch 2' });
  assert.deepEqual(divergence([1, 0.5, 0.8, 1.2, 1.5]), { diverged: true, epoch: 2, why: 'the loss grew from epoch 2 on (1.000 → 1.500)' });
  assert.equal(divergence([1, 0.5, 0.25, 0.125]).diverged, false);
  assert.equal(divergence([3.24, 3.24, 3.24, 3.24]).diverged, false);
  // rising at the end but still below the start: not (yet) diverged
  assert.equal(divergence([1, 0.1, 0.2, 0.3, 0.4]).diverged, false);
  assert.equal(divergence([1, 2]).diverged, false);
});

test('default variants: α/10 … 10α around the spec, batch 1, powers of two below the samples, full', () => {
  const spec = makeSpec({ input: [2], layers: [dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.3 }, epochs: 1, batchSize: 4 });
  assert.deepEqual(defaultAlphas(spec), [0.03, 0.1, 0.3, 0.9, 3]);
  assert.deepEqual(defaultBatchSizes(4), [1, 2, 'full']);
  assert.deepEqual(defaultBatchSizes(1), ['full']);
  assert.deepEqual(defaultBatchSizes(200), [1, 4, 32, 128, 'full']);
  const v = sweepVariants(spec, 4, { alphas: [0.5], batchSizes: [1, 8, 'full'] });
  // a batch larger than the samples is left out
  assert.deepEqual(v.map((x) => [x.label, x.group, x.spec.optimizer.learningRate, x.spec.training.batchSize]), [
    ['α = 0.5', 'learningRate', 0.5, 4],
    ['batch 1', 'batchSize', 0.3, 1],
    ['batch full (4)', 'batchSize', 0.3, 'full'],
  ]);
  // init variants change W only, every dense layer; the biases stay the spec's
  const two: NetworkSpec = { ...spec, layers: [dense(3, 'relu', { type: 'normal', mean: 0, std: 0.1 }, { biasInit: { type: 'constant', value: 0.5 } }), dense(1, 'sigmoid')] };
  assert.deepEqual(
    initVariants(two).map((x) => x.spec.layers.map((l) => (l.type === 'dense' ? [l.init.type, l.biasInit.type] : []))),
    [
      [['zeros', 'constant'], ['zeros', 'zeros']],
      [['normal', 'constant'], ['normal', 'zeros']],
      [['he', 'constant'], ['he', 'zeros']],
      [['glorot', 'constant'], ['glorot', 'zeros']],
    ],
  );
});

test('distinctUnits: equal columns (with their bias) count once', () => {
  assert.equal(distinctUnits({ layer: 0, name: 'd', W: [[1, 1, 2], [3, 3, 3]], b: [0, 0, 0] }), 2);
  assert.equal(distinctUnits({ layer: 0, name: 'd', W: [[1, 1], [3, 3]], b: [0, 1] }), 2);
  assert.equal(distinctUnits({ layer: 0, name: 'd', W: [[0, 0, 0, 0]] }), 1);
});

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const prev = process.cwd();
  process.chdir(root);
  try {
    const code = await lab(args, { out: (s) => void (out += s), err: (s) => void (err += s) });
    return { code, out, err };
  } finally {
    process.chdir(prev);
  }
}

test('nnlab lab sweep: the table, one line per diverged variant; --json has the same table', async () => {
  const r = await capture(['sweep', 'samples/exercises/learning-rate.nn.json', '--alphas', '0.3,1.1', '--epochs', '8']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'Learning-rate / batch-size sweep: samples/exercises/learning-rate.nn.json, seed 42, 8 epochs at most, backend cpu');
  // the time column's width depends on the times measured
  assert.match(lines[2]!, /^variant  final loss  best loss  epochs to ε = 0\.001  epochs +time  outcome$/);
  const cells = (l: string): string[] => l.split(/\s{2,}/);
  const a03 = cells(lines[4]!);
  assert.deepEqual([a03[0], a03[1], a03[2], a03[3], a03[4], a03[6]], ['α = 0.3', '0.00034', '0.00034', '6', '6', 'reached ε']);
  const a11 = cells(lines[5]!);
  assert.deepEqual([a11[0], a11[1], a11[2], a11[3], a11[4], a11[6]], ['α = 1.1', '41.60', '3.240', '—', '8', 'diverged (epoch 1)']);
  assert.equal(lines.at(-2), 'α = 1.1: diverged — the loss grew from epoch 1 on (3.240 → 41.60)');
  const j = await capture(['sweep', 'samples/exercises/learning-rate.nn.json', '--alphas', '0.3,1.1', '--epochs', '8', '--json']);
  const doc = JSON.parse(j.out) as { format: string; kind: string; table: { rows: string[][] }; variants: { snapshots?: unknown }[] };
  assert.equal(doc.format, 'nnlab.experiment');
  assert.equal(doc.kind, 'sweep');
  assert.deepEqual(doc.table.rows.map((row) => row.filter((_, i) => i !== 5)), [
    ['α = 0.3', '0.00034', '0.00034', '6', '6', 'reached ε'],
    ['α = 1.1', '41.60', '3.240', '—', '8', 'diverged (epoch 1)'],
  ]);
  assert.equal(doc.variants[0]!.snapshots, undefined, 'histograms only with --snapshots');
});

test('nnlab lab: usage errors exit 2 with a clear line', async () => {
  const bad = await capture(['train', 'samples/xor.nn.json']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^nnlab lab: the experiment must be init or sweep, got train\n/);
  const alphas = await capture(['sweep', 'samples/xor.nn.json', '--alphas', '0.1,x']);
  assert.equal(alphas.code, 2);
  assert.match(alphas.err, /^nnlab lab: --alphas must be positive numbers separated by commas, got 0.1,x\n/);
  const initAlpha = await capture(['init', 'samples/xor.nn.json', '--alphas', '0.1']);
  assert.equal(initAlpha.code, 2);
  assert.match(initAlpha.err, /--alphas and --batch-sizes belong to the sweep/);
  const invalid = await capture(['init', 'samples/invalid/unknown-key.nn.json']);
  assert.equal(invalid.code, 1);
  assert.match(invalid.err, /error NN101/);
});
