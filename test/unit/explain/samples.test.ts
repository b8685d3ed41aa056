// The lens and hover text of the shipped samples, through the real spec core (analyzeSpec), exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpec, type Analysis } from '../../../src/core/spec';
import { activationHover, batchSizeHover, hoverFor, initHover, layerHover, layerLens, specLens } from '../../../src/core/explain';

const root = join(import.meta.dirname, '../../../samples');
function load(file: string): Analysis & Required<Pick<Analysis, 'spec' | 'shapes' | 'memory'>> {
  const p = join(root, file);
  const a = analyzeSpec(readFileSync(p, 'utf8'), { specPath: p, readFile: (f) => readFileSync(f, 'utf8') });
  assert.deepEqual(a.problems.filter((x) => x.severity === 'error'), [], `${file} validates`);
  assert.ok(a.spec && a.shapes && a.memory);
  return a as Analysis & Required<Pick<Analysis, 'spec' | 'shapes' | 'memory'>>;
}
const lenses = (a: ReturnType<typeof load>, detail: 'full' | 'compact' = 'full'): string[] => [
  specLens(a.spec.input.shape, a.shapes, a.memory, detail),
  ...a.spec.layers.map((l, i) => layerLens(l, a.shapes.layers[i]!, detail)),
];

test('xor.nn.json lenses', () => {
  // adam: weights 68 B + gradients 68 B + 2 slots 136 B + 3 × (2 + 4 + 1) × 4 × 4 B activations + 2 × 4 × (2 + 1) × 4 B data = 704 B
  assert.deepEqual(lenses(load('xor.nn.json')), [
    '2 → 4 → 1 · 17 params (68 B) · training memory ≈ 704 B at batch 4',
    'x (B×2) · W (2×4) + b (1×4) → tanh → (B×4) · 12 params',
    'x (B×4) · W (4×1) + b (1×1) → sigmoid → (B×1) · 5 params',
  ]);
  assert.deepEqual(lenses(load('xor.nn.json'), 'compact'), ['17 params · 704 B', '→ (B×4)', '→ (B×1)']);
});

test('image-3x3.nn.json lenses: the course\'s flatten (B×3×3) → (B×9) feeding W 9×4', () => {
  assert.deepEqual(lenses(load('image-3x3.nn.json')), [
    // adam: 4 × 200 B + 3 × (9 + 4 + 2) × 6 × 4 B activations (flatten only reshapes) + 2 × 6 × (9 + 2) × 4 B data = 2408 B
    '3×3 → 9 → 4 → 2 · 50 params (200 B) · training memory ≈ 2.35 KiB at batch 6',
    '(B×3×3) → (B×9)',
    'x (B×9) · W (9×4) + b (1×4) → relu → (B×4) · 40 params',
    'x (B×4) · W (4×2) + b (1×2) → softmax → (B×2) · 10 params',
  ]);
});

test('neural-chain.nn.json lenses: no bias, one parameter each', () => {
  assert.deepEqual(lenses(load('neural-chain.nn.json')).slice(1), ['x (B×1) · W (1×1) → linear → (B×1) · 1 param', 'x (B×1) · W (1×1) → linear → (B×1) · 1 param']);
});

test('mnist.nn.json lenses: 101,770 parameters for 784-128-10', () => {
  const l = lenses(load('mnist.nn.json'));
  assert.ok(l[0]!.startsWith('28×28 → 784 → 128 → 10 · 101,770 params (398 KiB) · training memory ≈ '));
  assert.deepEqual(l.slice(1), [
    '(B×28×28) → (B×784)',
    'x (B×784) · W (784×128) + b (1×128) → relu → (B×128) · 100,480 params',
    'x (B×128) · W (128×10) + b (1×10) → softmax → (B×10) · 1,290 params',
  ]);
});

test('mnist.nn.json dense hover: the parameter bytes in the lens\'s format (one byte formatter)', () => {
  const a = load('mnist.nn.json');
  const l1 = a.spec.layers[1];
  assert.ok(l1 && l1.type === 'dense');
  // 100,480 × 4 B = 401,920 B = 392.5 KiB, three significant digits as in the lens: 393 KiB
  assert.ok(layerHover(l1, a.shapes.layers[1]!).endsWith('**Parameters:** nᵢ·nₒ + nₒ = 784·128 + 128 = 100,480 (393 KiB as float32)'));
});

test('xor.nn.json hovers: layer derivation, tanh, glorot default init, batch = all 4 samples', () => {
  const a = load('xor.nn.json');
  const [l0] = a.spec.layers;
  assert.ok(l0 && l0.type === 'dense');
  const md = layerHover(l0, a.shapes.layers[0]!);
  assert.ok(md.includes('**Parameters:** nᵢ·nₒ + nₒ = 2·4 + 4 = 12 (48 B as float32)'));
  assert.ok(md.includes('X (B×2) · W (2×4) + b (1×4) = (B×4)'));
  assert.ok(activationHover(l0.activation).startsWith('**Hyperbolic tangent (tanh)** `tanh`'));
  const init = initHover(l0.init, 'W', a.shapes.layers[0]!);
  assert.ok(init.includes(`· ${l0.init.type === 'glorot' ? 'Glorot uniform' : l0.init.type}`));
  const batch = batchSizeHover(a.spec.training, a.dataInfo?.samples, a.spec.input.shape);
  assert.ok(batch.includes('⌈4/4⌉ = 1, with N = 4 training samples.'));
});

test('image-3x3.nn.json He init hover: σ = √(2/9) = 0.471', () => {
  const a = load('image-3x3.nn.json');
  const l1 = a.spec.layers[1];
  assert.ok(l1 && l1.type === 'dense' && l1.init.type === 'he');
  assert.ok(initHover(l1.init, 'W', a.shapes.layers[1]!).includes('σ = √(2/nᵢ) = √(2/9) = 0.471 (nᵢ = 9'));
  assert.ok(Math.abs(Math.sqrt(2 / 9) - 0.4714) < 1e-4);
});

test('hoverFor: the cursor\'s JSON path picks the hover (xor.nn.json)', () => {
  const a = load('xor.nn.json');
  const n = a.dataInfo?.samples;
  const at = (path: (string | number)[]): string => hoverFor(a.spec, a.shapes, n, path) ?? '(none)';
  for (const p of [['layers', 0], ['layers', 0, 'units'], ['layers', 0, 'type']]) assert.ok(at(p).startsWith('**Layer 1: dense** · 4 units · tanh'), JSON.stringify(p));
  assert.ok(at(['layers', 1, 'activation']).startsWith('**Sigmoid** `sigmoid`'));
  assert.ok(at(['layers', 1, 'init']).startsWith('**Weights W (4×1) of layer 2**'));
  assert.ok(at(['layers', 1, 'biasInit']).startsWith('**Bias b (1×1) of layer 2**'));
  assert.ok(at(['training', 'batchSize']).startsWith('**Batch size** `4`'));
  assert.ok(at(['training', 'epochs']).startsWith('**Epochs** 500'));
  assert.ok(at(['loss']).startsWith('**Mean squared error** `mse`'));
  assert.ok(at(['optimizer', 'learningRate']).startsWith('**Learning rate** α = 0.05 · adam'));
  assert.ok(at(['input', 'shape', 0]).startsWith('**Input** (2) per sample'));
  assert.equal(at(['name']), '(none)');
  assert.equal(at(['layers', 7]), '(none)');
});
