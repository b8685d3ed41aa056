// One duration format for the CLI's summary and progress bar and the loss panel's header and summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration } from '../../../src/core/explain/format';

test('formatDuration: hundredths under 10 s, tenths under a minute, then minutes and hours', () => {
  assert.equal(formatDuration(102.56), '0.10 s');
  assert.equal(formatDuration(0), '0.00 s');
  assert.equal(formatDuration(9994), '9.99 s');
  assert.equal(formatDuration(12_345), '12.3 s');
  assert.equal(formatDuration(125_400), '2 min 5 s');
  assert.equal(formatDuration(3_780_000), '1 h 3 min');
  assert.equal(formatDuration(undefined), '—');
  assert.equal(formatDuration(NaN), '—');
  assert.equal(formatDuration(-5), '0.00 s');
});
