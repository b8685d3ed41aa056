// End-to-end tests in a real VS Code: the packaged .vsix installed into code-server 4.100.3, driven by
// Debian's Chromium through playwright-core, on a temporary copy of samples/.
//   npm run test:e2e                      everything
//   npm run test:e2e -- --grep graph      only tests whose name contains "graph"
//   npm run test:e2e -- --grep '5b|13c'   scenarios whose name contains either
//   npm run test:e2e -- --grep vscode:fontScale  only the in-host suite files whose name contains "fontScale"
//   npm run test:e2e -- --grep untrusted  only the untrusted-workspace launch (test/vscode/untrusted/)
//   npm run test:e2e -- --headed          (needs a display)
// After the scenarios, a second code-server (its own user-data-dir, workspace trust on) serves another copy of
// samples/ that it does not trust: the untrusted suites run there, then the page's status bar and Train warning
// are read. Artefacts: test-results/e2e/ (one screenshot per test, code-server.log, vscode-suite.json,
// code-server-untrusted.log, vscode-untrusted.json, timings.json).
// Ends with "N passed, N failed" and exits non-zero on any failure.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setup } from './setup.mjs';
import {
  VSIX,
  copySamples,
  findInstalled,
  UNTRUSTED_SETTINGS,
  freePort,
  installExtensions,
  launchChromium,
  log,
  packageExtension,
  root,
  startCodeServer,
  stopProcess,
  writeUserSettings,
} from './lib.mjs';
import { openFile, openWorkbench, runCommand, screenshot, statusBarText, useBridge, waitFor } from './workbench.mjs';
import { scenarios } from './scenarios.mjs';
import { buildTests } from '../vscode/build.mjs';

const argv = process.argv.slice(2);
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : undefined;
const headed = argv.includes('--headed');
const keep = argv.includes('--keep') || process.env.NNLAB_E2E_KEEP === '1';
const untrustedOnly = grep !== undefined && 'untrusted workspace'.startsWith(grep.toLowerCase());
const runUntrusted = !grep || (grep.startsWith('vscode') && !grep.startsWith('vscode:')) || untrustedOnly;
// NNLAB_E2E_OUT: another artefact folder (e.g. when two runs share a checkout)
const outDir = process.env.NNLAB_E2E_OUT ?? join(root, 'test-results/e2e');
const timings = {};
const t00 = Date.now();
const time = async (name, fn) => {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = +((Date.now() - t0) / 1000).toFixed(1);
    log(`${name}: ${timings[name]} s`);
  }
};

const results = [];
function record(name, ok, ms, detail = '') {
  results.push({ name, ok, ms, detail });
  const line = `${ok ? 'ok  ' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)${ok ? '' : `\n     ${detail.split('\n').join('\n     ')}`}`;
  console.log(line);
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

async function main() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const { entry } = await time('setup (apt + cached code-server)', () => setup());
  // NNLAB_E2E_VSIX: test an already packaged .vsix instead (for working on the harness itself)
  const vsix = process.env.NNLAB_E2E_VSIX ?? VSIX;
  if (!process.env.NNLAB_E2E_VSIX) await time('npm run package', () => packageExtension());
  const tmp = mkdtempSync(join(tmpdir(), 'nnlab-e2e-'));
  const built = await time('build test runner + suites', () => buildTests({ vsix: true, outDir: join(tmp, 'vscode-tests') }));

  const workspace = copySamples(join(tmp, 'samples'));
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  writeUserSettings(userDataDir);
  await time('install extensions', () => installExtensions(entry, { userDataDir, extensionsDir }, [vsix, built.runnerVsix]));
  const runnerDir = findInstalled(extensionsDir, 'nnlab.nnlab-test-runner');
  if (!findInstalled(extensionsDir, 'nnlab.nnlab') || !runnerDir) throw new Error(`extensions not installed in ${extensionsDir}`);

  try {
    if (!untrustedOnly) await trustedPass({ entry, built, workspace, userDataDir, extensionsDir, runnerDir, tmp });
    // 3. The untrusted workspace: its own launch, after the first server has stopped.
    if (runUntrusted) await time('untrusted workspace (second launch)', () => untrustedPass({ entry, built, extensionsDir, runnerDir, tmp }));
  } finally {
    if (!keep) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
}

async function trustedPass({ entry, built, workspace, userDataDir, extensionsDir, runnerDir, tmp }) {
  const port = await freePort();
  const server = await time('start code-server', () =>
    startCodeServer(entry, { port, userDataDir, extensionsDir, folder: workspace, logFile: join(outDir, 'code-server.log') }),
  );
  const browser = await launchChromium(!headed);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  const ctx = { browser, url, port, workspace, userDataDir, extensionsDir, outDir, root };
  try {
    // 1. The extension-host mocha suites, run inside this VS Code by the test-runner extension.
    if (!grep || 'vscode suite'.includes(grep) || grep.startsWith('vscode')) {
      // `--grep vscode:fontScale`: only the suite files whose name contains "fontScale"
      const only = grep?.startsWith('vscode:') ? grep.slice('vscode:'.length) : undefined;
      const files = only ? built.suiteFiles.filter((f) => basename(f).includes(only)) : built.suiteFiles;
      await time('extension-host suites', () => runHostSuites(ctx, built, runnerDir, { files }));
    }
    // 2. The user-level scenarios, in one browser page (state carries over like a user's session).
    // The runner extension's command bridge lets them read what only the extension host knows.
    const portFile = join(tmp, 'bridge-port');
    writeFileSync(join(runnerDir, 'bridge.json'), JSON.stringify({ portFile }));
    ctx.bridgePort = () => (existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined);
    ctx.exec = async (command, ...args) => {
      const p = await waitFor('the test runner\'s command bridge', async () => ctx.bridgePort(), { timeout: 30_000 });
      const r = await fetch(`http://127.0.0.1:${p}/exec`, { method: 'POST', body: JSON.stringify({ command, args }) });
      const j = await r.json();
      if (!j.ok) throw new Error(`${command}: ${j.error}`);
      return j.result;
    };
    ctx.note = (msg) => log(msg);
    // more screenshots inside one scenario: <out>/<slug of name>.png
    ctx.shot = async (name) => {
      const path = join(outDir, `${slug(name)}.png`);
      await screenshot(ctx.page, path);
      log(`screenshot ${path}`);
    };
    // changes user settings through the extension host (as the Settings editor would; the workbench
    // applies them at once): the screenshot standard's High Contrast theme, a projector's
    // editor.fontSize; undefined removes a key
    ctx.settings = async (patch) => {
      for (const [k, v] of Object.entries(patch)) await ctx.exec('_nnlabTest.updateSetting', k, v ?? null);
    };
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await time('open workbench', () => openWorkbench(page, url));
    ctx.page = page;
    useBridge(ctx.exec);
    for (const sc of scenarios) {
      if (grep && !grep.toLowerCase().split('|').some((g) => sc.name.toLowerCase().includes(g))) continue;
      // opt-in scenarios run only when --grep names them (see each one's `optIn` for why)
      if (sc.optIn && !grep) continue;
      const t0 = Date.now();
      const shot = join(outDir, `${slug(sc.name)}.png`);
      try {
        await withTimeout(sc.run(ctx), sc.timeoutMs ?? 120_000, sc.name);
        await screenshot(ctx.page, shot);
        record(sc.name, true, Date.now() - t0);
      } catch (e) {
        await screenshot(ctx.page, shot);
        record(sc.name, false, Date.now() - t0, e instanceof Error ? e.message : String(e));
        // leave the workbench usable for the next scenario
        await ctx.page.keyboard.press('Escape').catch(() => undefined);
      }
      timings[`scenario: ${sc.name}`] = +((Date.now() - t0) / 1000).toFixed(1);
    }
    await context.close();
  } finally {
    useBridge(undefined);
    await browser.close().catch(() => undefined);
    await stopProcess(server);
  }
}

/**
 * The untrusted workspace: a second code-server with workspace trust on and a fresh user-data-dir (which
 * trusts no folder), serving another copy of samples/ in Restricted Mode, the extensions installed above.
 * The runner runs test/vscode/untrusted/; then the page is read: NN Lab's status bar item and the warning
 * Train shows, and no run folder may appear.
 */
async function untrustedPass({ entry, built, extensionsDir, runnerDir, tmp }) {
  if (built.untrustedFiles.length === 0) {
    record('untrusted: compiled suites found', false, 0, 'no test/vscode/untrusted/**/*.test.ts');
    return;
  }
  const workspace = copySamples(join(tmp, 'untrusted', 'samples'));
  const userDataDir = join(tmp, 'user-data-untrusted');
  writeUserSettings(userDataDir, UNTRUSTED_SETTINGS);
  rmSync(join(runnerDir, 'bridge.json'), { force: true });
  const port = await freePort();
  const server = await startCodeServer(entry, { port, userDataDir, extensionsDir, folder: workspace, logFile: join(outDir, 'code-server-untrusted.log'), workspaceTrust: true });
  const browser = await launchChromium(!headed);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  try {
    await runHostSuites({ browser, url, outDir }, built, runnerDir, {
      files: built.untrustedFiles,
      name: 'vscode-untrusted',
      label: 'untrusted',
      after: (page) => untrustedPage(page, workspace),
    });
  } finally {
    await browser.close().catch(() => undefined);
    await stopProcess(server);
  }
}

/** What the untrusted workbench shows: the status bar item, and Train's warning (exact text), with no run folder. */
async function untrustedPage(page, workspace) {
  const UNTRUSTED_TEXT = 'training disabled (untrusted workspace)';
  const WARNING = 'NN Lab does not train in an untrusted workspace (training runs code and reads data files). Lenses, hovers and diagnostics still work.';
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      record(`untrusted: ${name}`, true, Date.now() - t0);
    } catch (e) {
      await screenshot(page, join(outDir, `untrusted-${slug(name)}.png`));
      record(`untrusted: ${name}`, false, Date.now() - t0, e instanceof Error ? e.message : String(e));
    }
  };
  await check(`the status bar says "${UNTRUSTED_TEXT}" for xor.nn.json`, async () => {
    await openFile(page, 'xor.nn.json');
    const item = page.locator('.statusbar-item[id^="nnlab.nnlab"]');
    await waitFor(`NN Lab's status bar item to read "${UNTRUSTED_TEXT}"`, async () => (await item.count()) > 0 && (await item.first().innerText()).includes(UNTRUSTED_TEXT), {
      timeout: 15_000,
    }).catch(async (e) => {
      throw new Error(`${e.message}; status bar: ${await statusBarText(page)}`);
    });
  });
  await check('NN Lab: Train shows its refusal and writes no .nnlab/runs', async () => {
    const message = page.locator('.notification-toast .notification-list-item-message', { hasText: 'NN Lab does not train' });
    await runCommand(page, 'NN Lab: Train');
    await waitFor('the Train warning', async () => (await message.count()) > 0, { timeout: 15_000 });
    const text = (await message.first().innerText()).replace(/\u00a0/g, ' ').trim();
    if (text !== WARNING) throw new Error(`the warning reads "${text}", expected "${WARNING}"`);
    const button = page.locator('.notification-toast', { hasText: 'NN Lab does not train' }).getByRole('button', { name: 'Manage Workspace Trust' });
    await waitFor('a "Manage Workspace Trust" button on the warning', async () => (await button.count()) > 0, { timeout: 5000 });
    await screenshot(page, join(outDir, 'untrusted-train-warning.png'));
    await page.waitForTimeout(1000);
    if (existsSync(join(workspace, '.nnlab'))) throw new Error(`${join(workspace, '.nnlab')} was created`);
  });
}

function withTimeout(promise, ms, name) {
  let t;
  return Promise.race([promise, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`${name}: timed out after ${ms / 1000} s`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

/**
 * Runs compiled suites inside the served VS Code through the runner extension and records each test as
 * `<label>: <full title>`. `after(page)`: more checks in the same page once the results are in.
 */
async function runHostSuites(ctx, built, runnerDir, { files = built.suiteFiles, name = 'vscode-suite', label = 'vscode', after } = {}) {
  const resultsPath = join(ctx.outDir, `${name}.json`);
  if (files.length === 0) {
    record(`${label} suite: compiled suites found`, false, 0, 'no test/vscode/suite/**/*.test.ts');
    return;
  }
  writeFileSync(join(runnerDir, 'run.json'), JSON.stringify({ files, results: resultsPath, timeoutMs: 60_000 }));
  const t0 = Date.now();
  const context = await ctx.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await openWorkbench(page, ctx.url);
    await waitFor('the extension-host suites to write their results', () => existsSync(resultsPath), { timeout: 8 * 60_000, interval: 500 });
    await screenshot(page, join(ctx.outDir, `${name}.png`));
    rmSync(join(runnerDir, 'run.json'), { force: true });
    recordHostResults(resultsPath, files, label);
    if (after) await after(page);
  } catch (e) {
    await screenshot(page, join(ctx.outDir, `${name}.png`));
    if (!existsSync(resultsPath)) record(`${label} suite: results written`, false, Date.now() - t0, e instanceof Error ? e.message : String(e));
    else record(`${label}: checks in the page`, false, Date.now() - t0, e instanceof Error ? e.stack ?? e.message : String(e));
  } finally {
    rmSync(join(runnerDir, 'run.json'), { force: true });
    await context.close();
  }
}

function recordHostResults(resultsPath, files, label) {
  const res = JSON.parse(readFileSync(resultsPath, 'utf8'));
  log(`${label} suites ran in VS Code ${res.vscodeVersion}: ${res.passed} passed, ${res.failed} failed, ${res.pending} pending`);
  if (res.fatal) record(`${label} suite: load`, false, 0, res.fatal);
  else if (res.tests.length === 0) record(`${label} suite: tests ran`, false, 0, `no test ran from ${files.length} suite file(s)`);
  for (const t of res.tests) {
    if (t.state === 'pending') {
      console.log(`skip ${label}: ${t.fullTitle}`);
      continue;
    }
    record(`${label}: ${t.fullTitle}`, t.state === 'passed', t.durationMs, t.error ?? '');
  }
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  record('harness', false, Date.now() - t00, e instanceof Error ? e.stack ?? e.message : String(e));
}
timings.total = +((Date.now() - t00) / 1000).toFixed(1);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'timings.json'), JSON.stringify({ timings, results }, null, 2));
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
if (results.length === 0) exitCode = 1;
if (failed) {
  console.log('\nfailed:');
  for (const r of results.filter((x) => !x.ok)) console.log(`  - ${r.name}`);
  exitCode = 1;
}
console.log(`\ne2e total ${timings.total} s; artefacts in test-results/e2e/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
