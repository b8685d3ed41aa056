// Live diagnostics for `.nn.json` files (debounced on edits, removed when the file's last editor tab
// closes or the file is deleted) and the quick fixes the validator marks as certain (Problem.fix).
//
// Why tabs and not only onDidCloseTextDocument: VS Code keeps a document that an extension opened with
// openTextDocument (NN Lab's panels do, so do tests and other extensions) alive for up to 3 minutes
// after its last editor closes, and a deleted file's editor stays open on the deleted text; both left
// the file's problems in the Problems view. A spec whose tabs are all closed, or whose file is deleted,
// is "hidden": no diagnostics until it is shown in a tab again, edited or saved.
import * as vscode from 'vscode';
import type { Problem } from '../core/spec/types';
import { analyze, forget, forgetAll, isSpecDocument, isSpecUri, onDidChangeData, toRange } from './analysis';
import { config } from '../config';

export const DIAGNOSTIC_SOURCE = 'nnlab';
const DEBOUNCE_MS = 300;

function severity(p: Problem): vscode.DiagnosticSeverity {
  return p.severity === 'error' ? vscode.DiagnosticSeverity.Error : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}

export function toDiagnostic(p: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(p.range), p.message, severity(p));
  d.source = DIAGNOSTIC_SOURCE;
  d.code = p.code;
  return d;
}

/** Every document uri an editor tab shows (text editors, both sides of a diff). */
export function tabUris(groups: readonly vscode.TabGroup[] = vscode.window.tabGroups.all): Set<string> {
  const out = new Set<string>();
  for (const g of groups) {
    for (const t of g.tabs) {
      const input = t.input;
      if (input instanceof vscode.TabInputText) out.add(input.uri.toString());
      else if (input instanceof vscode.TabInputTextDiff) {
        out.add(input.original.toString());
        out.add(input.modified.toString());
      }
    }
  }
  return out;
}

/** `uri` is `root` or inside the folder `root` (same scheme and authority). */
function isAtOrUnder(uri: vscode.Uri, root: vscode.Uri): boolean {
  if (uri.scheme !== root.scheme || uri.authority !== root.authority) return false;
  const base = root.path.endsWith('/') ? root.path : `${root.path}/`;
  return uri.path === root.path || uri.path.startsWith(base);
}

export class SpecDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('nnlab');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subs: vscode.Disposable[] = [];
  /** specs whose last tab closed (their document still open in the extension host) or whose file was deleted */
  private readonly hidden = new Set<string>();
  /** the uris the editor tabs showed at the last tab change */
  private shown = tabUris();

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.subs.push(
      this.collection,
      watcher,
      vscode.workspace.onDidOpenTextDocument((d) => this.show(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // an edit shows a hidden spec again (typing into a deleted file's editor); a dirty-state change does not
        if (e.contentChanges.length > 0 && this.hidden.delete(e.document.uri.toString())) forget(e.document.uri);
        this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      vscode.window.tabGroups.onDidChangeTabs(() => this.onTabsChanged()),
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.onTabsChanged()),
      // deleted by VS Code (explorer, workspace edits) and on disk (another program, workspace.fs); a folder
      // deleted with specs inside reports only the folder, hence '**/*' and "at or under"
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((u) => this.hideUnder(u))),
      watcher.onDidDelete((u) => this.hideUnder(u)),
      // a rename: the old name is gone (its document may stay open a while), the new one opens
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => this.hideUnder(f.oldUri))),
      config.onDidChange((e) => {
        if (e.affects('memoryLimitMB') || e.affects('data.maxFileMB') || e.affects('data.editorCheckMB')) this.updateAll();
      }),
      // a data file read asynchronously for the checks brought something new (analyses already forgotten)
      onDidChangeData(() => {
        for (const d of vscode.workspace.textDocuments) this.update(d);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.updateAll()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        // saving a deleted spec's editor writes the file again
        if (isSpecDocument(d) && this.hidden.delete(d.uri.toString())) {
          forget(d.uri);
          this.update(d);
        }
        // a saved CSV beside a spec can change the spec's data problems
        if (!isSpecDocument(d) && d.uri.path.toLowerCase().endsWith('.csv')) this.updateAll();
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isSpecDocument(doc)) return;
    const key = doc.uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!doc.isClosed) this.update(doc);
      }, DEBOUNCE_MS),
    );
  }

  /** Problems of a spec document, unless it is hidden (see the file comment). */
  update(doc: vscode.TextDocument): void {
    if (!isSpecDocument(doc) || this.hidden.has(doc.uri.toString())) return;
    const a = analyze(doc);
    this.collection.set(doc.uri, a.problems.map(toDiagnostic));
  }

  /** A document opened, or shown in a tab again: its problems come back. */
  private show(doc: vscode.TextDocument): void {
    if (!isSpecDocument(doc)) return;
    if (this.hidden.delete(doc.uri.toString())) forget(doc.uri);
    this.update(doc);
  }

  private onTabsChanged(): void {
    const now = tabUris();
    for (const key of this.shown) {
      if (now.has(key)) continue;
      // the last tab of this document closed (the document itself may stay open for minutes)
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      if (doc && isSpecDocument(doc)) this.hide(doc.uri);
    }
    for (const key of now) {
      if (this.shown.has(key)) continue;
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      // a hidden spec shown again; a newly opened document is handled by onDidOpenTextDocument
      if (doc && this.hidden.has(key)) this.show(doc);
    }
    this.shown = now;
  }

  /** Removes a spec's problems and keeps them away until it is shown again. */
  private hide(uri: vscode.Uri): void {
    this.clear(uri);
    this.hidden.add(uri.toString());
  }

  /** A deleted file or folder: every spec at or under it is hidden. */
  private hideUnder(root: vscode.Uri): void {
    const specs = new Map<string, vscode.Uri>();
    if (isSpecUri(root)) specs.set(root.toString(), root);
    this.collection.forEach((u) => {
      if (isAtOrUnder(u, root)) specs.set(u.toString(), u);
    });
    for (const d of vscode.workspace.textDocuments) if (isSpecDocument(d) && isAtOrUnder(d.uri, root)) specs.set(d.uri.toString(), d.uri);
    for (const u of specs.values()) this.hide(u);
  }

  private updateAll(): void {
    forgetAll();
    for (const d of vscode.workspace.textDocuments) this.update(d);
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.collection.delete(uri);
    this.hidden.delete(key);
    forget(uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subs) s.dispose();
  }
}

/** Quick fixes: only the validator's certain fixes (misspelt key or name, last layer's units, flatten). */
export class SpecCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const a = analyze(doc);
    const actions: vscode.CodeAction[] = [];
    for (const p of a.problems) {
      if (!p.fix) continue;
      const pr = toRange(p.range);
      if (!pr.intersection(range) && !ctx.diagnostics.some((d) => d.code === p.code && d.range.isEqual(pr))) continue;
      const action = new vscode.CodeAction(p.fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, toRange(p.fix.range), p.fix.replacement);
      action.edit = edit;
      action.diagnostics = ctx.diagnostics.filter((d) => d.code === p.code && d.range.isEqual(pr));
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
