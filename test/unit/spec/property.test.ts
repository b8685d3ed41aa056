// Property: random texts, random JSON values and mutated sample texts never make parseSpec or
// analyzeSpec throw, and every problem they report has a range inside the text and a known code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { analyzeSpec, CODES, parseSpec, type Analysis } from '../../../src/core/spec';

const samplesDir = resolve(__dirname, '../../../samples');
const samples = [
  ...readdirSync(samplesDir).filter((f) => f.endsWith('.nn.json')).map((f) => join(samplesDir, f)),
  ...readdirSync(join(samplesDir, 'invalid')).filter((f) => f.endsWith('.nn.json')).map((f) => join(samplesDir, 'invalid', f)),
].map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));

function checkWellFormed(a: Analysis): void {
  for (const p of a.problems) {
    assert.ok(p.code in CODES, p.code);
    assert.ok(p.range.offset >= 0 && p.range.offset + p.range.length <= a.text.length, `range inside text: ${p.code}`);
    assert.ok(p.message.length > 0);
    assert.ok(!p.message.startsWith('Internal validator error'), p.message);
    if (p.fix) assert.ok(p.fix.range.offset >= 0 && p.fix.range.offset + p.fix.range.length <= a.text.length);
  }
  if (a.spec) assert.ok(Array.isArray(a.spec.layers));
}

const analyzeBoth = (text: string, specPath?: string): void => {
  const p = parseSpec(text);
  assert.equal(p.text, text);
  const a = analyzeSpec(text, {
    ...(specPath ? { specPath } : {}),
    readFile: (f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return undefined;
      }
    },
    memoryLimitBytes: 64 * 1024 * 1024,
  });
  checkWellFormed(a);
  // the position helpers never throw either
  for (const off of [0, Math.floor(text.length / 2), text.length]) a.pathAt(off);
};

// values that hit the interesting branches: numbers of every sign, names near the real ones
const tokens = fc.constantFrom(
  'dense', 'flatten', 'dropout', 'relu', 'leakyRelu', 'softmax', 'sigmoid', 'he', 'glorot', 'values', 'normal', 'uniform', 'constant',
  'sgd', 'adam', 'momentum', 'mse', 'full', 'csv', 'generator', 'inline', 'mnist', 'xor', 'spiral', 'sine', '../x.csv', 'data/iris.csv', 'units', 'type',
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -3, max: 40 }),
    fc.double({ noNaN: false }),
    tokens,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(tokens, fc.constantFrom('input', 'shape', 'layers', 'activation', 'init', 'biasInit', 'values', 'rate', 'loss', 'optimizer', 'learningRate', 'training', 'batchSize', 'data', 'x', 'y', 'name', 'samples', 'path', 'label', 'features', 'version', 'alpha', 'std')), tie('value'), { maxKeys: 5 }),
  ),
})).value;

test('property: arbitrary strings never throw', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => analyzeBoth(s)), { numRuns: 300 });
});

test('property: random JSON-like specs never throw', () => {
  const spec = fc.record(
    {
      input: fc.oneof(fc.record({ shape: fc.array(fc.integer({ min: -1, max: 30 }), { maxLength: 3 }) }), jsonish),
      layers: fc.array(
        fc.oneof(
          fc.record({ type: fc.constantFrom('dense', 'flatten', 'dropout', 'Dense'), units: fc.oneof(fc.integer({ min: -1, max: 50 }), jsonish), activation: jsonish, init: jsonish, biasInit: jsonish, rate: jsonish }, { requiredKeys: ['type'] }),
          jsonish,
        ),
        { maxLength: 4 },
      ),
      loss: jsonish,
      optimizer: jsonish,
      training: jsonish,
      data: fc.oneof(
        fc.record({ type: fc.constantFrom('inline'), x: jsonish, y: jsonish }),
        fc.record({ type: fc.constantFrom('generator'), name: tokens, samples: jsonish }),
        fc.record({ type: fc.constantFrom('csv'), path: tokens, label: jsonish }),
        jsonish,
      ),
    },
    { requiredKeys: [] },
  );
  fc.assert(fc.property(spec, (s) => analyzeBoth(JSON.stringify(s, null, 2), join(samplesDir, 'x.nn.json'))), { numRuns: 400 });
});

test('property: mutated sample texts (deletions, insertions, replacements) never throw', () => {
  const mutation = fc.record({
    sample: fc.integer({ min: 0, max: samples.length - 1 }),
    at: fc.nat(),
    del: fc.integer({ min: 0, max: 12 }),
    ins: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('{', '}', '[', ']', ',', '"', ':', '0', '-1', '1e309', 'null', '"x"', '[[1]]', '\n')),
  });
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
      const base = samples[ms[0]!.sample]!;
      let text = base.text;
      for (const m of ms) {
        const at = m.at % (text.length + 1);
        text = text.slice(0, at) + m.ins + text.slice(at + m.del);
      }
      analyzeBoth(text, base.path);
    }),
    { numRuns: 400 },
  );
});
