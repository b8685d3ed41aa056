// NN Lab: Train Several Seeds (issue 16 item 7): the spec trained N times, with the training seeds
// seed, seed+1, …, seed+N−1 on the same data (as `nnlab train --seeds N`), one run after the other
// through the training host. Each run folder gets the group in its run.json, so the loss panel draws
// the mean ± std band and the runs table the spread. The user's spec is never modified: each seed is
// trained from the spec's text with its seed replaced (StartOptions.text).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { parseSpec } from '../core/spec';
import { specText } from '../core/spec/serialize';
import { runStamp, seedsFrom, withTrainingSeed, writeRunMeta } from '../core/train/runs';
import { groupSpread } from '../core/view/compare';
import type { RunSummary } from '../protocol/training';
import { isActive, type Services } from '../training/api';

/** The number of seeds the input box offers first. */
export const DEFAULT_SEEDS = 5;
export const MAX_SEEDS = 100;

/** The input box's check: an error sentence, or undefined for a whole number in 1 … MAX_SEEDS. */
export function seedCountProblem(v: string): string | undefined {
  const n = v.trim() === '' ? NaN : Number(v);
  return Number.isInteger(n) && n >= 1 && n <= MAX_SEEDS ? undefined : `a whole number from 1 to ${MAX_SEEDS}`;
}

export async function trainSeeds(services: Services, uri: vscode.Uri, count?: number): Promise<RunSummary[]> {
  const { training, log } = services;
  const name = basename(uri.path);
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('NN Lab does not train in an untrusted workspace (training runs code and reads data files).');
    return [];
  }
  if (isActive(training.state(uri))) {
    void vscode.window.showInformationMessage(`${name} is already training (one run per spec at a time).`);
    return [];
  }
  let n = count;
  if (n === undefined) {
    const answer = await vscode.window.showInputBox({
      title: `NN Lab: train ${name} with several seeds`,
      prompt: 'How many seeds? Each run uses the next training seed (seed, seed+1, …) on the same data; the loss panel shows their mean ± std.',
      value: String(DEFAULT_SEEDS),
      validateInput: seedCountProblem,
    });
    if (answer === undefined) return [];
    n = Number(answer);
  }
  if (seedCountProblem(String(n))) return [];
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = doc ? doc.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const spec = parseSpec(text).spec;
  if (!spec) {
    void vscode.window.showErrorMessage(`NN Lab: ${name} is not a valid spec; fix its problems before training.`);
    return [];
  }
  const seeds = seedsFrom(spec.training.seed, n);
  const group = `seeds-${runStamp(new Date())}`;
  log.info(`▶ Train ${vscode.workspace.asRelativePath(uri)} with ${n} seeds (${seeds.join(', ')})`);
  const summaries: RunSummary[] = [];
  const group1 = (dir: string): void => {
    try {
      writeRunMeta(dir, { seedGroup: group });
    } catch (e) {
      log.warn(`could not write run.json in ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `NN Lab: training ${name}`, cancellable: true }, async (progress, token) => {
    let cancelled = false;
    const sub = token.onCancellationRequested(() => {
      cancelled = true;
      training.stop(uri);
    });
    try {
      for (const [i, seed] of seeds.entries()) {
        if (cancelled) break;
        progress.report({ message: `seed ${seed} (${i + 1} of ${n})`, increment: i === 0 ? 0 : 100 / n });
        let summary: RunSummary;
        try {
          const handle = await training.start(uri, { text: specText(withTrainingSeed(spec, seed)) });
          // grouped as soon as the folder exists, so the loss panel reading it at the run's end sees the group
          if (handle.runDir) group1(handle.runDir);
          summary = await handle.done;
        } catch (e) {
          void vscode.window.showErrorMessage(`NN Lab: training ${name} with seed ${seed} failed: ${e instanceof Error ? e.message : String(e)}`);
          break;
        }
        if (summary.runDir) group1(summary.runDir);
        summaries.push(summary);
        if (summary.stopReason === 'stopped' || summary.stopReason === 'interrupted') break;
      }
    } finally {
      sub.dispose();
    }
  });
  if (summaries.length) {
    const spread = groupSpread(summaries);
    const line = `${name}: ${summaries.length} seed${summaries.length === 1 ? '' : 's'} trained; loss ${spread.loss}${spread.accuracy !== '–' ? `, accuracy ${spread.accuracy}` : ''}`;
    log.info(line);
    void vscode.window.showInformationMessage(`NN Lab: ${line}`);
  }
  return summaries;
}
