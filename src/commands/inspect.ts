// "NN Lab: Inspect Network": the CLI's `nnlab inspect` table for the editor's current contents, in a
// read-only editor tab (a virtual document, so closing it never asks to save) that follows edits.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { inspectText } from '../cli/commands/inspect';
import { formatProblem } from '../cli/commands/validate';
import { analyze, analyzeText, dataReady, isSpecUri, type Analysis } from '../language/analysis';
import { Disposable } from '../dispose';

export const INSPECT_SCHEME = 'nnlab-inspect';

/** The same lines `nnlab inspect <file>` prints (stdout, then the problems it prints to stderr). */
export function inspectReport(file: string, a: Analysis): string {
  const lines = a.raw ? inspectText(file, a.raw) : [];
  if (a.problems.length) {
    if (lines.length) lines.push('');
    lines.push(...a.problems.map((p) => formatProblem(file, p)));
  }
  if (!lines.length) lines.push(`${file}: nothing to inspect (the file does not parse).`);
  return lines.join('\n') + '\n';
}

/** `nnlab-inspect:/xor.nn.json (inspect)?<spec uri>`: the tab title names the spec. */
export function inspectUri(spec: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${basename(spec.path)} (inspect)`, query: spec.toString() });
}

export class InspectContentProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isSpecUri(e.document.uri)) return;
        const target = inspectUri(e.document.uri);
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === target.toString())) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => this.changed.fire(target), 300);
      }),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const spec = vscode.Uri.parse(uri.query);
    const file = vscode.workspace.asRelativePath(spec);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === spec.toString());
    if (open) {
      await dataReady(open.getText(), spec);
      return inspectReport(file, analyze(open));
    }
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(spec));
      await dataReady(text, spec);
      return inspectReport(file, analyzeText(text, spec));
    } catch (err) {
      return `${file}: cannot read the file (${String(err)}).\n`;
    }
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}
