// `npm run test:vscode`: the extension-host suites (test/vscode/suite/**/*.test.ts) in a desktop VS Code
// downloaded by @vscode/test-electron, with NN Lab loaded from this folder (extensionDevelopmentPath).
// The same suites also run inside code-server in `npm run test:e2e` (through the test-runner extension).
// When the VS Code download host cannot be reached (as on the project's CI machines) and no VS Code is
// cached in .vscode-test/, this prints one line saying so and exits 0 as SKIPPED: it never reports a pass.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, cpSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTests, root } from './build.mjs';

const DOWNLOAD_HOST = 'https://update.code.visualstudio.com/api/releases/stable';

async function reachable(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(8000) });
    return r.ok ? true : `HTTP ${r.status}`;
  } catch (e) {
    return (e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)).split('\n')[0];
  }
}

const cached = existsSync(join(root, '.vscode-test')) && readdirSync(join(root, '.vscode-test')).some((d) => d.startsWith('vscode-'));
if (!cached) {
  const ok = await reachable(DOWNLOAD_HOST);
  if (ok !== true) {
    console.log(`SKIPPED: npm run test:vscode needs to download VS Code from update.code.visualstudio.com, which is unreachable here (${ok}); the same suites run inside code-server in npm run test:e2e.`);
    process.exit(0);
  }
}

const { runTests } = await import('@vscode/test-electron');
if (spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const built = await buildTests();
mkdirSync(join(root, 'test-results'), { recursive: true });
if (built.suiteFiles.length === 0) {
  console.error('no test/vscode/suite/**/*.test.ts to run');
  process.exit(1);
}
const workspace = join(mkdtempSync(join(tmpdir(), 'nnlab-vscode-')), 'samples');
cpSync(join(root, 'samples'), workspace, { recursive: true });
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: built.electronIndex,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { NNLAB_TEST_FILES: JSON.stringify(built.suiteFiles), NNLAB_TEST_RESULTS: join(root, 'test-results/vscode-electron.json') },
  });
} catch (e) {
  console.error(`extension-host tests failed: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
