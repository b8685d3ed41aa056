// The `nnlab` argument tables (src/cli/args.ts, util.parseArgs strict): `<command> --help` prints that
// command's usage on stdout and exits 0 for every command; unknown options, missing values and wrong
// argument counts are usage errors (exit 2) with one clear line; `nnlab help <command>` is the same text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { usageText } from '../../../src/cli/args';
import { COMMANDS } from '../../../src/cli/commands';
import { captureProcessOutput } from '../helpers/capture';

const root = resolve(__dirname, '../../..');

const capture = (f: () => Promise<number>) => captureProcessOutput(f, root);

const cmd = (name: string) => COMMANDS.find((c) => c.command.name === name)!;

test('every command: --help and -h print its usage (every option listed) on stdout and exit 0', async () => {
  assert.deepEqual(COMMANDS.map((c) => c.command.name), ['validate', 'inspect', 'train', 'predict', 'grad', 'walkthrough', 'export', 'plot', 'lab']);
  for (const c of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const r = await capture(() => c.run([flag]));
      assert.equal(r.code, 0, `${c.command.name} ${flag}: ${r.err}`);
      assert.equal(r.err, '');
      assert.equal(r.out, usageText(c.command));
    }
    const text = usageText(c.command);
    assert.ok(text.startsWith(`Usage: nnlab ${c.command.name} ${c.command.args} [options]\n`), text);
    for (const name of [...Object.keys(c.command.options), 'help']) assert.match(text, new RegExp(`^  (-h, )?--${name}\\b`, 'm'), `${c.command.name} lists --${name}`);
    // --help wins even with other arguments, or a mistake, on the line
    assert.equal((await capture(() => c.run(['samples/xor.nn.json', '--bogus', '--help']))).code, 0);
  }
});

test('grad --help (the issue: "unknown option") prints the grad usage', async () => {
  const r = await capture(() => cmd('grad').run(['--help']));
  assert.equal(r.code, 0);
  assert.match(r.out, /^Usage: nnlab grad <spec\.nn\.json> \[options\]\n/);
  assert.match(r.out, /\n {2}--fd-limit N {4}check at most N parameters by the difference quotient \(default 500\)\n/);
});

test('unknown options are usage errors for every command: one line naming the option, the usage, exit 2', async () => {
  for (const c of COMMANDS) {
    const r = await capture(() => c.run(['samples/xor.nn.json', '--bogus']));
    assert.equal(r.code, 2, c.command.name);
    assert.equal(r.out, '');
    assert.equal(r.err, `nnlab ${c.command.name}: unknown option --bogus\n\n${usageText(c.command)}`);
  }
  // a misspelt option is no longer silently ignored (train trained 100 epochs on "--epoch 3")
  assert.match((await capture(() => cmd('train').run(['samples/xor.nn.json', '--epoch', '3']))).err, /^nnlab train: unknown option --epoch\n/);
});

test('values: missing, given to a flag, out of range; argument counts', async () => {
  const first = async (name: string, args: string[]) => {
    const r = await capture(() => cmd(name).run(args));
    return { code: r.code, line: r.err.split('\n')[0] };
  };
  assert.deepEqual(await first('inspect', ['samples/xor.nn.json', '--memory-limit-mb']), { code: 2, line: 'nnlab inspect: option --memory-limit-mb needs a value' });
  assert.deepEqual(await first('inspect', ['samples/xor.nn.json', '--memory-limit-mb', 'lots']), { code: 2, line: 'nnlab inspect: --memory-limit-mb needs a positive number of MiB, got lots' });
  assert.deepEqual(await first('inspect', ['samples/xor.nn.json', '--json=yes']), { code: 2, line: 'nnlab inspect: option --json takes no value' });
  assert.deepEqual(await first('grad', ['samples/xor.nn.json', '--sample', '-1']), { code: 2, line: "nnlab grad: option --sample needs a value; for a value starting with '-' write --sample=-…" });
  assert.deepEqual(await first('grad', ['samples/xor.nn.json', '--sample=-1']), { code: 2, line: 'nnlab grad: --sample must be an integer ≥ 0, got -1' });
  assert.deepEqual(await first('grad', ['samples/xor.nn.json', '--seed', '4294967296']), { code: 2, line: 'nnlab grad: --seed must be an integer in [0, 4294967295], got 4294967296' });
  assert.deepEqual(await first('train', ['samples/xor.nn.json', '--epochs', '0']), { code: 2, line: 'nnlab train: --epochs must be an integer ≥ 1, got 0' });
  assert.deepEqual(await first('inspect', []), { code: 2, line: 'nnlab inspect: expects 1 argument (<file>), got 0' });
  assert.deepEqual(await first('inspect', ['a.nn.json', 'b.nn.json']), { code: 2, line: 'nnlab inspect: expects 1 argument (<file>), got 2: a.nn.json b.nn.json' });
  assert.deepEqual(await first('validate', []), { code: 2, line: 'nnlab validate: expects at least 1 argument (<files or folders…>), got 0' });
  assert.deepEqual(await first('predict', ['latest']), { code: 2, line: "nnlab predict: --input is required, e.g. --input '[[0,1],[1,1]]'" });
  // repeated --set is collected in order
  const s = await capture(() => cmd('walkthrough').run(['gradient-descent', '--set', 'alpha=0.9', '--set=w0=2']));
  assert.equal(s.code, 0, s.err);
  assert.ok(s.out.includes('α = 0.9'), s.out);
});

test('the real command line: nnlab grad --help exits 0; nnlab help grad prints the same; an unknown option exits 2', () => {
  const nnlab = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, encoding: 'utf8' });
  const h = nnlab('grad', '--help');
  assert.equal(h.status, 0, h.stderr);
  assert.equal(h.stdout, usageText(cmd('grad').command));
  const hg = nnlab('help', 'grad');
  assert.equal(hg.status, 0);
  assert.equal(hg.stdout, h.stdout);
  const u = nnlab('validate', 'samples/xor.nn.json', '--nope');
  assert.equal(u.status, 2);
  assert.match(u.stderr, /^nnlab validate: unknown option --nope\n\nUsage: nnlab validate /);
});
