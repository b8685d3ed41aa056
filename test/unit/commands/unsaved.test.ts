// Issue 13 item 13: ▶ Train with unsaved changes remembers "Save and Train" / "Train Unsaved Contents"
// in NN Lab's own workspace state; only "Always … in This Workspace" writes .vscode/settings.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownUnsavedChoice, UNSAVED_BUTTONS, unsavedPick } from '../../../src/commands/unsaved';

test('the two everyday answers are remembered in the extension\'s state, not in the workspace settings', () => {
  assert.deepEqual(unsavedPick('Save and Train'), { choice: 'save', remember: 'workspaceState' });
  assert.deepEqual(unsavedPick('Train Unsaved Contents'), { choice: 'buffer', remember: 'workspaceState' });
  assert.deepEqual(unsavedPick(UNSAVED_BUTTONS.always), { choice: 'save', remember: 'workspaceSetting' });
  assert.equal(unsavedPick(undefined), undefined, 'Cancel trains nothing and remembers nothing');
});

test('the setting wins when it says save or buffer; else the remembered answer; else ask', () => {
  assert.equal(knownUnsavedChoice('ask', undefined), undefined);
  assert.equal(knownUnsavedChoice('ask', 'buffer'), 'buffer');
  assert.equal(knownUnsavedChoice('save', 'buffer'), 'save');
  assert.equal(knownUnsavedChoice('buffer', undefined), 'buffer');
  assert.equal(knownUnsavedChoice(undefined, 'nonsense'), undefined);
});
