// Issue 13 item 4: the lenses agree with the diagnostics. Every layer's dimensions up to the first
// error, the failing layer marked with the error's short text, one lens per layer even then (so the
// lines stay put while typing), and the summary lens naming the errors instead of offering ▶ Train.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeSpec } from '../../../src/core/spec/analyze';
import { errorsLens, layerLenses, shortProblem } from '../../../src/core/explain';

const XOR = readFileSync(fileURLToPath(new URL('../../../samples/xor.nn.json', import.meta.url)), 'utf8');
const lenses = (text: string) => {
  const a = analyzeSpec(text);
  return { a, layers: layerLenses(a, 'full'), top: errorsLens(a.problems) };
};

test('a valid spec: every layer has its dimensions and there is no error lens', () => {
  const { layers, top } = lenses(XOR);
  assert.deepEqual(layers.map((l) => [l.state, l.title]), [
    ['ok', 'x (B×2) · W (2×4) + b (1×4) → tanh → (B×4) · 12 params'],
    ['ok', 'x (B×4) · W (4×1) + b (1×1) → sigmoid → (B×1) · 5 params'],
  ]);
  assert.equal(top, undefined);
});

test('typing "tanhh": still one lens per layer, the first marked NN105, the second waits for it', () => {
  const { a, layers, top } = lenses(XOR.replace('"tanh"', '"tanhh"'));
  assert.equal(a.spec, undefined, 'the spec does not parse');
  assert.deepEqual(layers.map((l) => [l.index, l.state, l.title]), [
    [0, 'error', '$(error) NN105 Unknown activation "tanhh"'],
    [1, 'waiting', '… (dimensions wait for the error in layer 1)'],
  ]);
  assert.equal(top, '$(error) 1 error · NN105 Unknown activation "tanhh"');
});

test('a typo in the second layer keeps the first layer\'s dimensions', () => {
  const { layers } = lenses(XOR.replace('"sigmoid"', '"sigmod"'));
  assert.deepEqual(layers.map((l) => [l.state, l.title]), [
    ['ok', 'x (B×2) · W (2×4) + b (1×4) → tanh → (B×4) · 12 params'],
    ['error', '$(error) NN105 Unknown activation "sigmod"'],
  ]);
});

test('flatten deleted before dense on a 3×3 input: NN201 on the dense layer, not "→ (B×3×4) · 16 params"', () => {
  const text = '{"input": {"shape": [3, 3]}, "layers": [{"type": "dense", "units": 4, "activation": "relu"}, {"type": "dense", "units": 1}]}';
  const { a, layers, top } = lenses(text);
  assert.ok(a.spec, 'the spec parses; the error is the network\'s');
  assert.deepEqual(layers.map((l) => [l.state, l.code, l.title]), [
    ['error', 'NN201', '$(error) NN201 Dense layer 1 receives B×3×3, but a dense layer needs one vector per sample (B×nᵢ)'],
    ['waiting', undefined, '… (dimensions wait for the error in layer 1)'],
  ]);
  assert.ok(!layers.some((l) => l.title.includes('(B×3×4)')));
  assert.equal(top, '$(error) 1 error · NN201 Dense layer 1 receives B×3×3, but a dense layer needs one…');
});

test('an input.shape error: every layer waits for it; a syntax error inside a layer marks that layer', () => {
  const bad = lenses(XOR.replace('"shape": [2]', '"shape": [0]'));
  assert.deepEqual(bad.layers.map((l) => l.state), ['waiting', 'waiting']);
  const syntax = lenses(XOR.replace('"units": 1,', '"units": 1'));
  assert.deepEqual(syntax.layers.map((l) => [l.state, l.code]), [['ok', undefined], ['error', 'NN001']]);
});

test('shortProblem: code and the first clause, clipped', () => {
  assert.equal(shortProblem({ code: 'NN104', message: 'layers[0].units must be an integer ≥ 1 (the number of neurons), got 0.' }), 'NN104 layers[0].units must be an integer ≥ 1 (the number of neurons), got 0');
  assert.equal(shortProblem({ code: 'NN101', message: 'x'.repeat(200) }).length, 90);
  assert.equal(shortProblem({ code: 'NN101', message: 'a b, '.repeat(40) }, 20), 'NN101 a b, a b, a…');
});
