// Prepares what the end-to-end tests need, once, outside the repository:
//   - Debian packages: chromium (the browser Playwright drives), ripgrep (VS Code's search binary),
//     libkrb5-dev (code-server's `kerberos` native module builds against it). Installed with apt when
//     run as root; otherwise the one apt line to run is printed and the process exits non-zero.
//   - code-server 4.100.3 (VS Code 1.100.3, the last release that runs on Node 20), installed into
//     ~/.cache/nnlab-e2e/code-server-4.100.3 (NNLAB_E2E_CACHE overrides ~/.cache/nnlab-e2e) with the
//     recipe from issue 5: its own install scripts download binaries this machine cannot reach, so the
//     npm packages are installed with --ignore-scripts and the native modules rebuilt from source.
// Idempotent: a finished install is marked with `.complete`, and a second run returns in milliseconds.
//
//   node test/e2e/setup.mjs          prepare (or check) and print the code-server entry path
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync, copyFileSync, chmodSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev'];

export function cacheRoot() {
  return process.env.NNLAB_E2E_CACHE || join(homedir(), '.cache', 'nnlab-e2e');
}
export function codeServerDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}
export function codeServerEntry() {
  return join(codeServerDir(), 'node_modules/code-server/out/node/entry.js');
}

function log(msg) {
  process.stderr.write(`[e2e setup] ${msg}\n`);
}

function run(cmd, args, cwd, { allowFail = false, quiet = true } = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0 && !allowFail) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal} after ${secs}s:\n${tail}`);
  }
  log(`${cmd} ${args.join(' ')}: ${r.status === 0 ? 'ok' : `exit ${r.status} (tolerated)`} in ${secs}s`);
  return r;
}

function which(bin) {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim();
}

function missingAptPackages() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!which('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  return missing;
}

/** Installs the Debian packages (as root) or explains the one command to run. Returns false when missing. */
export function ensureAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) return true;
  const line = `apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    log(`installing Debian packages: ${missing.join(' ')}`);
    run('apt-get', ['update', '-qq'], '/');
    const r = spawnSync('apt-get', ['install', '-y', '-qq', ...APT_PACKAGES], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get install ${APT_PACKAGES.join(' ')} failed (${r.status})`);
    const still = missingAptPackages();
    if (still.length) throw new Error(`still missing after apt-get install: ${still.join(' ')}`);
    return true;
  }
  process.stderr.write(`e2e needs Debian packages that are not installed (${missing.join(', ')}). Run as root:\n  sudo sh -c '${line}'\n`);
  return false;
}

/** Installs code-server into the cache folder (once). Returns the path of its entry.js. */
export function ensureCodeServer() {
  const dir = codeServerDir();
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return codeServerEntry();
  const t0 = Date.now();
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (one time, a few minutes)`);
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'nnlab-e2e-code-server', private: true }, null, 2));
  run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], work);
  const cs = join(work, 'node_modules/code-server');
  const vs = join(cs, 'lib/vscode');
  // VS Code's own dependencies (the server and the extension host), without their download scripts.
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vs);
  // Debian's ripgrep where @vscode/ripgrep's post-install would have downloaded one.
  const rgDir = join(vs, 'node_modules/@vscode/ripgrep/bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync(which('rg'), join(rgDir, 'rg'));
  chmodSync(join(rgDir, 'rg'), 0o755);
  // Native modules, built from source against this Node. node-pty's post-install runs `npx node-gyp`
  // for a helper and fails here, after build/Release/pty.node is built: tolerated, then checked.
  run('npm', ['rebuild', 'kerberos', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog', 'node-pty'], vs, {
    allowFail: true,
  });
  for (const m of ['kerberos', '@parcel/watcher', '@vscode/spdlog', '@vscode/deviceid', 'native-watchdog', 'node-pty']) {
    const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(m)})`], { cwd: vs, encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`native module ${m} does not load after rebuild:\n${probe.stderr.split('\n').slice(0, 8).join('\n')}`);
  }
  // The server resolves some modules through node_modules.asar (packed in the desktop build).
  if (!existsSync(join(vs, 'node_modules.asar'))) symlinkSync('node_modules', join(vs, 'node_modules.asar'));
  run('npm', ['rebuild', 'argon2'], work);
  // Smoke check: the CLI answers --version.
  const v = spawnSync(process.execPath, [join(cs, 'out/node/entry.js'), '--version'], { encoding: 'utf8' });
  if (v.status !== 0 || !v.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server --version failed: ${v.stdout}\n${v.stderr}`);
  }
  writeFileSync(join(work, '.complete'), `${new Date().toISOString()} ${v.stdout.split('\n')[0]}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  log(`code-server ready in ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  return codeServerEntry();
}

/** Everything; returns { entry } or exits the process non-zero with the reason. */
export function setup() {
  if (!ensureAptPackages()) process.exit(2);
  const entry = ensureCodeServer();
  return { entry, version: readFileSync(join(codeServerDir(), '.complete'), 'utf8').trim() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const t0 = Date.now();
    const { entry } = setup();
    log(`ready (${((Date.now() - t0) / 1000).toFixed(1)}s): ${entry}`);
    console.log(entry);
  } catch (e) {
    console.error(`[e2e setup] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
