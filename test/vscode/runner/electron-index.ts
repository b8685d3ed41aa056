// Entry for @vscode/test-electron (`extensionTestsPath`): runs the same compiled suites as the
// code-server runner extension, prints one line per test, and rejects when any test failed.
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { runSuites } from './mocha-run';

export async function run(): Promise<void> {
  const files = JSON.parse(process.env.NNLAB_TEST_FILES ?? '[]') as string[];
  const results = await runSuites({ files, vscodeVersion: vscode.version, log: (l) => console.log(l) });
  if (process.env.NNLAB_TEST_RESULTS) writeFileSync(process.env.NNLAB_TEST_RESULTS, JSON.stringify(results, null, 2));
  console.log(`${results.passed} passed, ${results.failed} failed`);
  if (results.failed > 0 || results.passed === 0) throw new Error(`${results.failed} extension-host test(s) failed${results.fatal ? `: ${results.fatal}` : ''}`);
}
