// The commands table's one spec resolver (src/commands/spec.ts) inside a real VS Code: a command run
// while an NN Lab panel has the focus acts on the spec in view (issue 13 item 9: "Inspect Network says
// open a .nn.json network spec first" with xor.nn.json visible), and a spec named by a path in any
// letter case is a spec.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activateWithXor, panelStates, poll, waitForPanel } from '../helpers';

const inspectTabOf = (spec: vscode.Uri): vscode.TextDocument | undefined =>
  vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'nnlab-inspect' && d.uri.query === spec.toString());

suite('commands: one spec resolver', () => {
  let xor: vscode.Uri;

  suiteSetup(async () => {
    xor = await activateWithXor();
  });

  setup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Inspect Network with a panel focused acts on the visible spec (issue 13 item 9)', async function () {
    this.timeout(60_000);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(xor), vscode.ViewColumn.One);
    // the activation explorer takes the focus when it opens (the other panels keep it in the editor)
    await vscode.commands.executeCommand('nnlab.showActivations', 'tanh', xor);
    await waitForPanel('the activation panel to have the focus, with no active text editor', async () => {
      return (await panelStates()).some((p) => p.panel === 'activations' && p.active) && !vscode.window.activeTextEditor ? true : undefined;
    }, 45_000);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === xor.toString()), 'xor.nn.json stays visible');
    assert.equal(inspectTabOf(xor), undefined, 'no inspect tab yet');
    await vscode.commands.executeCommand('nnlab.inspect');
    const table = await poll('the inspect tab of xor.nn.json', () => inspectTabOf(xor), 10_000);
    assert.match(table.getText(), /^xor \(/);
  });

  test('a spec named by a path in upper case is a spec (case-insensitive, like the editor features)', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const dir = join(folder, 'commands-case');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'Upper.NN.JSON');
    writeFileSync(file, readFileSync(xor.fsPath, 'utf8'));
    await vscode.commands.executeCommand('nnlab.inspect', file);
    const table = await poll('the inspect tab of Upper.NN.JSON', () => inspectTabOf(vscode.Uri.file(file)), 10_000);
    assert.match(table.getText(), /^xor \(/);
  });
});
