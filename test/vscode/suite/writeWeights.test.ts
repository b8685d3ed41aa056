// "Write Edited Weights to Spec" (issue 16 item 2) in a real VS Code: the edited weights go into the
// spec's editor as one undoable edit and are never saved by NN Lab. The spec on disk keeps its bytes
// until the user saves (the brief: never modify the user's spec behind their back).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec } from '../../../src/core/spec';
import { initialWeights } from '../../../src/core/train/init';
import { writeEditedWeights } from '../../../src/panels/edit';

suite('write edited weights to the spec', () => {
  let log: vscode.LogOutputChannel;
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('nnlab.nnlab');
    assert.ok(ext, 'nnlab.nnlab is not installed');
    await ext.activate();
    log = vscode.window.createOutputChannel('NN Lab write-back test', { log: true });
  });
  suiteTeardown(() => log.dispose());

  test('a spec no editor shows: the edit opens it, dirty, with W¹[0][0] = 0.25 as explicit init values; the file on disk is unchanged; one undo restores the text', async function () {
    this.timeout(30_000);
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const path = join(root, 'write-back-test.nn.json');
    const original = readFileSync(join(root, 'xor.nn.json'), 'utf8');
    writeFileSync(path, original);
    const uri = vscode.Uri.file(path);
    try {
      const spec = parseSpec(original).spec;
      assert.ok(spec);
      const w = initialWeights(spec);
      w[0].W[0][0] = 0.25;
      assert.equal(await writeEditedWeights(uri, w, log), true);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === path);
      assert.ok(doc, 'the spec is open');
      assert.equal(doc.isDirty, true, 'the edit is not saved');
      assert.equal(readFileSync(path, 'utf8'), original, 'the file on disk keeps its bytes');
      const written = parseSpec(doc.getText()).spec;
      assert.ok(written);
      const l0 = written.layers[0];
      assert.ok(l0.type === 'dense' && l0.init.type === 'values', `layer 0's init is explicit values: ${JSON.stringify(l0)}`);
      assert.equal(initialWeights(written)[0].W[0][0], 0.25, 'training would start from the edited weight');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath === path || vscode.window.visibleTextEditors.some((e) => e.document === doc), true, 'the edited spec is shown');
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), original, 'one undo step restores the text');
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      rmSync(path, { force: true });
    }
  });
});
