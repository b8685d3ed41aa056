// Dimension code lenses above every layer, and the spec's summary + actions (▶ Train, Graph,
// Activations, Walk through backprop; live while a run goes, "Last run" after it).
// No lenses while the file does not parse: they disappear rather than lie.
import * as vscode from 'vscode';
import { lastRunLens, layerLens, liveRunLens, specLens, type LensDetail } from '../core/explain';
import type { Services } from '../training/api';
import { analyze, isSpecUri, toRange } from './analysis';
import { config } from '../config';

/** the least time between two lens refreshes during a run (see refreshSoon) */
const REFRESH_MS = 500;

export function lensDetail(): LensDetail {
  return config.codeLensDetail();
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
    if (!a.parses || !a.spec || !a.shapes || !a.memory) return [];
    const { spec, shapes, memory } = a;
    const lenses: vscode.CodeLens[] = [];
    const uri = doc.uri;

    // Spec summary and actions, above the opening brace.
    const root = a.rangeOf([]);
    const topPos = root ? toRange(root).start : new vscode.Position(0, 0);
    const top = new vscode.Range(topPos, topPos);
    lenses.push(new vscode.CodeLens(top, { title: specLens(spec.input.shape, shapes, memory, detail), command: 'nnlab.inspect', arguments: [uri], tooltip: 'Inspect Network: the layer table' }));
    const run = this.services.training.state(uri);
    const active = run && (run.phase === 'starting' || run.phase === 'running' || run.phase === 'paused');
    if (run && active) {
      lenses.push(new vscode.CodeLens(top, { title: liveRunLens(run), command: 'nnlab.showLoss', arguments: [uri], tooltip: 'Show Loss Curves' }));
      if (run.phase === 'paused') {
        lenses.push(new vscode.CodeLens(top, { title: '▶ Resume', command: 'nnlab.pauseResume', arguments: [uri] }));
        lenses.push(new vscode.CodeLens(top, { title: '⏭ Step', command: 'nnlab.step', arguments: [uri], tooltip: 'One batch: forward path, backward path, update weights' }));
      } else if (run.phase === 'running') {
        lenses.push(new vscode.CodeLens(top, { title: '⏸ Pause', command: 'nnlab.pauseResume', arguments: [uri] }));
      }
      lenses.push(new vscode.CodeLens(top, { title: '⏹ Stop', command: 'nnlab.stop', arguments: [uri] }));
    } else {
      lenses.push(new vscode.CodeLens(top, { title: '▶ Train', command: 'nnlab.train', arguments: [uri], tooltip: 'Train this network (NN Lab: Train)' }));
    }
    lenses.push(new vscode.CodeLens(top, { title: 'Graph', command: 'nnlab.showGraph', arguments: [uri] }));
    lenses.push(new vscode.CodeLens(top, { title: 'Activations', command: 'nnlab.showActivations', arguments: [uri] }));
    lenses.push(new vscode.CodeLens(top, { title: 'Walk through backprop', command: 'nnlab.walkthrough', arguments: [uri] }));
    if (run && !active) {
      const last = lastRunLens(run);
      if (last) {
        lenses.push(new vscode.CodeLens(top, { title: last, command: 'nnlab.showLoss', arguments: [uri], tooltip: 'Show Loss Curves' }));
        const runDir = run.runDir ?? run.summary?.runDir;
        if (runDir) lenses.push(new vscode.CodeLens(top, { title: 'Open run', command: 'nnlab.openRun', arguments: [runDir] }));
      }
    }

    // One lens above each layer.
    spec.layers.forEach((layer, i) => {
      const s = shapes.layers[i];
      const r = a.rangeOf(['layers', i]);
      if (!s || !r) return;
      const at = toRange(r).start;
      lenses.push(new vscode.CodeLens(new vscode.Range(at, at), { title: layerLens(layer, s, detail), command: '' }));
    });
    return lenses;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
  }
}
