// Shared by the e2e harness (run.mjs) and `npm run try` (try.mjs): package the extension, install it
// into the cached code-server, serve a workspace on 127.0.0.1, drive the workbench with Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CHROMIUM } from './setup.mjs';

export const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const VSIX = join(root, 'dist-package/nnlab.vsix');

export function log(msg) {
  process.stderr.write(`[e2e] ${msg}\n`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** `npm run package`: production bundles + dist-package/nnlab.vsix. Returns seconds taken. */
export function packageExtension() {
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(VSIX)) throw new Error(`npm run package failed:\n${r.stdout}\n${r.stderr}`);
  return (Date.now() - t0) / 1000;
}

/** Installs .vsix files into an extensions folder with code-server's own CLI. */
export function installExtensions(entry, { userDataDir, extensionsDir }, vsixPaths) {
  const args = [entry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const v of vsixPaths) args.push('--install-extension', v);
  args.push('--force');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || /failed|error/i.test(r.stderr)) throw new Error(`installing ${vsixPaths.join(', ')} failed:\n${out}`);
  return out;
}

export function findInstalled(extensionsDir, id) {
  const d = readdirSync(extensionsDir).find((n) => n.startsWith(`${id}-`));
  return d ? join(extensionsDir, d) : undefined;
}

/** User settings that keep the workbench quiet and deterministic for tests. */
export function writeUserSettings(userDataDir, extra = {}) {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.enabled': false,
    'editor.hover.delay': 300,
    'chat.commandCenter.enabled': false,
    'workbench.colorTheme': 'Default Dark Modern',
    ...extra,
  };
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
}

/** A fresh copy of samples/ to serve as the workspace, so runs never write into the repository. */
export function copySamples(dest) {
  // NNLAB_E2E_SAMPLES: another folder to copy instead (for working on the harness itself)
  cpSync(process.env.NNLAB_E2E_SAMPLES ?? join(root, 'samples'), dest, { recursive: true, filter: (src) => !src.includes('/.nnlab') });
  // The samples name their schema as "../media/schemas/nn.schema.json": keep that path valid beside the copy.
  cpSync(join(root, 'media/schemas'), join(dest, '../media/schemas'), { recursive: true });
  return dest;
}

/**
 * User settings of an UNTRUSTED launch: workspace trust on (with code-server started without
 * --disable-workspace-trust, see startCodeServer's `workspaceTrust`), no start-up trust dialog, so the folder
 * (unknown to a fresh user-data-dir) opens in Restricted Mode.
 */
export const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.banner': 'always',
};

/**
 * Starts code-server on 127.0.0.1:port and resolves when /healthz answers. `workspaceTrust: true` leaves
 * VS Code's workspace trust on (the default launch turns it off with --disable-workspace-trust).
 */
export async function startCodeServer(entry, { port, userDataDir, extensionsDir, folder, logFile, env = {}, workspaceTrust = false }) {
  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  // detached: its own process group, so stopping it also ends the extension hosts it forked
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (logFile) {
    const out = createWriteStream(logFile);
    child.stdout.pipe(out);
    child.stderr.pipe(out);
  } else {
    child.stdout.resume();
    child.stderr.resume();
  }
  let exited = null;
  child.once('exit', (code, sig) => (exited = `${code ?? sig}`));
  // however this process ends (a thrown error included), the server and its extension hosts go with it
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before serving; see ${logFile}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopProcess(child);
  throw new Error(`code-server did not answer on 127.0.0.1:${port} within 60 s`);
}

/** Stops a process started with `detached: true` and everything in its process group. */
export function stopProcess(child) {
  const group = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };
  return new Promise((resolve) => {
    if (!child) return resolve();
    if (child.exitCode !== null || child.signalCode !== null) {
      group('SIGKILL');
      return resolve();
    }
    const t = setTimeout(() => group('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(t);
      // extension hosts left in the group
      setTimeout(() => {
        group('SIGKILL');
        resolve();
      }, 300);
    });
    group('SIGTERM');
  });
}

/** Chromium flags required on this machine (no network beyond loopback, no GPU, no sandbox as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
];

export async function launchChromium(headless = true) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? CHROMIUM, headless, args: CHROMIUM_ARGS });
}
