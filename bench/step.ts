// `npm run bench -- --only step`: how long a Step (issue 16 item 3) takes from the host's request to its
// answer, as the extension runs it: the training worker (dist/worker/train.js, or src/worker/train.ts
// through tsx when not built) where the host runs it for `auto` (a forked child process), the typed
// `step` request of src/protocol/training.ts, its report and the weights message that goes out before it.
// samples/xor.nn.json and samples/circle.nn.json, paused before their first step, then rounds of:
// step a sample, step a batch, step an epoch. The target: every step within 100 ms.
// Also runnable alone: node --import tsx bench/step.ts [rounds]
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../src/core/spec';
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

export async function stepBench(rounds: number): Promise<StepTiming[]> {
  const out: StepTiming[] = [];
  for (const name of ['xor', 'circle']) out.push(...(await benchSample(name, rounds)));
  return out;
}

export function stepLines(t: StepTiming[]): string[] {
  return [
    'Step round trip (host request → worker step → report; the weights message sent first), target ≤ 100 ms:',
    '| sample | backend | step | rounds | median ms | max ms | ≤ 100 ms |',
    '|---|---|---|---:|---:|---:|---|',
    ...t.map((r) => `| ${r.sample} | ${r.backend} | ${r.unit} | ${r.n} | ${r.medianMs.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${r.maxMs <= 100 ? 'yes' : 'NO'} |`),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  stepBench(Number(process.argv[2] ?? 20)).then(
    (t) => console.log(stepLines(t).join('\n')),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
