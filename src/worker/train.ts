// The training worker: TensorFlow.js runs here, never on the extension host's thread. A forked child
// process for every backend choice that may load native code (auto, the GPU backends, tfjs-node), a
// worker_threads worker for wasm/cpu (trainingIsolation in src/core/train/detect.ts); the same
// messages either way, over IPC or the worker port.
// Protocol: src/protocol/training.ts. One run per worker; it exits when the run is done.
import { parentPort } from 'node:worker_threads';
import { join } from 'node:path';
import type { HostToWorker, ProbeAnswer, ProbeParams, StepReport, StepUnit, WorkerMethods, WorkerToHost } from '../protocol/training';
import { answerRequest } from '../protocol/rpc';
import { AUTO_WASM_MIN_STEP_MACS, isBackendChoice, selectBackend } from '../core/train/select';
import { startSession, type Session } from '../core/train/session';

interface Port {
  postMessage(m: WorkerToHost): void;
  on(event: 'message', fn: (m: HostToWorker) => void): void;
  close(): void;
  /** a forked child: `fn` runs when the host's end of the channel goes away without our closing it */
  onHostGone?(fn: () => void): void;
}
function openPort(): Port {
  const pp = parentPort;
  if (pp) return { postMessage: (m) => pp.postMessage(m), on: (e, fn) => void pp.on(e, fn), close: () => pp.close() };
  const send = process.send?.bind(process);
  if (send) {
    // IPC sends are asynchronous: disconnecting with messages still queued (the last weights and
    // `done` of a large network) would drop them, so close once every send has gone out
    let inFlight = 0;
    let closing = false;
    const disconnect = (): void => {
      if (closing && inFlight === 0 && process.connected) process.disconnect();
    };
    return {
      postMessage: (m) => {
        inFlight++;
        send(m, undefined, undefined, () => {
          inFlight--;
          disconnect();
        });
      },
      on: (e, fn) => void process.on(e, fn),
      close: () => {
        closing = true;
        disconnect();
      },
      onHostGone: (fn) =>
        void process.on('disconnect', () => {
          if (!closing) fn();
        }),
    };
  }
  throw new Error('dist/worker/train.js must run as a worker thread or a forked child process');
}
const port = openPort();

const post = (m: WorkerToHost): void => port.postMessage(m);
let session: Session | undefined;
/** the session being set up (a step asked right after `started` waits for it) */
let sessionStarting: Promise<Session> | undefined;
let starting = false;
let pendingStop: 'stopped' | 'interrupted' | undefined;
let hostGone = false;

// A forked child outlives its host if nothing stops it (VS Code closed, reloaded or crashed): a worker
// thread dies with the host, a process does not. End the run as interrupted (its folder says so) and
// exit, instead of training on as an orphan.
port.onHostGone?.(() => {
  hostGone = true;
  if (session) session.trainer.stop('interrupted');
  else pendingStop = 'interrupted';
  if (!session && !starting) process.exit(0);
  setTimeout(() => process.exit(0), 10_000).unref();
});

async function start(m: Extract<HostToWorker, { type: 'start' }>): Promise<void> {
  if (session || starting) {
    post({ type: 'error', message: 'this worker is already running a spec (one run per worker)' });
    return;
  }
  starting = true;
  try {
    if (!isBackendChoice(m.backend)) throw new Error(`unknown backend "${m.backend}" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)`);
    sessionStarting = startSession({
      spec: m.spec,
      specPath: m.specPath ?? join(m.specDir, `${m.spec.name}.nn.json`),
      backend: m.backend,
      modulePaths: m.modulePaths,
      wasmDir: m.wasmDir ?? join(__dirname, '..', 'wasm'),
      skipBackends: m.skipBackends,
      epochs: m.epochs,
      fromRun: m.fromRun,
      runsDir: m.runsDir,
      writeRun: m.writeRun,
      maxEventsPerSec: m.maxEventsPerSec,
      memoryLimitMB: m.memoryLimitMB,
      startPaused: m.startPaused,
      ...(m.maxDataMB !== undefined ? { maxDataBytes: m.maxDataMB * 2 ** 20 } : {}),
      onMessage: post,
    });
    session = await sessionStarting;
    if (pendingStop) session.trainer.stop(pendingStop);
    await session.done;
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    starting = false;
    port.close();
    if (hostGone) process.exit(0);
  }
}

/** Which backend a run would get, without training: the host asks this of a fresh worker (status bar). */
async function probe(m: ProbeParams): Promise<ProbeAnswer> {
  const answer = { autoMinStepMacs: AUTO_WASM_MIN_STEP_MACS };
  try {
    if (!isBackendChoice(m.backend)) throw new Error(`unknown backend "${m.backend}" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)`);
    const { report } = await selectBackend(m.backend, { modulePaths: m.modulePaths ?? [], wasmDir: m.wasmDir ?? join(__dirname, '..', 'wasm'), networkMacs: m.networkMacs, networkBatch: m.networkBatch, skip: m.skipBackends });
    return { ...answer, report };
  } catch (e) {
    return { ...answer, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The current weights and step of this worker's run (none before it has a model). */
async function weights(): Promise<{ layers: WorkerMethods['weights']['result']['layers']; step: number }> {
  const t = session?.trainer;
  if (!t) return { layers: [], step: 0 };
  const step = t.currentStep();
  return { layers: await t.weightsAsync(), step };
}

/** One Step command: pause, run one sample / batch / epoch, pause; its report (src/core/train/stepping.ts). */
async function step(p: { unit: StepUnit }): Promise<StepReport> {
  const s = session ?? (await sessionStarting);
  if (!s) throw new Error('no run to step');
  return s.step(p.unit);
}

port.on('message', (m: HostToWorker) => {
  const t = session?.trainer;
  switch (m.type) {
    case 'start':
      void start(m);
      break;
    case 'request':
      void answerRequest<WorkerMethods>(m, { weights, probe, step }, post).finally(() => {
        // a probe's worker answers and exits (it never trains)
        if (m.method === 'probe' && !session && !starting) port.close();
      });
      break;
    case 'pause':
      t?.pause();
      break;
    case 'resume':
      t?.resume();
      break;
    case 'step':
      t?.stepOnce(m.unit);
      break;
    case 'stop':
      if (t) t.stop(m.reason ?? 'stopped');
      else pendingStop = m.reason ?? 'stopped';
      break;
  }
});
