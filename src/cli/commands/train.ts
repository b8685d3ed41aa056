// `nnlab train <spec> [--backend B] [--epochs N] [--json] [--from RUN] [--verbose] [--seeds N]`: the backend line
// (the skipped backends in one line; each with its reason with --verbose), the layer table, a progress bar (cli-progress) with loss and
// throughput, then a summary with the run folder. Ctrl-C stops cleanly and keeps a valid run marked
// "interrupted" (a second Ctrl-C quits at once). --json prints one JSON object per event instead.
// Exit: 0 finished (completed, loss target, stopped), 1 spec/data/backend error or NaN, 2 usage,
// 130 interrupted. --seeds N trains N runs with the training seeds seed … seed+N−1 one after the other
// (grouped by a seedGroup in their run.json), then prints the spread of their final loss and accuracy.
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { EpochProgress, RunSummary, WorkerToHost } from '../../protocol/training';
import { formatBackendReport, isBackendChoice } from '../../core/train/select';
import type { BackendChoice } from '../../core/train/backend';
import type { Analysis } from '../../core/spec';
import { runStamp, seedsFrom, withTrainingSeed, writeRunMeta } from '../../core/train/runs';
import { groupSpread } from '../../core/view/compare';
import type { NetworkSpec } from '../../core/spec/types';
import { startSession, type Session } from '../../core/train/session';
import { inspectText } from './inspect';
import { analyzeOrReport, formatProblem, MEMORY_LIMIT_OPTION, memoryLimitFrom, processIo, type Io } from './validate';
import { jsonText } from '../format';
import { intOption, stringOption, UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';
import { formatDuration, loss as formatLoss, percent } from '../../core/explain/format';
import { epochText, lossText, nextProgress, stopReasonText, startProgress, type Progress } from '../../core/explain/progress';

export const command: CommandSpec = {
  name: 'train',
  args: '<spec>',
  summary: 'Train a spec: backend line, layer table, progress bar, summary and the run folder. Ctrl-C stops and keeps the run. Exit 0 finished, 1 error or NaN, 130 interrupted.',
  options: {
    backend: { type: 'string', value: 'B', help: 'auto (default), tfjs-node-gpu, webgpu, tfjs-node, wasm or cpu' },
    epochs: { type: 'string', value: 'N', help: 'override training.epochs (a whole number ≥ 1)' },
    json: { type: 'boolean', help: 'one JSON object per event instead of the progress bar' },
    from: { type: 'string', value: 'RUN', help: "start from a run's final weights (a run folder, a name in .nnlab/runs, or latest)" },
    'memory-limit-mb': MEMORY_LIMIT_OPTION,
    'module-path': { type: 'string', value: 'DIR', help: 'folder with node_modules/@tensorflow/tfjs-node(-gpu) installed outside NN Lab' },
    verbose: { type: 'boolean', help: 'every skipped backend with its reason (default: one line)' },
    seeds: { type: 'string', value: 'N', help: "train N runs, with training seeds seed, seed+1, …, seed+N−1 on the same data; then the spread (mean ± std) of their final loss and accuracy" },
  },
  positionals: { min: 1, max: 1 },
};



const num = (v: number | undefined): string => (v === undefined ? '—' : formatLoss(v));
const pct = (v: number | undefined): string => (v === undefined ? '' : percent(v));

/** `totalEpochs`: the epochs the run was started for (`epoch 7/40` = 7 completed of 40). */
export function summaryLines(s: RunSummary, totalEpochs: number): string[] {
  const out = [
    `stopped: ${stopReasonText(s)}${s.message ? ` — ${s.message}` : ''}`,
    `${epochText(s.epochs, totalEpochs)}, steps ${s.steps}, ${formatDuration(s.elapsedMs)} on ${s.backend.active}`,
    `${lossText({ loss: s.finalLoss })}, best ${num(s.bestLoss)}${s.finalValLoss !== undefined ? `, validation ${num(s.finalValLoss)}` : ''}`,
  ];
  if (s.accuracy !== undefined || s.valAccuracy !== undefined) out.push(`accuracy ${pct(s.accuracy) || '—'}${s.valAccuracy !== undefined ? `, validation ${pct(s.valAccuracy)}` : ''}`);
  if (s.runDir) out.push(`run: ${s.runDir}`);
  return out;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (values, positional) => train(values, positional[0]!, io));
}

async function train(values: OptionValues, file: string, io: Io): Promise<number> {
  const backend = stringOption(values, 'backend') ?? 'auto';
  if (!isBackendChoice(backend)) throw new UsageError(`unknown backend "${backend}" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)`);
  const epochs = values.epochs === undefined ? undefined : intOption(values, 'epochs', 0, 1);
  const limit = memoryLimitFrom(values);
  const json = values.json === true;
  const verbose = values.verbose === true;
  const specPath = resolve(file);
  const a = await analyzeOrReport(file, limit, io);
  if (!a) return 1;
  const errors = a.problems.filter((p) => p.severity === 'error');
  for (const p of a.problems) if (p.severity !== 'info') io.err(formatProblem(file, p) + '\n');
  if (errors.length || !a.spec) {
    io.err(`nnlab train: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (nothing was trained)\n`);
    return 1;
  }
  const spec = a.spec;
  const modulePath = stringOption(values, 'module-path');
  const modulePaths = [...(modulePath !== undefined ? [resolve(modulePath)] : []), process.cwd(), dirname(specPath)];

  const seedsN = values.seeds === undefined ? undefined : intOption(values, 'seeds', 1, 1, 100);
  if (seedsN === undefined) {
    const summary = await trainOne(spec, { file, specPath, backend, epochs, limit, json, verbose, modulePaths, fromRun: stringOption(values, 'from'), header: true, a }, io);
    return exitCode(summary);
  }
  // several seeds of the same spec, one after the other, grouped in their run.json files
  const seeds = seedsFrom(spec.training.seed, seedsN);
  const group = `seeds-${runStamp(new Date())}`;
  const summaries: RunSummary[] = [];
  for (const [i, seed] of seeds.entries()) {
    if (!json) io.out(`${i === 0 ? '' : '\n'}seed ${seed} (${i + 1} of ${seeds.length})\n`);
    const summary = await trainOne(withTrainingSeed(spec, seed), { file, specPath, backend, epochs, limit, json, verbose, modulePaths, fromRun: stringOption(values, 'from'), header: i === 0, a }, io);
    if (summary?.runDir) writeRunMeta(summary.runDir, { seedGroup: group });
    if (!summary || summary.stopReason === 'interrupted') return summary ? 130 : 1;
    summaries.push(summary);
  }
  const spread = groupSpread(summaries);
  if (json) io.out(jsonText({ type: 'seeds', seedGroup: group, seeds, runDirs: summaries.map((s) => s.runDir), loss: spread.loss, accuracy: spread.accuracy }) + '\n');
  else io.out(`\n${seeds.length} seeds (${seeds.join(', ')}): loss ${spread.loss}${spread.accuracy !== '–' ? `, accuracy ${spread.accuracy}` : ''}\n`);
  return summaries.some((s) => exitCode(s) === 1) ? 1 : 0;
}

const exitCode = (summary: RunSummary | undefined): number => (!summary ? 1 : summary.stopReason === 'interrupted' ? 130 : summary.stopReason === 'nan' || summary.stopReason === 'error' ? 1 : 0);

interface TrainOptions {
  file: string;
  specPath: string;
  backend: BackendChoice;
  epochs: number | undefined;
  limit: number | undefined;
  json: boolean;
  verbose: boolean;
  modulePaths: string[];
  fromRun: string | undefined;
  /** print the backend line and the layer table (the first of several seeds only) */
  header: boolean;
  a: Analysis;
}

/** One run with its progress bar (or JSON events); its summary, or undefined when it could not start. */
async function trainOne(spec: NetworkSpec, o: TrainOptions, io: Io): Promise<RunSummary | undefined> {
  const { file, specPath, backend, epochs, limit, json, verbose, modulePaths, a } = o;
  let bar: cliProgress.SingleBar | undefined;
  let lastEpoch: EpochProgress | undefined;
  let progress: Progress = startProgress(epochs ?? spec.training.epochs);
  let steps = 1;
  const show = (m: WorkerToHost): void => {
    progress = nextProgress(progress, m);
    if (json) {
      // progress events only: the final weights (sent for views) are in the run folder's model
      if (m.type !== 'weights') io.out(jsonText(m) + '\n');
      return;
    }
    switch (m.type) {
      case 'backend':
        if (o.header) io.out(formatBackendReport(m.report, verbose).join('\n') + '\n\n' + inspectText(file, a).join('\n') + '\n\n');
        break;
      case 'started':
        steps = m.stepsPerEpoch;
        bar = new cliProgress.SingleBar(
          {
            format: '{epochs} |{bar}| {loss}{acc} | {sps} samples/s | {elapsed} eta {eta_t}',
            barsize: 24,
            hideCursor: true,
            noTTYOutput: true,
            notTTYSchedule: 2000,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(m.epochs, 0, { epochs: epochText(0, m.epochs), loss: 'loss —', acc: '', sps: '—', elapsed: formatDuration(0), eta_t: '—' });
        break;
      case 'batch':
        bar?.update(Math.max(0, m.epoch - 1) + m.batch / steps, { epochs: epochText(progress.epochsDone, progress.epochs), loss: lossText(progress) });
        break;
      case 'epoch':
        lastEpoch = m;
        bar?.update(m.epoch, {
          epochs: epochText(progress.epochsDone, progress.epochs),
          loss: lossText(progress) + (m.valLoss !== undefined ? ` (val ${num(m.valLoss)})` : ''),
          acc: m.accuracy !== undefined ? ` | acc ${pct(m.accuracy)}${m.valAccuracy !== undefined ? ` (val ${pct(m.valAccuracy)})` : ''}` : '',
          sps: Math.round(m.samplesPerSec).toLocaleString('en-US'),
          elapsed: formatDuration(m.elapsedMs),
          eta_t: formatDuration(m.etaMs),
        });
        break;
      case 'error':
        bar?.stop();
        io.err(`nnlab train: ${m.message}${m.step ? ` (step ${m.step})` : ''}\n`);
        break;
      case 'done':
        if (lastEpoch) bar?.update(lastEpoch.epoch);
        bar?.stop();
        io.out('\n' + summaryLines(m.summary, progress.epochs).join('\n') + '\n');
        break;
      default:
        break;
    }
  };

  let session: Session | undefined;
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1 || !session) process.exit(130);
    bar?.stop();
    io.err('\nnnlab train: interrupted — finishing the current step and saving the run (Ctrl-C again to quit at once)\n');
    session.trainer.stop('interrupted');
  };
  process.on('SIGINT', onSigint);
  try {
    session = await startSession({
      spec,
      specPath,
      backend,
      modulePaths,
      epochs,
      fromRun: o.fromRun,
      memoryLimitMB: limit !== undefined ? limit / 2 ** 20 : undefined,
      maxEventsPerSec: json ? 30 : 10,
      onMessage: show,
    });
    return await session.done;
  } catch (e) {
    bar?.stop();
    const message = e instanceof Error ? e.message : String(e);
    if (json) io.out(jsonText({ type: 'error', message }) + '\n');
    else io.err(`nnlab train: ${message}\n`);
    return undefined;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
