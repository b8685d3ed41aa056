// The editor features of `.nn.json` files (kept in VS Code's built-in json language): dimension code
// lenses, teaching hovers, live diagnostics and quick fixes. None of it loads TensorFlow.js, and all
// of it works in untrusted workspaces (data files are then not read).
import * as vscode from 'vscode';
import type { Services } from '../training/api';
import { forgetAll, onDidChangeData, SPEC_SELECTOR } from './analysis';
import { SpecCodeLensProvider } from './codelens';
import { SpecCodeActions, SpecDiagnostics } from './diagnostics';
import { SpecHoverProvider } from './hover';

export function register(context: vscode.ExtensionContext, services: Services): void {
  const lenses = new SpecCodeLensProvider(services);
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider(SPEC_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(SPEC_SELECTOR, new SpecHoverProvider()),
    new SpecDiagnostics(),
    vscode.languages.registerCodeActionsProvider(SPEC_SELECTOR, new SpecCodeActions(), { providedCodeActionKinds: SpecCodeActions.kinds }),
    services.config.onDidChange((e) => {
      if (e.affects('memoryLimitMB') || e.affects('data.maxFileMB') || e.affects('data.editorCheckMB')) {
        forgetAll();
        lenses.refresh();
      }
    }),
    onDidChangeData(() => lenses.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      forgetAll();
      lenses.refresh();
    }),
  );
}
