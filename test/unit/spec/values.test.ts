// Values the validator must refuse or accept at the exact place (issue 12, items 7–11): numbers float32
// cannot hold, activation α ≤ 0, seeds outside 0 … 2³²−1, a UTF-8 byte order mark, and NN302 with very
// many class names. Each case asserts the code, the exact text the range covers and the message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { analyzeSpec, parseSpec, type Problem } from '../../../src/core/spec';

const root = resolve(__dirname, '../../..');
const L = (layers: string, rest = '') => `{\n  "input": {"shape": [2]},\n  "layers": [\n    ${layers}\n  ]${rest}\n}`;
const covered = (text: string, p: Problem): string => text.slice(p.range.offset, p.range.offset + p.range.length);

/** the one problem with `code`, after checking there is exactly one */
function only(text: string, code: string): Problem {
  const a = analyzeSpec(text);
  const ps = a.problems.filter((p) => p.code === code);
  assert.equal(ps.length, 1, `expected one ${code}, got ${a.problems.map((p) => `${p.code}: ${p.message}`).join(' | ')}`);
  assert.equal(a.spec, undefined, 'a value out of range makes the spec unusable');
  return ps[0]!;
}

// ---- item 7: float32

const F32 = [
  { name: 'explicit W value', text: L('{"type": "dense", "units": 1, "init": {"values": [[0.5], [1e308]]}}'), covers: '1e308', line: 3, message: 'layers[0].init.values[1][0] must be a number float32 can hold (magnitude at most 3.4028235e38), got 1e+308.' },
  { name: 'explicit b value', text: L('{"type": "dense", "units": 2, "biasInit": {"values": [0, -1e39]}}'), covers: '-1e39', line: 3, message: 'layers[0].biasInit.values[1] must be a number float32 can hold (magnitude at most 3.4028235e38), got -1e+39.' },
  { name: 'constant init', text: L('{"type": "dense", "units": 1, "init": {"type": "constant", "value": 3.5e38}}'), covers: '3.5e38', line: 3, message: 'layers[0].init.value must be a number float32 can hold (magnitude at most 3.4028235e38), got 3.5e+38.' },
  { name: 'normal mean', text: L('{"type": "dense", "units": 1, "init": {"type": "normal", "mean": -1e308}}'), covers: '-1e308', line: 3, message: /^layers\[0\]\.init\.mean must be a number float32 can hold/ },
  { name: 'learning rate', text: L('{"type": "dense", "units": 1}', ',\n  "optimizer": {"type": "sgd", "learningRate": 1e308}'), covers: '1e308', line: 5, message: 'optimizer.learningRate must be a number float32 can hold (magnitude at most 3.4028235e38), got 1e+308.' },
  { name: 'inline x', text: L('{"type": "dense", "units": 1}', ',\n  "data": {"type": "inline", "x": [[0, 1], [1, -1e308]], "y": [[0], [1]]}'), covers: '-1e308', line: 5, message: 'data.x[1][1] must be a number float32 can hold (magnitude at most 3.4028235e38), got -1e+308.' },
  { name: 'inline y (flat)', text: L('{"type": "dense", "units": 1}', ',\n  "data": {"type": "inline", "x": [[0, 1]], "y": [1e300]}'), covers: '1e300', line: 5, message: 'data.y[0] must be a number float32 can hold (magnitude at most 3.4028235e38), got 1e+300.' },
  { name: 'number beyond double (1e999)', text: L('{"type": "dense", "units": 1}', ',\n  "data": {"type": "inline", "x": [[0, 1e999]], "y": [1]}'), covers: '1e999', line: 5, message: 'data.x[0][1] must be a number float32 can hold (magnitude at most 3.4028235e38), got Infinity.' },
];
for (const c of F32) {
  test(`float32: ${c.name} → NN104 at the value`, () => {
    const p = only(c.text, 'NN104');
    assert.equal(covered(c.text, p), c.covers);
    assert.equal(p.range.start.line, c.line);
    if (typeof c.message === 'string') assert.equal(p.message, c.message);
    else assert.match(p.message, c.message);
  });
}

test('float32: the largest float32 and tiny numbers are accepted', () => {
  const text = L('{"type": "dense", "units": 1, "init": {"values": [[3.4028234663852886e38], [-1e-45]]}}', ',\n  "data": {"type": "inline", "x": [[0, 3.4e38]], "y": [1]}');
  assert.deepEqual(parseSpec(text).problems, []);
  assert.ok(parseSpec(text).spec);
});

// ---- item 8: α > 0

test('leakyRelu α = 0 and elu α = 0 are out of range (NN104 at the α); a small positive α is fine', () => {
  const leaky = L('{"type": "dense", "units": 1, "activation": {"type": "leakyRelu", "alpha": 0}}');
  const p = only(leaky, 'NN104');
  assert.equal(covered(leaky, p), '0');
  assert.equal(p.message, 'layers[0].activation.alpha must be a number > 0 (the slope for negative inputs), got 0.');
  const elu = L('{"type": "dense", "units": 1, "activation": {"type": "elu", "alpha": 0}}');
  assert.equal(only(elu, 'NN104').message, 'layers[0].activation.alpha must be a number > 0 (the scale of the negative saturation), got 0.');
  assert.deepEqual(parseSpec(L('{"type": "dense", "units": 1, "activation": {"type": "leakyRelu", "alpha": 0.001}}')).problems, []);
});

test('the schema agrees: alpha 0 is rejected, 0.1 accepted; seeds above 2³²−1 are rejected', () => {
  const schema = JSON.parse(readFileSync(join(root, 'media/schemas/nn.schema.json'), 'utf8')) as Record<string, unknown>;
  const validate = new Ajv({ strict: false }).compile(schema);
  const spec = (activation: unknown, training: unknown = {}) => ({ input: { shape: [2] }, layers: [{ type: 'dense', units: 1, activation }], training });
  assert.equal(validate(spec({ type: 'leakyRelu', alpha: 0 })), false);
  assert.equal(validate(spec({ type: 'elu', alpha: 0 })), false);
  assert.equal(validate(spec({ type: 'leakyRelu', alpha: 0.1 })), true);
  assert.equal(validate(spec('relu', { seed: 2 ** 32 - 1 })), true);
  assert.equal(validate(spec('relu', { seed: 2 ** 32 })), false);
  assert.equal(validate({ ...spec('relu'), data: { type: 'generator', name: 'xor', seed: 2 ** 32 } }), false);
});

// ---- item 9: seeds

test('seeds: 0 … 2³²−1 accepted as written, 2³² and above NN104 at the seed (no silent mod 2³²)', () => {
  for (const ok of [0, 42, 4294967295]) {
    const p = parseSpec(L('{"type": "dense", "units": 1}', `,\n  "training": {"seed": ${ok}},\n  "data": {"type": "generator", "name": "xor", "seed": ${ok}}`));
    assert.deepEqual(p.problems, []);
    assert.equal(p.spec?.training.seed, ok);
    assert.equal(p.spec?.data?.type === 'generator' && p.spec.data.seed, ok);
  }
  const t = L('{"type": "dense", "units": 1}', ',\n  "training": {"seed": 4294967296}');
  const p = only(t, 'NN104');
  assert.equal(covered(t, p), '4294967296');
  assert.equal(p.message, 'training.seed must be an integer in [0, 4294967295] (an unsigned 32-bit seed), got 4294967296.');
  const g = L('{"type": "dense", "units": 1}', ',\n  "data": {"type": "generator", "name": "xor", "seed": 1e20}');
  const q = only(g, 'NN104');
  assert.equal(covered(g, q), '1e20');
  assert.equal(q.message, 'data.seed must be an integer in [0, 4294967295] (an unsigned 32-bit seed), got 100000000000000000000.');
});

// ---- item 10: byte order mark

test('a UTF-8 byte order mark is accepted; ranges still cover the right text', () => {
  const plain = L('{"type": "dense", "units": 0}');
  const bom = '\uFEFF' + plain;
  const a = analyzeSpec(bom);
  assert.deepEqual(a.problems.map((p) => p.code), ['NN104'], 'no NN001 for the BOM');
  const p = a.problems[0]!;
  assert.equal(covered(bom, p), '0');
  assert.deepEqual(p.range.start, { line: 3, character: 31 });
  // and a clean spec with a BOM parses to the same spec as without
  const clean = L('{"type": "dense", "units": 1}');
  assert.deepEqual(parseSpec('\uFEFF' + clean).problems, []);
  assert.deepEqual(parseSpec('\uFEFF' + clean).spec, parseSpec(clean).spec);
  const first = analyzeSpec('\uFEFF{"input": {"shape": [0]}, "layers": []}').problems[0]!;
  assert.equal(first.code, 'NN104');
  assert.equal(first.range.offset, 22, 'offsets count the BOM: they index the text as given');
  assert.equal(parseSpec('\uFEFF{"input": {"shape": [2]}, "layers": []}').pathAt(3)?.path.join('.'), 'input');
});

// ---- item 11: NN302 with many classes

test('NN302 with 1,000 class names shows the count and the first five', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => `${i},c${i}`).join('\n');
  const files: Record<string, string> = { '/w/data/many.csv': `a,label\n${rows}\n` };
  const text = L('{"type": "dense", "units": 3, "activation": "softmax"}', ',\n  "loss": "categoricalCrossentropy",\n  "data": {"type": "csv", "path": "data/many.csv", "label": "label"}').replace('[2]', '[1]');
  const a = analyzeSpec(text, { specPath: '/w/net.nn.json', readFile: (p) => files[p] });
  const p = a.problems.find((x) => x.code === 'NN302');
  assert.ok(p, a.problems.map((x) => x.message).join(' | '));
  assert.equal(p.message, 'The last layer has 3 units but the data has 1000 classes (c0, c1, c10, c100, c101 and 995 more); set its units to 1000.');
  assert.equal(covered(text, p), '3');
  // six or fewer are all listed
  const few: Record<string, string> = { '/w/data/few.csv': 'a,label\n1,x\n2,y\n3,z\n4,u\n5,v\n6,w\n' };
  const t2 = text.replace('many.csv', 'few.csv');
  const p2 = analyzeSpec(t2, { specPath: '/w/net.nn.json', readFile: (q) => few[q] }).problems.find((x) => x.code === 'NN302');
  assert.equal(p2?.message, 'The last layer has 3 units but the data has 6 classes (u, v, w, x, y, z); set its units to 6.');
});
