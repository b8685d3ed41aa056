// The backend probe (status bar before the first run): the network size the host computes must be the
// one the training session computes (checked against a real session's backend report), the size class
// and cache key, the report said for another spec of the same class, and the real worker answering a
// `probe` message with selectBackend's report without training, then exiting on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeSpec } from '../../../src/core/spec';
import type { NetworkSpec } from '../../../src/core/spec/types';
import { AUTO_WASM_MIN_STEP_MACS } from '../../../src/core/train/select';
import { startSession } from '../../../src/core/train/session';
import { checkWorkerResult, type BackendReport, type HostToWorker, type ProbeAnswer, type ProbeParams, type WorkerToHost } from '../../../src/protocol/training';
import { probeKey, probeLogLines, reportFor, sizeClass, stepMacs } from '../../../src/training/probe';
import { WASM_THREADS_MIN_STEP_MACS, WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS } from '../../../src/core/train/size';

const samples = fileURLToPath(new URL('../../../samples/', import.meta.url));
const script = fileURLToPath(new URL('../../../src/worker/train.ts', import.meta.url));

function sample(file: string, edit?: (raw: Record<string, unknown>) => void, allowErrors = false): { spec: NetworkSpec; samples: number | undefined; path: string } {
  const path = join(samples, file);
  let text = readFileSync(path, 'utf8');
  if (edit) {
    const raw = JSON.parse(text) as Record<string, unknown>;
    edit(raw);
    text = JSON.stringify(raw);
  }
  const a = analyzeSpec(text, { specPath: path, readFile: (p) => readFileSync(p, 'utf8') });
  assert.ok(a.spec, `${file} parses`);
  if (!allowErrors) assert.deepEqual(a.problems.filter((p) => p.severity === 'error'), [], `${file} is valid`);
  return { spec: a.spec, samples: a.dataInfo?.samples, path };
}

const fullBatchCircle = (raw: Record<string, unknown>): void => {
  (raw.training as Record<string, unknown>).batchSize = 'full';
};

test('stepMacs: per-sample multiply-adds (Σ nᵢ·nₒ) × the batch the session trains with', () => {
  // xor 2-4-1, batch 4 of 4 samples: (2·4 + 4·1) · 4
  assert.equal(stepMacs(sample('xor.nn.json').spec, 4), (2 * 4 + 4 * 1) * 4);
  // circle 2-8-1, batch 32 (400 samples, 20 % validation)
  assert.equal(stepMacs(sample('circle.nn.json').spec, 400), (2 * 8 + 8 * 1) * 32);
  // "full": the training samples, 400 − round(400 · 0.2) = 320
  assert.equal(stepMacs(sample('circle.nn.json', fullBatchCircle).spec, 400), (2 * 8 + 8 * 1) * 320);
  // "full" with a split that rounds to every sample (1 sample, 0.9): the trainer keeps one training row
  const oneRow = sample('xor.nn.json', (raw) => Object.assign(raw.training as Record<string, unknown>, { batchSize: 'full', validationSplit: 0.9 }), true).spec;
  assert.equal(stepMacs(oneRow, 1), 12, 'as the trainer: at most n − 1 rows held out, so batch 1, not 0');
  // batch 32 on 4 samples (a validation error, NN303) would train with batches of 4
  const xor32 = sample('xor.nn.json', (raw) => ((raw.training as Record<string, unknown>).batchSize = 32), true).spec;
  assert.equal(stepMacs(xor32, 4), 48);
  // unknown sample count: a numeric batch size still gives the size; "full" does not
  assert.equal(stepMacs(xor32, undefined), 12 * 32);
  assert.equal(stepMacs(sample('circle.nn.json', fullBatchCircle).spec, undefined), undefined);
  // mnist 784-128-10 (flatten first), batch 64
  assert.equal(stepMacs(sample('mnist.nn.json').spec, 5000), (784 * 128 + 128 * 10) * 64);
  // spiral 2-32-32-1, batch 32: above auto's crossover
  assert.equal(stepMacs(sample('spiral.nn.json').spec, 400), (2 * 32 + 32 * 32 + 32 * 1) * 32);
});

test('stepMacs equals the MACs a real training session reports for auto (xor, network-2-2-2, circle with "full" and a validation split)', async () => {
  for (const [file, edit] of [['xor.nn.json'], ['network-2-2-2.nn.json'], ['circle.nn.json', fullBatchCircle]] as const) {
    const s = sample(file, edit);
    const reports: BackendReport[] = [];
    const session = await startSession({ spec: s.spec, specPath: s.path, backend: 'auto', modulePaths: ['/nonexistent'], epochs: 1, writeRun: false, onMessage: (m) => m.type === 'backend' && reports.push(m.report) });
    session.trainer.stop();
    await session.done;
    assert.equal(reports.length, 1);
    const macs = stepMacs(s.spec, s.samples);
    assert.equal(reports[0]!.reason, `auto: small network (${macs!.toLocaleString('en-US')} MACs per step) → cpu`, file);
  }
});

test('sizeClass: auto splits at the cpu/wasm threshold, then by whether wasm runs threads (unknown size is large, as selectBackend treats it); wasm by threads; other backends ignore size', () => {
  const t = AUTO_WASM_MIN_STEP_MACS;
  assert.equal(sizeClass('auto', { macs: t - 1, batch: 64 }, t), 'small');
  assert.equal(sizeClass('auto', { macs: t, batch: 64 }, t), 'large');
  assert.equal(sizeClass('auto', { macs: WASM_THREADS_MIN_STEP_MACS, batch: 64 }, t), 'threads');
  assert.equal(sizeClass('auto', { macs: WASM_THREADS_MIN_STEP_MACS, batch: 16 }, t), 'large', 'few rows per step: threads from a larger size');
  assert.equal(sizeClass('auto', { macs: WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS, batch: 16 }, t), 'threads');
  assert.equal(sizeClass('auto', { macs: WASM_THREADS_MIN_STEP_MACS }, t), 'threads', 'unknown batch: large');
  assert.equal(sizeClass('auto', {}, t), 'threads');
  assert.equal(sizeClass('auto', { macs: 48, batch: 4 }, undefined), undefined);
  assert.equal(sizeClass('wasm', { macs: 48, batch: 4 }, undefined), 'large');
  assert.equal(sizeClass('wasm', { macs: 1e9, batch: 256 }, undefined), 'threads');
  assert.equal(sizeClass('cpu', { macs: 10 ** 9 }, t), 'any');
  assert.notEqual(probeKey('auto', '', 'small'), probeKey('auto', '', 'large'));
  assert.notEqual(probeKey('auto', '', 'small'), probeKey('auto', '/opt/tf', 'small'));
  assert.equal(probeKey('cpu', '', 'any', {}), '["cpu","","any",["","","","","",""]]');
  // the environment variables a backend's outcome depends on are part of the key
  assert.notEqual(probeKey('auto', '', 'small', {}), probeKey('auto', '', 'small', { NNLAB_WEBGPU_ALLOW_SOFTWARE: '1' }));
  assert.equal(probeKey('auto', '', 'small', {}), probeKey('auto', '', 'small', { HOME: '/root' }));
});

test('reportFor: the cached decision with this spec’s MACs in the reasons; log lines', () => {
  const cached: BackendReport = {
    active: 'cpu',
    device: 'CPU (pure JavaScript)',
    skipped: [
      { backend: 'tfjs-node', reason: 'not installed' },
      { backend: 'wasm', reason: 'small network (48 MACs per step < 10,000): pure JS has less per-operation overhead' },
    ],
    reason: 'auto: small network (48 MACs per step) → cpu',
  };
  const r = reportFor(cached, 768);
  assert.equal(r.reason, 'auto: small network (768 MACs per step) → cpu');
  assert.equal(r.skipped[1]!.reason, 'small network (768 MACs per step < 10,000): pure JS has less per-operation overhead');
  assert.equal(r.skipped[0]!.reason, 'not installed');
  assert.equal(cached.reason, 'auto: small network (48 MACs per step) → cpu', 'the cached report is not changed');
  assert.equal(reportFor(cached, undefined), cached);
  // wasm's thread choice in the device line: the same figure, rewritten
  const threads: BackendReport = { active: 'wasm', device: 'WebAssembly SIMD (XNNPACK, 1 thread: small network (1,000,000 MACs per step < 4,500,000), threads cost more than they save)', skipped: [], reason: 'auto: network of 1,000,000 MACs per step ≥ 10,000 → wasm' };
  const t = reportFor(threads, 2_048_000);
  assert.equal(t.device, 'WebAssembly SIMD (XNNPACK, 1 thread: small network (2,048,000 MACs per step < 4,500,000), threads cost more than they save)');
  assert.equal(t.reason, 'auto: network of 2,048,000 MACs per step ≥ 10,000 → wasm');
  assert.deepEqual(probeLogLines('xor.nn.json', r), [
    'xor.nn.json: backend cpu (CPU (pure JavaScript)) — auto: small network (768 MACs per step) → cpu',
    '  skipped tfjs-node: not installed',
    '  skipped wasm: small network (768 MACs per step < 10,000): pure JS has less per-operation overhead',
  ]);
});

function probeInWorker(id: number, params: ProbeParams): Promise<{ answers: WorkerToHost[]; exitCode: number }> {
  const m: HostToWorker = { type: 'request', id, method: 'probe', params };
  const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true });
  const answers: WorkerToHost[] = [];
  w.on('message', (x: WorkerToHost) => answers.push(x));
  const timer = setTimeout(() => void w.terminate(), 60_000);
  w.postMessage(m);
  // the worker answers and closes its port: it must exit by itself (no training, no handle left)
  return new Promise((res) => w.on('exit', (exitCode) => (clearTimeout(timer), res({ answers, exitCode }))));
}

/** The probe's answer in a response message, checked as the host checks it. */
function answerOf(m: WorkerToHost | undefined, id: number): ProbeAnswer {
  assert.ok(m && m.type === 'response' && m.id === id && m.ok, JSON.stringify(m));
  const checked = checkWorkerResult('probe', m.result);
  assert.ok(checked.ok, JSON.stringify(checked));
  return m.result as ProbeAnswer;
}

test('worker: a probe message answers with selectBackend’s report and exits, without training', async () => {
  const { answers, exitCode } = await probeInWorker(3, { backend: 'auto', modulePaths: ['/nonexistent'], networkMacs: 48 });
  assert.equal(exitCode, 0);
  assert.deepEqual(answers.map((a) => a.type), ['response']);
  const a = answerOf(answers[0], 3);
  assert.equal(a.autoMinStepMacs, AUTO_WASM_MIN_STEP_MACS);
  assert.equal(a.error, undefined);
  assert.ok(a.report);
  if (a.report.active === 'cpu') {
    assert.equal(a.report.reason, 'auto: small network (48 MACs per step) → cpu');
    assert.deepEqual(a.report.skipped.map((s) => s.backend), ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']);
  } else {
    // a machine with a usable GPU: auto prefers it whatever the size (selectBackend's order)
    assert.ok(['tfjs-node-gpu', 'webgpu'].includes(a.report.active), a.report.active);
    assert.equal(a.report.reason, `auto: GPU available → ${a.report.active}`);
  }
});

test('worker: probing a named backend that cannot load answers its reason; an unknown name is refused', async () => {
  const named = await probeInWorker(4, { backend: 'tfjs-node', modulePaths: ['/nonexistent'] });
  assert.equal(named.exitCode, 0);
  const a = answerOf(named.answers[0], 4);
  assert.equal(a.report, undefined);
  assert.match(a.error ?? '', /^backend tfjs-node cannot be used: not installed/);
  const unknown = await probeInWorker(5, { backend: 'gpu' });
  const u = answerOf(unknown.answers[0], 5);
  assert.equal(u.error, 'unknown backend "gpu" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)');
});
