// The lab worker: one experiment (src/core/train/experiment.ts) in a worker thread on the CPU backend,
// so TensorFlow.js never loads on the extension host's thread. Messages: src/protocol/lab.ts. It posts
// progress (at most ~10 a second), then the result or an error, and exits; the host terminates it to
// cancel.
import { parentPort } from 'node:worker_threads';
import type { HostToLabWorker, LabWorkerToHost } from '../protocol/lab';
import { loadData } from '../core/data';
import { selectBackend } from '../core/train/select';
import { runExperiment } from '../core/train/experiment';

const port = parentPort;
if (!port) throw new Error('dist/worker/lab.js must run as a worker thread');
const post = (m: LabWorkerToHost): void => port.postMessage(m);

async function run(m: HostToLabWorker): Promise<void> {
  try {
    const data = await loadData(m.spec, m.specPath, m.maxDataBytes !== undefined ? { maxDataBytes: m.maxDataBytes } : {});
    const { backend } = await selectBackend('cpu', { modulePaths: [] });
    let last = 0;
    const result = await runExperiment({
      backend,
      spec: m.spec,
      specName: m.specName,
      data,
      kind: m.kind,
      ...(m.alphas ? { alphas: m.alphas } : {}),
      ...(m.memoryLimitMB !== undefined ? { memoryLimitMB: m.memoryLimitMB } : {}),
      onProgress: (progress) => {
        const now = performance.now();
        if (now - last < 100 && progress.epoch !== progress.epochs) return;
        last = now;
        post({ type: 'progress', progress });
      },
    });
    post({ type: 'result', result });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    port!.close();
  }
}

port.once('message', (m: HostToLabWorker) => void run(m));
