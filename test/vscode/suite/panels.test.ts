// The webview panels inside a real VS Code: opening, reveal-if-open, node count of the graph for
// samples/xor.nn.json, the activation explorer's selection from a hover-style argument, a real XOR
// run streamed into the loss panel. Everything is observed through `nnlab._panelState`, which each
// panel fills from its webview's own reports (points received, nodes drawn, selected function).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec, inferShapes } from '../../../src/core/spec';
import { RunWriter } from '../../../src/core/train/runs';
import { initialWeights } from '../../../src/core/train/init';
import { activateWithXor, panelStates, waitForPanel } from '../helpers';

const EXTENSION_ID = 'nnlab.nnlab';

suite('panels: loss, graph and activation explorer', () => {
  let xor: vscode.Uri;

  suiteSetup(async () => {
    xor = await activateWithXor();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(xor));
  });

  test('the graph panel draws input, one node per layer and output of xor.nn.json', async function () {
    // the session's first webview: a slow first start, or a stuck frame that the start watch loads
    // again after 8 s and recreates after 8 s more (src/panels/webviewHost.ts), must fit in the wait
    this.timeout(60_000);
    const spec = parseSpec(readFileSync(xor.fsPath, 'utf8')).spec;
    assert.ok(spec, 'xor.nn.json does not parse');
    const want = inferShapes(spec).layers.length + 2;
    await vscode.commands.executeCommand('nnlab.showGraph', xor);
    const g = await waitForPanel('the graph panel to report its nodes', async () => (await panelStates()).find((s) => s.panel === 'graph' && (s.nodes ?? 0) > 0), 45_000);
    assert.equal(g.view, 'layers');
    assert.equal(g.nodes, want);
    assert.equal(g.edges, want - 1);
    assert.equal(g.specUri, xor.toString());
  });

  test('showing a panel again reveals it instead of opening a second one', async () => {
    await vscode.commands.executeCommand('nnlab.showGraph', xor);
    await vscode.commands.executeCommand('nnlab.showGraph', xor);
    assert.equal((await panelStates()).filter((s) => s.panel === 'graph').length, 1);
  });

  test('the activation explorer opens on the function a hover link names, and switches', async () => {
    await vscode.commands.executeCommand('nnlab.showActivations', 'elu', xor);
    const a = await waitForPanel('ELU selected', async () => (await panelStates()).find((s) => s.panel === 'activations' && s.activation === 'elu'));
    assert.equal(a.alpha, 1, 'ELU starts with the course default α = 1');
    await vscode.commands.executeCommand('nnlab.showActivations', 'leaky_relu', xor);
    const b = await waitForPanel('leaky ReLU selected', async () => (await panelStates()).find((s) => s.panel === 'activations' && s.activation === 'leakyRelu'));
    assert.equal(b.alpha, 0.01);
    assert.equal((await panelStates()).filter((s) => s.panel === 'activations').length, 1);
  });

  test('a real XOR run streams a falling loss curve into the loss panel', async function () {
    this.timeout(180_000);
    const ext = vscode.extensions.getExtension<{ services: { training: { start(u: vscode.Uri): Promise<void>; state(u: vscode.Uri): { phase: string } | undefined } } }>(EXTENSION_ID)!;
    const { training } = (await ext.activate()).services;
    await vscode.commands.executeCommand('nnlab.showLoss', xor);
    await waitForPanel('the loss panel', async () => (await panelStates()).find((s) => s.panel === 'loss'));
    await training.start(xor);
    await waitForPanel('the run to finish', async () => (['finished', 'failed'].includes(training.state(xor)?.phase ?? '') ? true : undefined), 150_000);
    assert.equal(training.state(xor)?.phase, 'finished');
    const loss = await waitForPanel('the loss panel to report its points', async () => (await panelStates()).find((s) => s.panel === 'loss' && (s.points ?? 0) > 10));
    assert.ok(loss.firstLoss !== undefined && loss.lastLoss !== undefined);
    assert.ok(loss.lastLoss < loss.firstLoss, `the curve did not fall: ${loss.firstLoss} → ${loss.lastLoss}`);
  });

  test('with no run of a spec in this window (as after Reload Window) the "Last run" lens, Open run and the graph panel\'s weights come from its latest run on disk', async function () {
    this.timeout(60_000);
    // a spec this window never trained, with two runs on disk written by the core, as a run of another window would be
    const dir = join(vscode.workspace.workspaceFolders![0]!.uri.fsPath, 'panels-restore');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'restored.nn.json');
    writeFileSync(file, readFileSync(xor.fsPath, 'utf8'));
    const spec = parseSpec(readFileSync(file, 'utf8')).spec!;
    const save = (at: string, finalLoss: number): string => {
      const w = new RunWriter(file, spec, { backend: { active: 'cpu', device: 'test', skipped: [], reason: 'test' }, startedAt: at }, { now: new Date(at) });
      w.finish({ finishedAt: at, elapsedMs: 1500, epochs: 58, steps: 58, finalLoss, bestLoss: finalLoss, stopReason: 'lossBelowTarget', lossTarget: 0.001 }, spec, initialWeights(spec));
      return w.dir;
    };
    save('2026-12-01T10:00:00.000Z', 0.5);
    const newest = save('2026-12-01T11:00:00.000Z', 0.0009);
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const lenses = ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? []).filter((l) => l.command);
    const last = lenses.find((l) => l.command!.title.startsWith('Last run'));
    assert.equal(last?.command?.title, `Last run (loss below target 0.001 after epoch 58/${spec.training.epochs}): loss 0.0009 in 1.5 s (cpu)`);
    assert.deepEqual(lenses.find((l) => l.command!.title === 'Open run')?.command?.arguments, [newest]);
    this.timeout(150_000);
    await vscode.commands.executeCommand('nnlab.showGraph', uri);
    const g = await waitForPanel('the graph panel to draw the saved run\'s weights', async () => (await panelStates()).find((s) => s.panel === 'graph' && s.specUri === uri.toString() && s.weights?.startsWith('weights of run')), 120_000);
    assert.equal(g.weights, 'weights of run 20261201-110000-000-restored (step 58)');
  });

  test('closing the panels disposes them', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitForPanel('no panels', async () => ((await panelStates()).length === 0 ? true : undefined));
  });
});
