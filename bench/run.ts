// `npm run bench`: training throughput of every available backend (wasm on 1 thread and on
// min(cores, 4)) and of `auto`, against PyTorch (single thread) on the same workloads, sizes, data and
// initial weights; the native-matmul ceiling of this machine and every workload's GFLOP/s as a
// fraction of it; where a step's time goes; the product's real training path (worker, progress
// messages, run folder with metrics.csv) against a bare loop; and a sweep of sizes with its plot.
//   npm run bench                          everything
//   npm run bench -- --quick               shorter timings, 2 rounds, a smaller sweep
//   npm run bench -- --only xor,mnist64    some parts: xor playground mnist64 mnist256 wide (the
//                                          workloads), ceiling, split, product, sweep
//   npm run bench -- --rounds=N
//   npm run bench -- --svg-from=bench/results/<time>.json   the sweep's plot and recorded points from a results file
//   npm run bench -- --only analyze        the editor's analysis of a 6.8 MB inline-data spec alone (bench/analyze.ts)
//   npm run bench -- --only step           Step sample / batch / epoch round trips on xor and circle (bench/step.ts)
//   npm run bench -- --only edit           one weight edit in the graph panel on xor, circle, spiral (bench/edit.ts)
// Results: tables on stdout and bench/results/<time>.json; with --svg the sweep also writes its plot,
// docs/bench-sweep.svg, and its points, test/unit/bench/bench-sweep.json, against which the thresholds
// `auto` uses are tested. Not a test: numbers depend on the machine.
import { execFileSync, fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BACKEND_NAMES, isBackendChoice, type BackendChoice, type BackendName, type LoadedBackend } from '../src/core/train/backend';
import { childProcessOptions, trainingIsolation } from '../src/core/train/detect';
import { AUTO_WASM_MIN_STEP_MACS, selectBackend } from '../src/core/train/select';
import { planWasmThreads, WASM_THREADS_MIN_BATCH, WASM_THREADS_MIN_STEP_MACS, WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS } from '../src/core/train/backends/wasm';
import { agrees, crossover, steadyRate, sweepSvg, threadCrossovers, trainsAnything, wantsPart, type BenchPart, type SweepPoint } from './analysis';
import { initialWeights } from '../src/core/train/init';
import { Trainer, type TrainData } from '../src/core/train/trainer';
import { denseSpec, flatMnist } from './spec';
import { analyzeBench, analyzeLines } from './analyze';
import { stepBench, stepLines, type StepTiming } from './step';
import { editBench, editLines } from './edit';
import { mulberry32, gaussian, permutation } from '../src/core/train/random';
import type { ActivationName, NetworkSpec } from '../src/core/spec/types';
import type { HostToWorker, WorkerToHost, RunSummary } from '../src/protocol/training';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only'))?.split('=')[1]?.split(',') ?? (args.includes('--only') ? args[args.indexOf('--only') + 1]?.split(',') : undefined);
const wants = (part: BenchPart): boolean => wantsPart(only, part);
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

/** The peer's interpreter: /usr/bin/python3 (Debian's python3-torch) or python3 on PATH, if torch imports. */
const python = (): string | undefined => ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
const torchEnv = (threads: number): NodeJS.ProcessEnv => ({ ...process.env, NNLAB_TORCH_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) });

type PeerResult = { ok: true; torch: string; threads: number; blas: string; results: (Measure & { name: string })[] } | { ok: false; why: string };
function torchPeer(dir: string, ws: Workload[], datas: Map<string, TrainData>, specFor: (w: Workload) => NetworkSpec = (w) => specOf(w)): PeerResult {
  const py = python();
  if (!py) return { ok: false, why: 'PyTorch is not importable (apt-get install -y python3-torch libopenblas0-pthread for the peer)' };
  const manifest = {
    workloads: ws.map((w) => {
      const d = datas.get(w.name) as TrainData;
      const base = join(dir, w.name);
      writeF32(`${base}.x.bin`, d.x);
      writeF32(`${base}.y.bin`, d.y);
      const init = initialWeights(specFor(w));
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
  const out = execFileSync(py, [join(root, 'bench', 'torch_peer.py'), join(dir, 'manifest.json')], { encoding: 'utf8', maxBuffer: 1 << 24, env: torchEnv(1) });
  const parsed = JSON.parse(out.trim().split('\n').pop() as string) as { error?: string; torch: string; threads: number; blas: string; results: (Measure & { name: string })[] };
  if (parsed.error) return { ok: false, why: parsed.error };
  return { ok: true, ...parsed };
}

/** The training worker's `start` message for a workload: its spec with the data inline, progress events at the default rate. */
function startMessage(w: Workload, data: TrainData, epochs: number, dir: string, backend: BackendChoice): HostToWorker & { type: 'start' } {
  const rows: number[][] = [];
  for (let i = 0; i < data.xShape[0]; i++) rows.push(Array.from(data.x.subarray(i * w.inputs, (i + 1) * w.inputs)));
  const ys: number[][] = [];
  const k = data.yShape[1];
  for (let i = 0; i < data.xShape[0]; i++) ys.push(Array.from(data.y.subarray(i * k, (i + 1) * k)));
  const spec: NetworkSpec = { ...specOf(w, epochs), data: { type: 'inline', x: rows, y: ys } };
  return { type: 'start', spec, specDir: dir, specPath: join(dir, `${w.name}.nn.json`), backend, maxEventsPerSec: 30 };
}

/**
 * The product's path: the real worker script (src/worker/train.ts through tsx; NNLAB_BENCH_WORKER=dist
 * for the built dist/worker/train.js) where the training host runs it — a forked child process for
 * `auto` and the native backends, a worker thread for wasm/cpu (trainingIsolation) — progress events at
 * the default rate, a run folder with metrics.
 */
async function productPath(start: HostToWorker & { type: 'start' }, fromSource = process.env.NNLAB_BENCH_WORKER !== 'dist'): Promise<RunSummary> {
  const dist = join(root, 'dist', 'worker', 'train.js');
  const src = join(root, 'src', 'worker', 'train.ts');
  const useDist = existsSync(dist) && !fromSource;
  const backend = start.backend as BackendChoice;
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

/**
 * The bare loop in the same conditions as the product path: a fresh forked process (bench/bare-child.ts,
 * the worker's `start` message), the Trainer with nothing attached. In the bench's own process the loop
 * ran with a JIT warmed by every round before it, which made a cold worker look slower than it is.
 */
async function bareChild(start: HostToWorker & { type: 'start' }): Promise<number> {
  const o = childProcessOptions();
  const child = fork(join(root, 'bench', 'bare-child.ts'), [], { execPath: o.execPath, execArgv: ['--import', 'tsx'], env: o.env, serialization: o.serialization, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.on('message', (m) => resolve((m as { stepsPerSec: number }).stepsPerSec));
    child.on('error', reject);
    child.on('exit', (code) => code !== 0 && reject(new Error(`the bare loop's process ended with exit code ${code}`)));
    child.send(start);
  });
}

/** The product path's steady rate, read from the metrics.csv it wrote (elapsed_ms of each step row). */
function productRate(s: RunSummary): number {
  const csv = readFileSync(join(s.runDir as string, 'metrics.csv'), 'utf8').trim().split('\n').slice(1);
  const times = csv.filter((l) => l.startsWith('step,')).map((l) => Number(l.split(',')[8]));
  return steadyRate(times);
}

const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2));

const pct = (v: number): string => `${100 * v < 0.1 ? (100 * v).toPrecision(2) : (100 * v).toFixed(v < 0.1 ? 1 : 0)} %`;

/** A column of the tables: a backend, and for wasm a thread count (1 = the single-thread build). */
interface Variant {
  key: string;
  backend: BackendName;
  threads?: number;
}
const loadVariant = async (v: Variant): Promise<LoadedBackend> => (await selectBackend(v.backend, { modulePaths: [process.cwd()], wasmThreads: v.threads })).backend;
/** Which column `auto` lands in for a network of `macs` forward MACs per step. */
function autoVariant(active: BackendName, macs: number, variants: Variant[]): string {
  if (active !== 'wasm') return active;
  const threads = planWasmThreads({ macs, cores: cpus().length, requested: process.env.NNLAB_WASM_THREADS ? Number(process.env.NNLAB_WASM_THREADS) : undefined, sharedMemory: typeof SharedArrayBuffer === 'function' }).threads;
  return variants.find((v) => v.backend === 'wasm' && (v.threads ?? 1) === threads)?.key ?? 'wasm';
}

interface Ceiling {
  threads: number;
  blas: string;
  mm: number;
  onednn?: number;
  /** the better of the two: what this machine's cores reach in a float32 GEMM */
  best: number;
}
/** torch.mm (and oneDNN's GEMM) at the wide net's forward size, 256×1024 · 1024×1024, on `threads` threads. */
function nativeCeiling(threads: number, seconds: number): Ceiling | string {
  const py = python();
  if (!py) return 'PyTorch is not importable';
  try {
    const out = execFileSync(py, [join(root, 'bench', 'torch_peer.py'), '--ceiling', '256', '1024', '1024', String(seconds)], { encoding: 'utf8', env: torchEnv(threads) });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as { threads: number; blas: string; mm: number; onednn: number | null };
    return { threads: r.threads, blas: r.blas, mm: r.mm, ...(r.onednn ? { onednn: r.onednn } : {}), best: Math.max(r.mm, r.onednn ?? 0) };
  } catch (e) {
    return `the ceiling run failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}

/**
 * Where one step's time goes, on the backend `auto` picks: tf.profile over a short run of the real
 * Trainer gives each kernel's time (matmuls, with the transposes our wasm kernels do inside them,
 * against everything else); the batching (shuffled row copies and the upload) is timed on its own
 * with the trainer's method; the rest is tfjs's per-op bookkeeping and the loss read-back.
 */
async function split(backend: LoadedBackend, w: Workload, data: TrainData): Promise<{ stepMs: number; matmulMs: number; elementwiseMs: number; batchingMs: number; batchingCpuMs: number; otherMs: number; top: string[] }> {
  const tf = backend.tf;
  const steps = Math.max(6, Math.min(60, Math.round(400 / Math.max(1, macsPerSample(w) * w.batch * 6 / 2e7))));
  const epochs = Math.max(1, Math.ceil(steps / stepsPerEpoch(w)));
  // warm-up run (JIT, XNNPACK's first packing), then the profiled one
  const warm = new Trainer({ backend, spec: specOf(w, 1), data });
  await warm.run();
  warm.dispose();
  let stepCount = 0;
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    const t = new Trainer({ backend, spec: specOf(w, epochs), data, onRow: (r) => void (r.kind === 'step' && stepCount++) });
    await t.run();
    t.dispose();
  });
  const wall = performance.now() - t0;
  const isMatmul = (k: string): boolean => /MatMul/.test(k);
  let matmul = 0;
  let other = 0;
  const byName = new Map<string, number>();
  for (const k of info.kernels) {
    // "…__op" records are ops with a custom gradient wrapping the kernels listed beside them
    if (k.name.endsWith('__op')) continue;
    const ms = Number(k.kernelTimeMs);
    if (isMatmul(k.name)) matmul += ms;
    else other += ms;
    byName.set(k.name, (byName.get(k.name) ?? 0) + ms);
  }
  // batching as the trainer does it: a permutation per epoch (into the same array), rows copied into
  // the trainer's batch arrays, uploaded, disposed; as many batches as the profiled run's steps, best of
  // 3 passes in wall time (a pass that lost the core to another process says nothing), and its CPU time
  // (single-threaded JS: CPU time is the work, whatever the machine's load)
  const tb = new Trainer({ backend, spec: specOf(w, 1), data });
  const batchFn = (tb as unknown as { batch(order: Int32Array | undefined, start: number, size: number): [{ dispose(): void }, { dispose(): void }] }).batch.bind(tb);
  const n = data.xShape[0];
  const order = new Int32Array(n);
  let batching = Infinity;
  let batchingCpu = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const b0 = performance.now();
    const c0 = process.cpuUsage();
    let built = 0;
    while (built < stepCount) {
      permutation(mulberry32(built), n, order);
      for (let s = 0; s + 1 <= stepsPerEpoch(w) && built < stepCount; s++, built++) {
        const [x, y] = batchFn(order, s * w.batch, Math.min(w.batch, n - s * w.batch));
        x.dispose();
        y.dispose();
      }
    }
    const c = process.cpuUsage(c0);
    batching = Math.min(batching, performance.now() - b0);
    batchingCpu = Math.min(batchingCpu, (c.user + c.system) / 1000);
  }
  tb.dispose();
  const per = (v: number): number => v / stepCount;
  const stepMs = per(wall);
  const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, ms]) => `${k} ${per(ms).toFixed(2)} ms`);
  return { stepMs, matmulMs: per(matmul), elementwiseMs: per(other), batchingMs: per(batching), batchingCpuMs: per(batchingCpu), otherMs: Math.max(0, stepMs - per(matmul) - per(other) - per(batching)), top };
}

/** Runs per sweep point and backend, the best kept (after a warm-up run). */
const SWEEP_ROUNDS = quick ? 2 : 3;

/**
 * The sweep: width-width-width-10 ReLU nets (input = width), widths 64 → 2048 and batches 16 → 1024
 * as the issue asks, plus widths 8–32 so that the cpu → wasm crossover lies inside the range.
 */
function sweepWorkloads(): Workload[] {
  const widths = quick ? [8, 32, 64, 256, 1024, 2048] : [8, 16, 32, 64, 128, 256, 512, 1024, 2048];
  const batches = quick ? [16, 256, 1024] : [16, 64, 256, 1024];
  const out: Workload[] = [];
  for (const width of widths) {
    for (const batch of batches) {
      out.push({
        name: `sweep-${width}x${batch}`, label: `${width}-${width}-${width}-10 batch ${batch}`, inputs: width,
        layers: [{ units: width, act: 'relu' }, { units: width, act: 'relu' }, { units: 10, act: 'softmax' }],
        loss: 'cce', lr: 0.01, batch, samples: Math.max(2 * batch, 512), metric: 'samples/s', seconds: quick ? 0.3 : 0.5, minSteps: 2, warmup: 1,
        data: async () => synthetic(Math.max(2 * batch, 512), width, 10, width + batch, 'classes'),
      });
    }
  }
  return out;
}

async function runSweep(variants: Variant[], tmp: string): Promise<{ points: SweepPoint[]; series: string[]; crossovers: Record<string, unknown>; peer?: string }> {
  const ws = sweepWorkloads();
  const points: SweepPoint[] = ws.map((w) => ({ width: w.inputs, batch: w.batch, macsPerStep: macsPerSample(w) * w.batch, samplesPerSec: {} }));
  const cols = variants.filter((v) => v.backend === 'cpu' || v.backend === 'wasm');
  // a backend stops once a step takes longer than this: the cpu backend at width 2048 would take minutes
  const maxStepSec = quick ? 1.5 : 3;
  for (const v of cols) {
    const backend = await loadVariant(v);
    let tooSlowFrom = Infinity;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i];
      if (points[i].macsPerStep >= tooSlowFrom) continue;
      const data = await w.data();
      // a short warm-up (JIT, XNNPACK's first operators for these shapes), then the best of a few short
      // runs: one run per point made the threaded series lose where it wins in the workload rows
      await measure(backend, { ...w, seconds: w.seconds / 3 }, data);
      let m = await measure(backend, w, data);
      for (let r = 1; r < SWEEP_ROUNDS; r++) {
        const again = await measure(backend, w, data);
        if (again.samplesPerSec > m.samplesPerSec) m = again;
      }
      points[i].samplesPerSec[v.key] = m.samplesPerSec;
      if (1 / m.stepsPerSec > maxStepSec) tooSlowFrom = Math.min(tooSlowFrom, points[i].macsPerStep);
      console.log(`  sweep ${w.label.padEnd(28)} ${v.key.padEnd(8)} ${fmt(m.samplesPerSec).padStart(10)} samples/s`);
    }
  }
  let peerNote: string | undefined;
  const datas = new Map<string, TrainData>();
  for (const w of ws) datas.set(w.name, await w.data());
  try {
    const peer = torchPeer(tmp, ws, datas, (w) => specOf(w));
    if (peer.ok) {
      for (const r of peer.results) points[ws.findIndex((w) => w.name === r.name)].samplesPerSec.PyTorch = r.samplesPerSec;
      peerNote = `PyTorch ${peer.torch}, 1 thread, ${peer.blas}`;
    } else peerNote = peer.why;
  } catch (e) {
    peerNote = `the PyTorch peer failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  const series = [...cols.map((v) => v.key), ...(points.some((p) => p.samplesPerSec.PyTorch !== undefined) ? ['PyTorch'] : [])];
  const threaded = cols.find((v) => (v.threads ?? 1) > 1)?.key;
  const crossovers = {
    cpuToWasm: crossover(points, 'cpu', 'wasm'),
    ...(threaded ? { wasmToThreads: threadCrossovers(points, threaded, WASM_THREADS_MIN_BATCH) } : {}),
  };
  return { points, series, crossovers, peer: peerNote };
}

interface RecordedSweep {
  machine: string;
  loadAverage: number[];
  quick: boolean;
  series: string[];
  points: SweepPoint[];
}

/**
 * Writes the sweep's points, against which the thresholds in code are tested
 * (test/unit/bench/analysis.test.ts), and its plot with those thresholds, docs/bench-sweep.svg.
 */
function recordSweep(r: RecordedSweep): string {
  writeFileSync(join(root, 'test', 'unit', 'bench', 'bench-sweep.json'), JSON.stringify(r, null, 1) + '\n');
  const vcpus = /^(\d+) vCPU/.exec(r.machine)?.[1] ?? String(cpus().length);
  const svg = sweepSvg(r.points, r.series, `Training throughput by work per step — ${vcpus} vCPU, load ${r.loadAverage[0].toFixed(1)}–${r.loadAverage[1].toFixed(1)}`, [
    { macs: AUTO_WASM_MIN_STEP_MACS, label: 'cpu→wasm' },
    { macs: WASM_THREADS_MIN_STEP_MACS, label: `1→n threads (batch ≥ ${WASM_THREADS_MIN_BATCH})` },
    { macs: WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS, label: `1→n threads (batch < ${WASM_THREADS_MIN_BATCH})` },
  ]);
  writeFileSync(join(root, 'docs', 'bench-sweep.svg'), svg);
  return 'Plot: docs/bench-sweep.svg; points: test/unit/bench/bench-sweep.json';
}

async function main(): Promise<void> {
  // --svg-from=<results.json>: the plot and recorded points from an earlier run's sweep, nothing measured
  // (after the thresholds in code were set from that run)
  const from = args.find((a) => a.startsWith('--svg-from='))?.slice('--svg-from='.length);
  if (from) {
    const r = JSON.parse(readFileSync(from, 'utf8')) as { machine: string; loadAverage: number[]; quick?: boolean; sweep?: { series: string[]; points: SweepPoint[] } };
    if (!r.sweep) throw new Error(`${from} has no sweep`);
    console.log(recordSweep({ machine: r.machine, loadAverage: r.loadAverage, quick: r.quick ?? false, series: r.sweep.series, points: r.sweep.points }));
    return;
  }
  const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${cpus().length} vCPU (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, tfjs 4.22.0`;
  // the editor's analysis of large inline data (not a training workload): first, or alone with --only analyze
  const analyze = !only || only.includes('analyze') ? analyzeBench(ROUNDS) : undefined;
  if (analyze) console.log(`NN Lab analysis benchmark — ${machine}\n\n${analyzeLines(analyze).join('\n')}\n`);
  // Step round trips (issue 16 item 3): with --only step, alone
  const steps: StepTiming[] | undefined = !only || only.includes('step') ? await stepBench(quick ? 10 : 20) : undefined;
  if (steps) console.log(`NN Lab step benchmark — ${machine}, load average ${loadavg()[0].toFixed(1)}\n\n${stepLines(steps).join('\n')}\n`);
  // the graph panel's weight editing (pure JS, as the webview runs it): alone with --only edit
  const edit = !only || only.includes('edit') ? await editBench() : undefined;
  if (edit) console.log(`NN Lab edit benchmark — ${machine}\n\n${editLines(edit).join('\n')}\n`);
  if (!trainsAnything(only, WORKLOADS.length)) {
    for (const [what, part, table] of [['analyze', analyze, analyze && analyzeLines(analyze)], ['step', steps, steps && stepLines(steps)], ['edit', edit, edit && editLines(edit)]] as const) {
      if (!part) continue;
      const outDir = join(root, 'bench', 'results');
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${what}.json`);
      writeFileSync(file, JSON.stringify({ machine, loadAverage: loadavg(), [what]: part, table }, null, 2));
      console.log(`results: ${file}`);
    }
    return;
  }
  const load0 = loadavg()[0];
  console.log(`NN Lab training benchmark — ${machine}; load average ${load0.toFixed(1)} at the start`);
  const datas = new Map<string, TrainData>();
  for (const w of WORKLOADS) datas.set(w.name, await w.data());

  // which backends load here; wasm twice: its single-thread build and min(cores, 4) threads
  const variants: Variant[] = [];
  const unavailable: { name: BackendName; reason: string }[] = [];
  const nThreads = planWasmThreads({ cores: cpus().length, sharedMemory: typeof SharedArrayBuffer === 'function' }).threads;
  for (const name of BACKEND_NAMES) {
    try {
      const b = (await selectBackend(name, { modulePaths: [process.cwd()], wasmThreads: name === 'wasm' ? 1 : undefined })).backend;
      variants.push({ key: name, backend: name, ...(name === 'wasm' ? { threads: 1 } : {}) });
      if (name === 'wasm' && nThreads > 1) {
        const t = (await selectBackend('wasm', { modulePaths: [process.cwd()], wasmThreads: nThreads })).backend;
        if (/\d+ threads/.test(t.device)) variants.push({ key: `wasm×${nThreads}`, backend: 'wasm', threads: nThreads });
        else unavailable.push({ name, reason: `threads: ${t.device}` });
      }
      void b;
    } catch (e) {
      unavailable.push({ name, reason: e instanceof Error ? e.message.replace(/^backend \S+ cannot be used: /, '') : String(e) });
    }
  }
  for (const u of unavailable) console.log(`  ${u.name}: unavailable — ${u.reason.split('\n')[0].slice(0, 160)}`);

  const tmp = mkdtempSync(join(tmpdir(), 'nnlab-bench-'));
  const results: Record<string, Record<string, Measure & { value: number; gflops: number }>> = {};
  const autoPick: Record<string, string> = {};
  let peer: PeerResult = { ok: false, why: 'not run' };
  const peerBest = new Map<string, Measure & { name: string }>();
  for (const w of WORKLOADS) {
    results[w.name] = {};
    const { report } = await selectBackend('auto', { modulePaths: [process.cwd()], networkMacs: macsPerSample(w) * w.batch });
    autoPick[w.name] = autoVariant(report.active as BackendName, macsPerSample(w) * w.batch, variants);
  }

  // the native-matmul ceiling, first (the machine is as quiet now as it will be)
  const ceilings: Ceiling[] = [];
  if (wants('ceiling')) {
    for (const threads of [...new Set([1, cpus().length])]) {
      const c = nativeCeiling(threads, quick ? 1 : 3);
      if (typeof c === 'string') console.log(`  ceiling on ${threads} thread(s): ${c}`);
      else {
        ceilings.push(c);
        console.log(`  ceiling ${threads} thread(s): torch.mm ${c.mm.toFixed(1)} GFLOP/s (${c.blas}), oneDNN ${c.onednn?.toFixed(1) ?? '—'} GFLOP/s`);
      }
    }
  }

  for (let round = 1; round <= ROUNDS && WORKLOADS.length > 0; round++) {
    console.log(`round ${round}/${ROUNDS}`);
    for (const v of variants) {
      const backend = await loadVariant(v);
      for (const w of WORKLOADS) {
        const data = datas.get(w.name) as TrainData;
        // the cpu backend on the wide net: a few steps are enough (~0.8 GFLOP/s), and one round
        if (w.name === 'wide' && v.backend === 'cpu' && round > 1) continue;
        const m = await measure(backend, w.name === 'wide' && v.backend === 'cpu' ? { ...w, seconds: 0, minSteps: 2, warmup: 1 } : w, data);
        const val = value(w, m);
        const prev = results[w.name][v.key];
        if (!prev || val > prev.value) results[w.name][v.key] = { ...m, value: val, gflops: gflops(w, m.samplesPerSec) };
        console.log(`  ${w.name.padEnd(10)} ${v.key.padEnd(14)} ${fmt(val).padStart(10)} ${w.metric}  ${gflops(w, m.samplesPerSec).toFixed(2)} GFLOP/s  (${m.steps} steps, loss ${m.firstLoss.toFixed(4)} → ${m.lastLoss.toFixed(4)})`);
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
  else console.log(`\nPyTorch ${peer.torch}, ${peer.threads} thread, ${peer.blas}`);

  // where a step's time goes (MNIST-size and wide), on auto's backend
  const splits: Record<string, Awaited<ReturnType<typeof split>>> = {};
  if (wants('split')) {
    for (const w of WORKLOADS.filter((x) => x.name.startsWith('mnist') || x.name === 'wide')) {
      const v = variants.find((x) => x.key === autoPick[w.name]);
      if (!v) continue;
      splits[w.name] = await split(await loadVariant(v), w, datas.get(w.name) as TrainData);
      console.log(`  split ${w.name}: ${JSON.stringify(splits[w.name])}`);
    }
  }

  // the product's path against the bare loop (auto backend)
  const overhead: Record<string, { bare: number; product: number; overheadPct: number; epochs: number }> = {};
  for (const w of wants('product') ? WORKLOADS : []) {
    const v = variants.find((x) => x.key === autoPick[w.name]);
    const m = results[w.name][autoPick[w.name]];
    if (!v || !m) continue;
    const epochs = Math.max(4, Math.round((m.stepsPerSec * 3 * S) / stepsPerEpoch(w)));
    const data = datas.get(w.name) as TrainData;
    const runDir = join(tmp, 'runs');
    mkdirSync(runDir, { recursive: true });
    const chosen = process.env.NNLAB_BENCH_PRODUCT_BACKEND ?? 'auto';
    const start = startMessage(w, data, epochs, runDir, isBackendChoice(chosen) ? chosen : 'auto');
    let bareRate = 0;
    let prodRate = 0;
    for (let round = 0; round < Math.max(2, ROUNDS); round++) {
      bareRate = Math.max(bareRate, await bareChild(start));
      prodRate = Math.max(prodRate, productRate(await productPath(start)));
    }
    overhead[w.name] = { bare: bareRate, product: prodRate, overheadPct: 100 * (bareRate / prodRate - 1), epochs };
  }

  const sweep = wants('sweep') ? await runSweep(variants, tmp) : undefined;
  rmSync(tmp, { recursive: true, force: true });
  const load1 = loadavg()[0];

  // report
  const lines: string[] = [`Load average ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end (${cpus().length} vCPUs).`, ''];
  const cols = variants.map((v) => v.key);
  if (WORKLOADS.length > 0) {
    lines.push(`| workload | metric | ${cols.join(' | ')} | auto | PyTorch 1 thread | auto / PyTorch |`);
    lines.push(`|---|---|${cols.map(() => '---:').join('|')}|---|---:|---:|`);
    for (const w of WORKLOADS) {
      const r = results[w.name];
      const auto = autoPick[w.name];
      const p = peerBest.get(w.name);
      const pv = p ? value(w, p) : undefined;
      const av = r[auto]?.value;
      const cell = (v: number | undefined, g?: number): string => (v === undefined ? '—' : `${fmt(v)}${g !== undefined ? ` (${g.toFixed(1)} GFLOP/s)` : ''}`);
      lines.push(`| ${w.label} | ${w.metric} | ${cols.map((b) => cell(r[b]?.value, w.gflops ? r[b]?.gflops : undefined)).join(' | ')} | ${auto} | ${pv !== undefined && p ? cell(pv, w.gflops ? gflops(w, p.samplesPerSec) : undefined) : 'missing'} | ${pv && av ? `${(av / pv).toFixed(2)}×` : '—'} |`);
    }
    lines.push('');
  }
  if (ceilings.length > 0 && WORKLOADS.length > 0) {
    const c1 = ceilings[0];
    // all cores can do at least what one does (on a busy machine the threaded GEMM can measure lower)
    const last = ceilings[ceilings.length - 1];
    const cN = { ...last, best: Math.max(last.best, c1.best) };
    lines.push(`Native float32 GEMM ceiling at the wide net's forward size (256×1024 · 1024×1024): ${ceilings.map((c) => `${c.threads} thread${c.threads > 1 ? 's' : ''}: torch.mm ${c.mm.toFixed(1)} GFLOP/s (${c.blas})${c.onednn !== undefined ? `, oneDNN ${c.onednn.toFixed(1)} GFLOP/s` : ''}`).join('; ')}. Ceiling = the better of the two.`);
    lines.push('');
    lines.push(`| workload | ${cols.join(' | ')} | PyTorch 1 thread |`);
    lines.push(`|---|${cols.map(() => '---:').join('|')}|---:|`);
    const frac = (g: number | undefined): string => (g === undefined ? '—' : `${g < 1 ? g.toPrecision(2) : g.toFixed(1)} GFLOP/s = ${pct(g / c1.best)}${last !== c1 ? ` / ${pct(g / cN.best)}` : ''}`);
    for (const w of WORKLOADS) {
      const p = peerBest.get(w.name);
      lines.push(`| ${w.label} | ${cols.map((b) => frac(results[w.name][b]?.gflops)).join(' | ')} | ${frac(p ? gflops(w, p.samplesPerSec) : undefined)} |`);
    }
    lines.push(`(GFLOP/s counted as 6 × forward MACs per sample × samples/s; % of the 1-thread ceiling${last !== c1 ? ` / of the ${cN.threads}-thread ceiling` : ''}.)`);
    lines.push('');
  }
  if (Object.keys(splits).length > 0) {
    lines.push('| workload (auto backend) | step | matmuls | element-wise ops | batching + shuffling | other JS (op dispatch, read-back) | worker↔host (product path − bare loop) |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const w of WORKLOADS) {
      const sp = splits[w.name];
      if (!sp) continue;
      const o = overhead[w.name];
      const ms = (v: number): string => `${v.toFixed(2)} ms (${pct(v / sp.stepMs)})`;
      lines.push(`| ${w.label} (${autoPick[w.name]}) | ${sp.stepMs.toFixed(2)} ms | ${ms(sp.matmulMs)} | ${ms(sp.elementwiseMs)} | ${ms(sp.batchingMs)}, CPU ${sp.batchingCpuMs.toFixed(2)} ms | ${ms(sp.otherMs)} | ${o ? `${o.overheadPct >= 0 ? '+' : ''}${o.overheadPct.toFixed(1)} %` : '—'} |`);
    }
    lines.push('');
  }
  if (Object.keys(overhead).length > 0) {
    lines.push('| workload (auto backend) | bare loop steps/s | product path steps/s (as the host runs it, events, metrics.csv) | overhead |');
    // both: steady state, the second half of each run (a fresh worker starts with a cold JIT)
    lines.push('|---|---:|---:|---:|');
    for (const w of WORKLOADS) {
      const o = overhead[w.name];
      if (o) lines.push(`| ${w.label} | ${fmt(o.bare)} | ${fmt(o.product)} | ${o.overheadPct >= 0 ? '+' : ''}${o.overheadPct.toFixed(1)} % |`);
    }
    lines.push('');
  }
  if (sweep) {
    lines.push(`Sweep (${sweep.peer ?? 'no PyTorch'}): samples/s`);
    lines.push(`| width | batch | MACs/step | ${sweep.series.join(' | ')} |`);
    lines.push(`|---:|---:|---:|${sweep.series.map(() => '---:').join('|')}|`);
    for (const p of [...sweep.points].sort((a, b) => a.macsPerStep - b.macsPerStep)) lines.push(`| ${p.width} | ${p.batch} | ${p.macsPerStep.toExponential(2)} | ${sweep.series.map((s) => (p.samplesPerSec[s] === undefined ? '—' : fmt(p.samplesPerSec[s] as number))).join(' | ')} |`);
    const cw = sweep.crossovers.cpuToWasm as ReturnType<typeof crossover>;
    const ct = sweep.crossovers.wasmToThreads as ReturnType<typeof threadCrossovers> | undefined;
    const say = (c: ReturnType<typeof crossover>): string => (c ? `${c.macs.toExponential(2)} MACs/step (last loss ${c.lastLoss?.toExponential(2) ?? 'none'}, wins from ${c.firstWin.toExponential(2)})` : 'never');
    lines.push(`Crossovers: cpu → wasm at ${say(cw)}; code: AUTO_WASM_MIN_STEP_MACS = ${AUTO_WASM_MIN_STEP_MACS.toExponential(2)} (${agrees(AUTO_WASM_MIN_STEP_MACS, cw) ? 'agrees' : 'DISAGREES'}).`);
    if (ct) {
      lines.push(`wasm 1 thread → ${nThreads} threads, batch ≥ ${WASM_THREADS_MIN_BATCH}: at ${say(ct.large)}; code: WASM_THREADS_MIN_STEP_MACS = ${WASM_THREADS_MIN_STEP_MACS.toExponential(2)} (${agrees(WASM_THREADS_MIN_STEP_MACS, ct.large) ? 'agrees' : 'DISAGREES'}).`);
      lines.push(`wasm 1 thread → ${nThreads} threads, batch < ${WASM_THREADS_MIN_BATCH}: at ${say(ct.small)}; code: WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS = ${WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS.toExponential(2)} (${agrees(WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS, ct.small) ? 'agrees' : 'DISAGREES'}).`);
    }
    if (args.includes('--svg')) lines.push(recordSweep({ machine, loadAverage: [load0, load1], quick, series: sweep.series, points: sweep.points }));
  }
  console.log('\n' + lines.join('\n'));
  const outDir = join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  if (analyze) lines.push('', ...analyzeLines(analyze));
  writeFileSync(file, JSON.stringify({ machine, loadAverage: [load0, load1], rounds: ROUNDS, quick, unavailable, variants, results, autoPick, ceilings, splits, peer: peer.ok ? { torch: peer.torch, threads: peer.threads, blas: peer.blas, best: Object.fromEntries(peerBest) } : peer, overhead, sweep, analyze, steps, table: lines }, null, 2));
  console.log(`\nresults: ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
