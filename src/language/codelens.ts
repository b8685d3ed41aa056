// Dimension code lenses above every layer, and the spec's summary + actions (▶ Train, Graph,
// Activations, Walk through backprop; live while a run goes, "Last run" after it).
// They agree with the diagnostics (src/core/explain/lensModel.ts): dimensions up to the first error,
// the failing layer marked with its error, one lens per layer even then (stable lines while typing),
// and no ▶ Train while the spec has errors.
import * as vscode from 'vscode';
import { errorsLens, lastRunLens, layerLenses, liveRunLens, specLens, type LensDetail, type RunView } from '../core/explain';
import { latestRun } from '../core/train/runs';
import type { Services } from '../training/api';
import { analyze, isSpecUri, toRange } from './analysis';
import { config } from '../config';

/** the least time between two lens refreshes during a run (see refreshSoon) */
const REFRESH_MS = 500;

export function lensDetail(): LensDetail {
  return config.codeLensDetail();
}

/**
 * The Step lenses (issue 16 item 3): sample, batch and epoch while paused; before a run, one that starts
 * the run paused and steps its first sample (src/core/train/stepping.ts).
 */
function stepLenses(at: vscode.Range, uri: vscode.Uri, paused: boolean): vscode.CodeLens[] {
  const lens = (title: string, command: string, tooltip: string): vscode.CodeLens => new vscode.CodeLens(at, { title, command, arguments: [uri], tooltip });
  if (!paused) return [lens('$(debug-step-into) Step', 'nnlab.stepSample', 'Start paused and step one sample: its forward pass, loss and gradient (no update yet)')];
  return [
    lens('$(debug-step-into) Sample', 'nnlab.stepSample', 'One sample: forward pass, loss, gradient added to the batch\'s (the update comes after the batch\'s last sample)'),
    lens('$(debug-step-over) Batch', 'nnlab.stepBatch', 'One batch: forward path, backward path, update weights (W ← W − α·∂L/∂W)'),
    lens('$(debug-step-out) Epoch', 'nnlab.stepEpoch', 'The rest of the epoch in progress'),
  ];
}

export class SpecCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly services: Services) {
    this.subs.push(
      this.changed,
      services.config.onDidChange(() => this.refresh()),
      // the live Train lens follows the run (debounced: state events arrive up to 30/s)
      services.training.onDidChangeState((s) => {
        if (isSpecUri(s.specUri)) this.refreshSoon();
      }),
    );
  }

  refresh(): void {
    this.changed.fire();
  }

  private lastFire = 0;

  /**
   * At most 2 refreshes a second, the first at once. VS Code re-asks for lenses 250 ms (or more) after
   * the LAST change event, restarting that wait on every event: firing more often than that would
   * postpone the live lens until the run is over.
   */
  private refreshSoon(): void {
    if (this.timer) return;
    const wait = this.lastFire + REFRESH_MS - Date.now();
    if (wait <= 0) {
      this.lastFire = Date.now();
      this.changed.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastFire = Date.now();
      this.changed.fire();
    }, wait);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const detail = lensDetail();
    if (detail === 'off') return [];
    const a = analyze(doc);
    const root = a.rangeOf([]);
    if (!root) return [];
    const lenses: vscode.CodeLens[] = [];
    const uri = doc.uri;
    const errors = errorsLens(a.problems);

    // Three rows, so that none runs off a narrow column (issue 13, screenshot standard: 480 px): the
    // actions above the opening brace, the spec's summary above "layers", the last run above "training"
    // (each falls back to the top row when its key is missing).
    const topPos = toRange(root).start;
    const top = new vscode.Range(topPos, topPos);
    const rowAbove = (key: string): vscode.Range => {
      const r = a.rangeOf([key]);
      const at = r ? toRange(r).start : undefined;
      return at && at.line > topPos.line ? new vscode.Range(at, at) : top;
    };
    const summaryAt = rowAbove('layers');
    const runAt = rowAbove('training');
    if (errors) {
      lenses.push(new vscode.CodeLens(top, { title: errors, command: 'workbench.actions.view.problems', tooltip: 'Show the Problems view; fix the errors to train' }));
    } else if (a.spec && a.shapes && a.memory) {
      lenses.push(new vscode.CodeLens(summaryAt, { title: specLens(a.spec.input.shape, a.shapes, a.memory, detail), command: 'nnlab.inspect', arguments: [uri], tooltip: 'Inspect Network: the layer table' }));
    }
    // the Step lenses go first on the summary's row: the actions' row must fit a narrow (480 px) column
    const steps: vscode.CodeLens[] = [];
    const run = this.services.training.state(uri);
    const active = run && (run.phase === 'starting' || run.phase === 'running' || run.phase === 'paused');
    if (run && active) {
      lenses.push(new vscode.CodeLens(top, { title: liveRunLens(run), command: 'nnlab.showLoss', arguments: [uri], tooltip: 'Show Loss Curves' }));
      if (run.phase === 'paused') {
        lenses.push(new vscode.CodeLens(top, { title: '$(debug-continue) Resume', command: 'nnlab.pauseResume', arguments: [uri] }));
        steps.push(...stepLenses(summaryAt, uri, true));
      } else if (run.phase === 'running') {
        lenses.push(new vscode.CodeLens(top, { title: '$(debug-pause) Pause', command: 'nnlab.pauseResume', arguments: [uri] }));
      }
      lenses.push(new vscode.CodeLens(top, { title: '$(debug-stop) Stop', command: 'nnlab.stop', arguments: [uri] }));
    } else if (!errors) {
      lenses.push(new vscode.CodeLens(top, { title: '▶ Train', command: 'nnlab.train', arguments: [uri], tooltip: 'Train this network (NN Lab: Train)' }));
      steps.push(...stepLenses(summaryAt, uri, false));
    }
    const summaryIndex = lenses.findIndex((l) => l.command?.command === 'nnlab.inspect');
    lenses.splice(summaryIndex >= 0 ? summaryIndex : lenses.length, 0, ...steps);
    if (!errors) {
      lenses.push(new vscode.CodeLens(top, { title: 'Graph', command: 'nnlab.showGraph', arguments: [uri] }));
      lenses.push(new vscode.CodeLens(top, { title: 'Activations', command: 'nnlab.showActivations', arguments: [uri] }));
      lenses.push(new vscode.CodeLens(top, { title: 'Walk through backprop', command: 'nnlab.walkthrough', arguments: [uri] }));
    }
    // no run of this spec in this window (a reloaded window, a run from the CLI): the latest one on disk
    const saved = !run && uri.scheme === 'file' ? latestRun(uri.fsPath) : undefined;
    const ended: (RunView & { runDir?: string }) | undefined = run && !active ? run : saved && { phase: 'finished', epoch: saved.summary.epochs, epochs: saved.epochs ?? a.spec?.training.epochs ?? saved.summary.epochs, summary: saved.summary, runDir: saved.runDir };
    if (ended) {
      const last = lastRunLens(ended);
      if (last) {
        // the action first: in a narrow column the end of the long text is what VS Code cuts off
        const runDir = ended.runDir ?? ended.summary?.runDir;
        if (runDir) lenses.push(new vscode.CodeLens(runAt, { title: 'Open run', command: 'nnlab.openRun', arguments: [runDir] }));
        lenses.push(new vscode.CodeLens(runAt, { title: last, command: 'nnlab.showLoss', arguments: [uri], tooltip: 'Show Loss Curves' }));
      }
    }

    // One lens above each layer, errors or not.
    for (const l of layerLenses(a, detail)) {
      const r = a.rangeOf(['layers', l.index]);
      if (!r) continue;
      const at = toRange(r).start;
      lenses.push(new vscode.CodeLens(new vscode.Range(at, at), { title: l.title, command: '' }));
    }
    return lenses;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
