// Live diagnostics for `.nn.json` files (debounced on edits, cleared when the file closes) and the
// quick fixes the validator marks as certain (Problem.fix).
import * as vscode from 'vscode';
import type { Problem } from '../core/spec/types';
import { analyze, forget, forgetAll, isSpecDocument, toRange } from './analysis';

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

export class SpecDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('nnlab');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subs: vscode.Disposable[] = [];

  constructor() {
    this.subs.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
      // a rename from/to *.nn.json: the old name closes, the new one opens
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('nnlab.memoryLimitMB')) this.updateAll();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.updateAll()),
      vscode.workspace.onDidSaveTextDocument((d) => {
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

  update(doc: vscode.TextDocument): void {
    if (!isSpecDocument(doc)) return;
    const a = analyze(doc);
    this.collection.set(doc.uri, a.problems.map(toDiagnostic));
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
