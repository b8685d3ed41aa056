// Helpers shared by the extension-host suites (test/vscode/suite, test/vscode/untrusted): waiting,
// positions in a document, our hover's text, and the core's file read that may fail.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Calls `fn` every `everyMs` until it answers something other than undefined; fails after `timeoutMs`. */
export async function poll<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
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
