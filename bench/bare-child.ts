// The bench's bare loop where the product trains: a fresh forked process (cold JIT, as the training
// worker starts), the backend chosen as the session chooses it, the same Trainer with nothing attached
// (no run folder, no progress events). Answers the steady steps/s (second half of the run) and exits.
// Started by bench/run.ts with the worker's own `start` message.
import { loadData } from '../src/core/data';
import { sizeOptions } from '../src/core/train/backend';
import { isBackendChoice, selectBackend } from '../src/core/train/select';
import { stepSize } from '../src/core/train/size';
import { Trainer } from '../src/core/train/trainer';
import type { HostToWorker } from '../src/protocol/training';
import { steadyRate } from './analysis';

process.once('message', (m: Extract<HostToWorker, { type: 'start' }>) => {
  void (async () => {
    if (!isBackendChoice(m.backend)) throw new Error(`unknown backend ${m.backend}`);
    const data = await loadData(m.spec, m.specPath ?? '');
    const { backend } = await selectBackend(m.backend, { modulePaths: [process.cwd()], ...sizeOptions(stepSize(m.spec, data.xShape[0])) });
    const times: number[] = [];
    const t = new Trainer({ backend, spec: m.spec, data, onRow: (r) => r.kind === 'step' && times.push(r.elapsedMs) });
    await t.run();
    t.dispose();
    process.send?.({ stepsPerSec: steadyRate(times) }, () => process.exit(0));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
});
