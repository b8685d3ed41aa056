// The settings module (src/config/settings.ts): its keys are package.json's, its defaults are read
// from there, and its range/enum checks follow package.json's minimum, maximum and enum.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULTS, SETTING_KEYS, numberIn, oneOf } from '../../../src/config/settings';
import { DEFAULT_MEMORY_LIMIT_BYTES } from '../../../src/core/spec/analyze';
import { DEFAULT_EDITOR_CHECK_MB, DEFAULT_MAX_DATA_MB } from '../../../src/core/data/read';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };

test('every nnlab.* setting in package.json is a Config key, and the other way round', () => {
  assert.deepEqual(
    Object.keys(pkg.contributes.configuration.properties).sort(),
    SETTING_KEYS.map((k) => `nnlab.${k}`).sort(),
  );
});

test('the defaults are package.json’s', () => {
  assert.deepEqual(DEFAULTS, {
    backend: 'auto',
    backendModulePath: '',
    'codeLens.detail': 'full',
    memoryLimitMB: 2048,
    'data.maxFileMB': 256,
    'data.editorCheckMB': 2,
    'training.unsavedChanges': 'ask',
    'training.maxEventsPerSecond': 30,
    'panel.fontScale': 0,
  });
  // the core's default (the CLI's, without VS Code) is the setting's default
  assert.equal(DEFAULT_MEMORY_LIMIT_BYTES, DEFAULTS.memoryLimitMB * 1024 * 1024);
  assert.equal(DEFAULT_MAX_DATA_MB, DEFAULTS['data.maxFileMB']);
  assert.equal(DEFAULT_EDITOR_CHECK_MB, DEFAULTS['data.editorCheckMB']);
});

test('numbers are kept within package.json’s range; enums fall back to the default', () => {
  assert.equal(numberIn('training.maxEventsPerSecond', 500), 240);
  assert.equal(numberIn('training.maxEventsPerSecond', 0), 1);
  assert.equal(numberIn('training.maxEventsPerSecond', 60), 60);
  assert.equal(numberIn('memoryLimitMB', -5), 1);
  assert.equal(numberIn('memoryLimitMB', 'lots'), 2048);
  assert.equal(numberIn('memoryLimitMB', 1e9), 1e9);
  assert.equal(oneOf('codeLens.detail', 'compact'), 'compact');
  assert.equal(oneOf('codeLens.detail', 'verbose'), 'full');
  assert.equal(oneOf('training.unsavedChanges', 'buffer'), 'buffer');
  assert.equal(oneOf('training.unsavedChanges', 42), 'ask');
});
