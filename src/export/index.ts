// "NN Lab: Export…": a spec or one of its runs → PyTorch / Keras code and files (src/core/export), from
// the command palette (the active spec, then a pick of "this spec" or one of its runs, newest first),
// the Explorer's context menu on a .nn.json file or a run folder (.nnlab/runs/<run>), or with
// arguments (uri, target, out folder) for scripts and tests. Refuses a spec with errors (the first
// one located, Show Problems) and says exactly what a target does not support.
import * as vscode from 'vscode';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loss as fmtLoss } from '../core/explain/format';
import { stopReasonText } from '../core/explain/progress';
import { EXPORT_TARGETS, ExportError, exportFiles, exporters, isExportTarget } from '../core/export';
import { defaultOutDir, isRunDir, loadExportInput, writeExportFiles } from '../core/export/load';
import { runsDirFor } from '../core/train/runs';
import type { Services } from '../training/api';
import { isSpecUri } from '../language/analysis';

/** The spec's runs, newest first, with what their summary says. */
function runsOf(specPath: string): { dir: string; label: string; detail: string }[] {
  const root = runsDirFor(specPath);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => isRunDir(join(root, n)))
    .sort()
    .reverse()
    .map((n) => {
      let detail = '';
      try {
        const s = JSON.parse(readFileSync(join(root, n, 'summary.json'), 'utf8')) as { stopReason?: string; lossTarget?: number; epochs?: number; finalLoss?: number | null };
        detail = `${s.stopReason ? stopReasonText({ stopReason: s.stopReason, lossTarget: s.lossTarget }) : '?'} · ${s.epochs ?? 0} epochs · loss ${typeof s.finalLoss === 'number' ? fmtLoss(s.finalLoss) : '—'}`;
      } catch {
        detail = 'no summary';
      }
      return { dir: join(root, n), label: `$(history) run ${n}`, detail };
    });
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const { log } = services;

  async function exportCommand(arg?: unknown, targetArg?: unknown, outArg?: unknown): Promise<string[] | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('NN Lab does not export in an untrusted workspace (an export reads the data files).');
      return undefined;
    }
    // what to export: a run folder or a spec file
    let from: string | undefined = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    if (!from) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isSpecUri(editor.document.uri)) {
        void vscode.window.showWarningMessage('NN Lab: open a .nn.json network spec (or right-click one of its runs in .nnlab/runs) to export it.');
        return undefined;
      }
      const spec = editor.document.uri.fsPath;
      const runs = runsOf(spec);
      if (runs.length) {
        const pick = await vscode.window.showQuickPick(
          [{ label: `$(file) ${basename(spec)}`, detail: "the spec: NN Lab's initial weights, no trained ones", dir: spec }, ...runs],
          { title: 'NN Lab: Export — what', placeHolder: 'the spec, or one of its runs (with its trained weights)' },
        );
        if (!pick) return undefined;
        from = pick.dir;
      } else from = spec;
    }
    if (!existsSync(from) || (statSync(from).isDirectory() && !isRunDir(from))) {
      void vscode.window.showErrorMessage(`NN Lab: ${from} is neither a .nn.json spec nor a run folder.`);
      return undefined;
    }
    // to which target
    let target = typeof targetArg === 'string' ? targetArg : undefined;
    if (!target) {
      const pick = await vscode.window.showQuickPick(
        EXPORT_TARGETS.map((t) => ({ label: t, detail: exporters[t].title })),
        { title: `NN Lab: Export ${basename(from)} — to`, placeHolder: 'the engine to export to' },
      );
      if (!pick) return undefined;
      target = pick.label;
    }
    if (!isExportTarget(target)) {
      void vscode.window.showErrorMessage(`NN Lab: unknown export target "${target}" (${EXPORT_TARGETS.join(', ')}).`);
      return undefined;
    }
    // where
    let out = typeof outArg === 'string' ? outArg : outArg instanceof vscode.Uri ? outArg.fsPath : undefined;
    if (!out) {
      const suggested = defaultOutDir(from, target);
      const pick = await vscode.window.showQuickPick([{ label: suggested, description: 'default' }, { label: 'Choose a folder…', choose: true }], { title: 'NN Lab: Export — into' });
      if (!pick) return undefined;
      if ('choose' in pick) {
        const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export here' });
        if (!chosen?.[0]) return undefined;
        out = chosen[0].fsPath;
      } else out = suggested;
    }
    try {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === from && d.isDirty);
      const input = await loadExportInput(from, doc ? { text: doc.getText() } : {});
      const written = writeExportFiles(out, exportFiles(target, input));
      log.info(`Export ${input.source.path} → ${target}: ${written.length} files in ${out}`);
      void vscode.window.showInformationMessage(`NN Lab: exported ${basename(from)} to ${target} (${written.length} files in ${out}).`, 'Open README').then((p) => {
        if (p) void vscode.window.showTextDocument(vscode.Uri.file(join(out, 'README.md')));
      });
      return written;
    } catch (e) {
      if (e instanceof ExportError && e.problems?.problems.length) {
        const first = e.problems.problems[0]!;
        void vscode.window.showErrorMessage(`NN Lab: ${e.message} (line ${first.range.start.line + 1}: ${first.code} ${first.message})`, 'Show Problems').then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
        return undefined;
      }
      const msg = e instanceof Error ? e.message : String(e);
      log.error(`Export failed: ${msg}`);
      void vscode.window.showErrorMessage(`NN Lab: ${msg}`);
      return undefined;
    }
  }

  context.subscriptions.push(vscode.commands.registerCommand('nnlab.export', exportCommand));
}
