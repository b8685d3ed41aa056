// What ▶ Train does with unsaved changes: the setting `nnlab.training.unsavedChanges` ("ask", "save",
// "buffer"), else the answer remembered in NN Lab's own workspace state. Picking "Save and Train" or
// "Train Unsaved Contents" is remembered there, so nothing is written into the student's folder; only
// "Always Save and Train in This Workspace" writes the workspace setting (.vscode/settings.json).
// Pure (no `vscode`), so the policy is unit-tested.

export type UnsavedChoice = 'save' | 'buffer';

/** the workspaceState key of the remembered answer */
export const UNSAVED_STATE_KEY = 'nnlab.training.unsavedChanges';

export const UNSAVED_BUTTONS = {
  save: 'Save and Train',
  buffer: 'Train Unsaved Contents',
  always: 'Always Save and Train in This Workspace',
} as const;

export const UNSAVED_DETAIL =
  'NN Lab remembers your answer for this workspace in its own state; nothing is written to your folder. "Always Save and Train in This Workspace" writes the setting "nnlab.training.unsavedChanges" into this workspace\'s .vscode/settings.json instead.';

const isChoice = (v: unknown): v is UnsavedChoice => v === 'save' || v === 'buffer';

/** The answer without asking: the setting when it says save/buffer, else the remembered one; undefined = ask. */
export function knownUnsavedChoice(setting: unknown, remembered: unknown): UnsavedChoice | undefined {
  if (isChoice(setting)) return setting;
  if (isChoice(remembered)) return remembered;
  return undefined;
}

/** What a picked button means and where it is remembered. */
export function unsavedPick(pick: string | undefined): { choice: UnsavedChoice; remember: 'workspaceState' | 'workspaceSetting' } | undefined {
  switch (pick) {
    case UNSAVED_BUTTONS.save:
      return { choice: 'save', remember: 'workspaceState' };
    case UNSAVED_BUTTONS.buffer:
      return { choice: 'buffer', remember: 'workspaceState' };
    case UNSAVED_BUTTONS.always:
      return { choice: 'save', remember: 'workspaceSetting' };
    default:
      return undefined;
  }
}
