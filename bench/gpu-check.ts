// The GPU check (docs/gpu.md): the same networks, data, seed and initial weights trained on the CPU
// backend and on webgpu, one after the other in this process; the final losses must agree to float32
// tolerance, and the wall time of each is recorded. Run by scripts/gpu/device.sh on a lent GPU machine,
// and on a machine without a GPU through Dawn's software adapter (NNLAB_WEBGPU_ALLOW_SOFTWARE=1,
// NNLAB_DAWN_FLAGS=backend=opengles), which rehearses the whole path.
//   node --import tsx bench/gpu-check.ts [--quick] [--out FILE.json]
// Exit 0: webgpu loaded and every loss agreed; 1: a loss differed; 2: webgpu could not be used.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { selectBackend, formatBackendReport, BackendLoadError } from '../src/core/train/select';
import type { BackendName } from '../src/core/train/backend';
import { Trainer, type TrainData } from '../src/core/train/trainer';
import { generateData } from '../src/core/data';
import { denseSpec, flatMnist } from './spec';
import type { ActivationName, LossName, NetworkSpec, Optimizer } from '../src/core/spec/types';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outFile = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
/** |Δ| ≤ RTOL·max(1, |loss|): float32 sums run in another order on a GPU, nothing more may differ. */
const RTOL = 1e-3;

interface Case {
  name: string;
  layers: [number, ActivationName][];
  inputs: number;
  loss: LossName;
  optimizer: Optimizer;
  epochs: number;
  batchSize: number | 'full';
  seed: number;
  data: () => Promise<TrainData>;
}

const CASES: Case[] = [
  {
    name: 'XOR 2-4-1 tanh/sigmoid, MSE, Adam 0.05, full batch',
    inputs: 2, layers: [[4, 'tanh'], [1, 'sigmoid']], loss: 'mse', optimizer: { type: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, epochs: 200, batchSize: 'full', seed: 7,
    data: async () => ({ x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), xShape: [4, 2], y: new Float32Array([0, 1, 1, 0]), yShape: [4, 1] }),
  },
  {
    name: 'spiral(200) 2-16-16-1 ReLU/sigmoid, binary cross-entropy, SGD 0.1, batch 32',
    inputs: 2, layers: [[16, 'relu'], [16, 'relu'], [1, 'sigmoid']], loss: 'binaryCrossentropy', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 20, batchSize: 32, seed: 3,
    data: async () => generateData('spiral', 200, 0, 3),
  },
  {
    name: 'MNIST 4,096 digits 784-128-64-10 ReLU/softmax, cross-entropy, SGD 0.05, batch 256',
    inputs: 784, layers: [[128, 'relu'], [64, 'relu'], [10, 'softmax']], loss: 'categoricalCrossentropy', optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: quick ? 1 : 3, batchSize: 256, seed: 42,
    data: () => flatMnist(4096, 1),
  },
];

const specOf = (c: Case): NetworkSpec => denseSpec({ ...c, name: 'gpu-check' });

interface Result {
  backend: BackendName;
  finalLoss: number;
  steps: number;
  seconds: number;
  samplesPerSec: number;
}

async function train(name: BackendName, c: Case, data: TrainData): Promise<Result> {
  const { backend } = await selectBackend(name, { modulePaths: [process.cwd()] });
  const t0 = performance.now();
  const trainer = new Trainer({ backend, spec: specOf(c), data });
  const r = await trainer.run();
  trainer.dispose();
  const seconds = (performance.now() - t0) / 1000;
  return { backend: name, finalLoss: r.finalLoss, steps: r.steps, seconds, samplesPerSec: r.samplesPerSec };
}

async function main(): Promise<number> {
  const machine = `${cpus().length} vCPU (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`;
  console.log(`NN Lab GPU check — ${machine}`);
  let device: string;
  try {
    const { report } = await selectBackend('webgpu', { modulePaths: [process.cwd()] });
    console.log(formatBackendReport(report).join('\n'));
    device = report.device;
  } catch (e) {
    const why = e instanceof BackendLoadError ? e.message : String(e);
    console.log(`webgpu cannot be used: ${why}`);
    const auto = await selectBackend('auto', { modulePaths: [process.cwd()] });
    console.log(formatBackendReport(auto.report).join('\n'));
    if (outFile) writeFileSync(outFile, JSON.stringify({ machine, webgpu: { ok: false, why }, auto: auto.report }, null, 2));
    return 2;
  }
  const rows: { case: string; results: Result[]; delta: number; agree: boolean }[] = [];
  for (const c of CASES) {
    const data = await c.data();
    const results: Result[] = [];
    for (const b of ['cpu', 'wasm', 'webgpu'] as const) {
      results.push(await train(b, c, data));
      const r = results[results.length - 1];
      console.log(`  ${c.name.slice(0, 40).padEnd(40)} ${b.padEnd(7)} loss ${r.finalLoss.toPrecision(10)}  ${r.steps} steps in ${r.seconds.toFixed(2)} s (${Math.round(r.samplesPerSec)} samples/s)`);
    }
    const cpu = results[0].finalLoss;
    const gpu = results[2].finalLoss;
    const delta = Math.abs(gpu - cpu);
    rows.push({ case: c.name, results, delta, agree: Number.isFinite(gpu) && delta <= RTOL * Math.max(1, Math.abs(cpu)) });
  }
  const lines = [
    `webgpu device: ${device}`,
    '',
    '| network (same seed and initial weights) | cpu final loss | webgpu final loss | \\|Δ\\| | same loss | wall time cpu / wasm / webgpu |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map((r) => `| ${r.case} | ${r.results[0].finalLoss.toPrecision(10)} | ${r.results[2].finalLoss.toPrecision(10)} | ${r.delta.toExponential(1)} | ${r.agree ? 'yes' : '**no**'} | ${r.results.map((x) => `${x.seconds.toFixed(2)} s`).join(' / ')} |`),
  ];
  console.log('\n' + lines.join('\n'));
  if (outFile) writeFileSync(outFile, JSON.stringify({ machine, webgpu: { ok: true, device }, rtol: RTOL, rows, table: lines }, null, 2));
  return rows.every((r) => r.agree) ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
