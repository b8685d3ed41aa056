// The ONE answer to "which spec does this command act on?" for every NN Lab command (issue 13 item 9):
// its argument (a Uri, a path or a URI string ending in .nn.json, any case), else the active editor's
// spec, else the spec of the focused NN Lab panel (a panel has the focus: no active text editor), else
// a visible editor's spec. The run-control commands prefer a spec that is training.
import * as vscode from 'vscode';
import { isSpecUri } from '../language/analysis';

/** The spec an argument names: a Uri (the explorer's), a .nn.json file path or URI string (any case), else undefined. */
export function specArg(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg !== 'string' || !arg.toLowerCase().endsWith('.nn.json')) return undefined;
  try {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(arg) ? vscode.Uri.parse(arg, true) : vscode.Uri.file(arg);
  } catch {
    return undefined;
  }
}

/**
 * Resolves the spec of every command (`services.specs`). The panel hosts add where their focused panel's
 * spec comes from; ▶ Train notes the runs this window started (Stop / Pause / Step find them).
 */
export class SpecResolver {
  private readonly panelSources: (() => vscode.Uri | undefined)[] = [];
  private readonly started = new Map<string, vscode.Uri>();

  /** `isTraining(uri)`: whether a spec is training now (starting, running or paused) */
  constructor(private readonly isTraining: (uri: vscode.Uri) => boolean) {}

  /** A panel host: the spec of its panel that has the focus, if any. */
  addFocusedPanelSource(source: () => vscode.Uri | undefined): void {
    this.panelSources.push(source);
  }
  /** ▶ Train started a run of `uri` in this window (`ended`: it is over). */
  noteRun(uri: vscode.Uri, ended = false): void {
    if (ended) this.started.delete(uri.toString());
    else this.started.set(uri.toString(), uri);
  }

  /** The spec of the NN Lab panel that has the focus. */
  focusedPanelSpec(): vscode.Uri | undefined {
    for (const f of this.panelSources) {
      const u = f();
      if (u) return u;
    }
    return undefined;
  }

  /**
   * The spec a command acts on. `preferRunning` (Stop, Pause/Resume, Step): the active editor's spec
   * only if it is training, else the only spec this window is training, before the other places.
   */
  resolve(arg?: unknown, preferRunning = false): vscode.Uri | undefined {
    const named = specArg(arg);
    if (named) return named;
    const active = vscode.window.activeTextEditor?.document.uri;
    const editorSpec = active && isSpecUri(active) ? active : undefined;
    if (preferRunning) {
      if (editorSpec && this.isTraining(editorSpec)) return editorSpec;
      const running = [...this.started.values()].filter((u) => this.isTraining(u));
      if (running.length === 1) return running[0];
    }
    return editorSpec ?? this.focusedPanelSpec() ?? vscode.window.visibleTextEditors.find((e) => isSpecUri(e.document.uri))?.document.uri;
  }
}

/** The workspace's only spec, or the one the user picks (panels opened from the palette with no spec in view). */
export async function pickSpec(): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles('**/*.nn.json', '**/node_modules/**', 50);
  if (found.length === 1) return found[0];
  if (found.length === 0) {
    void vscode.window.showWarningMessage('NN Lab: open a .nn.json spec first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { placeHolder: 'Which network?' },
  );
  return pick?.uri;
}
