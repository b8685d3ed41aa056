// Property (issue 12, "Done when"): random bytes and random CSVs through analyzeSpec and loadData.
// Nothing throws (loadData rejects only with a DataError), everything returns in bounded time, every
// rejected input has a located problem (a range inside the text), and the validator and the trainer's
// reader agree: a file the analysis finds no fault with loads, and one that does not load has an error
// in the analysis at the CSV path, the label or the input shape.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DataError, loadData, type Dataset } from '../../../src/core/data';
import { analyzeSpecWithData } from '../../../src/core/data/read';
import { analyzeSpec, CODES, type Analysis } from '../../../src/core/spec';

const dir = mkdtempSync(join(tmpdir(), 'nnlab-data-prop-'));
mkdirSync(join(dir, 'data'));
after(() => rmSync(dir, { recursive: true, force: true }));
const specPath = join(dir, 'spec.nn.json');
const csvPath = join(dir, 'data', 'r.csv');
const SPEC = JSON.stringify({
  version: 1,
  input: { shape: [2] },
  layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }],
  loss: 'binaryCrossentropy',
  training: { batchSize: 1 },
  data: { type: 'csv', path: 'data/r.csv', label: 'y' },
});
const BOUND_MS = 2000;

function located(a: Analysis): void {
  for (const p of a.problems) {
    assert.ok(p.code in CODES, p.code);
    assert.ok(p.range.offset >= 0 && p.range.offset + p.range.length <= a.text.length, `${p.code} located inside the text`);
    assert.ok(!p.message.startsWith('Internal validator error'), p.message);
  }
}

test('random bytes as a spec: analyzeSpec never throws, returns fast, and a text it rejects has a located problem', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4000 }), (bytes) => {
      const text = Buffer.from(bytes).toString('utf8');
      const t0 = performance.now();
      const a = analyzeSpec(text, { specPath, readFile: () => undefined });
      assert.ok(performance.now() - t0 < BOUND_MS);
      located(a);
      if (!a.spec) assert.ok(a.problems.some((p) => p.severity === 'error'), 'rejected without a problem');
    }),
    { numRuns: 400 },
  );
});

// cells that are numbers, near-numbers and junk; headers with the label sometimes; quotes, commas,
// CR/LF, BOMs, blank lines and ragged rows all happen
const cell = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '1e400', '0x10', '1,5', '"2"', '"a""b"', 'abc', '\u001b[2J', '-', '.'),
  fc.string({ maxLength: 6 }),
);
const headerCell = fc.oneof(fc.constantFrom('y', 'a', 'b', 'c', '', '"y"', ' y '), fc.string({ maxLength: 4 }));
const csvText = fc
  .record({
    header: fc.array(headerCell, { minLength: 0, maxLength: 5 }),
    rows: fc.array(fc.array(cell, { minLength: 0, maxLength: 5 }), { maxLength: 12 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
    blank: fc.boolean(),
  })
  .map(({ header, rows, eol, bom, blank }) => (bom ? '\ufeff' : '') + [header, ...rows].map((r) => r.join(',')).join(blank ? eol + eol : eol) + eol);
// near-valid files: the columns a, b, y in any order, numeric rows, then at most one defect
const num = fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 }).map(String));
const nearValid = fc
  .record({
    order: fc.shuffledSubarray(['a', 'b', 'y'], { minLength: 3, maxLength: 3 }),
    rows: fc.array(fc.tuple(num, num, fc.constantFrom('0', '1')), { minLength: 1, maxLength: 12 }),
    defect: fc.option(fc.record({ row: fc.nat(), col: fc.nat(2), value: cell, drop: fc.boolean() }), { freq: 2 }),
  })
  .map(({ order, rows, defect }) => {
    const body = rows.map((r) => order.map((c) => (c === 'a' ? r[0] : c === 'b' ? r[1] : r[2])));
    if (defect) {
      const r = body[defect.row % body.length]!;
      if (defect.drop) r.pop();
      else r[defect.col] = defect.value;
    }
    return [order, ...body].map((r) => r.join(',')).join('\n') + '\n';
  });
const fileContent = fc.oneof(
  nearValid.map((t) => Buffer.from(t, 'utf8')),
  nearValid.map((t) => Buffer.from(t, 'utf8')),
  csvText.map((t) => Buffer.from(t, 'utf8')),
  fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
);

async function timed<T>(what: string, p: Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await p;
  assert.ok(performance.now() - t0 < BOUND_MS, `${what} took longer than ${BOUND_MS} ms`);
  return v;
}

test('random CSV files (and random bytes as the CSV): analyzeSpec and loadData never throw, agree, and locate every rejection', async () => {
  let loaded = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(fileContent, async (content) => {
      writeFileSync(csvPath, content);
      const a = await timed('analyzeSpecWithData', analyzeSpecWithData(SPEC, { specPath }));
      located(a);
      const errors = a.problems.filter((p) => p.severity === 'error');
      let d: Dataset | undefined;
      try {
        d = await timed('loadData', loadData(a.spec!, specPath));
      } catch (e) {
        assert.ok(e instanceof DataError, `loadData threw ${String(e)}`);
      }
      if (d) {
        loaded++;
        // the network-against-data checks (NN301, NN302, NN303) are the analysis's alone; the file's are shared
        const fileErrors = errors.filter((p) => ['NN304', 'NN305', 'NN306', 'NN311'].includes(p.code));
        assert.equal(fileErrors.length, 0, `loaded, but the analysis says ${fileErrors.map((p) => p.message).join('; ')}`);
        assert.equal(d.xShape[0], a.dataInfo?.samples);
        assert.ok(d.x.every(Number.isFinite), 'every feature a finite number');
      } else {
        refused++;
        // the rejection is located in the spec: at the CSV path, the label or the input shape
        assert.ok(errors.length > 0, 'loadData refused a file the analysis passed');
        const where = new Set(errors.map((p) => p.path.join('.')));
        assert.ok(['data.path', 'data.label', 'input.shape'].some((w) => where.has(w)), [...where].join(', '));
      }
    }),
    { numRuns: 200 },
  );
  // the generator reaches both sides
  assert.ok(loaded > 10 && refused > 10, `loaded ${loaded}, refused ${refused}`);
});
