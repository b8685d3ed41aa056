// `nnlab train <spec> [--backend B] [--epochs N] [--json] [--from RUN] [--verbose]`: the backend line
// (the skipped backends in one line; each with its reason with --verbose), the layer table, a progress bar (cli-progress) with loss and
// throughput, then a summary with the run folder. Ctrl-C stops cleanly and keeps a valid run marked
// "interrupted" (a second Ctrl-C quits at once). --json prints one JSON object per event instead.
// Exit: 0 finished (completed, loss target, stopped), 1 spec/data/backend error or NaN, 2 usage,
// 130 interrupted.
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { EpochProgress, RunSummary, WorkerToHost } from '../../protocol/training';
import { formatBackendReport, isBackendChoice } from '../../core/train/select';
import { startSession, type Session } from '../../core/train/session';
import { inspectText } from './inspect';
import { analyzeOrReport, formatProblem, MEMORY_LIMIT_OPTION, memoryLimitFrom, processIo, type Io } from './validate';
import { jsonText } from '../format';
import { intOption, stringOption, UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';
import { formatDuration, loss as formatLoss } from '../../core/explain/format';
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
  },
  positionals: { min: 1, max: 1 },
};



const num = (v: number | undefined): string => (v === undefined ? '—' : formatLoss(v));
const pct = (v: number | undefined): string => (v === undefined ? '' : `${(100 * v).toFixed(1)} %`);

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
        io.out(formatBackendReport(m.report, verbose).join('\n') + '\n\n' + inspectText(file, a).join('\n') + '\n\n');
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
      fromRun: stringOption(values, 'from'),
      memoryLimitMB: limit !== undefined ? limit / 2 ** 20 : undefined,
      maxEventsPerSec: json ? 30 : 10,
      onMessage: show,
    });
    const summary = await session.done;
    if (summary.stopReason === 'interrupted') return 130;
    return summary.stopReason === 'nan' || summary.stopReason === 'error' ? 1 : 0;
  } catch (e) {
    bar?.stop();
    const message = e instanceof Error ? e.message : String(e);
    if (json) io.out(jsonText({ type: 'error', message }) + '\n');
    else io.err(`nnlab train: ${message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
