// The training worker as a forked child process, the way the training host runs it inside Electron
// (trainingIsolation → child-process, childProcessOptions: serialization 'advanced', IPC): the same
// messages as over a worker port, a run folder, and the process exiting by itself after `done`. On cpu,
// and on webgpu through Dawn's software adapter where Mesa's EGL is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childProcessOptions } from '../../../src/core/train/detect';
import type { HostToWorker, WorkerMethods, WorkerToHost } from '../../../src/protocol/training';
import { dense, makeSpec, runFiles } from '../train/helpers';

const repo = join(__dirname, '..', '..', '..');
const script = join(repo, 'src', 'worker', 'train.ts');
const RUN_FILES = ['events.out.tfevents.*', 'metrics.csv', 'model.json', 'spec.nn.json', 'summary.json', 'weights.bin'];

/** The worker forked as the training host forks it (the .ts source through tsx): every message it sends, its exit code, its stderr. */
function forkWorker(extraEnv: NodeJS.ProcessEnv = {}) {
  const o = childProcessOptions({ ...process.env, ...extraEnv });
  assert.equal(o.runtime, 'node');
  const child = fork(script, [], { execPath: o.execPath, execArgv: ['--import', 'tsx'], env: o.env, serialization: o.serialization, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const all: WorkerToHost[] = [];
  const err = { text: '' };
  child.stderr?.on('data', (d: Buffer) => (err.text += d.toString()));
  child.on('message', (m) => all.push(m as WorkerToHost));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, all, err, exited, send: (m: HostToWorker) => child.send(m) };
}

async function runInChild(backend: 'cpu' | 'webgpu', extraEnv: NodeJS.ProcessEnv): Promise<{ all: WorkerToHost[]; code: number | null; files: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-child-'));
  const { child, all, err, exited, send } = forkWorker(extraEnv);
  const next = <K extends WorkerToHost['type']>(type: K, pred: (m: Extract<WorkerToHost, { type: K }>) => boolean = () => true) =>
    new Promise<Extract<WorkerToHost, { type: K }>>((res, rej) => {
      const t0 = Date.now();
      const poll = () => {
        const hit = all.find((m): m is Extract<WorkerToHost, { type: K }> => m.type === type && pred(m as Extract<WorkerToHost, { type: K }>));
        if (hit) return res(hit);
        if (Date.now() - t0 > 60_000) return rej(new Error(`no ${type}; got ${all.map((m) => m.type).join(',')}; stderr ${err.text.slice(-500)}`));
        setTimeout(poll, 5);
      };
      poll();
    });
  try {
    const spec = makeSpec({ name: 'xorchild', input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 100000, batchSize: 1, shuffle: false });
    spec.data = { type: 'inline', x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
    send({ type: 'start', spec, specDir: dir, specPath: join(dir, 'xorchild.nn.json'), backend, maxEventsPerSec: 50 });
    await Promise.race([
      next('started'),
      next('error').then((e) => {
        throw new Error(`worker error: ${e.message}`);
      }),
    ]);
    send({ type: 'pause' });
    const p = await next('paused');
    send({ type: 'step', unit: 'epoch' });
    await next('paused', (m) => m.step > p.step);
    send({ type: 'request', id: 11, method: 'weights', params: {} });
    const res = await next('response', (m) => m.id === 11);
    assert.ok(res.ok, JSON.stringify(res));
    const wt = res.result as WorkerMethods['weights']['result'];
    // typed arrays and nested arrays survive the 'advanced' serialisation
    assert.deepEqual([wt.layers[0].W.length, wt.layers[0].W[0].length, wt.layers[1].W.length, wt.layers[1].b?.length], [2, 4, 4, 1]);
    send({ type: 'stop' });
    const d = await next('done');
    assert.equal(d.summary.stopReason, 'stopped');
    assert.equal(d.summary.steps % 4, 0, 'stopped at an epoch boundary after stepping an epoch');
    assert.ok(Number.isFinite(d.summary.finalLoss));
    const code = await exited;
    return { all, code, files: runFiles(d.summary.runDir as string) };
  } finally {
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the worker as a child process on cpu: start, pause, step an epoch, weights, stop, done; then it exits 0', async () => {
  const r = await runInChild('cpu', {});
  const b = r.all.find((m): m is Extract<WorkerToHost, { type: 'backend' }> => m.type === 'backend');
  assert.deepEqual(b?.report, { active: 'cpu', device: 'CPU (pure JavaScript)', skipped: [], reason: 'requested: cpu' });
  assert.equal(r.code, 0, 'the child exits by itself after the run');
  assert.deepEqual(r.files, RUN_FILES);
});

test('the worker as a child process on webgpu (software adapter): the same run, device named', async (t) => {
  const env = { EGL_PLATFORM: 'surfaceless', NNLAB_DAWN_FLAGS: 'backend=opengles', NNLAB_WEBGPU_ALLOW_SOFTWARE: '1' };
  let r: Awaited<ReturnType<typeof runInChild>>;
  try {
    r = await runInChild('webgpu', env);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // the only acceptable failure: no software WebGPU adapter on this machine (no Mesa EGL)
    if (/^worker error: backend webgpu cannot be used: (no GPU adapter|not installed)/.test(msg)) return t.skip(`no software WebGPU adapter here: ${msg.slice(0, 200)}`);
    throw e;
  }
  const b = r.all.find((m): m is Extract<WorkerToHost, { type: 'backend' }> => m.type === 'backend');
  assert.match(b?.report.device ?? '', /llvmpipe.* via OpenGL \(WebGPU, Dawn, software, allowed by NNLAB_WEBGPU_ALLOW_SOFTWARE\)$/);
  assert.equal(r.code, 0);
  assert.deepEqual(r.files, RUN_FILES);
});

test('the child process delivers the last messages of a large network (final weights, done) before it exits', async () => {
  // 784-128-64-10: ~109,000 weights in the last `weights` message; the child used to disconnect with it
  // and `done` still queued, so the host saw an exit instead of the end of the run
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-child-big-'));
  const { child, all: got, exited, send } = forkWorker();
  try {
    const spec = makeSpec({ name: 'big', input: [784], layers: [dense(128, 'relu'), dense(64, 'relu'), dense(10, 'softmax')], loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 32, shuffle: false });
    const x = Array.from({ length: 64 }, (_, i) => Array.from({ length: 784 }, (_, j) => ((i * 7 + j) % 13) / 13));
    const y = Array.from({ length: 64 }, (_, i) => Array.from({ length: 10 }, (_, c) => (c === i % 10 ? 1 : 0)));
    spec.data = { type: 'inline', x, y };
    send({ type: 'start', spec, specDir: dir, specPath: join(dir, 'big.nn.json'), backend: 'cpu', maxEventsPerSec: 30 });
    assert.equal(await exited, 0);
    const types = got.map((m) => m.type);
    assert.equal(types[types.length - 1], 'done', `last messages: ${types.slice(-4).join(', ')}`);
    const final = got.find((m): m is Extract<WorkerToHost, { type: 'weights' }> => m.type === 'weights');
    assert.ok(final, 'the final weights arrived');
    assert.deepEqual(final.layers.map((l) => [l.W.length, l.W[0].length]), [[784, 128], [128, 64], [64, 10]]);
  } finally {
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a child whose host goes away (channel closed) ends its run as interrupted and exits, instead of training on as an orphan', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-child-orphan-'));
  const { child, all: got, exited, send } = forkWorker();
  try {
    const spec = makeSpec({ name: 'orphan', input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 1_000_000, batchSize: 1, shuffle: false });
    spec.data = { type: 'inline', x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
    send({ type: 'start', spec, specDir: dir, specPath: join(dir, 'orphan.nn.json'), backend: 'cpu', maxEventsPerSec: 30 });
    const t0 = Date.now();
    while (!got.some((m) => m.type === 'started') && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 10));
    const started = got.find((m): m is Extract<WorkerToHost, { type: 'started' }> => m.type === 'started');
    assert.ok(started?.runDir, 'the run started');
    await new Promise((r) => setTimeout(r, 200));
    child.disconnect(); // what the child sees when VS Code (its parent) closes or crashes
    const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000))]);
    assert.equal(code, 0, 'the child exits by itself');
    const summary = JSON.parse(readFileSync(join(started.runDir, 'summary.json'), 'utf8')) as { stopReason: string; steps: number };
    assert.equal(summary.stopReason, 'interrupted');
    assert.ok(summary.steps > 0 && summary.steps < 4_000_000);
  } finally {
    if (child.exitCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
