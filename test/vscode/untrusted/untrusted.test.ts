// NN Lab in an UNTRUSTED workspace (Restricted Mode), inside a real VS Code. package.json declares
// `capabilities.untrustedWorkspaces.supported: "limited"`: dimensions, hovers and diagnostics work; training
// and reading data files do not. These files run only in the e2e harness's second code-server launch, whose
// folder is not trusted (workspace trust on, a fresh user-data-dir, no start-up prompt); see
// test/vscode/suite/README.md. The first test fails loudly if the workspace is trusted after all.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpec } from '../../../src/core/spec/analyze';
import { layerLens } from '../../../src/core/explain';
import { UNTRUSTED_TEXT } from '../../../src/training/probe';
import { at, hoverText, poll, readOrUndefined } from '../helpers';

const EXTENSION_ID = 'nnlab.nnlab';

interface Training {
  start(u: vscode.Uri): Promise<void>;
  probe(u: vscode.Uri): Promise<unknown>;
  state(u: vscode.Uri): { phase: string } | undefined;
}

async function file(relPath: string): Promise<vscode.Uri> {
  const [uri] = await vscode.workspace.findFiles(relPath);
  assert.ok(uri, `${relPath} is not in the workspace`);
  return uri;
}

async function open(relPath: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(await file(relPath));
  await vscode.window.showTextDocument(doc);
  return doc;
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
  return lenses.filter((l) => l.command).map((l) => l.command!.title);
}

const nn = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nnlab');
const where = (d: { code?: unknown; range: { start: { line: number; character: number }; end: { line: number; character: number } } }): string =>
  `${String(typeof d.code === 'object' && d.code !== null ? (d.code as { value: unknown }).value : d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;

suite('untrusted workspace: NN Lab in Restricted Mode', () => {
  let training: Training;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<{ services: { training: Training } }>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    training = (await ext.activate()).services.training;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the workspace is not trusted, and NN Lab (limited support) is active in it', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the harness opened this folder trusted: the untrusted checks below would prove nothing');
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  test('xor.nn.json: the same dimension lenses and teaching hover as in a trusted workspace', async () => {
    const doc = await open('xor.nn.json');
    const titles = await lensTitles(doc.uri);
    assert.ok(titles.includes('2 → 4 → 1 · 17 params (68 B) · training memory ≈ 704 B at batch 4'), titles.join(' | '));
    assert.ok(titles.includes('x (B×2) · W (2×4) + b (1×4) → tanh → (B×4) · 12 params'), titles.join(' | '));
    assert.ok(titles.includes('x (B×4) · W (4×1) + b (1×1) → sigmoid → (B×1) · 5 params'), titles.join(' | '));
    const md = await hoverText(doc.uri, at(doc, '"units": 4', 9));
    assert.ok(md.includes('**Parameters:** nᵢ·nₒ + nₒ = 2·4 + 4 = 12 (48 B as float32)'), md);
  });

  test('invalid/unknown-key.nn.json: NN101 error at 6:36–6:47, its quick fix, and the layer\'s lens', async () => {
    const doc = await open('invalid/unknown-key.nn.json');
    const diag = await poll('NN101', () => nn(doc.uri).find((d) => d.code === 'NN101'));
    // "activaton" (with its quotes) on line 6 (0-based 5), characters 35..46
    assert.equal(where(diag), 'NN101 5:35-5:46');
    assert.equal(doc.getText(diag.range), '"activaton"');
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diag.message, 'Unknown property "activaton" in a dense layer; did you mean "activation"?');
    // the spec core agrees, and it is the file's only problem
    const oracle = analyzeSpec(doc.getText(), { specPath: doc.uri.fsPath }).problems;
    assert.deepEqual(nn(doc.uri).map(where), oracle.map(where));
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range)) ?? [];
    assert.ok(
      actions.some((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && a.edit),
      `no quick fix among: ${actions.map((a) => a.title).join(', ')}`,
    );
    // the lenses agree with the diagnostics (issue 13 item 4): the layer is marked with its error, the
    // summary names it, and ▶ Train is not offered for a spec with an error
    const titles = await lensTitles(doc.uri);
    assert.ok(titles.includes('$(error) NN101 Unknown property "activaton" in a dense layer'), titles.join(' | '));
    assert.ok(titles.includes('$(error) 1 error · NN101 Unknown property "activaton" in a dense layer'), titles.join(' | '));
    assert.ok(!titles.includes('▶ Train'), titles.join(' | '));
  });

  test('Train refuses: no run starts, no .nnlab/runs folder, the training service says why', async () => {
    const xor = await file('xor.nn.json');
    const specDir = join(xor.fsPath, '..');
    // the training service, as the lens, the panels and the walkthrough reach it
    await assert.rejects(training.start(xor), {
      message: 'NN Lab does not train in an untrusted workspace (training runs code and reads data files). Trust this folder to train xor.nn.json.',
    });
    // the status bar's backend probe
    await assert.rejects(training.probe(xor), { message: UNTRUSTED_TEXT });
    assert.equal(UNTRUSTED_TEXT, 'training disabled (untrusted workspace)');
    // the command: it shows its warning (the harness reads the text in the page) and waits for it to close
    let settled = false;
    const run = Promise.resolve(vscode.commands.executeCommand('nnlab.train', xor)).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(settled, false, 'nnlab.train returned at once: it should be waiting on its "does not train" warning');
    assert.equal(training.state(xor), undefined, 'a run state exists');
    await vscode.commands.executeCommand('notifications.clearAll');
    await poll('nnlab.train to return once its warning is dismissed', () => (settled ? true : undefined));
    await run;
    assert.equal(training.state(xor), undefined, 'a run state exists');
    assert.equal(existsSync(join(specDir, '.nnlab')), false, `${join(specDir, '.nnlab')} was created`);
    assert.deepEqual(await vscode.workspace.findFiles('**/.nnlab/**'), []);
  });

  test('a CSV data source is not read: NN310 instead of its problems, the batch hover does not know N, the lenses do', async () => {
    // invalid/csv-column.nn.json names a label column its CSV lacks: NN306 once the file is read
    const bad = await open('invalid/csv-column.nn.json');
    const read = analyzeSpec(bad.getText(), { specPath: bad.uri.fsPath, readFile: readOrUndefined }).problems.map(where);
    assert.deepEqual(read, ['NN306 7:63-7:70'], 'the spec core (reading the CSV) finds the missing column');
    // its lenses prove the analysis ran; the diagnostics of an opened spec are set when it opens
    await poll('the lenses of csv-column.nn.json', async () => ((await lensTitles(bad.uri)).length > 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    // instead of its CSV problems, one info at the CSV path says why they are missing
    const diags = nn(bad.uri);
    assert.deepEqual(diags.map(where), ['NN310 7:35-7:52'], 'untrusted: the CSV was read, or its checks vanished silently');
    assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(
      diags[0]!.message,
      'The CSV file "data/points.csv" is not read because this workspace is not trusted (Restricted Mode: trust it to check the data and to train), so the checks that need its rows (columns, classes, sample count) are skipped.',
    );

    // iris.nn.json reads data/iris.csv (150 rows, 120 after the 0.2 split): N stays unknown
    const iris = await open('iris.nn.json');
    const md = await hoverText(iris.uri, at(iris, '"batchSize": 16', 3));
    assert.ok(md.includes('**Steps per epoch:** ⌈N/m⌉ for N training samples (the data size is known once the data file is read).'), md);
    assert.ok(!md.includes('⌈120/16⌉'), `the hover knows N, so the CSV was read: ${md}`);
    const trusted = analyzeSpec(iris.getText(), { specPath: iris.uri.fsPath, readFile: readOrUndefined });
    assert.equal(trusted.dataInfo?.samples, 150, 'the spec core reads 150 rows from data/iris.csv when allowed');
    // dimensions need no data
    const a = analyzeSpec(iris.getText(), { specPath: iris.uri.fsPath });
    const want = a.spec!.layers.map((l, i) => layerLens(l, a.shapes!.layers[i]!, 'full'));
    assert.deepEqual(want, ['x (B×4) · W (4×8) + b (1×8) → relu → (B×8) · 40 params', 'x (B×8) · W (8×3) + b (1×3) → softmax → (B×3) · 27 params']);
    const titles = await lensTitles(iris.uri);
    for (const t of want) assert.ok(titles.includes(t), `missing "${t}": ${titles.join(' | ')}`);
  });
});
