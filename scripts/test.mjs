// Runs every unit test file (test/unit/**/*.test.ts) with Node's built-in test runner through tsx.
// Extra arguments are passed on, e.g. `npm test -- --test-name-pattern=shape`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passOn = process.argv.slice(2).filter((a) => a.startsWith('-'));
function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}
const files = (dirs.length ? dirs : ['test/unit']).flatMap((d) => (d.endsWith('.ts') ? [d] : walk(join(root, d), []))).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...passOn, ...files], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
