// Issue 12 items 1–5: a spec reads only regular files inside its own folder (symbolic links resolved),
// up to a size cap, and nothing blocks; `nnlab predict` reads weights only inside the run folder and
// exactly the manifest's bytes; the CLI strips terminal escapes from what it prints; non-numeric CSV
// feature cells are located at validate time. The links, FIFOs and sparse files are made here, at run
// time. Every blocking case runs against a timer, so a regression fails instead of hanging.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadData } from '../../../src/core/data';
import { analyzeSpecWithData, readDataFile } from '../../../src/core/data/read';
import { parseSpec } from '../../../src/core/spec/parse';
import { initialWeights } from '../../../src/core/train/init';
import { readRunWeights, toLayersModel } from '../../../src/core/train/runs';
import { predictRun } from '../../../src/core/train/predict';
import { COMMANDS } from '../../../src/cli/commands';
import { jsonText, terminalText } from '../../../src/cli/format';
import type { InspectDocument } from '../../../src/cli/commands/inspect';

const root = mkdtempSync(join(tmpdir(), 'nnlab-files-'));
const fifos: string[] = [];
after(() => {
  // a reader blocked on a FIFO (a regression) is released by a writer that opens and closes it
  for (const f of fifos) {
    try {
      closeSync(openSync(f, constants.O_RDWR | constants.O_NONBLOCK));
    } catch {
      // gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});

const spec = (name: string, data: object, extra: object = {}): string =>
  JSON.stringify(
    {
      version: 1,
      name,
      input: { shape: [2] },
      layers: [
        { type: 'dense', units: 3, activation: 'tanh' },
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ],
      loss: 'binaryCrossentropy',
      training: { epochs: 1, batchSize: 2 },
      data,
      ...extra,
    },
    null,
    2,
  );

/** A folder with spec.nn.json reading data/x.csv; `place` puts something at data/x.csv. */
function project(name: string, place: (csv: string) => void, extra: object = {}): { dir: string; specPath: string; text: string } {
  const dir = join(root, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  place(join(dir, 'data', 'x.csv'));
  const text = spec(name, { type: 'csv', path: 'data/x.csv', label: 'y' }, extra);
  const specPath = join(dir, 'spec.nn.json');
  writeFileSync(specPath, text);
  return { dir, specPath, text };
}

const GOOD = 'a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n';
// columns of a file outside the folder: must never be printed
const SECRET = 'secret_col_1,secret_col_2,y\n1,2,0\n3,4,1\n';
const outsideDir = join(root, 'outside');
mkdirSync(outsideDir, { recursive: true });
writeFileSync(join(outsideDir, 'other.csv'), SECRET);

async function capture(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    const code = await COMMANDS.find((c) => c.command.name === cmd)!.run(args, { out: (s) => void (out += s), err: (s) => void (err += s) });
    return { code, out, err };
  } finally {
    process.chdir(prev);
  }
}

/** `p`, or a failure after `ms` (a hang is a failure, not a stuck test run). */
async function promptly<T>(what: string, p: Promise<T>, ms = 5000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what} did not return within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** 1-based "line:col" of data.path (or data.<key>) in a spec text (where the CLI locates the data problems). */
const at = (text: string, key = 'path'): string => {
  const r = parseSpec(text).rangeOf(['data', key])!;
  return `${r.start.line + 1}:${r.start.character + 1}`;
};

/** The problems at data.path of the analysis, as "CODE line:col". */
async function dataProblems(specPath: string, text: string): Promise<string[]> {
  const a = await promptly('analyzeSpecWithData', analyzeSpecWithData(text, { specPath }));
  const path = a.rangeOf(['data', 'path'])!;
  return a.problems.map((p) => `${p.code} ${p.range.offset === path.offset ? 'data.path' : p.path.join('.')}`);
}

// ---- 1. symbolic links out of the folder

test('a CSV that is a symbolic link to /etc/passwd: NN304 at data.path everywhere, and no line of it is printed', async () => {
  const { dir, specPath, text } = project('passwd', (csv) => symlinkSync('/etc/passwd', csv));
  assert.deepEqual(await dataProblems(specPath, text), ['NN304 data.path']);
  const v = await capture('validate', ['spec.nn.json'], dir);
  assert.equal(v.code, 1);
  assert.equal(v.out, `spec.nn.json:${at(text)}: error NN304: The CSV path "data/x.csv" leads outside the spec\'s folder through a symbolic link; data files must be inside the folder (copy the file there).\n`);
  const i = await capture('inspect', ['spec.nn.json'], dir);
  const t = await capture('train', ['spec.nn.json', '--backend', 'cpu'], dir);
  for (const r of [v, i, t]) {
    assert.ok(!/root|bin\/(ba)?sh|nologin/.test(r.out + r.err), r.out + r.err);
  }
  assert.equal(i.code, 1);
  assert.equal(t.code, 1);
  assert.match(t.err, /error NN304: The CSV path "data\/x\.csv" leads outside/);
  assert.equal(existsSync(join(dir, '.nnlab')), false, 'train refused before making a run folder');
  await assert.rejects(loadData(parseSpec(text).spec!, specPath), (e: Error) => e.name === 'DataError' && e.message.startsWith('NN304: ') && !e.message.includes('root'));
});

test('a CSV that is a symbolic link to a CSV outside the folder is neither validated nor trained on, and its columns stay unprinted', async () => {
  const { dir, specPath, text } = project('outside-link', (csv) => symlinkSync(join(outsideDir, 'other.csv'), csv));
  assert.deepEqual(await dataProblems(specPath, text), ['NN304 data.path']);
  const withColumns = spec('outside-link', { type: 'csv', path: 'data/x.csv', label: 'nope', features: ['secret_col_1'] });
  const a = await analyzeSpecWithData(withColumns, { specPath });
  assert.deepEqual(a.problems.map((p) => p.code), ['NN304']);
  assert.equal(a.dataInfo, undefined);
  for (const cmd of ['validate', 'inspect', 'train']) {
    const r = await capture(cmd, ['spec.nn.json', ...(cmd === 'inspect' ? ['--json'] : [])], dir);
    assert.equal(r.code, 1, cmd);
    assert.ok(!(r.out + r.err).includes('secret_col'), `${cmd}: ${r.out}${r.err}`);
    assert.ok((r.out + r.err).includes('NN304'), cmd);
  }
  await assert.rejects(loadData(parseSpec(text).spec!, specPath), /NN304/);
  // a link that stays inside the folder is fine
  const inside = project('inside-link', (csv) => {
    writeFileSync(join(csv, '..', 'real.csv'), GOOD);
    symlinkSync('real.csv', csv);
  });
  assert.deepEqual(await dataProblems(inside.specPath, inside.text), []);
  assert.equal((await loadData(parseSpec(inside.text).spec!, inside.specPath)).xShape[0], 4);
});

test('the spec folder reached through a symbolic link is still the folder (real paths on both sides)', async () => {
  const p = project('real-folder', (csv) => writeFileSync(csv, GOOD));
  const alias = join(root, 'alias-folder');
  symlinkSync(p.dir, alias);
  const read = await readDataFile(alias, 'data/x.csv');
  assert.deepEqual(read, { ok: true, text: GOOD });
});

// ---- 2. special files and the size cap

test('a FIFO as the CSV: validate, inspect, train, loadData and the analysis return at once with NN305 at data.path', async () => {
  const { dir, specPath, text } = project('fifo', (csv) => {
    execFileSync('mkfifo', [csv]);
    fifos.push(csv);
  });
  const msg = 'The CSV path "data/x.csv" is a named pipe (FIFO), not a regular file; data must be a regular file.';
  assert.deepEqual(await dataProblems(specPath, text), ['NN305 data.path']);
  assert.deepEqual(await promptly('readDataFile', readDataFile(dir, 'data/x.csv')), { ok: false, code: 'NN305', message: msg });
  const v = await promptly('validate', capture('validate', ['spec.nn.json'], dir));
  assert.equal(v.out, `spec.nn.json:${at(text)}: error NN305: ${msg}\n`);
  const i = await promptly('inspect', capture('inspect', ['spec.nn.json'], dir));
  assert.equal(i.code, 1);
  assert.ok(i.err.includes(`error NN305: ${msg}`), i.err);
  const t = await promptly('train', capture('train', ['spec.nn.json', '--backend', 'cpu'], dir));
  assert.equal(t.code, 1);
  assert.ok(t.err.includes(`error NN305: ${msg}`), t.err);
  await assert.rejects(promptly('loadData', loadData(parseSpec(text).spec!, specPath)), { name: 'DataError', message: `NN305: ${msg}` });
});

test('a symbolic link to /dev/zero as the CSV: refused at once (NN304: its real path is outside), never read', async () => {
  const { dir, specPath, text } = project('devzero', (csv) => symlinkSync('/dev/zero', csv));
  assert.deepEqual(await dataProblems(specPath, text), ['NN304 data.path']);
  const v = await promptly('validate', capture('validate', ['spec.nn.json'], dir));
  assert.equal(v.code, 1);
  assert.match(v.out, /error NN304/);
  const t = await promptly('train', capture('train', ['spec.nn.json', '--backend', 'cpu'], dir));
  assert.equal(t.code, 1);
  await assert.rejects(promptly('loadData', loadData(parseSpec(text).spec!, specPath)), /NN304/);
  // and a device reached without a link is "not a regular file"
  assert.deepEqual(await promptly('readDataFile', readDataFile('/dev', 'zero')), { ok: false, code: 'NN305', message: 'The CSV path "zero" is a device, not a regular file; data must be a regular file.' });
});

test('size caps: over nnlab.data.maxFileMB is NN311 (not read: a sparse 300 MiB file returns at once), over the editor cap is NN310 "not checked"', async () => {
  const big = project('big', (csv) => {
    writeFileSync(csv, GOOD);
    truncateSync(csv, 300 * 1024 * 1024);
  });
  assert.deepEqual(await dataProblems(big.specPath, big.text), ['NN311 data.path']);
  const r = await promptly('readDataFile', readDataFile(big.dir, 'data/x.csv'));
  assert.deepEqual(r, { ok: false, code: 'NN311', message: 'The CSV file "data/x.csv" is 300 MiB, larger than the 256 MiB allowed for data files (the nnlab.data.maxFileMB setting); use a smaller file or raise the limit.' });
  const v = await promptly('validate', capture('validate', ['spec.nn.json'], big.dir));
  assert.ok(v.out.startsWith(`spec.nn.json:${at(big.text)}: error NN311: `), v.out);
  await assert.rejects(promptly('loadData', loadData(parseSpec(big.text).spec!, big.specPath)), /^DataError: NN311: /);
  // a small cap through the options (the setting, passed into the core)
  const small = project('small-cap', (csv) => writeFileSync(csv, GOOD));
  await assert.rejects(loadData(parseSpec(small.text).spec!, small.specPath, { maxDataBytes: 10 }), /NN311: The CSV file "data\/x\.csv" is 30 B, larger than the 10 B allowed/);
  assert.equal((await loadData(parseSpec(small.text).spec!, small.specPath, { maxDataBytes: 30 })).xShape[0], 4);
  const editor = await readDataFile(small.dir, 'data/x.csv', { checkBytes: 16, checkBytesSetting: 'the nnlab.data.editorCheckMB setting' });
  assert.deepEqual(editor, {
    ok: false,
    code: 'NN310',
    message: 'The CSV file "data/x.csv" was not checked: it is 30 B, larger than the 16 B the editor reads for its checks (the nnlab.data.editorCheckMB setting), so the checks that need its rows are skipped (training reads it).',
  });
  const a = await analyzeSpecWithData(small.text, { specPath: small.specPath, data: { checkBytes: 16 } });
  assert.deepEqual(a.problems.map((p) => `${p.severity} ${p.code}`), ['info NN310']);
});

test('a read slower than the time-out is "not checked" (NN310), and the editor analysis says so at data.path', async () => {
  // 64 MiB (sparse, under the 256 MiB cap): reading it takes far longer than a 1 ms time-out
  const slow = project('slow', (csv) => {
    writeFileSync(csv, GOOD);
    truncateSync(csv, 64 * 1024 * 1024);
  });
  const r = await promptly('readDataFile', readDataFile(slow.dir, 'data/x.csv', { timeoutMs: 1 }));
  assert.deepEqual(r, {
    ok: false,
    code: 'NN310',
    message: 'The CSV file "data/x.csv" was not checked: reading it took longer than 0.001 s, so the checks that need its rows (columns, classes, sample count) are skipped.',
  });
  const a = await analyzeSpecWithData(slow.text, { specPath: slow.specPath, data: { timeoutMs: 1 } });
  assert.deepEqual(a.problems.map((p) => `${p.severity} ${p.code} ${p.path.join('.')}`), ['info NN310 data.path']);
  // without a time-out the same file is read (and then its rows are checked)
  assert.equal((await readDataFile(slow.dir, 'data/x.csv')).ok, true);
});

// ---- 3. predict: weights only inside the run folder, exactly the manifest's bytes

function makeRun(name: string): { dir: string; model: { weightsManifest: { paths: string[] }[] } } {
  const s = parseSpec(spec(name, { type: 'generator', name: 'xor' })).spec!;
  const dir = join(root, 'runs', name);
  mkdirSync(dir, { recursive: true });
  const { modelJson, weightsBin } = toLayersModel(s, initialWeights(s));
  writeFileSync(join(dir, 'spec.nn.json'), JSON.stringify(s));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(dir, 'weights.bin'), weightsBin);
  writeFileSync(join(dir, 'summary.json'), '{}');
  return { dir, model: modelJson as unknown as { weightsManifest: { paths: string[] }[] } };
}

test('predict: weightsManifest.paths ["../../etc/passwd"] is refused, exit 1, nothing predicted', async () => {
  const ok = makeRun('weights-ok');
  const good = await predictRun(ok.dir, [[0, 1]]);
  assert.equal(good.length, 1);
  const { dir, model } = makeRun('weights-escape');
  model.weightsManifest[0]!.paths = ['../../etc/passwd'];
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
  await assert.rejects(predictRun(dir, [[0, 1]]), { message: 'the weights path "../../etc/passwd" in weights-escape/model.json leaves the run folder; weights must be files inside it' });
  const s = parseSpec(readFileSync(join(dir, 'spec.nn.json'), 'utf8')).spec!;
  assert.throws(() => readRunWeights(dir, s), /leaves the run folder/);
  const r = await capture('predict', [dir, '--input', '[[0,1]]'], root);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.equal(r.err, 'nnlab predict: the weights path "../../etc/passwd" in weights-escape/model.json leaves the run folder; weights must be files inside it\n');
});

test('predict: a weights file linked out of the run, or with a byte count other than the manifest\'s, is refused', async () => {
  const linked = makeRun('weights-link');
  rmSync(join(linked.dir, 'weights.bin'));
  writeFileSync(join(outsideDir, 'weights.bin'), readFileSync(join(makeRun('weights-src').dir, 'weights.bin')));
  symlinkSync(join(outsideDir, 'weights.bin'), join(linked.dir, 'weights.bin'));
  await assert.rejects(predictRun(linked.dir, [[0, 1]]), /leaves the run folder/);
  const short = makeRun('weights-short');
  const bin = readFileSync(join(short.dir, 'weights.bin'));
  assert.equal(bin.byteLength, (2 * 3 + 3 + 3 * 1 + 1) * 4);
  writeFileSync(join(short.dir, 'weights.bin'), bin.subarray(0, bin.byteLength - 4));
  await assert.rejects(predictRun(short.dir, [[0, 1]]), { message: 'the weights of run weights-short hold 48 bytes, but its model.json describes 52 bytes of float32 weights' });
  const long = makeRun('weights-long');
  writeFileSync(join(long.dir, 'weights.bin'), Buffer.concat([bin, Buffer.alloc(8)]));
  await assert.rejects(predictRun(long.dir, [[0, 1]]), /hold more bytes than its model\.json describes \(52 bytes/);
});

// ---- 4. terminal escapes

const EVIL = 'net\u001b]0;pwned\u0007\u001b[2Jwork\u009b31m\u0000!';

test('terminalText strips ESC sequences (CSI, OSC), C0 but tab and newline, DEL and C1; jsonText keeps values exact', () => {
  assert.equal(terminalText(EVIL), 'network!');
  assert.equal(terminalText('a\tb\nc\r\u007fd\u001bce\u001b[1;31mf\u001b[0m'), 'a\tb\ncdef');
  // an unterminated OSC ends at the end of its line, not of the output
  assert.equal(terminalText('x\u001b]0;title\nnext line'), 'x\nnext line');
  const j = jsonText({ name: EVIL });
  assert.equal(terminalText(j), j);
  assert.deepEqual(JSON.parse(j), { name: EVIL });
});

test('inspect, validate and train print a spec name, CSV headers and paths without their escapes', async () => {
  const dir = join(root, 'escapes');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'x.csv'), 'a\u001b[31m,b\u001b]0;t\u0007,y\n0,0,0\n1,oops,1\n');
  writeFileSync(join(dir, 'gen.nn.json'), spec(EVIL, { type: 'generator', name: 'xor' }));
  writeFileSync(join(dir, 'csv.nn.json'), spec(EVIL, { type: 'csv', path: 'data/x.csv', label: 'nope' }));
  const i = await capture('inspect', ['gen.nn.json'], dir);
  assert.equal(i.code, 0, i.err);
  assert.equal(i.out.split('\n')[0], 'network! (gen.nn.json): 2-3-1, input B×2, loss binaryCrossentropy, optimizer sgd (α = 0.01)');
  const v = await capture('validate', ['csv.nn.json', `\u001b[2Jgone.nn.json`], dir);
  assert.equal(v.out, `csv.nn.json:${at(readFileSync(join(dir, 'csv.nn.json'), 'utf8'), 'label')}: error NN306: The CSV has no column "nope" for the label; its columns are "a", "b", "y".\ngone.nn.json:1:1: error NN000: cannot read the file (ENOENT).\n`);
  const t = await capture('train', ['csv.nn.json', '--backend', 'cpu'], dir);
  assert.equal(t.code, 1);
  const all = [i, v, t].map((r) => r.out + r.err).join('');
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(all), JSON.stringify(all));
  // --json keeps the name exact (escaped as JSON, not stripped)
  const j = await capture('inspect', ['gen.nn.json', '--json'], dir);
  assert.equal((JSON.parse(j.out) as InspectDocument).name, EVIL);
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(j.out));
});

// ---- 5. non-numeric feature cells, located at validate time

test('a non-numeric CSV feature cell is NN305 with its row and column at validate time (not only in training)', async () => {
  const { dir, specPath, text } = project('not-a-number', (csv) => writeFileSync(csv, 'a,b,y\n0,0,0\n0,1,1\n1,,1\n1,1,0\n'));
  assert.deepEqual(await dataProblems(specPath, text), ['NN305 data.path']);
  const v = await capture('validate', ['spec.nn.json'], dir);
  assert.equal(v.code, 1);
  assert.equal(v.out, `spec.nn.json:${at(text)}: error NN305: CSV row 4, column "b" is empty, not a number (in "data/x.csv").\n`);
  const text2 = 'a,b,y\n0,0,0\n\n0,zero,1\n';
  writeFileSync(join(dir, 'data', 'x.csv'), text2);
  const v2 = await capture('validate', ['spec.nn.json'], dir);
  // the row is the line in the file (the blank line 3 counts)
  assert.equal(v2.out, `spec.nn.json:${at(text)}: error NN305: CSV row 4, column "b" is not a number (in "data/x.csv").\n`);
  assert.ok(!v2.out.includes('zero'), 'the cell itself is not echoed');
});
