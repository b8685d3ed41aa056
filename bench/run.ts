// `npm run bench`: training throughput of every available backend and of `auto`, against PyTorch
// (single thread) on the same workloads, sizes, data and initial weights; plus the product's real
// training path (worker, progress messages, run folder with metrics.csv) against a bare loop.
//   npm run bench                     everything
//   npm run bench -- --quick          shorter timings
//   npm run bench -- --only xor,mnist64
//   npm run bench -- --only analyze   the editor's analysis of a 6.8 MB inline-data spec alone (bench/analyze.ts)
// Results: a table on stdout and bench/results/<time>.json. Not a test: numbers depend on the machine.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BACKEND_NAMES, isBackendChoice, type BackendChoice, type BackendName, type LoadedBackend } from '../src/core/train/backend';
import { childProcessOptions, trainingIsolation } from '../src/core/train/detect';
import { selectBackend } from '../src/core/train/select';
import { initialWeights } from '../src/core/train/init';
import { Trainer, type TrainData } from '../src/core/train/trainer';
import { denseSpec, flatMnist } from './spec';
import { analyzeBench, analyzeLines } from './analyze';
import { mulberry32, gaussian } from '../src/core/train/random';
import type { ActivationName, NetworkSpec } from '../src/core/spec/types';
import type { HostToWorker, WorkerToHost, RunSummary } from '../src/protocol/training';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only'))?.split('=')[1]?.split(',') ?? (args.includes('--only') ? args[args.indexOf('--only') + 1]?.split(',') : undefined);
const root = new URL('..', import.meta.url).pathname;
/** Each measurement is repeated, interleaved with the peer's, and the best round kept: on a shared
 * 2-vCPU machine other processes steal whole time slices, and the best round is the least disturbed. */
const ROUNDS = Number(args.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? (quick ? 2 : 3));

interface Workload {
  name: string;
  label: string;
  inputs: number;
  layers: { units: number; act: ActivationName }[];
  loss: 'mse' | 'cce';
  lr: number;
  batch: number;
  samples: number;
  metric: 'steps/s' | 'epochs/s' | 'samples/s';
  gflops?: boolean;
  seconds: number;
  minSteps: number;
  warmup: number;
  data: () => Promise<TrainData>;
}

function synthetic(n: number, inputs: number, outputs: number, seed: number, kind: 'regression' | 'classes'): TrainData {
  const rng = mulberry32(seed);
  const x = new Float32Array(n * inputs);
  for (let i = 0; i < x.length; i++) x[i] = gaussian(rng);
  const y = new Float32Array(n * outputs);
  for (let i = 0; i < n; i++) {
    if (kind === 'classes') y[i * outputs + Math.floor(rng() * outputs)] = 1;
    else y[i] = x[i * inputs] * x[i * inputs + 1] > 0 ? 1 : -1;
  }
  return { x, xShape: [n, inputs], y, yShape: [n, outputs] };
}

const S = quick ? 0.5 : 1;
const WORKLOADS: Workload[] = [
  {
    name: 'xor', label: 'XOR 2-4-1 (batch 4)', inputs: 2, layers: [{ units: 4, act: 'tanh' }, { units: 1, act: 'sigmoid' }], loss: 'mse', lr: 0.5, batch: 4, samples: 4, metric: 'steps/s', seconds: 2 * S, minSteps: 50, warmup: 300,
    data: async () => ({ x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), xShape: [4, 2], y: new Float32Array([0, 1, 1, 0]), yShape: [4, 1] }),
  },
  {
    name: 'playground', label: 'Playground 2-8-8-1 tanh (batch 10, 500 samples)', inputs: 2, layers: [{ units: 8, act: 'tanh' }, { units: 8, act: 'tanh' }, { units: 1, act: 'tanh' }], loss: 'mse', lr: 0.03, batch: 10, samples: 500, metric: 'epochs/s', seconds: 2 * S, minSteps: 100, warmup: 200,
    data: async () => synthetic(500, 2, 1, 7, 'regression'),
  },
  {
    name: 'mnist64', label: 'MNIST-size 784-128-64-10 ReLU (batch 64)', inputs: 784, layers: [{ units: 128, act: 'relu' }, { units: 64, act: 'relu' }, { units: 10, act: 'softmax' }], loss: 'cce', lr: 0.01, batch: 64, samples: 4096, metric: 'samples/s', seconds: 2 * S, minSteps: 10, warmup: 10,
    data: () => flatMnist(4096, 1),
  },
  {
    name: 'mnist256', label: 'MNIST-size 784-128-64-10 ReLU (batch 256)', inputs: 784, layers: [{ units: 128, act: 'relu' }, { units: 64, act: 'relu' }, { units: 10, act: 'softmax' }], loss: 'cce', lr: 0.01, batch: 256, samples: 4096, metric: 'samples/s', seconds: 2 * S, minSteps: 6, warmup: 3,
    data: () => flatMnist(4096, 1),
  },
  {
    name: 'wide', label: 'Wide 1024-1024-1024-10 ReLU (batch 256)', inputs: 1024, layers: [{ units: 1024, act: 'relu' }, { units: 1024, act: 'relu' }, { units: 10, act: 'softmax' }], loss: 'cce', lr: 0.01, batch: 256, samples: 1024, metric: 'samples/s', gflops: true, seconds: 3 * S, minSteps: 3, warmup: 1,
    data: async () => synthetic(1024, 1024, 10, 3, 'classes'),
  },
].filter((w) => !only || only.includes(w.name)) as Workload[];

function specOf(w: Workload, epochs = 1_000_000): NetworkSpec {
  return denseSpec({
    name: `bench-${w.name}`,
    inputs: w.inputs,
    layers: w.layers.map((l) => [l.units, l.act] as const),
    loss: w.loss === 'mse' ? 'mse' : 'categoricalCrossentropy',
    optimizer: { type: 'sgd', learningRate: w.lr },
    epochs,
    batchSize: w.batch,
    seed: 42,
  });
}

const macsPerSample = (w: Workload): number => w.layers.reduce((a, l, i) => a + (i === 0 ? w.inputs : w.layers[i - 1].units) * l.units, 0);
const stepsPerEpoch = (w: Workload): number => Math.ceil(w.samples / w.batch);

interface Measure {
  steps: number;
  stepsPerSec: number;
  samplesPerSec: number;
  firstLoss: number;
  lastLoss: number;
}

function value(w: Workload, m: { stepsPerSec: number; samplesPerSec: number }): number {
  return w.metric === 'steps/s' ? m.stepsPerSec : w.metric === 'epochs/s' ? m.stepsPerSec / stepsPerEpoch(w) : m.samplesPerSec;
}
const gflops = (w: Workload, samplesPerSec: number): number => (6 * macsPerSample(w) * samplesPerSec) / 1e9;

/** The bare loop: our Trainer with nothing attached (no events, no run folder). */
async function measure(backend: LoadedBackend, w: Workload, data: TrainData): Promise<Measure> {
  const times: number[] = [];
  const losses: number[] = [];
  const deadline = performance.now() + w.seconds * 1000;
  const t: Trainer = new Trainer({
    backend,
    spec: specOf(w),
    data,
    onRow: (r) => {
      if (r.kind !== 'step') return;
      const now = performance.now();
      times.push(now);
      losses.push(r.loss);
      if (now > deadline && times.length >= w.minSteps + w.warmup) t.stop();
    },
  });
  await t.run();
  t.dispose();
  const warm = Math.min(w.warmup, times.length - 2);
  const n = times.length - 1 - warm;
  const dt = (times[times.length - 1] - times[warm]) / 1000;
  return { steps: times.length, stepsPerSec: n / dt, samplesPerSec: (n * w.batch) / dt, firstLoss: losses[0], lastLoss: losses[losses.length - 1] };
}

function writeF32(path: string, a: ArrayLike<number>): void {
  writeFileSync(path, new Uint8Array(Float32Array.from(a).buffer));
}

function torchPeer(dir: string, ws: Workload[], datas: Map<string, TrainData>): { ok: true; torch: string; threads: number; results: (Measure & { name: string })[] } | { ok: false; why: string } {
  const py = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
  if (!py) return { ok: false, why: 'PyTorch is not importable (apt-get install -y python3-torch libopenblas0-pthread for the peer)' };
  const manifest = {
    workloads: ws.map((w) => {
      const d = datas.get(w.name) as TrainData;
      const base = join(dir, w.name);
      writeF32(`${base}.x.bin`, d.x);
      writeF32(`${base}.y.bin`, d.y);
      const init = initialWeights(specOf(w));
      return {
        name: w.name,
        samples: w.samples,
        inputs: w.inputs,
        outputs: w.layers[w.layers.length - 1].units,
        x: `${base}.x.bin`,
        y: `${base}.y.bin`,
        loss: w.loss,
        lr: w.lr,
        batch: w.batch,
        seconds: w.seconds,
        minSteps: w.minSteps + w.warmup,
        warmup: w.warmup,
        layers: init.map((l, i) => {
          writeF32(`${base}.W${i}.bin`, l.W.flat());
          writeF32(`${base}.b${i}.bin`, l.b ?? []);
          return { nIn: l.W.length, nOut: l.W[0].length, act: w.layers[i].act, W: `${base}.W${i}.bin`, b: `${base}.b${i}.bin` };
        }),
      };
    }),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const out = execFileSync(py, [join(root, 'bench', 'torch_peer.py'), join(dir, 'manifest.json')], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  const parsed = JSON.parse(out.trim().split('\n').pop() as string) as { error?: string; torch: string; threads: number; results: (Measure & { name: string })[] };
  if (parsed.error) return { ok: false, why: parsed.error };
  return { ok: true, ...parsed };
}

/**
 * The product's path: the real worker script (src/worker/train.ts through tsx; NNLAB_BENCH_WORKER=dist
 * for the built dist/worker/train.js) where the training host runs it — a forked child process for
 * `auto` and the native backends, a worker thread for wasm/cpu (trainingIsolation) — progress events at
 * the default rate, a run folder with metrics.
 */
async function productPath(w: Workload, data: TrainData, epochs: number, dir: string, backend: BackendChoice, fromSource = process.env.NNLAB_BENCH_WORKER !== 'dist'): Promise<RunSummary> {
  const dist = join(root, 'dist', 'worker', 'train.js');
  const src = join(root, 'src', 'worker', 'train.ts');
  const useDist = existsSync(dist) && !fromSource;
  const rows: number[][] = [];
  for (let i = 0; i < data.xShape[0]; i++) rows.push(Array.from(data.x.subarray(i * w.inputs, (i + 1) * w.inputs)));
  const ys: number[][] = [];
  const k = data.yShape[1];
  for (let i = 0; i < data.xShape[0]; i++) ys.push(Array.from(data.y.subarray(i * k, (i + 1) * k)));
  const spec: NetworkSpec = { ...specOf(w, epochs), data: { type: 'inline', x: rows, y: ys } };
  const start: HostToWorker = { type: 'start', spec, specDir: dir, specPath: join(dir, `${w.name}.nn.json`), backend, maxEventsPerSec: 30 };
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerToHost): void => {
      if (m.type === 'done') {
        resolve(m.summary);
        stop();
      } else if (m.type === 'error') reject(new Error(m.message));
    };
    const ended = (what: string): void => reject(new Error(`the training ${what} ended before the run finished`));
    let stop: () => void;
    if (trainingIsolation(backend) === 'child-process') {
      const o = childProcessOptions();
      const child = fork(useDist ? dist : src, [], { execPath: o.execPath, execArgv: useDist ? [] : ['--import', 'tsx'], env: o.env, serialization: o.serialization, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (m) => onMessage(m as WorkerToHost));
      child.on('error', reject);
      child.on('exit', (code, signal) => ended(`process (${signal ?? `exit code ${code}`})`));
      child.send(start);
      stop = () => void child.kill();
    } else {
      const worker = useDist ? new Worker(dist) : new Worker(`require('tsx/cjs'); require(${JSON.stringify(src)});`, { eval: true });
      worker.on('message', onMessage);
      worker.on('error', reject);
      worker.on('exit', (code) => ended(`worker (exit code ${code})`));
      worker.postMessage(start);
      stop = () => void worker.terminate();
    }
  });
}

/** Steady-state steps/s from (step, elapsed ms) pairs: the second half of the run, JIT warm-up excluded. */
function steadyRate(times: number[]): number {
  const from = Math.floor(times.length / 2);
  const n = times.length - 1 - from;
  return n > 0 ? (n * 1000) / (times[times.length - 1] - times[from]) : NaN;
}

async function bareFixed(backend: LoadedBackend, w: Workload, data: TrainData, epochs: number): Promise<number> {
  const times: number[] = [];
  const t = new Trainer({ backend, spec: specOf(w, epochs), data, onRow: (r) => r.kind === 'step' && times.push(r.elapsedMs) });
  await t.run();
  t.dispose();
  return steadyRate(times);
}

/** The product path's steady rate, read from the metrics.csv it wrote (elapsed_ms of each step row). */
function productRate(s: RunSummary): number {
  const csv = readFileSync(join(s.runDir as string, 'metrics.csv'), 'utf8').trim().split('\n').slice(1);
  const times = csv.filter((l) => l.startsWith('step,')).map((l) => Number(l.split(',')[8]));
  return steadyRate(times);
}

const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2));

async function main(): Promise<void> {
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpus().length} vCPU (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, tfjs 4.22.0`;
  // the editor's analysis of large inline data (not a training workload): first, or alone with --only analyze
  const analyze = !only || only.includes('analyze') ? analyzeBench(ROUNDS) : undefined;
  if (analyze) console.log(`NN Lab analysis benchmark — ${machine}\n\n${analyzeLines(analyze).join('\n')}\n`);
  if (WORKLOADS.length === 0) {
    if (analyze) {
      const outDir = join(root, 'bench', 'results');
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-analyze.json`);
      writeFileSync(file, JSON.stringify({ machine, analyze, table: analyzeLines(analyze) }, null, 2));
      console.log(`results: ${file}`);
    }
    return;
  }
  console.log(`NN Lab training benchmark — ${machine}`);
  const datas = new Map<string, TrainData>();
  for (const w of WORKLOADS) datas.set(w.name, await w.data());

  // which backends load here
  const loaded = new Map<BackendName, LoadedBackend>();
  const unavailable: { name: BackendName; reason: string }[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      loaded.set(name, (await selectBackend(name, { modulePaths: [process.cwd()] })).backend);
    } catch (e) {
      unavailable.push({ name, reason: e instanceof Error ? e.message.replace(/^backend \S+ cannot be used: /, '') : String(e) });
    }
  }
  for (const u of unavailable) console.log(`  ${u.name}: unavailable — ${u.reason.split('\n')[0].slice(0, 160)}`);

  const results: Record<string, Record<string, Measure & { value: number; gflops?: number }>> = {};
  const autoPick: Record<string, string> = {};
  const tmp = mkdtempSync(join(tmpdir(), 'nnlab-bench-'));
  let peer: ReturnType<typeof torchPeer> = { ok: false, why: 'not run' };
  const peerBest = new Map<string, Measure & { name: string }>();
  for (const w of WORKLOADS) {
    results[w.name] = {};
    const { report } = await selectBackend('auto', { modulePaths: [process.cwd()], networkMacs: macsPerSample(w) * w.batch });
    autoPick[w.name] = report.active;
  }
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}`);
    for (const w of WORKLOADS) {
      const data = datas.get(w.name) as TrainData;
      for (const name of loaded.keys()) {
        // the cpu backend on the wide net: a few steps are enough (~0.8 GFLOP/s), and one round
        if (w.name === 'wide' && name === 'cpu' && round > 1) continue;
        const m = await measure((await selectBackend(name, { modulePaths: [process.cwd()] })).backend, w.name === 'wide' && name === 'cpu' ? { ...w, seconds: 0, minSteps: 2, warmup: 1 } : w, data);
        const v = value(w, m);
        const prev = results[w.name][name];
        if (!prev || v > prev.value) results[w.name][name] = { ...m, value: v, ...(w.gflops ? { gflops: gflops(w, m.samplesPerSec) } : {}) };
        console.log(`  ${w.name.padEnd(10)} ${name.padEnd(14)} ${fmt(v).padStart(10)} ${w.metric}${w.gflops ? `  ${gflops(w, m.samplesPerSec).toFixed(1)} GFLOP/s` : ''}  (${m.steps} steps, loss ${m.firstLoss.toFixed(4)} → ${m.lastLoss.toFixed(4)})`);
      }
    }
    // the PyTorch peer, same round
    if (round === 1 || peer.ok) {
      try {
        peer = torchPeer(tmp, WORKLOADS, datas);
      } catch (e) {
        peer = { ok: false, why: `the PyTorch peer failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
      }
      if (peer.ok) {
        for (const r of peer.results) {
          const w = WORKLOADS.find((x) => x.name === r.name) as Workload;
          const prev = peerBest.get(r.name);
          if (!prev || value(w, r) > value(w, prev)) peerBest.set(r.name, r);
          console.log(`  ${r.name.padEnd(10)} ${'PyTorch'.padEnd(14)} ${fmt(value(w, r)).padStart(10)} ${w.metric}  (${r.steps} steps, loss ${r.firstLoss.toFixed(4)} → ${r.lastLoss.toFixed(4)})`);
        }
      }
    }
  }
  if (!peer.ok) console.log(`\nPyTorch peer missing: ${peer.why}`);
  else console.log(`\nPyTorch ${peer.torch}, ${peer.threads} thread`);

  // the product's path against the bare loop (auto backend)
  const overhead: Record<string, { bare: number; product: number; overheadPct: number; epochs: number }> = {};
  for (const w of WORKLOADS) {
    const auto = autoPick[w.name] as BackendName;
    const m = results[w.name][auto];
    if (!m) continue;
    const epochs = Math.max(4, Math.round((m.stepsPerSec * 3 * S) / stepsPerEpoch(w)));
    const data = datas.get(w.name) as TrainData;
    const backend = (await selectBackend(auto, { modulePaths: [process.cwd()] })).backend;
    const runDir = join(tmp, 'runs');
    mkdirSync(runDir, { recursive: true });
    let bareRate = 0;
    let prodRate = 0;
    for (let round = 0; round < Math.max(2, ROUNDS); round++) {
      bareRate = Math.max(bareRate, await bareFixed(backend, w, data, epochs));
      const chosen = process.env.NNLAB_BENCH_PRODUCT_BACKEND ?? 'auto';
      prodRate = Math.max(prodRate, productRate(await productPath(w, data, epochs, runDir, isBackendChoice(chosen) ? chosen : 'auto')));
    }
    overhead[w.name] = { bare: bareRate, product: prodRate, overheadPct: 100 * (bareRate / prodRate - 1), epochs };
  }
  rmSync(tmp, { recursive: true, force: true });

  // report
  const lines: string[] = [];
  const backends = [...loaded.keys()];
  lines.push(`| workload | metric | ${backends.join(' | ')} | auto | PyTorch 1 thread | auto / PyTorch |`);
  lines.push(`|---|---|${backends.map(() => '---:').join('|')}|---|---:|---:|`);
  for (const w of WORKLOADS) {
    const r = results[w.name];
    const auto = autoPick[w.name];
    const p = peerBest.get(w.name);
    const pv = p ? value(w, p) : undefined;
    const av = r[auto]?.value;
    const cell = (v: number | undefined, g?: number): string => (v === undefined ? '—' : `${fmt(v)}${g !== undefined ? ` (${g.toFixed(1)} GFLOP/s)` : ''}`);
    lines.push(
      `| ${w.label} | ${w.metric} | ${backends.map((b) => cell(r[b]?.value, w.gflops ? r[b]?.gflops : undefined)).join(' | ')} | ${auto} | ${pv !== undefined && p ? cell(pv, w.gflops ? gflops(w, p.samplesPerSec) : undefined) : 'missing'} | ${pv && av ? `${(av / pv).toFixed(2)}×` : '—'} |`,
    );
  }
  lines.push('');
  lines.push('| workload (auto backend) | bare loop steps/s | product path steps/s (as the host runs it, events, metrics.csv) | overhead |');
  // both: steady state, the second half of each run (a fresh worker starts with a cold JIT)
  lines.push('|---|---:|---:|---:|');
  for (const w of WORKLOADS) {
    const o = overhead[w.name];
    if (o) lines.push(`| ${w.label} | ${fmt(o.bare)} | ${fmt(o.product)} | ${o.overheadPct >= 0 ? '+' : ''}${o.overheadPct.toFixed(1)} % |`);
  }
  console.log('\n' + lines.join('\n'));
  const outDir = join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  if (analyze) lines.push('', ...analyzeLines(analyze));
  writeFileSync(file, JSON.stringify({ machine, rounds: ROUNDS, unavailable, results, autoPick, peer: peer.ok ? { torch: peer.torch, threads: peer.threads, best: Object.fromEntries(peerBest) } : peer, overhead, analyze, table: lines }, null, 2));
  console.log(`\nresults: ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
