// The host side of the graph panel's weight editing and formula card (issue 16 items 1 and 2): the
// spec's initial weights for an untrained network, "Write Edited Weights to Spec" (an undoable edit
// of the editor's text, never saved here), and the card's link into the walkthrough.
import * as vscode from 'vscode';
import { parseSpec } from '../core/spec';
import { initialWeights } from '../core/train/init';
import { weightsEdits, WriteWeightsError } from '../core/spec/writeWeights';
import type { LayerWeights } from '../protocol/training';

/** The seeded initial weights of the spec as the editor has it (unsaved edits included); null if it has errors. */
export async function specInitialWeights(specUri: vscode.Uri): Promise<LayerWeights[] | null> {
  const parsed = parseSpec((await vscode.workspace.openTextDocument(specUri)).getText());
  if (!parsed.spec || parsed.problems.some((p) => p.severity === 'error')) return null;
  try {
    return initialWeights(parsed.spec);
  } catch {
    return null;
  }
}

/**
 * Writes `layers` into the spec's text as explicit `init`/`biasInit` values: one edit of the editor's
 * text, shown in the spec's editor (one undo step there, Ctrl+Z), the document left unsaved: the
 * spec on disk changes only when the user saves. Returns whether the text changed; reports problems
 * to the user.
 */
export async function writeEditedWeights(specUri: vscode.Uri, layers: readonly LayerWeights[], log: vscode.LogOutputChannel): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(specUri);
  let edits;
  try {
    edits = weightsEdits(doc.getText(), layers);
  } catch (e) {
    const msg = e instanceof WriteWeightsError ? e.message : String(e);
    void vscode.window.showErrorMessage(`NN Lab: cannot write the weights into ${vscode.workspace.asRelativePath(specUri)}: ${msg}`);
    return false;
  }
  if (!edits.length) {
    void vscode.window.showInformationMessage(`NN Lab: ${vscode.workspace.asRelativePath(specUri)} already starts from these weights.`);
    return false;
  }
  // an edit of the editor's text: one undo step, and VS Code never saves it by itself
  const editor = await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true, viewColumn: vscode.window.visibleTextEditors.find((ed) => ed.document === doc)?.viewColumn });
  const ranges = edits.map((e) => ({ range: new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), content: e.content }));
  const ok = await editor.edit((b) => {
    for (const r of ranges) b.replace(r.range, r.content);
  });
  if (ok) log.info(`wrote the edited weights into ${vscode.workspace.asRelativePath(specUri)} as explicit init values (not saved; undo with Ctrl+Z)`);
  return ok;
}
