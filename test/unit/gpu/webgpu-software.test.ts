// The real WebGPU path without a GPU: Dawn's OpenGL ES backend on Mesa's llvmpipe (EGL, surfaceless) gives
// a software adapter in WebGPU compatibility mode. NN Lab rejects it for users (slower than the CPU
// backends); here `allowSoftwareAdapter` lets the whole chain run for real — dawn.node, globals and
// navigator.gpu, tfjs-backend-webgpu's WGSL kernels, read-back and the prove-itself check — and the
// results are compared with the CPU backend. Skipped where no such adapter exists (no Mesa EGL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LayerWeights, RunSummary, WorkerToHost } from '../../../src/protocol/training';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailable, type LoadedBackend } from '../../../src/core/train/backend';
import { SYNC_READ, createWebgpuCandidate } from '../../../src/core/train/backends/webgpu';
import { cpuBackend } from '../../../src/core/train/backends/cpu';
import { Trainer } from '../../../src/core/train/trainer';
import { dense, makeSpec, runFiles, XOR } from '../train/helpers';

const repo = join(__dirname, '..', '..', '..');
process.env.EGL_PLATFORM ??= 'surfaceless';
const software = createWebgpuCandidate({ dawnFlags: ['backend=opengles'], adapterOptions: { featureLevel: 'compatibility' }, allowSoftwareAdapter: true, ownNodeModules: false });

let gpu: LoadedBackend | undefined;
let why = '';
before(async () => {
  try {
    gpu = await software.load({ modulePaths: [repo] });
  } catch (e) {
    why = e instanceof BackendUnavailable ? e.reason : String(e);
  }
});
after(async () => {
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  await tf.setBackend('cpu');
});
const skip = () => (gpu ? false : `no software WebGPU adapter here (${why})`);

test('llvmpipe through Dawn: proven by the 2×2 check and named, but rejected for users', async (t) => {
  if (skip()) return t.skip(String(skip()));
  assert.ok(gpu);
  assert.equal(gpu.name, 'webgpu');
  assert.match(gpu.device, /^OpenGL version OpenGL ES [0-9.]+ Mesa [0-9.]+ \(llvmpipe[^)]*\) via OpenGL \(WebGPU, Dawn\)$/);
  const user = createWebgpuCandidate({ dawnFlags: ['backend=opengles'], adapterOptions: { featureLevel: 'compatibility' }, ownNodeModules: false });
  await assert.rejects(user.load({ modulePaths: [repo] }), (e: unknown) => {
    assert.ok(e instanceof BackendUnavailable);
    assert.match(e.reason, /^software adapter rejected: the only WebGPU adapter is OpenGL version OpenGL ES [0-9.]+ Mesa [0-9.]+ \(llvmpipe[^)]*\) \(Mesa llvmpipe, an OpenGL driver that runs on the CPU\), slower than the CPU backends/);
    return true;
  });
});

test('a second load in the same process reuses the accepted device instead of opening another', async (t) => {
  if (skip()) return t.skip(String(skip()));
  assert.ok(gpu);
  const factory = tf.findBackendFactory('webgpu');
  await tf.setBackend('cpu');
  const again = await software.load({ modulePaths: [repo] });
  assert.equal(again.device, gpu.device);
  assert.equal(tf.findBackendFactory('webgpu'), factory);
  assert.equal(tf.getBackend(), 'webgpu');
});

test('WGSL kernels agree with the CPU backend: 64×32·32×16 matmul, relu, softmax', async (t) => {
  if (skip()) return t.skip(String(skip()));
  // inputs as plain arrays: a tensor made on one backend and used on another is moved with a sync read
  assert.equal(await tf.setBackend('cpu'), true);
  const xs = await tf.randomNormal([64, 32], 0, 1, 'float32', 1).data();
  const ws = await tf.randomNormal([32, 16], 0, 1, 'float32', 2).data();
  const f = () => tf.softmax(tf.relu(tf.matMul(tf.tensor2d(xs, [64, 32]), tf.tensor2d(ws, [32, 16]))));
  const onCpu = await f().data();
  assert.equal(await tf.setBackend('webgpu'), true);
  const onGpu = await f().data();
  await tf.setBackend('cpu');
  let maxDiff = 0;
  for (let i = 0; i < onCpu.length; i++) maxDiff = Math.max(maxDiff, Math.abs(onGpu[i] - onCpu[i]));
  assert.ok(maxDiff < 1e-5, `max |webgpu − cpu| = ${maxDiff}`);
});

test('a synchronous read on webgpu fails with what to do instead', async (t) => {
  if (skip()) return t.skip(String(skip()));
  assert.equal(await tf.setBackend('webgpu'), true);
  const y = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
  assert.throws(() => y.dataSync(), { message: SYNC_READ });
  assert.deepEqual(Array.from(await y.data()), [11]);
  await tf.setBackend('cpu');
});

test('training XOR on webgpu reaches the CPU backend’s loss for the same seed', async (t) => {
  if (skip()) return t.skip(String(skip()));
  const spec = makeSpec({ input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, epochs: 30, batchSize: 'full', seed: 7 });
  const cpu = await cpuBackend.load({ modulePaths: [] });
  const a = await new Trainer({ backend: cpu, spec, data: XOR }).run();
  assert.ok(gpu);
  assert.equal(await tf.setBackend('webgpu'), true);
  const b = await new Trainer({ backend: gpu, spec, data: XOR }).run();
  assert.equal(b.stopReason, 'completed');
  assert.ok(Math.abs(a.finalLoss - b.finalLoss) < 1e-5, `cpu ${a.finalLoss} vs webgpu ${b.finalLoss}`);
});

// The product's own paths on webgpu, chosen the way a user would: environment variables, not options.
const SOFTWARE_ENV = { EGL_PLATFORM: 'surfaceless', NNLAB_DAWN_FLAGS: 'backend=opengles', NNLAB_WEBGPU_ALLOW_SOFTWARE: '1' };
const DEVICE = /^OpenGL version OpenGL ES [0-9.]+ Mesa [0-9.]+ \(llvmpipe[^)]*\) via OpenGL \(WebGPU, Dawn, software, allowed by NNLAB_WEBGPU_ALLOW_SOFTWARE\)$/;

test('nnlab train: with NNLAB_WEBGPU_ALLOW_SOFTWARE auto picks webgpu, and reaches the cpu run’s loss and weights', async (t) => {
  if (skip()) return t.skip(String(skip()));
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-webgpu-cli-'));
  try {
    const spec = JSON.parse(readFileSync(join(repo, 'samples', 'xor.nn.json'), 'utf8')) as Record<string, unknown>;
    delete spec.$schema;
    writeFileSync(join(dir, 'xor.nn.json'), JSON.stringify(spec));
    const train = (backend: string, env: Record<string, string>) => {
      const r = spawnSync(process.execPath, [join(repo, 'bin', 'nnlab.js'), 'train', 'xor.nn.json', '--backend', backend, '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      const done = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; summary?: RunSummary }).find((m) => m.type === 'done');
      assert.ok(done?.summary, r.stdout.slice(-500));
      return done.summary;
    };
    const gpuRun = train('auto', SOFTWARE_ENV);
    assert.equal(gpuRun.backend.active, 'webgpu');
    assert.match(gpuRun.backend.device, DEVICE);
    assert.equal(gpuRun.backend.reason, 'auto: GPU available → webgpu');
    const cpuRun = train('cpu', {});
    assert.equal(gpuRun.stopReason, 'lossBelowTarget');
    assert.equal(gpuRun.epochs, cpuRun.epochs, 'same seed, same number of epochs to reach the target');
    assert.ok(Math.abs(gpuRun.finalLoss - cpuRun.finalLoss) < 1e-6, `webgpu ${gpuRun.finalLoss} vs cpu ${cpuRun.finalLoss}`);
    // the trained weights were read back asynchronously and saved in the layers format: 17 float32s
    assert.equal(statSync(join(gpuRun.runDir as string, 'weights.bin')).size, 17 * 4);
    const saved = new Float32Array(readFileSync(join(gpuRun.runDir as string, 'weights.bin')).buffer.slice(0));
    const again = new Float32Array(readFileSync(join(cpuRun.runDir as string, 'weights.bin')).buffer.slice(0));
    for (let i = 0; i < 17; i++) assert.ok(Math.abs(saved[i] - again[i]) < 1e-4, `weight ${i}: webgpu ${saved[i]} vs cpu ${again[i]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the training worker on webgpu: pause, one step, weights on request, resume, stop', async (t) => {
  if (skip()) return t.skip(String(skip()));
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-webgpu-worker-'));
  const script = join(repo, 'src', 'worker', 'train.ts');
  const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true, env: { ...process.env, ...SOFTWARE_ENV } });
  const all: WorkerToHost[] = [];
  const next = <K extends WorkerToHost['type']>(type: K, pred: (m: Extract<WorkerToHost, { type: K }>) => boolean = () => true) =>
    new Promise<Extract<WorkerToHost, { type: K }>>((res, rej) => {
      const find = () => all.find((m): m is Extract<WorkerToHost, { type: K }> => m.type === type && pred(m as Extract<WorkerToHost, { type: K }>));
      const timer = setTimeout(() => rej(new Error(`no ${type}; got ${all.map((m) => m.type).join(',')}`)), 60_000);
      const poll = () => {
        const hit = find();
        if (hit) {
          clearTimeout(timer);
          res(hit);
        } else setTimeout(poll, 5);
      };
      poll();
    });
  w.on('message', (m: WorkerToHost) => all.push(m));
  try {
    const spec = makeSpec({ name: 'xorgpu', input: [2], layers: [dense(4, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 100000, batchSize: 1, shuffle: false });
    spec.data = { type: 'inline', x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
    w.postMessage({ type: 'start', spec, specDir: dir, specPath: join(dir, 'xorgpu.nn.json'), backend: 'webgpu', maxEventsPerSec: 50 });
    const b = await next('backend');
    assert.equal(b.report.active, 'webgpu');
    assert.match(b.report.device, DEVICE);
    await next('started');
    w.postMessage({ type: 'pause' });
    const p = await next('paused');
    w.postMessage({ type: 'step', unit: 'batch' });
    await next('paused', (m) => m.step === p.step + 1);
    w.postMessage({ type: 'request', id: 3, method: 'weights', params: {} });
    const res = await next('response');
    assert.ok(res.ok, JSON.stringify(res));
    const wt = res.result as { layers: LayerWeights[]; step: number };
    assert.equal(wt.step, p.step + 1);
    assert.deepEqual([wt.layers[0].W.length, wt.layers[0].W[0].length, wt.layers[1].W.length, wt.layers[1].b?.length], [2, 4, 4, 1]);
    assert.ok(wt.layers.every((l) => l.W.flat().every(Number.isFinite)), JSON.stringify(wt.layers));
    w.postMessage({ type: 'resume' });
    await next('resumed');
    w.postMessage({ type: 'stop' });
    const d = await next('done');
    assert.equal(d.summary.stopReason, 'stopped');
    assert.ok(Number.isFinite(d.summary.finalLoss), JSON.stringify(d.summary));
    assert.deepEqual(runFiles(d.summary.runDir as string), ['events.out.tfevents.*', 'metrics.csv', 'model.json', 'spec.nn.json', 'summary.json', 'weights.bin']);
  } finally {
    await w.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
});
