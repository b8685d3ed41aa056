// Compiles the extension-host test infrastructure into .e2e-cache/vscode/ (git-ignored; the e2e harness
// passes a folder of its own run instead, so two runs in one checkout don't clash):
//   runner/        the NN Lab Test Runner extension (extension.js with mocha bundled in, package.json)
//   electron-index.js   the @vscode/test-electron entry
//   suite/*.test.js     every test/vscode/suite/**/*.test.ts, bundled (CommonJS, `vscode` external)
//   untrusted/*.test.js every test/vscode/untrusted/**/*.test.ts: run only in an untrusted workspace (the
//                       e2e harness's second code-server launch), never with the suites above
//   nnlab-test-runner.vsix   (with --vsix) the runner packaged for `code-server --install-extension`
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
export const defaultOutDir = join(root, '.e2e-cache/vscode');

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.test\.ts$/.test(name)) out.push(p);
  }
  return out.sort();
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: 'inline',
  // 'error': mocha's optional parallel mode warns about require.resolve of files it never loads here
  logLevel: 'error',
  mainFields: ['module', 'main'],
};

/** Bundles every *.test.ts under `srcDir` into `outDir`; returns the compiled files. */
async function buildSuites(srcDir, outDir) {
  const sources = walk(srcDir);
  const entryPoints = Object.fromEntries(sources.map((s) => [relative(srcDir, s).replace(/\.ts$/, ''), s]));
  if (sources.length) await esbuild.build({ ...common, entryPoints, outdir: outDir });
  return Object.keys(entryPoints).map((k) => join(outDir, `${k}.js`));
}

/** Builds everything; returns { suiteFiles, untrustedFiles, runnerDir, electronIndex, runnerVsix? }. */
export async function buildTests({ vsix = false, outDir = defaultOutDir } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const runnerDir = join(outDir, 'runner');
  mkdirSync(runnerDir, { recursive: true });
  await esbuild.build({ ...common, entryPoints: { extension: join(root, 'test/vscode/runner/extension.ts') }, outdir: runnerDir });
  await esbuild.build({ ...common, entryPoints: { 'electron-index': join(root, 'test/vscode/runner/electron-index.ts') }, outdir: outDir });
  copyFileSync(join(root, 'test/vscode/runner/package.json'), join(runnerDir, 'package.json'));
  copyFileSync(join(root, 'LICENSE'), join(runnerDir, 'LICENSE'));
  writeFileSync(join(runnerDir, 'README.md'), '# NN Lab Test Runner\n\nTest harness only: runs NN Lab\'s extension-host suites when a run request is present.\n');
  const suiteFiles = await buildSuites(join(root, 'test/vscode/suite'), join(outDir, 'suite'));
  const untrustedFiles = await buildSuites(join(root, 'test/vscode/untrusted'), join(outDir, 'untrusted'));
  let runnerVsix;
  if (vsix) {
    runnerVsix = join(outDir, 'nnlab-test-runner.vsix');
    const r = spawnSync(join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', runnerVsix], {
      cwd: runnerDir,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`vsce package (test runner) failed:\n${r.stdout}\n${r.stderr}`);
  }
  return { suiteFiles, untrustedFiles, runnerDir, electronIndex: join(outDir, 'electron-index.js'), runnerVsix };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const r = await buildTests({ vsix: process.argv.includes('--vsix') });
  console.log(JSON.stringify(r, null, 2));
}
