// The training worker (worker_threads): TensorFlow.js runs here, never on the extension host's
// thread. Protocol: src/protocol/training.ts. One run per worker; it exits when the run is done.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { join } from 'node:path';
import type { HostToWorker, WorkerToHost } from '../protocol/training';
import { isBackendChoice } from '../core/train/select';
import { startSession, type Session } from '../core/train/session';

if (!parentPort) throw new Error('dist/worker/train.js must run as a worker thread');
const port: MessagePort = parentPort;

const post = (m: WorkerToHost): void => port.postMessage(m);
let session: Session | undefined;
let starting = false;
let pendingStop: 'stopped' | 'interrupted' | undefined;

async function start(m: Extract<HostToWorker, { type: 'start' }>): Promise<void> {
  if (session || starting) {
    post({ type: 'error', message: 'this worker is already running a spec (one run per worker)' });
    return;
  }
  starting = true;
  try {
    if (!isBackendChoice(m.backend)) throw new Error(`unknown backend "${m.backend}" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)`);
    session = await startSession({
      spec: m.spec,
      specPath: m.specPath ?? join(m.specDir, `${m.spec.name}.nn.json`),
      backend: m.backend,
      modulePaths: m.modulePaths,
      wasmDir: m.wasmDir ?? join(__dirname, '..', 'wasm'),
      epochs: m.epochs,
      fromRun: m.fromRun,
      runsDir: m.runsDir,
      writeRun: m.writeRun,
      maxEventsPerSec: m.maxEventsPerSec,
      memoryLimitMB: m.memoryLimitMB,
      onMessage: post,
    });
    if (pendingStop) session.trainer.stop(pendingStop);
    await session.done;
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    starting = false;
    port.close();
  }
}

port.on('message', (m: HostToWorker) => {
  const t = session?.trainer;
  switch (m.type) {
    case 'start':
      void start(m);
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
    case 'getWeights':
      if (t) post({ type: 'weights', requestId: m.requestId, layers: t.weights(), step: t.currentStep() });
      else post({ type: 'weights', requestId: m.requestId, layers: [], step: 0 });
      break;
  }
});
