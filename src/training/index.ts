import * as vscode from 'vscode';
import type { TrainingHost } from './api';
import { hostPaths, TrainingHostImpl } from './host';

/** The training host: runs each spec in its own worker (see host.ts). */
export function register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): TrainingHost {
  const host = new TrainingHostImpl(log, hostPaths(context));
  context.subscriptions.push(
    host,
    // another backend setting or module folder (a reinstalled GPU package, say): native backends get
    // another chance after a crash, and the probes are asked again
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nnlab.backend') || e.affectsConfiguration('nnlab.backendModulePath')) host.backendSettingsChanged();
    }),
  );
  return host;
}
