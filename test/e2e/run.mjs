// End-to-end tests in a real VS Code: the packaged .vsix installed into code-server 4.100.3, driven by
// Debian's Chromium through playwright-core, on a temporary copy of samples/.
//   npm run test:e2e                      everything
//   npm run test:e2e -- --grep graph      only tests whose name contains "graph"
//   npm run test:e2e -- --headed          (needs a display)
// Artefacts: test-results/e2e/ (one screenshot per test, code-server.log, vscode-suite.json, timings.json).
// Ends with "N passed, N failed" and exits non-zero on any failure.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from './setup.mjs';
import {
  VSIX,
  copySamples,
  findInstalled,
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
import { openWorkbench, screenshot, waitFor } from './workbench.mjs';
import { scenarios } from './scenarios.mjs';
import { buildTests } from '../vscode/build.mjs';

const argv = process.argv.slice(2);
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : undefined;
const headed = argv.includes('--headed');
const keep = argv.includes('--keep') || process.env.NNLAB_E2E_KEEP === '1';
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
      await time('extension-host suites', () => runHostSuites(ctx, built, runnerDir));
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
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await time('open workbench', () => openWorkbench(page, url));
    ctx.page = page;
    for (const sc of scenarios) {
      if (grep && !sc.name.toLowerCase().includes(grep.toLowerCase())) continue;
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
    await browser.close().catch(() => undefined);
    await stopProcess(server);
    if (!keep) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  }
}

function withTimeout(promise, ms, name) {
  let t;
  return Promise.race([promise, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`${name}: timed out after ${ms / 1000} s`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

async function runHostSuites(ctx, built, runnerDir) {
  const resultsPath = join(ctx.outDir, 'vscode-suite.json');
  if (built.suiteFiles.length === 0) {
    record('vscode suite: compiled suites found', false, 0, 'no test/vscode/suite/**/*.test.ts');
    return;
  }
  writeFileSync(join(runnerDir, 'run.json'), JSON.stringify({ files: built.suiteFiles, results: resultsPath, timeoutMs: 60_000 }));
  const t0 = Date.now();
  const context = await ctx.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  try {
    await openWorkbench(page, ctx.url);
    await waitFor('the extension-host suites to write their results', () => existsSync(resultsPath), { timeout: 8 * 60_000, interval: 500 });
    await screenshot(page, join(ctx.outDir, 'vscode-suite.png'));
  } catch (e) {
    await screenshot(page, join(ctx.outDir, 'vscode-suite.png'));
    record('vscode suite: results written', false, Date.now() - t0, e instanceof Error ? e.message : String(e));
    return;
  } finally {
    rmSync(join(runnerDir, 'run.json'), { force: true });
    await context.close();
  }
  const res = JSON.parse(readFileSync(resultsPath, 'utf8'));
  log(`extension-host suites ran in VS Code ${res.vscodeVersion}: ${res.passed} passed, ${res.failed} failed, ${res.pending} pending`);
  if (res.fatal) record('vscode suite: load', false, 0, res.fatal);
  else if (res.tests.length === 0) record('vscode suite: tests ran', false, 0, `no test ran from ${built.suiteFiles.length} suite file(s)`);
  for (const t of res.tests) {
    if (t.state === 'pending') {
      console.log(`skip vscode: ${t.fullTitle}`);
      continue;
    }
    record(`vscode: ${t.fullTitle}`, t.state === 'passed', t.durationMs, t.error ?? '');
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
