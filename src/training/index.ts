import * as vscode from 'vscode';
import type { TrainingHost } from './api';
import { hostPaths, TrainingHostImpl } from './host';

/** The training host: runs each spec in its own worker (see host.ts). */
export function register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): TrainingHost {
  const host = new TrainingHostImpl(log, hostPaths(context));
  context.subscriptions.push(host);
  return host;
}
