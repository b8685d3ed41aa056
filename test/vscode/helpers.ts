// Helpers shared by the extension-host suites (test/vscode/suite, test/vscode/untrusted): waiting,
// waiting for a panel's report, positions in a document, our hover's text, and the core's file read
// that may fail.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PanelStateReport } from '../../src/panels/index';

/**
 * Calls `fn` every `everyMs` until it answers something other than undefined; fails after `timeoutMs`,
 * with what `detail` says then (e.g. what the panels reported).
 */
export async function poll<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 50, detail?: () => string | Promise<string>): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${detail ? `; ${await detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Activates NN Lab and returns xor.nn.json of the test workspace (the suites' common start). */
export async function activateWithXor(): Promise<vscode.Uri> {
  const ext = vscode.extensions.getExtension('nnlab.nnlab');
  assert.ok(ext, 'nnlab.nnlab is not installed');
  await ext.activate();
  const [xor] = await vscode.workspace.findFiles('xor.nn.json');
  assert.ok(xor, 'xor.nn.json is not in the workspace');
  return xor;
}

/** Every open NN Lab panel as `nnlab._panelState` reports it (each panel fills it from its webview's own reports). */
export async function panelStates(): Promise<PanelStateReport[]> {
  return (await vscode.commands.executeCommand<PanelStateReport[]>('nnlab._panelState')) ?? [];
}

/** The view column of each NN Lab tab by its label, e.g. 'Loss: xor' → 2: the layout a person sees. */
export function nnlabTabs(): Map<string, vscode.ViewColumn> {
  const m = new Map<string, vscode.ViewColumn>();
  for (const g of vscode.window.tabGroups.all) {
    for (const t of g.tabs) if (t.input instanceof vscode.TabInputWebview && /(^|-)nnlab\./.test(t.input.viewType)) m.set(t.label, g.viewColumn);
  }
  return m;
}

/**
 * After a command opened (or changed) a panel: waits until `fn` finds what the panel should report, e.g.
 * `waitForPanel('the graph', async () => (await panelStates()).find((s) => s.panel === 'graph'))`. Polls every
 * 100 ms for `timeoutMs`; a timeout says what every panel reported and where the NN Lab tabs are.
 */
export function waitForPanel<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  return poll(what, fn, timeoutMs, 100, async () => `panels: ${JSON.stringify(await panelStates())}; tabs: ${JSON.stringify([...nnlabTabs()])}`);
}

/** Our hover's Markdown at a position (the json language adds schema hovers of its own). */
export async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n---\n');
}

/** Position of the first occurrence of `needle` in the document (plus `delta` characters). */
export function at(doc: vscode.TextDocument, needle: string, delta = 1): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `"${needle}" not found in ${doc.uri.path}`);
  return doc.positionAt(i + delta);
}

/** The file's text, or undefined when it cannot be read (the spec core's readFile contract). */
export { readTextOrUndefined as readOrUndefined } from '../../src/core/data/read';
