// NN310: when data files are deliberately not read (an untrusted workspace), the CSV checks that need
// the file's rows are skipped, and one info at the CSV path says so instead of the problems vanishing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpec } from '../../../src/core/spec/analyze';
import { codeInfo } from '../../../src/core/spec/codes';

const samples = join(__dirname, '..', '..', '..', 'samples');
const REASON = 'this workspace is not trusted (Restricted Mode: trust it to check the data and to train)';

test('NN310 replaces the CSV problems, at the path value, with the reason given', () => {
  const path = join(samples, 'invalid', 'csv-column.nn.json');
  const text = readFileSync(path, 'utf8');
  const read = analyzeSpec(text, { specPath: path, readFile: (p) => readFileSync(p, 'utf8') });
  assert.deepEqual(read.problems.map((p) => p.code), ['NN306']);
  const notRead = analyzeSpec(text, { specPath: path, dataNotRead: REASON });
  assert.equal(notRead.problems.length, 1);
  const p = notRead.problems[0]!;
  assert.equal(p.code, 'NN310');
  assert.equal(p.severity, 'info');
  assert.deepEqual([p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character], [7, 35, 7, 52]);
  assert.equal(text.slice(p.range.offset, p.range.offset + p.range.length), '"data/points.csv"');
  assert.equal(p.message, `The CSV file "data/points.csv" is not read because ${REASON}, so the checks that need its rows (columns, classes, sample count) are skipped.`);
  assert.equal(codeInfo('NN310').name, 'data-not-read');
});

test('without a reason nothing is reported (the CLI without a spec path), and a path outside the folder is still NN304', () => {
  const path = join(samples, 'iris.nn.json');
  const text = readFileSync(path, 'utf8');
  assert.deepEqual(analyzeSpec(text, { specPath: path }).problems, []);
  const outside = text.replace('"data/iris.csv"', '"../iris.csv"');
  assert.deepEqual(analyzeSpec(outside, { specPath: path, dataNotRead: REASON }).problems.map((p) => p.code), ['NN304']);
});
