// Issue 13 item 19: NN Lab's panels open as tabs of ONE column beside the spec (src/panels/panelHost.ts
// panelColumn), so Loss and Graph together don't leave the spec a third of the width; the spec keeps
// its column. Observed through VS Code's own tab groups, the layout a person sees.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateWithXor, nnlabTabs, waitForPanel } from '../helpers';

suite('columns: NN Lab panels share one column beside the spec', () => {
  let xor: vscode.Uri;

  suiteSetup(async () => {
    xor = await activateWithXor();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(xor), { viewColumn: vscode.ViewColumn.One });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('loss, graph, activations and the walkthrough open as tabs of one column; the spec keeps column 1', async function () {
    this.timeout(60_000);
    const specColumn = (): vscode.ViewColumn | undefined => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === xor.toString())?.viewColumn;
    assert.equal(specColumn(), vscode.ViewColumn.One);
    await vscode.commands.executeCommand('nnlab.showLoss', xor);
    const loss = await waitForPanel('the Loss tab', () => nnlabTabs().get('Loss: xor'));
    // a person clicks into the loss chart, then asks for the graph: it still joins that column (with
    // ViewColumn.Beside alone it opened a third column, beside the focused panel)
    await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
    await waitForPanel('the loss panel\'s group to have the focus', () => (vscode.window.tabGroups.activeTabGroup.viewColumn === loss ? true : undefined));
    await vscode.commands.executeCommand('nnlab.showGraph', xor);
    const graph = await waitForPanel('the Graph tab', () => nnlabTabs().get('Graph: xor'));
    assert.notEqual(loss, vscode.ViewColumn.One, 'the loss panel is beside the spec, not over it');
    assert.equal(graph, loss, 'the graph panel joins the loss panel\'s column');
    assert.equal(specColumn(), vscode.ViewColumn.One, 'the spec keeps its column');
    // the activation explorer and the walkthrough take the focus; they still join the same column
    await vscode.commands.executeCommand('nnlab.showActivations', 'relu', xor);
    await waitForPanel('the Activation Functions tab', () => nnlabTabs().get('Activation Functions: xor'));
    await vscode.commands.executeCommand('nnlab.walkthrough', 'sigmoid-neuron');
    await waitForPanel('the walkthrough tab', () => [...nnlabTabs().keys()].find((l) => l.startsWith('Backprop:')));
    const columns = new Set(nnlabTabs().values());
    assert.deepEqual([...columns], [loss], `every NN Lab tab in column ${loss}: ${JSON.stringify([...nnlabTabs()])}`);
    assert.equal(vscode.window.tabGroups.all.length, 2, 'two editor groups: the spec and the panels');
    assert.equal(specColumn(), vscode.ViewColumn.One);
  });
});
