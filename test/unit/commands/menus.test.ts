// The editor title bar's Train / Pause-Resume / Stop buttons (issue 13 item 19): with the panels in
// their own column, the run controls stay on the spec's editor. Checks package.json's menu entries,
// their codicons and that every nnlab.* context key they use is one the extension sets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface MenuItem { command: string; when?: string; group?: string }
interface Pkg { contributes: { commands: { command: string; icon?: string }[]; menus: Record<string, MenuItem[]> } }
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as Pkg;
const commandsSource = readFileSync(new URL('../../../src/commands/index.ts', import.meta.url), 'utf8');

const SPEC = 'resourceFilename =~ /\\.nn\\.json$/';

test('the editor title bar has Train (idle), then Pause (running) or Resume (paused), and Stop (training), for .nn.json only', () => {
  assert.deepEqual(pkg.contributes.menus['editor/title'], [
    { command: 'nnlab.train', when: `${SPEC} && !nnlab.training`, group: 'navigation@1' },
    { command: 'nnlab.pause', when: `${SPEC} && nnlab.training && !nnlab.paused`, group: 'navigation@2' },
    { command: 'nnlab.resume', when: `${SPEC} && nnlab.paused`, group: 'navigation@2' },
    { command: 'nnlab.stop', when: `${SPEC} && nnlab.training`, group: 'navigation@3' },
  ]);
});

test('each title-bar command has a codicon icon', () => {
  const icon = (c: string): string | undefined => pkg.contributes.commands.find((x) => x.command === c)?.icon;
  assert.equal(icon('nnlab.train'), '$(play)');
  assert.equal(icon('nnlab.pause'), '$(debug-pause)');
  assert.equal(icon('nnlab.resume'), '$(debug-continue)');
  assert.equal(icon('nnlab.stop'), '$(debug-stop)');
});

test('every nnlab.* context key in a menu `when` is set by src/commands/index.ts', () => {
  const set = new Set([...commandsSource.matchAll(/setKey\('(nnlab\.[\w.]+)'/g)].map((m) => m[1]));
  const used = new Set(Object.values(pkg.contributes.menus).flat().flatMap((m) => [...(m.when ?? '').matchAll(/(?<![\w.])(nnlab\.[\w.]+)/g)].map((x) => x[1])));
  assert.ok(used.has('nnlab.training'));
  assert.ok(used.has('nnlab.paused'));
  for (const k of used) assert.ok(set.has(k), `${k} is used in a menu but never set`);
});
