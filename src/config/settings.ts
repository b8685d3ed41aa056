// The settings' keys, types and package.json defaults, without vscode (unit-tested under Node; the
// Config class in index.ts reads the values). package.json's contributes.configuration is the one
// place a default or range is written.
import { contributes } from '../../package.json';

/** The settings and their types, keyed without the `nnlab.` prefix. */
export interface Settings {
  backend: string;
  backendModulePath: string;
  'codeLens.detail': 'full' | 'compact' | 'off';
  memoryLimitMB: number;
  'data.maxFileMB': number;
  'data.editorCheckMB': number;
  'training.unsavedChanges': 'ask' | 'save' | 'buffer';
  'training.maxEventsPerSecond': number;
  'panel.fontScale': number;
}
export type SettingKey = keyof Settings;

interface Property {
  default: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}
const PROPERTIES = contributes.configuration.properties as Record<string, Property>;

export function property(key: SettingKey): Property {
  const p = PROPERTIES[`nnlab.${key}`];
  // a key in Settings without a package.json entry is a build-time mistake, caught by the unit test
  if (!p) throw new Error(`package.json declares no setting nnlab.${key}`);
  return p;
}

/** Every setting NN Lab declares (a unit test checks this against package.json). */
export const SETTING_KEYS: readonly SettingKey[] = ['backend', 'backendModulePath', 'codeLens.detail', 'memoryLimitMB', 'data.maxFileMB', 'data.editorCheckMB', 'training.unsavedChanges', 'training.maxEventsPerSecond', 'panel.fontScale'];

/** The package.json default of every setting. */
export const DEFAULTS = Object.fromEntries(SETTING_KEYS.map((k) => [k, property(k).default])) as unknown as Settings;

/** A number setting within its package.json minimum/maximum; the default when it is not a number. */
export function numberIn(key: 'memoryLimitMB' | 'data.maxFileMB' | 'data.editorCheckMB' | 'training.maxEventsPerSecond' | 'panel.fontScale', v: unknown): number {
  const p = property(key);
  if (typeof v !== 'number' || !Number.isFinite(v)) return DEFAULTS[key];
  return Math.min(p.maximum ?? Infinity, Math.max(p.minimum ?? -Infinity, v));
}
/** An enum setting; the default when the value is not one of package.json's enum. */
export function oneOf<K extends 'codeLens.detail' | 'training.unsavedChanges'>(key: K, v: unknown): Settings[K] {
  return typeof v === 'string' && (property(key).enum ?? []).includes(v) ? (v as Settings[K]) : DEFAULTS[key];
}

