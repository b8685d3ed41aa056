// Performance work on the training step must not change a single bit of what a run computes: each case
// below trains a small net through the real Trainer with a fixed seed and hashes every metrics row (step
// and epoch, loss, validation loss, accuracies, as written to metrics.csv) and the final weights' float32
// bits. The hashes were recorded on the code before the per-step overhead work of issue 18 (commit
// 81c54d4: fresh batch arrays per step, tfjs op wrappers, a Map of gradients); the paths that work
// changed (reused batch buffers, shuffled and in-order batches, the full-batch tensor, dropout, every
// loss, Adam/momentum/SGD, validation, the last short batch) are each exercised here, on cpu and wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { NetworkSpec } from '../../../src/core/spec/types';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer, type MetricsRow, type TrainData } from '../../../src/core/train/trainer';
import { mulberry32, gaussian } from '../../../src/core/train/random';
import { metricsLine } from '../../../src/core/train/runs';
import { dense, makeSpec, XOR } from './helpers';

function classes(n: number, inputs: number, k: number, seed: number): TrainData {
  const rng = mulberry32(seed);
  const x = Float32Array.from({ length: n * inputs }, () => gaussian(rng));
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++) y[i * k + (k === 1 ? 0 : Math.floor(rng() * k))] = k === 1 ? (x[i * inputs] > 0 ? 1 : 0) : 1;
  return { x, xShape: [n, inputs], y, yShape: [n, k] };
}
function regression(n: number, seed: number): TrainData {
  const rng = mulberry32(seed);
  const x = Float32Array.from({ length: n * 2 }, () => gaussian(rng));
  const y = Float32Array.from({ length: n }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : -1));
  return { x, xShape: [n, 2], y, yShape: [n, 1] };
}

interface Case {
  name: string;
  spec: NetworkSpec;
  data: TrainData;
  backends: ('cpu' | 'wasm')[];
  /** sha1 of the metrics rows and final weights, per backend (recorded before the change) */
  hash: Record<string, string>;
}

const adam = { type: 'adam' as const, learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
const CASES: Case[] = [
  {
    name: 'XOR 2-4-1 full batch, Adam, MSE (samples/xor.nn.json without its early stop)',
    spec: makeSpec({ input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: adam, epochs: 60, batchSize: 4, seed: 42 }),
    data: XOR,
    backends: ['cpu', 'wasm'],
    hash: { cpu: '17640f5f933a7ac4e94cdfc8d8d34ebca1603f4d', wasm: '2f2666ac58970bf3850094d4f35449297e914e96' },
  },
  {
    name: 'Playground 2-8-8-1 tanh, SGD, batch 10 of 500, shuffled',
    spec: makeSpec({ input: [2], layers: [dense(8, 'tanh'), dense(8, 'tanh'), dense(1, 'tanh')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.03 }, epochs: 3, batchSize: 10, seed: 42 }),
    data: regression(500, 7),
    backends: ['cpu', 'wasm'],
    hash: { cpu: '7fcf268c4b99e5cba5ac3bfc313db8e730d74c20', wasm: 'fea8e4aefe17990587ecc601071e170ed0bbe2f5' },
  },
  {
    name: 'dropout + BCE (logits), momentum, validation split, batch 7 (short last batch), shuffled',
    spec: makeSpec({ input: [3], layers: [dense(6, 'relu'), { type: 'dropout', rate: 0.25 }, dense(5, 'elu'), dense(1, 'sigmoid')], loss: 'binaryCrossentropy', optimizer: { type: 'momentum', learningRate: 0.1, momentum: 0.9 }, epochs: 4, batchSize: 7, seed: 5, validationSplit: 0.2 }),
    data: classes(60, 3, 1, 11),
    backends: ['cpu', 'wasm'],
    hash: { cpu: '3cf169be6f23d476a2c7464b905da5ab8f6183ee', wasm: 'd52286c8e10ab2398f7c56e26d890c36b20e9a8c' },
  },
  {
    name: 'softmax + CCE, 3 classes, batch 8 in order (no shuffle), leakyRelu, Adam',
    spec: makeSpec({ input: [4], layers: [dense(7, 'leakyRelu'), dense(3, 'softmax')], loss: 'categoricalCrossentropy', optimizer: adam, epochs: 3, batchSize: 8, seed: 3, shuffle: false }),
    data: classes(45, 4, 3, 12),
    backends: ['cpu', 'wasm'],
    hash: { cpu: '0eb8ea9d6e9ede0de8820427481da2d70aeefa8f', wasm: 'e3cb005b0e0930829acb389701386dc08e71d119' },
  },
  {
    name: 'image input [3,3] through flatten, sigmoid + MSE, batch 5, shuffled',
    spec: makeSpec({ input: [3, 3], layers: [{ type: 'flatten' }, dense(4, 'sigmoid'), dense(2, 'linear')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.2 }, epochs: 3, batchSize: 5, seed: 8 }),
    data: ((): TrainData => {
      const d = classes(23, 9, 2, 13);
      return { ...d, xShape: [23, 3, 3] };
    })(),
    backends: ['cpu', 'wasm'],
    hash: { cpu: '39128dff17fb85f86378c4cb13718ef326d59b4b', wasm: '865e683a0c37e7b1a9092d26a8788640a46eabaa' },
  },
];

async function trajectory(c: Case, name: 'cpu' | 'wasm'): Promise<{ hash: string; rows: number }> {
  const { backend } = await selectBackend(name, { modulePaths: [], wasmThreads: name === 'wasm' ? 1 : undefined });
  const rows: MetricsRow[] = [];
  const t = new Trainer({ backend, spec: c.spec, data: c.data, onRow: (r) => rows.push(r) });
  await t.run();
  const h = createHash('sha1');
  // every metrics.csv field but elapsed_ms (the line without its last column), losses in full precision
  for (const r of rows) h.update(metricsLine({ ...r, elapsedMs: 0 }) + '\n');
  for (const l of t.weights()) {
    h.update(new Uint8Array(Float32Array.from(l.W.flat()).buffer));
    if (l.b) h.update(new Uint8Array(Float32Array.from(l.b).buffer));
  }
  t.dispose();
  return { hash: h.digest('hex'), rows: rows.length };
}

for (const c of CASES) {
  for (const b of c.backends) {
    test(`same seed → the same metrics and weights, bit for bit, as before the per-step work: ${c.name} (${b})`, async () => {
      const r = await trajectory(c, b);
      if (process.env.NNLAB_PRINT_GOLDEN) console.log(`GOLDEN ${c.name} ${b} ${r.hash} ${r.rows}`);
      assert.ok(r.rows > 0);
      assert.equal(r.hash, c.hash[b], `${c.name} on ${b}`);
    });
  }
}
