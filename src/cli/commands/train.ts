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
import { analyzeOrReport, formatProblem, memoryLimitFrom, processIo, type Io } from './validate';
import { parseArgs } from '../format';
import { formatDuration, loss as formatLoss } from '../../core/explain/format';
import { epochText, lossText, nextProgress, startProgress, type Progress } from '../../core/explain/progress';

const USAGE = 'Usage: nnlab train <spec> [--backend auto|tfjs-node-gpu|webgpu|tfjs-node|wasm|cpu] [--epochs N] [--json] [--from RUN] [--memory-limit-mb N] [--module-path DIR] [--verbose]\n';



const num = (v: number | undefined): string => (v === undefined ? '—' : formatLoss(v));
const pct = (v: number | undefined): string => (v === undefined ? '' : `${(100 * v).toFixed(1)} %`);

/** `totalEpochs`: the epochs the run was started for (`epoch 7/40` = 7 completed of 40). */
export function summaryLines(s: RunSummary, totalEpochs: number): string[] {
  const out = [
    `stopped: ${s.stopReason}${s.message ? ` — ${s.message}` : ''}`,
    `${epochText(s.epochs, totalEpochs)}, steps ${s.steps}, ${formatDuration(s.elapsedMs)} on ${s.backend.active}`,
    `${lossText({ loss: s.finalLoss })}, best ${num(s.bestLoss)}${s.finalValLoss !== undefined ? `, validation ${num(s.finalValLoss)}` : ''}`,
  ];
  if (s.accuracy !== undefined || s.valAccuracy !== undefined) out.push(`accuracy ${pct(s.accuracy) || '—'}${s.valAccuracy !== undefined ? `, validation ${pct(s.valAccuracy)}` : ''}`);
  if (s.runDir) out.push(`run: ${s.runDir}`);
  return out;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  const { positional, flags } = parseArgs(args, ['backend', 'epochs', 'from', 'memory-limit-mb', 'module-path']);
  if (positional.length !== 1 || flags.has('help')) {
    io.err(USAGE);
    return 2;
  }
  const backend = typeof flags.get('backend') === 'string' ? (flags.get('backend') as string) : 'auto';
  if (!isBackendChoice(backend)) {
    io.err(`nnlab train: unknown backend "${backend}" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)\n`);
    return 2;
  }
  let epochs: number | undefined;
  if (flags.has('epochs')) {
    epochs = Number(flags.get('epochs'));
    if (!Number.isInteger(epochs) || epochs < 1) {
      io.err('nnlab train: --epochs needs a whole number ≥ 1\n');
      return 2;
    }
  }
  const limit = memoryLimitFrom(flags, io);
  if (limit === null) return 2;
  const json = flags.has('json');
  const verbose = flags.has('verbose');
  const file = positional[0]!;
  const specPath = resolve(file);
  const a = analyzeOrReport(file, limit, io);
  if (!a) return 1;
  const errors = a.problems.filter((p) => p.severity === 'error');
  for (const p of a.problems) if (p.severity !== 'info') io.err(formatProblem(file, p) + '\n');
  if (errors.length || !a.spec) {
    io.err(`nnlab train: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (nothing was trained)\n`);
    return 1;
  }
  const spec = a.spec;
  const modulePath = flags.get('module-path');
  const modulePaths = [...(typeof modulePath === 'string' ? [resolve(modulePath)] : []), process.cwd(), dirname(specPath)];

  let bar: cliProgress.SingleBar | undefined;
  let lastEpoch: EpochProgress | undefined;
  let progress: Progress = startProgress(epochs ?? spec.training.epochs);
  let steps = 1;
  const show = (m: WorkerToHost): void => {
    progress = nextProgress(progress, m);
    if (json) {
      // progress events only: the final weights (sent for views) are in the run folder's model
      if (m.type !== 'weights') io.out(JSON.stringify(m) + '\n');
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
      fromRun: typeof flags.get('from') === 'string' ? (flags.get('from') as string) : undefined,
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
    if (json) io.out(JSON.stringify({ type: 'error', message }) + '\n');
    else io.err(`nnlab train: ${message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
