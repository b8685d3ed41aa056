// NN Lab test runner: a tiny extension installed beside NN Lab into a real VS Code (code-server in the
// e2e harness). On activation it looks for a run request, `run.json` in its own folder (written there by
// the harness) or the file named by NNLAB_TEST_CONFIG, runs the extension-host mocha suites inside this
// extension host and writes the results JSON the harness reads. With no request it does nothing.
import * as vscode from 'vscode';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { runSuites } from './mocha-run';

interface RunRequest {
  /** absolute paths of the compiled suite files */
  files: string[];
  /** where to write the SuiteResults JSON (written to `<results>.tmp` then renamed) */
  results: string;
  timeoutMs?: number;
  grep?: string;
}

/**
 * The command bridge, for the browser-driven scenarios: when `bridge.json` ({ "portFile": path }) is in
 * this extension's folder, serve POST /exec { command, args } → { ok, result } on 127.0.0.1 (a free
 * port, written to portFile), so the harness can read what only the extension host knows (e.g.
 * `nnlab._panelState`, which the panels fill from their webviews' own reports). Nothing else is served.
 */
function startBridge(context: vscode.ExtensionContext): void {
  const bridgePath = join(context.extensionPath, 'bridge.json');
  if (!existsSync(bridgePath)) return;
  const { portFile } = JSON.parse(readFileSync(bridgePath, 'utf8')) as { portFile: string };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const reply = (code: number, v: unknown): void => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      if (req.method !== 'POST' || req.url !== '/exec') return reply(404, { ok: false, error: 'POST /exec only' });
      let msg: { command: string; args?: unknown[] };
      try {
        msg = JSON.parse(body) as { command: string; args?: unknown[] };
      } catch (e) {
        return reply(400, { ok: false, error: String(e) });
      }
      // `_nnlabTest.updateSetting` [key, value]: a user setting (null removes it), as the Settings editor
      // would write it (the scenarios' High Contrast theme and projector font size)
      // `_nnlabTest.documents`: every open text document's path, dirty flag and text (what a tab's
      // marker shows, read where VS Code keeps it); `_nnlabTest.revert` [path]: File: Revert File on it;
      // `_nnlabTest.open` [workspace-relative path]: the file in the active editor group (a file a scenario
      // has just written, before quick open's index or the explorer has seen it)
      const run =
        msg.command === '_nnlabTest.updateSetting'
          ? updateSetting(String(msg.args?.[0]), msg.args?.[1])
          : msg.command === '_nnlabTest.documents'
            ? vscode.workspace.textDocuments.map((d) => ({ uri: d.uri.toString(), path: d.uri.fsPath, isDirty: d.isDirty, text: d.getText() }))
            : msg.command === '_nnlabTest.revert'
              ? revert(String(msg.args?.[0]))
              : msg.command === '_nnlabTest.open'
                ? open(String(msg.args?.[0]))
                : vscode.commands.executeCommand(msg.command, ...(msg.args ?? []));
      Promise.resolve(run).then(
        (result) => reply(200, { ok: true, result: result ?? null }),
        (e: unknown) => reply(200, { ok: false, error: e instanceof Error ? e.message : String(e) }),
      );
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    if (addr && typeof addr === 'object') writeFileSync(portFile, String(addr.port));
  });
  context.subscriptions.push({ dispose: () => server.close() });
}

async function open(relPath: string): Promise<null> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder');
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, relPath), { preview: false });
  return null;
}

async function revert(path: string): Promise<null> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(path)));
  await vscode.commands.executeCommand('workbench.action.files.revert');
  return null;
}

async function updateSetting(key: string, value: unknown): Promise<null> {
  const dot = key.lastIndexOf('.');
  await vscode.workspace.getConfiguration(key.slice(0, dot)).update(key.slice(dot + 1), value === null ? undefined : value, vscode.ConfigurationTarget.Global);
  return null;
}

export function activate(context: vscode.ExtensionContext): void {
  startBridge(context);
  const configPath = process.env.NNLAB_TEST_CONFIG || join(context.extensionPath, 'run.json');
  if (!existsSync(configPath)) return;
  let req: RunRequest;
  try {
    req = JSON.parse(readFileSync(configPath, 'utf8')) as RunRequest;
  } catch (e) {
    void vscode.window.showErrorMessage(`NN Lab test runner: cannot read ${configPath}: ${e}`);
    return;
  }
  // One run per request: a window reload must not run the suites a second time.
  if (existsSync(req.results)) return;
  const out = vscode.window.createOutputChannel('NN Lab Tests');
  context.subscriptions.push(out);
  out.appendLine(`running ${req.files.length} suite file(s) in VS Code ${vscode.version}`);
  void runSuites({ files: req.files, timeoutMs: req.timeoutMs, grep: req.grep, vscodeVersion: vscode.version, log: (l) => out.appendLine(l) })
    .catch((e: unknown) => ({
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
      vscodeVersion: vscode.version,
      passed: 0,
      failed: 1,
      pending: 0,
      tests: [],
      fatal: String(e),
    }))
    .then((results) => {
      writeFileSync(`${req.results}.tmp`, JSON.stringify(results, null, 2));
      renameSync(`${req.results}.tmp`, req.results);
      out.appendLine(`${results.passed} passed, ${results.failed} failed`);
    });
}

export function deactivate(): void {
  // nothing to clean up
}
