// Runs the extension-host mocha suites (compiled test/vscode/suite/**/*.test.ts) inside a running VS Code
// and collects one result per test. Shared by the test-runner extension (code-server, e2e harness) and
// by the @vscode/test-electron entry (npm run test:vscode). Mocha is bundled in by esbuild.
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  fullTitle: string;
  file: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export interface SuiteResults {
  startedAt: string;
  finishedAt: string;
  vscodeVersion: string;
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  /** set when the suite itself could not be loaded or run */
  fatal?: string;
}

export interface RunOptions {
  files: string[];
  timeoutMs?: number;
  grep?: string;
  vscodeVersion: string;
  /** one line per finished test, e.g. to an output channel or stdout */
  log?: (line: string) => void;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.message}\n${(err.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
  return String(err);
}

export async function runSuites(opts: RunOptions): Promise<SuiteResults> {
  const startedAt = new Date().toISOString();
  const tests: TestResult[] = [];
  const log = opts.log ?? (() => undefined);
  const results = (fatal?: string): SuiteResults => ({
    startedAt,
    finishedAt: new Date().toISOString(),
    vscodeVersion: opts.vscodeVersion,
    passed: tests.filter((t) => t.state === 'passed').length,
    failed: tests.filter((t) => t.state === 'failed').length + (fatal ? 1 : 0),
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
    ...(fatal ? { fatal } : {}),
  });
  // A reporter that prints nothing: results are collected from the runner's events below.
  const mocha = new Mocha({ ui: 'tdd', timeout: opts.timeoutMs ?? 60_000, color: false, reporter: Mocha.reporters.Base });
  if (opts.grep) mocha.grep(opts.grep);
  for (const f of opts.files) mocha.addFile(f);
  try {
    // Synchronous require(): the compiled suites are CommonJS and must go through the extension host's
    // module loader, which is what resolves `require('vscode')`.
    // (@types/mocha marks loadFiles protected; it is the documented synchronous loader that run() uses.)
    (mocha as unknown as { loadFiles(): void }).loadFiles();
  } catch (e) {
    log(`FATAL loading suites: ${errorText(e)}`);
    return results(`loading suites: ${errorText(e)}`);
  }
  return new Promise<SuiteResults>((resolve) => {
    const runner = mocha.run(() => resolve(results()));
    const file = (t: Mocha.Runnable): string => t.file ?? '';
    runner.on('pass', (t: Mocha.Test) => {
      tests.push({ title: t.title, fullTitle: t.fullTitle(), file: file(t), state: 'passed', durationMs: t.duration ?? 0 });
      log(`ok     ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on('fail', (t: Mocha.Runnable, err: unknown) => {
      // Hook failures ("before all" hook) arrive here too and are reported as a failed test of that name.
      tests.push({ title: t.title, fullTitle: t.fullTitle(), file: file(t), state: 'failed', durationMs: t.duration ?? 0, error: errorText(err) });
      log(`FAILED ${t.fullTitle()}: ${errorText(err)}`);
    });
    runner.on('pending', (t: Mocha.Test) => {
      tests.push({ title: t.title, fullTitle: t.fullTitle(), file: file(t), state: 'pending', durationMs: 0 });
      log(`skip   ${t.fullTitle()}`);
    });
  });
}
