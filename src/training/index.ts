import * as vscode from 'vscode';
import type { TrainingHost } from './api';
import type { Config } from '../config';
import { hostPaths, TrainingHostImpl } from './host';

/** The training host: runs each spec in its own worker (see host.ts). */
export function register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, config: Config): TrainingHost {
  const host = new TrainingHostImpl(log, hostPaths(context), config);
  context.subscriptions.push(
    host,
    // another backend setting or module folder (a reinstalled GPU package, say): native backends get
    // another chance after a crash, and the probes are asked again
    config.onDidChange((e) => {
      if (e.affects('backend') || e.affects('backendModulePath')) host.backendSettingsChanged();
    }),
  );
  return host;
}
