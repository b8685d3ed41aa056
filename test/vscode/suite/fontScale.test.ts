// Projector size (issue 13 item 18) in a real VS Code: the panels follow editor.fontSize by default
// and nnlab.panel.fontScale when it is set, live (no reopening). Observed through `nnlab._panelState`:
// each webview reports its body's computed font size (webview/shared/host.ts), so this checks what the
// page really draws, not the number the host sent.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { panelFontScale } from '../../../src/core/view/fontScale';
import type { PanelStateReport } from '../../../src/panels/index';

async function loss(): Promise<PanelStateReport | undefined> {
  return ((await vscode.commands.executeCommand<PanelStateReport[]>('nnlab._panelState')) ?? []).find((s) => s.panel === 'loss' && s.fontPx !== undefined);
}

async function waitFor(what: string, ok: (s: PanelStateReport) => boolean, timeoutMs = 20_000): Promise<PanelStateReport> {
  const t0 = Date.now();
  for (;;) {
    const s = await loss();
    if (s && ok(s)) return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; loss panel: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('panels: projector size (font scale)', () => {
  const editor = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('editor');

  suiteTeardown(async () => {
    await editor().update('fontSize', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('nnlab').update('panel.fontScale', undefined, vscode.ConfigurationTarget.Global);
  });

  test('editor.fontSize 22 makes the loss panel’s text larger at once; nnlab.panel.fontScale overrides it', async function () {
    this.timeout(90_000);
    const ext = vscode.extensions.getExtension('nnlab.nnlab');
    assert.ok(ext);
    await ext.activate();
    const [xor] = await vscode.workspace.findFiles('xor.nn.json');
    assert.ok(xor, 'xor.nn.json is not in the workspace');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(xor));
    await vscode.commands.executeCommand('nnlab.showLoss', xor);
    const before = await waitFor('the loss panel to report its font size', () => true, 45_000);
    const def = editor().inspect<number>('fontSize')?.defaultValue;
    const scale0 = panelFontScale(0, editor().get<number>('fontSize'), def);
    assert.equal(before.zoom, 1, 'no keyboard zoom in a fresh panel');
    // the workbench's own UI font size (13 px in VS Code) times the scale it started with
    const ui = before.fontPx! / scale0;
    assert.ok(ui >= 11 && ui <= 14, `the panel's unscaled text is VS Code's UI size (got ${ui} px)`);

    await editor().update('fontSize', 22, vscode.ConfigurationTarget.Global);
    const want = ui * panelFontScale(0, 22, def);
    const after = await waitFor(`the font size to become ${want.toFixed(2)} px`, (s) => Math.abs(s.fontPx! - want) < 0.1);
    assert.ok(after.fontPx! > before.fontPx! * 1.4, `22 px editor font: ${before.fontPx} → ${after.fontPx} px`);
    if (def === 14) assert.ok(Math.abs(after.fontPx! - ui * 1.57) < 0.1);

    await vscode.workspace.getConfiguration('nnlab').update('panel.fontScale', 2, vscode.ConfigurationTarget.Global);
    await waitFor(`the font size to become ${(ui * 2).toFixed(2)} px (setting 2)`, (s) => Math.abs(s.fontPx! - ui * 2) < 0.1);

    await vscode.workspace.getConfiguration('nnlab').update('panel.fontScale', undefined, vscode.ConfigurationTarget.Global);
    await editor().update('fontSize', undefined, vscode.ConfigurationTarget.Global);
    await waitFor(`the font size to return to ${before.fontPx} px`, (s) => Math.abs(s.fontPx! - before.fontPx!) < 0.1);
  });
});
