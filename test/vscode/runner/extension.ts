// NN Lab test runner: a tiny extension installed beside NN Lab into a real VS Code (code-server in the
// e2e harness). On activation it looks for a run request, `run.json` in its own folder (written there by
// the harness) or the file named by NNLAB_TEST_CONFIG, runs the extension-host mocha suites inside this
// extension host and writes the results JSON the harness reads. With no request it does nothing.
import * as vscode from 'vscode';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

export function activate(context: vscode.ExtensionContext): void {
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
