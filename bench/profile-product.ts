// Where the product path's time goes over the bare loop, in one process, on one backend: the same
// Trainer (a) bare, (b) in a session with no run folder and no events, (c) with the run folder and
// progress events (what the worker runs), (d) the run folder alone. steps/s over the whole run.
//   node --import tsx bench/profile-product.ts [xor|mnist64] [epochs] [cpu|wasm]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '../src/core/train/select';
import { startSession } from '../src/core/train/session';
import { Trainer, type TrainData } from '../src/core/train/trainer';
import { denseSpec, flatMnist } from './spec';
import type { NetworkSpec } from '../src/core/spec/types';
import type { BackendName } from '../src/core/train/backend';

const which = process.argv[2] ?? 'xor';
const mnist = which === 'mnist64';
const epochs = Number(process.argv[3] ?? (mnist ? 8 : 60000));
const backendName = (process.argv[4] ?? (mnist ? 'wasm' : 'cpu')) as BackendName;
const spec: NetworkSpec = mnist
  ? denseSpec({ name: 'pp', inputs: 784, layers: [[128, 'relu'], [64, 'relu'], [10, 'softmax']], loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.01 }, epochs, batchSize: 64, seed: 42 })
  : denseSpec({ name: 'pp', inputs: 2, layers: [[4, 'tanh'], [1, 'sigmoid']], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs, batchSize: 4, seed: 42 });

void (async () => {
  const data: TrainData = mnist ? await flatMnist(4096, 1) : { x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), xShape: [4, 2], y: new Float32Array([0, 1, 1, 0]), yShape: [4, 1] };
  const { backend } = await selectBackend(backendName, { modulePaths: [process.cwd()] });
  const bare = async (): Promise<number> => {
    const t = new Trainer({ backend, spec, data, onRow: () => undefined });
    const r = await t.run();
    t.dispose();
    return (r.steps * 1000) / r.elapsedMs;
  };
  const session = async (writeRun: boolean, events: boolean): Promise<number> => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-'));
    const s = await startSession({ spec, specPath: join(dir, 'pp.nn.json'), backend: backendName, writeRun, data, maxEventsPerSec: events ? 30 : 0.001, onMessage: () => undefined });
    const sum = await s.done;
    rmSync(dir, { recursive: true, force: true });
    return (sum.steps * 1000) / sum.elapsedMs;
  };
  for (let r = 0; r < 2; r++) {
    console.log('bare', (await bare()).toFixed(1));
    console.log('session, no run folder, no events', (await session(false, false)).toFixed(1));
    console.log('session, run folder, events', (await session(true, true)).toFixed(1));
    console.log('session, run folder, no events', (await session(true, false)).toFixed(1));
  }
})();
