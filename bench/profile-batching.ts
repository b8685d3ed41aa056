// Batch building on each backend in CPU time (process.cpuUsage: steadier than wall time on a shared
// machine): the trainer's own batch method (shuffled row copies, upload, dispose) against the copy and
// the upload alone, MNIST-size rows, batches 64 and 256.  node --import tsx bench/profile-batching.ts
import { selectBackend } from '../src/core/train/select';
import { Trainer } from '../src/core/train/trainer';
import { denseSpec, flatMnist } from './spec';
import { mulberry32, permutation } from '../src/core/train/random';
(async () => {
  const data = await flatMnist(4096, 1);
  for (const [name, th] of [['cpu', undefined], ['wasm', 1], ['wasm', 2]] as const) {
    const { backend } = await selectBackend(name, { modulePaths: [], wasmThreads: th });
    const spec = denseSpec({ name: 'm', inputs: 784, layers: [[128, 'relu'], [64, 'relu'], [10, 'softmax']], loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 256, seed: 42 });
    const t = new Trainer({ backend, spec, data });
    const batch = (t as unknown as { batch: (o: Int32Array, s: number, n: number) => [{ dispose(): void }, { dispose(): void }] }).batch.bind(t);
    const order = permutation(mulberry32(1), 4096, new Int32Array(4096));
    for (const B of [64, 256]) {
      let best = Infinity, bestUp = Infinity, bestCopy = Infinity;
      for (let r = 0; r < 5; r++) {
        const c0 = process.cpuUsage();
        for (let i = 0; i < 16; i++) { const [x, y] = batch(order, i * B % 4000, B); x.dispose(); y.dispose(); }
        const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 16 / 1000);
        const c1 = process.cpuUsage();
        for (let i = 0; i < 16; i++) { const bx = new Float32Array(B * 784); for (let k = 0; k < B; k++) { const rr = order[k]; bx.set(data.x.subarray(rr * 784, rr * 784 + 784), k * 784); } }
        const cc = process.cpuUsage(c1); bestCopy = Math.min(bestCopy, (cc.user + cc.system) / 16 / 1000);
        const bx = new Float32Array(B * 784);
        const c2 = process.cpuUsage();
        for (let i = 0; i < 16; i++) { const x = backend.tf.tensor(bx, [B, 784]); x.dispose(); }
        const c3 = process.cpuUsage(c2); bestUp = Math.min(bestUp, (c3.user + c3.system) / 16 / 1000);
      }
      console.log(backend.device, 'batch', B, 'trainer.batch ms CPU', best.toFixed(3), 'copy only', bestCopy.toFixed(3), 'tensor() only', bestUp.toFixed(3));
    }
    t.dispose();
  }
})();
