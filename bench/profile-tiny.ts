// Per-step overhead of the tiny nets (XOR 2-4-1, Playground 2-8-8-1) on the pure-JS cpu backend: which
// kernels one training step runs (a count, independent of machine load) and, in CPU time
// (process.cpuUsage: on a shared machine far steadier than wall time for single-threaded work), the
// bare model.step loop (tfjs ops through the engine), the Trainer on that same tfjs path
// (directStep: false) and the Trainer with its direct step (src/core/train/direct.ts: the same kernels
// without the engine; same numbers bit for bit).  node --import tsx bench/profile-tiny.ts
import { selectBackend } from '../src/core/train/select';
import { initialWeights } from '../src/core/train/init';
import { Model } from '../src/core/train/model';
import { Trainer } from '../src/core/train/trainer';
import { mulberry32, gaussian } from '../src/core/train/random';
import { denseSpec } from './spec';

async function main(): Promise<void> {
  const { backend } = await selectBackend('cpu', { modulePaths: [] });
  const tf = backend.tf;
  const nets = [
    { name: 'XOR 2-4-1, batch 4', spec: denseSpec({ name: 'xor', inputs: 2, layers: [[4, 'tanh'], [1, 'sigmoid']], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 1, batchSize: 4, seed: 42 }), n: 4 },
    { name: 'Playground 2-8-8-1 tanh, batch 10', spec: denseSpec({ name: 'pg', inputs: 2, layers: [[8, 'tanh'], [8, 'tanh'], [1, 'tanh']], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.03 }, epochs: 1, batchSize: 10, seed: 42 }), n: 500 },
  ];
  for (const net of nets) {
    const rng = mulberry32(1);
    const x = Float32Array.from({ length: net.n * 2 }, () => gaussian(rng));
    const y = Float32Array.from({ length: net.n }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : -1));
    const bs = net.spec.training.batchSize as number;
    // kernels of one step (model.step, as the trainer calls it, plus the loss read-back)
    const model = new Model(tf, net.spec, initialWeights(net.spec));
    const opt = tf.train.sgd(0.1);
    const xb = tf.tensor2d(x.subarray(0, bs * 2), [bs, 2]);
    const yb = tf.tensor2d(y.subarray(0, bs), [bs, 1]);
    const info = await tf.profile(() => {
      const l = tf.tidy(() => model.step(opt, xb, yb).loss);
      l.dataSync();
      l.dispose();
    });
    const names = info.kernels.map((k) => k.name);
    const count = new Map<string, number>();
    for (const k of names) count.set(k, (count.get(k) ?? 0) + 1);
    console.log(`${net.name}: ${names.length} kernels per step, ${info.newTensors} new tensors — ${[...count].map(([k, c]) => `${k}×${c}`).join(', ')}`);
    // bare model.step loop against the Trainer (same steps), fastest of 5 runs of 2,000 steps
    const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;
    const bare = (): number => {
      const c0 = process.cpuUsage();
      for (let i = 0; i < 2000; i++) {
        const l = tf.tidy(() => model.step(opt, xb, yb).loss);
        l.dataSync();
        l.dispose();
      }
      return cpuMs(process.cpuUsage(c0)) / 2000;
    };
    const epochs = Math.ceil(2000 / Math.ceil(net.n / bs));
    const trainer = async (direct: boolean): Promise<number> => {
      const t = new Trainer({ backend, directStep: direct, spec: { ...net.spec, training: { ...net.spec.training, epochs } }, data: { x, xShape: [net.n, 2], y, yShape: [net.n, 1] } });
      const c0 = process.cpuUsage();
      const r = await t.run();
      const ms = cpuMs(process.cpuUsage(c0)) / (epochs * Math.ceil(net.n / bs));
      t.dispose();
      void r;
      return ms;
    };
    let b = Infinity;
    let tr = Infinity;
    let td = Infinity;
    for (let i = 0; i < 5; i++) {
      b = Math.min(b, bare());
      tr = Math.min(tr, await trainer(false));
      td = Math.min(td, await trainer(true));
    }
    const us = (v: number): string => `${(v * 1000).toFixed(1)} µs/step`;
    console.log(`  CPU time, fastest of 5 × ~2,000 steps: model.step loop ${us(b)}; Trainer, tfjs path ${us(tr)}; Trainer, direct step ${us(td)} (${(tr / td).toFixed(2)}× faster than the tfjs path)`);
    xb.dispose();
    yb.dispose();
    model.dispose?.();
  }
}
void main();
