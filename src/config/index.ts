// NN Lab's settings, in one place (after rust-analyzer's editors/code/src/config.ts): every `nnlab.*`
// key, its type and its default. The defaults are package.json's `contributes.configuration` (read
// once, when this module loads), so a default is written only there. Host features read settings
// through `services.config` (or `config` here, for module-level helpers) and listen to its one change
// event; nothing else calls vscode.workspace.getConfiguration('nnlab').
import * as vscode from 'vscode';
import { DEFAULTS, numberIn, oneOf, type SettingKey, type Settings } from './settings';
import { panelFontScale } from '../core/view/fontScale';

export { DEFAULTS, type SettingKey, type Settings };

/** What changed: `affects('memoryLimitMB')`. */
export interface ConfigChange {
  affects(key: SettingKey): boolean;
}

export class Config {
  private raw(key: SettingKey, scope?: vscode.Uri): unknown {
    return vscode.workspace.getConfiguration('nnlab', scope).get(key, DEFAULTS[key]);
  }
  /** nnlab.backend as written (the training host checks it and names a bad value) */
  backend(scope?: vscode.Uri): string {
    const v = this.raw('backend', scope);
    return typeof v === 'string' ? v : DEFAULTS.backend;
  }
  backendModulePath(scope?: vscode.Uri): string {
    const v = this.raw('backendModulePath', scope);
    return typeof v === 'string' ? v : DEFAULTS.backendModulePath;
  }
  codeLensDetail(scope?: vscode.Uri): Settings['codeLens.detail'] {
    return oneOf('codeLens.detail', this.raw('codeLens.detail', scope));
  }
  memoryLimitMB(scope?: vscode.Uri): number {
    return numberIn('memoryLimitMB', this.raw('memoryLimitMB', scope));
  }
  /** nnlab.data.maxFileMB: the largest data file training, the panels and the walkthrough read */
  dataMaxFileMB(scope?: vscode.Uri): number {
    return numberIn('data.maxFileMB', this.raw('data.maxFileMB', scope));
  }
  /** nnlab.data.editorCheckMB: the largest data file the editor's live checks read */
  dataEditorCheckMB(scope?: vscode.Uri): number {
    return numberIn('data.editorCheckMB', this.raw('data.editorCheckMB', scope));
  }
  unsavedChanges(scope?: vscode.Uri): Settings['training.unsavedChanges'] {
    return oneOf('training.unsavedChanges', this.raw('training.unsavedChanges', scope));
  }
  maxEventsPerSecond(scope?: vscode.Uri): number {
    return numberIn('training.maxEventsPerSecond', this.raw('training.maxEventsPerSecond', scope));
  }

  /**
   * The panels' font scale (src/core/view/fontScale.ts): nnlab.panel.fontScale, or with 0 (the default)
   * editor.fontSize over its default on this platform.
   */
  panelFontScale(): number {
    const editor = vscode.workspace.getConfiguration('editor');
    return panelFontScale(numberIn('panel.fontScale', this.raw('panel.fontScale')), editor.get<unknown>('fontSize'), editor.inspect<unknown>('fontSize')?.defaultValue);
  }

  /** Fires when the panels' font scale may have changed (nnlab.panel.fontScale or editor.fontSize). */
  readonly onDidChangePanelFontScale: vscode.Event<void> = (listener, thisArgs, disposables) =>
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (e.affectsConfiguration('nnlab.panel.fontScale') || e.affectsConfiguration('editor.fontSize')) listener.call(thisArgs);
      },
      undefined,
      disposables,
    );

  /** Writes a setting (the workspace's when a folder is open, else the user's). */
  update<K extends SettingKey>(key: K, value: Settings[K]): Thenable<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    return vscode.workspace.getConfiguration('nnlab').update(key, value, target);
  }

  /** Fires when any `nnlab.*` setting changes. */
  readonly onDidChange: vscode.Event<ConfigChange> = (listener, thisArgs, disposables) =>
    vscode.workspace.onDidChangeConfiguration(
      (e) => {
        if (e.affectsConfiguration('nnlab')) listener.call(thisArgs, { affects: (key: SettingKey) => e.affectsConfiguration(`nnlab.${key}`) });
      },
      undefined,
      disposables,
    );
}

/** The one Config (also `services.config`). */
export const config = new Config();
