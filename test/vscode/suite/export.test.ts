// "NN Lab: Export…" (nnlab.export) inside a real VS Code, called with its arguments (uri, target, out
// folder) so no picker opens: a spec exports its PyTorch files (the same bytes as the core exporter
// gives for it), a spec with errors exports nothing, an unknown target writes nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exportFiles } from '../../../src/core/export';
import { loadExportInput } from '../../../src/core/export/load';

const EXTENSION_ID = 'nnlab.nnlab';

suite('export: NN Lab: Export… writes the PyTorch files, refuses a spec with errors', () => {
  let root: vscode.Uri;

  suiteSetup(async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    await ext.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace has no folder');
    root = vscode.Uri.joinPath(folder.uri, `export-suite-${Date.now()}`);
    await vscode.workspace.fs.createDirectory(root);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(folder.uri, 'xor.nn.json'), vscode.Uri.joinPath(root, 'xor.nn.json'));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'bad.nn.json'), new TextEncoder().encode('{"version": 1, "input": {"shape": [2]}, "layers": [{"type": "dense", "units": 0}]}'));
  });

  suiteTeardown(() => rmSync(root.fsPath, { recursive: true, force: true }));

  test('a spec → model.py, train.py, predict.py, README, data and initial weights, as the core exporter writes them', async function () {
    this.timeout(30_000);
    const spec = vscode.Uri.joinPath(root, 'xor.nn.json');
    const out = join(root.fsPath, 'xor-pytorch');
    const written = await vscode.commands.executeCommand<string[] | undefined>('nnlab.export', spec, 'pytorch', out);
    assert.ok(written, 'the command wrote nothing');
    const expected = exportFiles('pytorch', await loadExportInput(spec.fsPath));
    assert.deepEqual(written.map((p) => p.slice(out.length + 1)).sort(), expected.map((f) => f.path).sort());
    for (const f of expected) {
      const bytes = readFileSync(join(out, f.path));
      assert.deepEqual(new Uint8Array(bytes), typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data, f.path);
    }
  });

  test('a spec with errors and an unknown target write nothing', async () => {
    const out = join(root.fsPath, 'bad-pytorch');
    assert.equal(await vscode.commands.executeCommand('nnlab.export', vscode.Uri.joinPath(root, 'bad.nn.json'), 'pytorch', out), undefined);
    assert.ok(!existsSync(out));
    const out2 = join(root.fsPath, 'xor-caffe');
    assert.equal(await vscode.commands.executeCommand('nnlab.export', vscode.Uri.joinPath(root, 'xor.nn.json'), 'caffe', out2), undefined);
    assert.ok(!existsSync(out2));
  });
});
