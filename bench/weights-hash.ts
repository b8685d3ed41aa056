// Bit-identity check for performance changes: 4 SGD steps on wasm for three nets, printing the losses
// and a SHA-1 of the final weights. Run before and after a change: the lines must match exactly.
//   node --import tsx bench/weights-hash.ts
import { createHash } from 'node:crypto';
import { selectBackend } from '../src/core/train/select';
import { initialWeights } from '../src/core/train/init';
import { Model } from '../src/core/train/model';
import { mulberry32, gaussian } from '../src/core/train/random';
import type { NetworkSpec } from '../src/core/spec/types';
async function main(): Promise<void> {
const { backend } = await selectBackend('wasm', { modulePaths: [] });
const tf = backend.tf;
for (const [inp, units, B] of [[1024, [1024, 1024, 10], 256], [784, [128, 64, 10], 64], [20, [300, 7, 3], 5]] as [number, number[], number][]) {
  const spec: NetworkSpec = {
    version: 1, name: 'w', input: { shape: [inp] },
    layers: units.map((u, i) => ({ type: 'dense' as const, units: u, activation: { name: i === units.length - 1 ? 'softmax' as const : 'relu' as const }, useBias: true, init: { type: 'glorot' as const }, biasInit: { type: 'zeros' as const } })),
    loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.05 },
    training: { epochs: 1, batchSize: B, shuffle: false, seed: 42, validationSplit: 0 },
  };
  const model = new Model(tf, spec, initialWeights(spec));
  const rng = mulberry32(1);
  const x = tf.tensor2d(Float32Array.from({ length: B * inp }, () => gaussian(rng)), [B, inp]);
  const yv = new Float32Array(B * 10); for (let i = 0; i < B; i++) yv[i * units[2] + (i % units[2])] = 1;
  const y = tf.tensor2d(yv.subarray(0, B * units[2]), [B, units[2]]);
  const opt = tf.train.sgd(0.05);
  const vars = model.variables();
  const losses: number[] = [];
  for (let s = 0; s < 4; s++) {
    const l = tf.tidy(() => model.step(opt, x, y).loss);
    losses.push(l.dataSync()[0]); l.dispose();
  }
  const h = createHash('sha1');
  for (const v of vars) h.update(Buffer.from((v.dataSync() as Float32Array).buffer));
  console.log(units.join('-'), losses.join(' '), h.digest('hex'));
}
}
void main();
