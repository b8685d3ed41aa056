// `npm run bench -- --only step`: how long a Step (issue 16 item 3) takes from the host's request to its
// answer, as the extension runs it: the training worker (dist/worker/train.js, or src/worker/train.ts
// through tsx when not built) where the host runs it for `auto` (a forked child process), the typed
// `step` request of src/protocol/training.ts, its report and the weights message that goes out before it.
// samples/xor.nn.json, circle.nn.json and mnist.nn.json, paused before their first step, then rounds
// of: step a sample, step a batch, step an epoch. The target: every step within 100 ms (an MNIST epoch
// step is a whole epoch of 71 batches: its time is printed, not held to that target).
// Also runnable alone: node --import tsx bench/step.ts [rounds] [sample,…]
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../src/core/spec';
import { loadData } from '../src/core/data';
import { startSession } from '../src/core/train/session';
import { childProcessOptions } from '../src/core/train/detect';
import type { HostToWorker, StepReport, StepUnit, WorkerToHost } from '../src/protocol/training';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface StepTiming {
  sample: string;
  backend: string;
  unit: StepUnit;
  n: number;
  medianMs: number;
  maxMs: number;
  /** the same step in this process (no IPC): the median CPU time (user + system), what an idle core would take */
  cpuMedianMs?: number;
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function benchSample(name: string, rounds: number): Promise<StepTiming[]> {
  const specPath = join(root, 'samples', `${name}.nn.json`);
  const spec = parseSpec(readFileSync(specPath, 'utf8')).spec;
  if (!spec) throw new Error(`${name}: does not parse`);
  const dist = join(root, 'dist', 'worker', 'train.js');
  const useDist = existsSync(dist) && process.env.NNLAB_BENCH_WORKER !== 'src';
  const o = childProcessOptions();
  const child: ChildProcess = fork(useDist ? dist : join(root, 'src', 'worker', 'train.ts'), [], { execPath: o.execPath, execArgv: useDist ? [] : ['--import', 'tsx'], env: o.env, serialization: o.serialization, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let backend = '?';
  let next = 1;
  const waiting = new Map<number, (r: StepReport) => void>();
  let pausedSeen: (() => void) | undefined;
  child.on('message', (raw) => {
    const m = raw as WorkerToHost;
    if (m.type === 'backend') backend = m.report.active;
    if (m.type === 'paused') pausedSeen?.();
    if (m.type === 'error') console.error(`${name}: ${m.message}`);
    if (m.type === 'response' && m.ok) waiting.get(m.id)?.(m.result as StepReport);
  });
  const paused = new Promise<void>((r) => (pausedSeen = r));
  const start: HostToWorker = { type: 'start', spec: { ...spec, training: { ...spec.training, epochs: 1_000_000, stopWhenLossBelow: undefined } }, specDir: join(root, 'samples'), specPath, backend: 'auto', writeRun: false, startPaused: true };
  child.send(start);
  await paused;
  const step = (unit: StepUnit): Promise<number> => {
    const id = next++;
    const t0 = performance.now();
    return new Promise((resolve) => {
      waiting.set(id, () => resolve(performance.now() - t0));
      child.send({ type: 'request', id, method: 'step', params: { unit } } satisfies HostToWorker);
    });
  };
  const times: Record<StepUnit, number[]> = { sample: [], batch: [], epoch: [] };
  // warm-up: one of each (the first step compiles the kernels' JS paths)
  for (const u of ['sample', 'batch', 'epoch'] as const) await step(u);
  for (let i = 0; i < rounds; i++) for (const u of ['sample', 'batch', 'epoch'] as const) times[u].push(await step(u));
  child.send({ type: 'stop' } satisfies HostToWorker);
  setTimeout(() => child.kill(), 500).unref();
  return (['sample', 'batch', 'epoch'] as const).map((unit) => ({ sample: name, backend, unit, n: times[unit].length, medianMs: median(times[unit]), maxMs: Math.max(...times[unit]) }));
}

/** The steps of a sample in this process, on the backend the worker used: CPU time per step (less sensitive than wall time to a busy machine). */
async function cpuTimes(name: string, backend: string, rounds: number): Promise<Record<StepUnit, number>> {
  const specPath = join(root, 'samples', `${name}.nn.json`);
  const parsed = parseSpec(readFileSync(specPath, 'utf8')).spec;
  if (!parsed) throw new Error(`${name}: does not parse`);
  const spec = { ...parsed, training: { ...parsed.training, epochs: 1_000_000, stopWhenLossBelow: undefined } };
  const s = await startSession({ spec, specPath, backend: backend === 'wasm' ? 'wasm' : 'cpu', writeRun: false, data: await loadData(spec, specPath), startPaused: true, onMessage: () => undefined });
  const times: Record<StepUnit, number[]> = { sample: [], batch: [], epoch: [] };
  for (const u of ['sample', 'batch', 'epoch'] as const) await s.step(u);
  for (let i = 0; i < rounds; i++) {
    for (const u of ['sample', 'batch', 'epoch'] as const) {
      const c0 = process.cpuUsage();
      await s.step(u);
      const c = process.cpuUsage(c0);
      times[u].push((c.user + c.system) / 1000);
    }
  }
  s.trainer.stop();
  await s.done;
  return { sample: median(times.sample), batch: median(times.batch), epoch: median(times.epoch) };
}

export const STEP_SAMPLES = ['xor', 'circle', 'mnist'];

export async function stepBench(rounds: number, samples: readonly string[] = STEP_SAMPLES): Promise<StepTiming[]> {
  const out: StepTiming[] = [];
  for (const name of samples) {
    const t = await benchSample(name, rounds);
    const cpu = await cpuTimes(name, t[0].backend, rounds);
    out.push(...t.map((r) => ({ ...r, cpuMedianMs: cpu[r.unit] })));
  }
  return out;
}

export function stepLines(t: StepTiming[]): string[] {
  return [
    'Step round trip (host request → worker step → report; the weights message sent first), target ≤ 100 ms;',
    'CPU: the same step in-process, median CPU time (what an idle core takes):',
    '| sample | backend | step | rounds | median ms | max ms | median ≤ 100 ms | CPU median ms |',
    '|---|---|---|---:|---:|---:|---|---:|',
    ...t.map((r) => `| ${r.sample} | ${r.backend} | ${r.unit} | ${r.n} | ${r.medianMs.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.medianMs <= 100 ? 'yes' : r.sample === 'mnist' && r.unit === 'epoch' ? 'no (a whole epoch)' : 'NO'} | ${r.cpuMedianMs?.toFixed(1) ?? '–'} |`),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  stepBench(Number(process.argv[2] ?? 20), process.argv[3]?.split(',') ?? STEP_SAMPLES).then(
    (t) => console.log(stepLines(t).join('\n')),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
