// parseSpec / analyzeSpec on inline texts: normalisation (defaults), positions (rangeOf, keyRangeOf,
// pathAt), and a table of invalid inputs with the exact code, range and fix expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSpec, parseSpec, type Problem } from '../../../src/core/spec';

const minimal = '{"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1}]}';

test('defaults are filled in and documented values hold', () => {
  const p = parseSpec(minimal);
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.spec, {
    version: 1,
    name: 'network',
    input: { shape: [2] },
    layers: [{ type: 'dense', units: 1, activation: { name: 'linear' }, useBias: true, init: { type: 'glorot' }, biasInit: { type: 'zeros' } }],
    loss: 'mse',
    optimizer: { type: 'sgd', learningRate: 0.01 },
    training: { epochs: 100, batchSize: 32, shuffle: true, seed: 42, validationSplit: 0 },
  });
});

test('object and string forms normalise: activations with alpha, initializers, optimizers, data', () => {
  const p = parseSpec(`{
    "input": {"shape": [2]},
    "layers": [
      {"type": "dense", "units": 3, "activation": "leakyRelu", "init": "he"},
      {"type": "dense", "units": 3, "activation": {"type": "leakyRelu", "alpha": 0.1}, "init": {"type": "normal", "std": 0.4}},
      {"type": "dense", "units": 2, "activation": "elu", "init": {"type": "uniform", "min": -1, "max": 1}, "biasInit": {"type": "constant", "value": 0.1}},
      {"type": "dropout", "rate": 0.2},
      {"type": "dense", "units": 1, "activation": "sigmoid", "init": {"values": [[1], [2]]}, "biasInit": {"values": [[0.5]]}}
    ],
    "optimizer": "adam",
    "training": {"batchSize": "full", "stopWhenLossBelow": 0.001},
    "data": {"type": "generator", "name": "circle"}
  }`);
  assert.deepEqual(p.problems, []);
  const s = p.spec!;
  const [d0, d1, d2, drop, d4] = s.layers;
  assert.ok(d0?.type === 'dense' && d1?.type === 'dense' && d2?.type === 'dense' && drop?.type === 'dropout' && d4?.type === 'dense');
  assert.deepEqual(d0.activation, { name: 'leakyRelu', alpha: 0.01 });
  assert.deepEqual(d0.init, { type: 'he' });
  assert.deepEqual(d1.activation, { name: 'leakyRelu', alpha: 0.1 });
  assert.deepEqual(d1.init, { type: 'normal', mean: 0, std: 0.4 });
  assert.deepEqual(d2.activation, { name: 'elu', alpha: 1 });
  assert.deepEqual(d2.init, { type: 'uniform', min: -1, max: 1 });
  assert.deepEqual(d2.biasInit, { type: 'constant', value: 0.1 });
  assert.equal(drop.rate, 0.2);
  assert.deepEqual(d4.init, { type: 'values', values: [[1], [2]] });
  assert.deepEqual(d4.biasInit, { type: 'values', values: [0.5] }, 'a 1×nₒ bias matrix is kept flat');
  assert.deepEqual(s.optimizer, { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  assert.equal(s.training.batchSize, 'full');
  assert.equal(s.training.stopWhenLossBelow, 0.001);
  assert.deepEqual(s.data, { type: 'generator', name: 'circle', samples: 200, noise: 0, seed: 42 }, 'generator seed defaults to training.seed');
});

test('rangeOf, keyRangeOf and pathAt map paths and offsets', () => {
  const text = '{\n  "input": { "shape": [2] },\n  "layers": [\n    { "type": "dense", "units": 4 }\n  ]\n}';
  const p = parseSpec(text);
  const r = p.rangeOf(['layers', 0, 'units'])!;
  assert.equal(text.slice(r.offset, r.offset + r.length), '4');
  assert.deepEqual(r.start, { line: 3, character: 32 });
  assert.deepEqual(r.end, { line: 3, character: 33 });
  const k = p.keyRangeOf(['layers', 0, 'units'])!;
  assert.equal(text.slice(k.offset, k.offset + k.length), '"units"');
  assert.equal(p.keyRangeOf(['layers', 0]), undefined, 'array items have no key');
  assert.equal(p.rangeOf(['layers', 5]), undefined);
  assert.deepEqual(p.pathAt(text.indexOf('"units"') + 2), { path: ['layers', 0, 'units'], onKey: true });
  assert.deepEqual(p.pathAt(text.indexOf('dense') + 1), { path: ['layers', 0, 'type'], onKey: false });
  assert.deepEqual(p.pathAt(text.indexOf('[2]') + 1), { path: ['input', 'shape', 0], onKey: false });
});

test('CRLF line ends give the same line/character positions', () => {
  const text = '{\r\n  "input": {"shape": [2]},\r\n  "layers": [{"type": "dense", "units": 0}]\r\n}';
  const p = parseSpec(text);
  assert.equal(p.problems.length, 1);
  assert.deepEqual(p.problems[0]!.range.start, { line: 2, character: 40 });
});

interface Case {
  name: string;
  text: string;
  code: string;
  /** the text the problem's range covers */
  covers: string;
  /** zero-based line of the range start */
  line: number;
  message?: string | RegExp;
  fix?: { replacement: string; covers: string };
  noSpec?: boolean;
}

const L = (layers: string, rest = '') => `{\n  "input": {"shape": [2]},\n  "layers": [\n    ${layers}\n  ]${rest}\n}`;
const CASES: Case[] = [
  { name: 'trailing comma', text: '{"input": {"shape": [2]},}', code: 'NN001', covers: '}', line: 0, noSpec: true },
  { name: 'comment', text: '// x\n' + minimal, code: 'NN001', covers: '// x', line: 0, message: /Comments are not allowed/, noSpec: true },
  { name: 'absurd nesting (no stack overflow)', text: '{"layers": ' + '['.repeat(20000) + ']'.repeat(20000) + '}', code: 'NN001', covers: '[', line: 0, message: /nested more than 256 levels/, noSpec: true },
  { name: 'empty file', text: '', code: 'NN002', covers: '', line: 0, noSpec: true },
  { name: 'array at top', text: '[1, 2]', code: 'NN002', covers: '[1, 2]', line: 0, noSpec: true },
  {
    name: 'misspelt key with fix',
    text: L('{"type": "dense", "units": 1, "activaton": "relu"}'),
    code: 'NN101',
    covers: '"activaton"',
    line: 3,
    message: 'Unknown property "activaton" in a dense layer; did you mean "activation"?',
    fix: { replacement: '"activation"', covers: '"activaton"' },
  },
  { name: 'misspelt root key', text: '{"input": {"shape": [2]}, "layer": []}', code: 'NN101', covers: '"layer"', line: 0, fix: { replacement: '"layers"', covers: '"layer"' }, noSpec: true },
  { name: 'key of another layer kind', text: L('{"type": "dense", "units": 1, "rate": 0.5}'), code: 'NN101', covers: '"rate"', line: 3, message: /"rate" does not belong in a dense layer/ },
  { name: 'missing units', text: L('{"type": "dense"}'), code: 'NN102', covers: '{', line: 3, noSpec: true },
  { name: 'missing input', text: '{"layers": []}', code: 'NN102', covers: '{', line: 0, noSpec: true },
  { name: 'units as string', text: L('{"type": "dense", "units": "4"}'), code: 'NN103', covers: '"4"', line: 3, message: /write 4 without quotes/, noSpec: true },
  { name: 'units 0', text: L('{"type": "dense", "units": 0}'), code: 'NN104', covers: '0', line: 3, message: 'layers[0].units must be an integer ≥ 1 (the number of neurons), got 0.', noSpec: true },
  { name: 'units 2.5', text: L('{"type": "dense", "units": 2.5}'), code: 'NN104', covers: '2.5', line: 3, noSpec: true },
  { name: 'negative std', text: L('{"type": "dense", "units": 1, "init": {"type": "normal", "std": -1}}'), code: 'NN104', covers: '-1', line: 3, noSpec: true },
  { name: 'learning rate 0', text: L('{"type": "dense", "units": 1}', ',\n  "optimizer": {"type": "sgd", "learningRate": 0}'), code: 'NN104', covers: '0', line: 5, message: /must be a number > 0 \(the α of Δw = −α ∂L\/∂w\), got 0/, noSpec: true },
  { name: 'uniform max ≤ min', text: L('{"type": "dense", "units": 1, "init": {"type": "uniform", "min": 1, "max": 1}}'), code: 'NN104', covers: '1', line: 3, noSpec: true },
  { name: 'dropout rate 1', text: L('{"type": "dense", "units": 1}, {"type": "dropout", "rate": 1}'), code: 'NN104', covers: '1', line: 3, noSpec: true },
  { name: 'misspelt activation', text: L('{"type": "dense", "units": 1, "activation": "sigmod"}'), code: 'NN105', covers: '"sigmod"', line: 3, fix: { replacement: '"sigmoid"', covers: '"sigmod"' }, noSpec: true },
  { name: 'snake_case activation', text: L('{"type": "dense", "units": 1, "activation": "leaky_relu"}'), code: 'NN105', covers: '"leaky_relu"', line: 3, fix: { replacement: '"leakyRelu"', covers: '"leaky_relu"' }, noSpec: true },
  { name: 'keras loss name', text: L('{"type": "dense", "units": 1}', ',\n  "loss": "binary_crossentropy"'), code: 'NN105', covers: '"binary_crossentropy"', line: 5, fix: { replacement: '"binaryCrossentropy"', covers: '"binary_crossentropy"' }, noSpec: true },
  { name: 'alias initializer', text: L('{"type": "dense", "units": 1, "init": "xavier"}'), code: 'NN105', covers: '"xavier"', line: 3, fix: { replacement: '"glorot"', covers: '"xavier"' }, noSpec: true },
  { name: 'unknown layer type', text: L('{"type": "conv2d", "units": 1}'), code: 'NN105', covers: '"conv2d"', line: 3, noSpec: true },
  { name: 'version 2', text: '{"version": 2, "input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1}]}', code: 'NN106', covers: '2', line: 0, noSpec: true },
  { name: 'alpha on relu', text: L('{"type": "dense", "units": 1, "activation": {"type": "relu", "alpha": 0.1}}'), code: 'NN107', covers: '"alpha"', line: 3 },
  { name: 'biasInit without bias', text: L('{"type": "dense", "units": 1, "useBias": false, "biasInit": "zeros"}'), code: 'NN107', covers: '"biasInit"', line: 3 },
];

for (const c of CASES) {
  test(`problem table: ${c.name} → ${c.code}`, () => {
    const a = analyzeSpec(c.text);
    const p = a.problems.find((x) => x.code === c.code);
    assert.ok(p, `expected ${c.code}, got ${a.problems.map((x) => `${x.code}: ${x.message}`).join(' | ')}`);
    assert.equal(c.text.slice(p.range.offset, p.range.offset + p.range.length), c.covers);
    assert.equal(p.range.start.line, c.line);
    if (typeof c.message === 'string') assert.equal(p.message, c.message);
    else if (c.message) assert.match(p.message, c.message);
    assert.match(p.message, /^[A-Z"a-z].*[.?]$/, 'one sentence');
    if (c.fix) {
      assert.ok(p.fix, 'has a fix');
      assert.equal(p.fix.replacement, c.fix.replacement);
      assert.equal(c.text.slice(p.fix.range.offset, p.fix.range.offset + p.fix.range.length), c.fix.covers);
    }
    assert.equal(a.spec === undefined, c.noSpec === true, c.noSpec ? 'spec is not usable' : 'spec stays usable');
  });
}

function applyFix(text: string, p: Problem): string {
  return text.slice(0, p.fix!.range.offset) + p.fix!.replacement + text.slice(p.fix!.range.offset + p.fix!.range.length);
}

test('network checks: W values of the wrong shape, message as in the issue, no fix', () => {
  const a = analyzeSpec(L('{"type": "dense", "units": 4, "init": {"values": [[1,2,3,4],[1,2,3,4],[1,2,3,4]]}}'));
  const p = a.problems.find((x) => x.code === 'NN202')!;
  assert.equal(p.message, 'W must be 2×4 (inputs × units), got 3×4.');
  assert.equal(p.fix, undefined);
  assert.deepEqual(p.path, ['layers', 0, 'init', 'values']);
  const ragged = analyzeSpec(L('{"type": "dense", "units": 2, "init": {"values": [[1,2],[3]]}}'));
  assert.equal(ragged.problems.find((x) => x.code === 'NN202')!.message, 'W must be 2×2 (inputs × units), got 2 rows of lengths 2, 1.');
  const flat = analyzeSpec(L('{"type": "dense", "units": 2, "init": {"values": [1, 2]}}'));
  assert.equal(flat.problems.find((x) => x.code === 'NN202')!.message, 'W must be 2×2 (inputs × units), got a vector of 2.');
});

test('insert-flatten fix: applying it gives a clean spec with B×9 into the dense layer', () => {
  const text = '{\n  "input": {"shape": [3, 3]},\n  "layers": [\n    {"type": "dense", "units": 4},\n    {"type": "dense", "units": 1}\n  ],\n  "data": {"type": "inline", "x": [[[1,0,0],[0,1,0],[0,0,1]]], "y": [[1]]},\n  "training": {"batchSize": 1}\n}';
  const a = analyzeSpec(text);
  const p = a.problems.filter((x) => x.code === 'NN201');
  assert.equal(p.length, 1, 'reported once, on the first dense layer');
  assert.equal(p[0]!.message, 'Dense layer 1 receives B×3×3, but a dense layer needs one vector per sample (B×nᵢ); insert {"type": "flatten"} before it to get B×9.');
  assert.equal(p[0]!.fix!.range.length, 0);
  const fixed = applyFix(text, p[0]!);
  assert.ok(fixed.includes('"layers": [\n    { "type": "flatten" },\n    {"type": "dense", "units": 4}'), fixed);
  const b = analyzeSpec(fixed);
  assert.deepEqual(b.problems, []);
  assert.deepEqual(b.shapes!.layers[1]!.inputShape, ['B', 9]);
  // on one line: the fix stays on that line
  const one = '{"input": {"shape": [2, 2]}, "layers": [{"type": "dense", "units": 1}]}';
  const q = analyzeSpec(one).problems.find((x) => x.code === 'NN201')!;
  assert.equal(applyFix(one, q), '{"input": {"shape": [2, 2]}, "layers": [{ "type": "flatten" }, {"type": "dense", "units": 1}]}');
});

test('labels vs last layer: error on units with a fix to the class count', () => {
  const text = L('{"type": "dense", "units": 3, "activation": "softmax"}', ',\n  "loss": "categoricalCrossentropy",\n  "training": {"batchSize": 2},\n  "data": {"type": "inline", "x": [[0, 1], [1, 0]], "y": [[1, 0], [0, 1]]}');
  const a = analyzeSpec(text);
  const p = a.problems.find((x) => x.code === 'NN302')!;
  assert.equal(p.message, 'The last layer has 3 units but the data has 2 label columns; set its units to 2.');
  assert.equal(p.fix!.replacement, '2');
  assert.deepEqual(analyzeSpec(applyFix(text, p)).problems, []);
});

test('softmax with mse warns on the loss; binaryCrossentropy without sigmoid warns; softmax over 1 unit warns', () => {
  const a = analyzeSpec(L('{"type": "dense", "units": 2, "activation": "softmax"}', ',\n  "loss": "mse"'));
  const p = a.problems.find((x) => x.code === 'NN204')!;
  assert.equal(p.severity, 'warning');
  assert.deepEqual(p.path, ['loss']);
  const b = analyzeSpec(L('{"type": "dense", "units": 1, "activation": "relu"}', ',\n  "loss": "binaryCrossentropy"'));
  assert.equal(b.problems.find((x) => x.code === 'NN206')?.severity, 'warning');
  const c = analyzeSpec(L('{"type": "dense", "units": 1, "activation": "softmax"}'));
  assert.equal(c.problems.find((x) => x.code === 'NN208')?.severity, 'warning');
});

test('batch size vs data: explicit value is pointed at; the default points at "data"', () => {
  const t = L('{"type": "dense", "units": 1}', ',\n  "training": {"batchSize": 8},\n  "data": {"type": "generator", "name": "or"}');
  const p = analyzeSpec(t).problems.find((x) => x.code === 'NN303')!;
  assert.equal(t.slice(p.range.offset, p.range.offset + p.range.length), '8');
  assert.equal(p.message, 'batchSize 8 is larger than the 4 training samples; use at most 4, or "full" for the whole set.');
  const d = L('{"type": "dense", "units": 1}', ',\n  "data": {"type": "generator", "name": "or"}');
  const q = analyzeSpec(d).problems.find((x) => x.code === 'NN303')!;
  assert.equal(d.slice(q.range.offset, q.range.offset + q.range.length), '"data"');
  assert.equal(q.message, 'The default batchSize 32 is larger than the 4 training samples; set "batchSize": 4 (or "full") in "training".');
  const full = analyzeSpec(L('{"type": "dense", "units": 1}', ',\n  "training": {"batchSize": "full"},\n  "data": {"type": "generator", "name": "or"}'));
  assert.deepEqual(full.problems, []);
  assert.equal(full.shapes!.batchSize, 4, '"full" = all training samples');
});

test('memory limit: error with the estimate, configurable', () => {
  const t = L('{"type": "dense", "units": 1000}, {"type": "dense", "units": 1000}', ',\n  "optimizer": "adam",\n  "training": {"batchSize": 10}');
  const a = analyzeSpec(t, { memoryLimitBytes: 1024 * 1024 });
  const p = a.problems.find((x) => x.code === 'NN401')!;
  // params: 2·1000+1000 + 1000·1000+1000 = 1,004,000 → 4,016,000 B; ×4 with gradients and adam's two slots
  assert.equal(a.memory!.paramBytes, 4016000);
  // activations: 3 × (input 2 + 1000 + 1000) × batch 10 × 4 B; no data section, so no data bytes
  assert.equal(a.memory!.total, 4 * 4016000 + 3 * (2 + 1000 + 1000) * 10 * 4);
  assert.match(p.message, /^Estimated training memory 15\.5 MiB \(parameters 3\.83 MiB, gradients 3\.83 MiB, optimizer state 7\.66 MiB, activations 235 KiB at batch size 10\) exceeds the limit of 1\.00 MiB \(nnlab\.memoryLimitMB\);/);
  assert.equal(t.slice(p.range.offset, p.range.offset + p.range.length), '"layers"');
  assert.equal(analyzeSpec(t).problems.find((x) => x.code === 'NN401'), undefined, 'fits the default 2 GiB');
});

test('CSV: path leaving the folder, missing file, unknown column; read through the callback only', () => {
  const spec = (path: string, label = 'species', features = '') =>
    L('{"type": "dense", "units": 3, "activation": "softmax"}', `,\n  "loss": "categoricalCrossentropy",\n  "training": {"batchSize": 2},\n  "data": {"type": "csv", "path": "${path}", "label": "${label}"${features}}`).replace('[2]', '[1]');
  const files: Record<string, string> = { '/w/specs/data/f.csv': 'a,species\n1,x\n2,y\n3,z\n' };
  const opts = { specPath: '/w/specs/net.nn.json', readFile: (p: string) => files[p] };
  assert.deepEqual(analyzeSpec(spec('data/f.csv'), opts).problems, []);
  assert.deepEqual(analyzeSpec(spec('./data/../data/f.csv'), opts).problems, []);
  for (const bad of ['../f.csv', '/etc/passwd', 'data/../../f.csv', 'C:/x.csv']) {
    const p = analyzeSpec(spec(bad), opts).problems;
    assert.deepEqual(p.map((x) => x.code), ['NN304'], bad);
  }
  assert.deepEqual(analyzeSpec(spec('data/g.csv'), opts).problems.map((x) => x.code), ['NN305']);
  const col = analyzeSpec(spec('data/f.csv', 'kind'), opts).problems;
  assert.deepEqual(col.map((x) => x.code), ['NN306']);
  assert.equal(col[0]!.message, 'The CSV has no column "kind" for the label; its columns are "a", "species".');
  const feat = spec('data/f.csv', 'species', ', "features": ["a", "b"]');
  const fp = analyzeSpec(feat, opts).problems;
  assert.deepEqual(fp.map((x) => x.code), ['NN306']);
  assert.equal(feat.slice(fp[0]!.range.offset, fp[0]!.range.offset + fp[0]!.range.length), '"b"');
  // without specPath nothing is read and nothing is reported
  assert.deepEqual(analyzeSpec(spec('../f.csv')).problems, []);
});

test('data features vs input.shape; MNIST accepts [28, 28] and [784]', () => {
  const a = analyzeSpec(L('{"type": "dense", "units": 1}', ',\n  "training": {"batchSize": 4},\n  "data": {"type": "generator", "name": "sine"}'));
  const p = a.problems.find((x) => x.code === 'NN301')!;
  assert.equal(p.message, 'The data has 1 feature per sample, but input.shape is [2]; set input.shape to [1].');
  for (const shape of ['[784]', '[28, 28]']) {
    const m = analyzeSpec(`{"input": {"shape": ${shape}}, "layers": [{"type": "flatten"}, {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "categoricalCrossentropy", "data": {"type": "mnist", "samples": 100}}`);
    assert.deepEqual(m.problems.filter((x) => x.severity !== 'info').map((x) => x.code), [], shape);
  }
  const wrong = analyzeSpec(`{"input": {"shape": [28, 27]}, "layers": [{"type": "flatten"}, {"type": "dense", "units": 10}], "data": {"type": "mnist", "samples": 100}}`);
  assert.ok(wrong.problems.some((x) => x.code === 'NN301'));
});

test('problems are sorted by position and the input text is never changed', () => {
  const text = L('{"type": "dense", "units": 0, "activaton": "x"}, {"type": "dense", "unit": 1}');
  const a = analyzeSpec(text);
  const offsets = a.problems.map((p) => p.range.offset);
  assert.deepEqual(offsets, [...offsets].sort((x, y) => x - y));
  assert.equal(a.text, text);
});
