// One training run end to end, shared by the worker (extension) and the CLI: data → backend (said out
// loud) → weights (initial or a saved run's) → trainer → run folder. Every outward fact is a
// WorkerToHost message, so the worker forwards them as they are and the CLI prints them.
import { join } from 'node:path';
import type { NetworkSpec } from '../spec/types';
import type { RunSummary, StepReport, StepUnit, WorkerToHost } from '../../protocol/training';
import { loadData } from '../data';
import { stepSize } from './size';
import { sizeOptions, type BackendChoice } from './backend';
import { selectBackend, type SelectOptions } from './select';
import { initialWeights } from './init';
import { readRunWeights, resolveRunDir, runsDirFor, RunWriter } from './runs';
import { Trainer, type TrainData } from './trainer';

export interface SessionOptions {
  spec: NetworkSpec;
  /** absolute path of the spec file (run folder placement and name, CSV paths) */
  specPath: string;
  backend: BackendChoice;
  modulePaths?: string[];
  wasmDir?: string;
  /** backends `auto` must not try, with the reason it reports (SelectOptions.skip) */
  skipBackends?: SelectOptions['skip'];
  epochs?: number;
  /** a saved run to start from: folder path, folder name in the runs dir, or "latest" */
  fromRun?: string;
  /** default `<spec dir>/.nnlab/runs` */
  runsDir?: string;
  /** false: no run folder (benchmarks' bare comparisons) */
  writeRun?: boolean;
  maxEventsPerSec?: number;
  memoryLimitMB?: number;
  /** the largest data file read (nnlab.data.maxFileMB; default DEFAULT_MAX_DATA_MB MiB) */
  maxDataBytes?: number;
  /** start paused before the first step (step through from the very beginning) */
  startPaused?: boolean;
  /** preloaded data (tests, benchmarks); default loadData(spec, specPath) */
  data?: TrainData;
  onMessage: (m: WorkerToHost) => void;
}

export interface Session {
  trainer: Trainer;
  runDir?: string;
  /** resolves with the summary (also sent as a "done" message) */
  done: Promise<RunSummary>;
  /**
   * One Step command (src/core/train/stepping.ts): resolves with its report once the step is done and
   * the weights after it have gone out as a `weights` message (the graph shows what changed).
   */
  step(unit: StepUnit): Promise<StepReport>;
}

/** Sets everything up (errors here reject: bad data, backend that cannot load, memory) and starts. */
export async function startSession(o: SessionOptions): Promise<Session> {
  const spec = o.epochs !== undefined ? { ...o.spec, training: { ...o.spec.training, epochs: o.epochs } } : o.spec;
  const data = o.data ?? (await loadData(spec, o.specPath, o.maxDataBytes !== undefined ? { maxDataBytes: o.maxDataBytes } : {}));
  const { backend, report } = await selectBackend(o.backend, { modulePaths: o.modulePaths ?? [], wasmDir: o.wasmDir, ...sizeOptions(stepSize(spec, data.xShape[0])), skip: o.skipBackends });
  o.onMessage({ type: 'backend', report });
  const runsDir = o.runsDir ?? runsDirFor(o.specPath);
  const initial = o.fromRun ? readRunWeights(resolveRunDir(o.fromRun, runsDir), spec) : initialWeights(spec);
  let writer: RunWriter | undefined;
  const trainer = new Trainer({
    backend,
    spec,
    data,
    initial,
    maxEventsPerSec: o.maxEventsPerSec,
    memoryLimitMB: o.memoryLimitMB,
    onEvent: (m) => o.onMessage(m.type === 'started' && writer ? { ...m, runDir: writer.dir } : m),
    onRow: (r) => writer?.row(r),
  });
  const startedAt = new Date();
  if (o.writeRun !== false) {
    try {
      writer = new RunWriter(o.specPath, spec, { backend: report, startedAt: startedAt.toISOString() }, { runsDir, now: startedAt, preprocessing: data.preprocessing });
    } catch (e) {
      trainer.dispose();
      throw e;
    }
  }
  if (o.startPaused) trainer.pause();
  const done = (async (): Promise<RunSummary> => {
    let summary: RunSummary;
    try {
      const r = await trainer.run();
      const fields = {
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        elapsedMs: r.elapsedMs,
        epochs: r.epochs,
        steps: r.steps,
        finalLoss: r.finalLoss,
        bestLoss: r.bestLoss,
        ...(r.finalValLoss !== undefined ? { finalValLoss: r.finalValLoss } : {}),
        ...(r.accuracy !== undefined ? { accuracy: r.accuracy } : {}),
        ...(r.valAccuracy !== undefined ? { valAccuracy: r.valAccuracy } : {}),
        stopReason: r.stopReason,
        ...(r.lossTarget !== undefined ? { lossTarget: r.lossTarget } : {}),
        ...(r.message ? { message: r.message } : {}),
      };
      // a NaN run keeps its metrics and summary but saves no model (its weights are not numbers)
      const finalWeights = r.stopReason === 'nan' ? undefined : await trainer.weightsAsync();
      summary = writer ? writer.finish(fields, spec, finalWeights) : { ...fields, backend: report };
      // the trained weights go out once, unasked, before `done`, so views can show a finished run
      if (finalWeights) o.onMessage({ type: 'weights', layers: finalWeights, step: r.steps });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const now = new Date().toISOString();
      const fields = { startedAt: startedAt.toISOString(), finishedAt: now, elapsedMs: Date.now() - startedAt.getTime(), epochs: 0, steps: trainer.currentStep(), finalLoss: NaN, bestLoss: NaN, stopReason: 'error' as const, message };
      summary = { ...fields, backend: report, ...(writer ? { runDir: writer.dir } : {}) };
      try {
        if (writer && !writer.isFinished()) summary = writer.finish(fields, spec, undefined);
      } catch {
        // the folder itself is the problem (removed, disk full): its summary still says "interrupted"
      }
      o.onMessage({ type: 'error', message, step: trainer.currentStep() });
    } finally {
      trainer.dispose();
    }
    o.onMessage({ type: 'done', summary });
    return summary;
  })();
  const step = async (unit: StepUnit): Promise<StepReport> => {
    const report = await trainer.requestStep(unit);
    o.onMessage({ type: 'weights', layers: await trainer.weightsAsync(), step: report.step });
    return report;
  };
  return { trainer, runDir: writer?.dir, done, step };
}

/** Default spec path when only the folder is known. */
export function specPathFor(specDir: string, spec: NetworkSpec): string {
  return join(specDir, `${spec.name}.nn.json`);
}

