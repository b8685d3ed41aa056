// Smoke suite: NN Lab is installed, activates in a real VS Code, registers every contributed command
// and returns its services for the other suites.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'nnlab.nnlab';

suite('smoke: NN Lab in a real VS Code', () => {
  test('the extension is installed under its id', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    assert.equal(ext.packageJSON.displayName, 'NN Lab');
  });

  test('it activates and exports its services', async () => {
    const ext = vscode.extensions.getExtension<{ services: { log: unknown; training: unknown } }>(EXTENSION_ID);
    assert.ok(ext);
    const exports = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.ok(exports && typeof exports === 'object', 'activate() returned no exports');
    assert.ok(exports.services, 'exports.services missing');
    assert.ok(exports.services.log, 'exports.services.log missing');
  });

  test('every command in package.json contributes is registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 13, `only ${contributed.length} contributed commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the workspace is the samples copy and .nn.json files are found', async () => {
    const found = await vscode.workspace.findFiles('**/*.nn.json', '**/node_modules/**');
    assert.ok(found.length > 0, 'no *.nn.json in the workspace');
  });
});
