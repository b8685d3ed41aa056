import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialWeights } from '../../../src/core/train/init';
import { dense, makeSpec } from './helpers';

const base = { loss: 'mse' as const, optimizer: { type: 'sgd' as const, learningRate: 0.1 }, epochs: 1, batchSize: 4 as const };

test('initialWeights: explicit values, constants and zeros are copied exactly', () => {
  const spec = makeSpec({
    ...base,
    input: [2],
    layers: [
      dense(3, 'tanh', { type: 'values', values: [[1, 2, 3], [4, 5, 6]] }, { biasInit: { type: 'values', values: [0.5, -0.5, 7] } }),
      dense(1, 'linear', { type: 'constant', value: -0.25 }),
      dense(2, 'linear', { type: 'zeros' }, { useBias: false }),
    ],
  });
  const w = initialWeights(spec);
  assert.equal(w.length, 3);
  assert.deepEqual(w[0], { layer: 0, name: 'dense_1', W: [[1, 2, 3], [4, 5, 6]], b: [0.5, -0.5, 7] });
  assert.deepEqual(w[1].W, [[-0.25], [-0.25], [-0.25]]);
  assert.deepEqual(w[1].b, [0]);
  assert.deepEqual(w[2].W, [[0, 0]]);
  assert.equal(w[2].b, undefined);
});

test('initialWeights: flatten feeds the product of the input dims; dropout passes through', () => {
  const spec = makeSpec({ ...base, input: [4, 5], layers: [{ type: 'flatten' }, dense(3, 'relu'), { type: 'dropout', rate: 0.5 }, dense(2, 'linear')] });
  const w = initialWeights(spec);
  assert.deepEqual([w[0].W.length, w[0].W[0].length, w[0].layer], [20, 3, 1]);
  assert.deepEqual([w[1].W.length, w[1].W[0].length, w[1].layer], [3, 2, 3]);
});

test('initialWeights: same seed same numbers, other seed other numbers', () => {
  const spec = makeSpec({ ...base, input: [8], layers: [dense(16, 'relu', { type: 'he' }), dense(4, 'linear')] });
  assert.deepEqual(initialWeights(spec, 7), initialWeights(spec, 7));
  assert.notDeepEqual(initialWeights(spec, 7)[0].W, initialWeights(spec, 8)[0].W);
});

test('initialWeights: he has σ = √(2/nᵢ), glorot stays within √(6/(nᵢ+nₒ)), uniform/normal follow their parameters', () => {
  const nIn = 200;
  const nOut = 300;
  const stats = (m: number[][]): { mean: number; std: number; min: number; max: number } => {
    const f = m.flat();
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    const std = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length);
    return { mean, std, min: Math.min(...f), max: Math.max(...f) };
  };
  const mk = (init: Parameters<typeof dense>[2]) => initialWeights(makeSpec({ ...base, input: [nIn], layers: [dense(nOut, 'relu', init)] }))[0].W;
  const he = stats(mk({ type: 'he' }));
  assert.ok(Math.abs(he.mean) < 0.003, `he mean ${he.mean}`);
  assert.ok(Math.abs(he.std / Math.sqrt(2 / nIn) - 1) < 0.02, `he std ${he.std}`);
  const limit = Math.sqrt(6 / (nIn + nOut));
  const gl = stats(mk({ type: 'glorot' }));
  assert.ok(gl.min >= -limit && gl.max <= limit && gl.max > 0.99 * limit && gl.min < -0.99 * limit, `glorot ${gl.min}..${gl.max}`);
  const un = stats(mk({ type: 'uniform', min: 2, max: 3 }));
  assert.ok(un.min >= 2 && un.max < 3 && Math.abs(un.mean - 2.5) < 0.01);
  const no = stats(mk({ type: 'normal', mean: 1, std: 0.5 }));
  assert.ok(Math.abs(no.mean - 1) < 0.01 && Math.abs(no.std - 0.5) < 0.01);
});

test('initialWeights: wrong-sized explicit values are a located error', () => {
  const spec = makeSpec({ ...base, input: [2], layers: [dense(2, 'linear', { type: 'values', values: [[1, 2]] })] });
  assert.throws(() => initialWeights(spec), { message: 'layers[0].init: explicit values must be 2×2 finite numbers' });
});
