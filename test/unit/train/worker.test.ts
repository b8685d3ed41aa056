// The real worker (src/worker/train.ts, run through tsx as dist/worker/train.js would run): messages
// in and out, pause/step/weights/resume/stop, the run folder it leaves, crash-free error reporting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostToWorker, WorkerMethods, WorkerToHost } from '../../../src/protocol/training';
import { dense, makeSpec, runFiles } from './helpers';

const script = fileURLToPath(new URL('../../../src/worker/train.ts', import.meta.url));

function spawn(): { post: (m: HostToWorker) => void; next: (pred: (m: WorkerToHost) => boolean, ms?: number) => Promise<WorkerToHost>; all: WorkerToHost[]; exited: Promise<number> } {
  // a .ts worker entry: register tsx's CommonJS hook inside the worker, then load the real script
  const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true });
  const all: WorkerToHost[] = [];
  const waiters: { pred: (m: WorkerToHost) => boolean; res: (m: WorkerToHost) => void }[] = [];
  w.on('message', (m: WorkerToHost) => {
    all.push(m);
    for (const x of [...waiters]) if (x.pred(m)) {
      waiters.splice(waiters.indexOf(x), 1);
      x.res(m);
    }
  });
  const exited = new Promise<number>((r) => w.on('exit', r));
  return {
    post: (m) => w.postMessage(m),
    all,
    exited,
    next: (pred, ms = 30_000) =>
      new Promise((res, rej) => {
        const hit = all.find(pred);
        if (hit) return res(hit);
        const t = setTimeout(() => rej(new Error(`timeout; got ${all.map((m) => m.type).join(',')}`)), ms);
        waiters.push({ pred, res: (m) => (clearTimeout(t), res(m)) });
      }),
  };
}

test('worker: start → backend → started → pause → step → weights → resume → stop → done, run folder complete', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-worker-'));
  try {
    const spec = makeSpec({ name: 'xorw', input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 100000, batchSize: 1, shuffle: false });
    spec.data = { type: 'inline', x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
    const w = spawn();
    w.post({ type: 'start', spec, specDir: dir, specPath: join(dir, 'xorw.nn.json'), backend: 'cpu', maxEventsPerSec: 50 });
    const b = (await w.next((m) => m.type === 'backend')) as Extract<WorkerToHost, { type: 'backend' }>;
    assert.deepEqual(b.report, { active: 'cpu', device: 'CPU (pure JavaScript)', skipped: [], reason: 'requested: cpu' });
    const s = (await w.next((m) => m.type === 'started')) as Extract<WorkerToHost, { type: 'started' }>;
    assert.equal(s.stepsPerEpoch, 4);
    assert.ok(s.runDir && s.runDir.startsWith(join(dir, '.nnlab', 'runs')) && s.runDir.endsWith('-xorw'));
    w.post({ type: 'pause' });
    const p = (await w.next((m) => m.type === 'paused')) as Extract<WorkerToHost, { type: 'paused' }>;
    w.post({ type: 'step', unit: 'batch' });
    const stepped = await w.next((m) => m.type === 'batch' && m.step === p.step + 1);
    assert.equal(stepped.type, 'batch');
    await w.next((m) => m.type === 'paused' && m.step === p.step + 1);
    w.post({ type: 'request', id: 7, method: 'weights', params: {} });
    const res = (await w.next((m) => m.type === 'response')) as Extract<WorkerToHost, { type: 'response' }>;
    assert.equal(res.id, 7);
    assert.ok(res.ok, JSON.stringify(res));
    const wt = res.result as WorkerMethods['weights']['result'];
    assert.equal(wt.step, p.step + 1);
    assert.deepEqual([wt.layers[0].W.length, wt.layers[0].W[0].length, wt.layers[1].W.length, wt.layers[1].b?.length], [2, 4, 4, 1]);
    w.post({ type: 'resume' });
    await w.next((m) => m.type === 'resumed');
    await new Promise((r) => setTimeout(r, 100));
    w.post({ type: 'stop' });
    const d = (await w.next((m) => m.type === 'done')) as Extract<WorkerToHost, { type: 'done' }>;
    assert.equal(d.summary.stopReason, 'stopped');
    assert.equal(d.summary.runDir, s.runDir);
    assert.equal(await w.exited, 0, 'the worker exits by itself after the run');
    assert.deepEqual(runFiles(s.runDir as string), ['events.out.tfevents.*', 'metrics.csv', 'model.json', 'spec.nn.json', 'summary.json', 'weights.bin']);
    const summary = JSON.parse(readFileSync(join(s.runDir as string, 'summary.json'), 'utf8'));
    assert.equal(summary.stopReason, 'stopped');
    const csv = readFileSync(join(s.runDir as string, 'metrics.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'kind,step,epoch,batch,loss,val_loss,accuracy,val_accuracy,elapsed_ms');
    assert.equal(csv.filter((l) => l.startsWith('step,')).length, d.summary.steps, 'one row per step');
    // bounded rate: far fewer batch events than steps
    const batchEvents = w.all.filter((m) => m.type === 'batch').length;
    assert.ok(batchEvents < d.summary.steps, `${batchEvents} batch events for ${d.summary.steps} steps`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('worker: a backend that cannot load is an error message, not a crash or a fallback', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-worker-'));
  try {
    const spec = makeSpec({ input: [2], layers: [dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 1, batchSize: 1 });
    spec.data = { type: 'inline', x: [[0, 0]], y: [[0]] };
    const w = spawn();
    w.post({ type: 'start', spec, specDir: dir, backend: 'tfjs-node', modulePaths: [dir] });
    const e = (await w.next((m) => m.type === 'error')) as Extract<WorkerToHost, { type: 'error' }>;
    assert.match(e.message, /^backend tfjs-node cannot be used: not installed \(@tensorflow\/tfjs-node not found in /);
    assert.equal(await w.exited, 0);
    assert.equal(existsSync(join(dir, '.nnlab')), false, 'nothing written when the run never started');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
