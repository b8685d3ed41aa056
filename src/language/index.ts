import type * as vscode from 'vscode';
import type { Services } from '../training/api';

// Placeholder until the language feature lands.
export function register(_context: vscode.ExtensionContext, _services: Services): void {}
