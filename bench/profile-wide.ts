// Where one wide-net (1024-1024-1024-10, batch 256) training step's time goes on the wasm backend:
// per-kernel wall time via tf.profile, summed over a few steps.  node --import tsx bench/profile-wide.ts
import { selectBackend } from '../src/core/train/select';
import { initialWeights } from '../src/core/train/init';
import { Model } from '../src/core/train/model';
import { mulberry32, gaussian } from '../src/core/train/random';
import type { NetworkSpec } from '../src/core/spec/types';

async function main(): Promise<void> {
const B = Number(process.env.BATCH ?? 256);
const spec: NetworkSpec = {
  version: 1, name: 'wide', input: { shape: [1024] },
  layers: [1024, 1024, 10].map((u, i) => ({ type: 'dense' as const, units: u, activation: { name: i === 2 ? 'softmax' as const : 'relu' as const }, useBias: true, init: { type: 'glorot' as const }, biasInit: { type: 'zeros' as const } })),
  loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.01 },
  training: { epochs: 1, batchSize: B, shuffle: false, seed: 42, validationSplit: 0 },
};
const { backend } = await selectBackend('wasm', { modulePaths: [] });
const tf = backend.tf;
const model = new Model(tf, spec, initialWeights(spec));
const rng = mulberry32(1);
const x = tf.tensor2d(Float32Array.from({ length: B * 1024 }, () => gaussian(rng)), [B, 1024]);
const yv = new Float32Array(B * 10); for (let i = 0; i < B; i++) yv[i * 10 + (i % 10)] = 1;
const y = tf.tensor2d(yv, [B, 10]);
const opt = tf.train.sgd(0.01);
const step = (): number => {
  const l = tf.tidy(() => model.step(opt, x, y).loss);
  const v = l.dataSync()[0]; l.dispose(); return v;
};
for (let i = 0; i < 3; i++) step();
const N = Number(process.env.STEPS ?? 10);
const times: number[] = [];
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  step();
  times.push(performance.now() - t0);
}
times.sort((p, q) => p - q);
const flop = 6 * B * (1024 * 1024 * 2 + 1024 * 10); // counted as the bench counts it
const fmt = (ms: number): string => `${ms.toFixed(1)} ms (${(flop / ms / 1e6).toFixed(1)} GFLOP/s)`;
console.log(`step over ${N}: min ${fmt(times[0])}, median ${fmt(times[N >> 1])}`);
const agg = new Map<string, { n: number; ms: number }>();
for (let i = 0; i < 3; i++) {
  const info = await tf.profile(() => { step(); });
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const a = agg.get(key) ?? { n: 0, ms: 0 };
    a.n++; a.ms += Number(k.kernelTimeMs); agg.set(key, a);
  }
}
const rows = [...agg].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, r) => s + r[1].ms, 0) / 3;
console.log(`kernels total ${total.toFixed(1)} ms/step`);
for (const [k, a] of rows.slice(0, 25)) console.log(`${(a.ms / 3).toFixed(2).padStart(8)} ms  x${a.n / 3}  ${k}`);
}
void main();
