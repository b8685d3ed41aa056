import * as vscode from 'vscode';
import type { TrainingHost } from './api';

// Placeholder until the training host lands.
export function register(_context: vscode.ExtensionContext, _log: vscode.LogOutputChannel): TrainingHost {
  const never = new vscode.EventEmitter<never>();
  const fail = async (): Promise<void> => {
    throw new Error('training is not available yet');
  };
  return {
    onDidChangeState: never.event,
    onDidReceive: never.event,
    state: () => undefined,
    lastBackend: () => undefined,
    start: fail,
    stop: () => {},
    pause: () => {},
    resume: () => {},
    step: () => {},
    weights: async () => undefined,
  };
}
