// TensorBoard event files: the record framing and masked CRC32C against vectors from real TensorFlow
// files and RFC 3720, and a real training run's event file read back (framing, every CRC, tags, steps,
// values) and compared row by row with its metrics.csv; written incrementally, and a cut-off or damaged
// record never reads as a complete one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseSpec } from '../../../src/core/spec';
import { startSession } from '../../../src/core/train/session';
import { METRICS_COLUMNS, readRunWeights, RunWriter } from '../../../src/core/train/runs';
import type { MetricsRow } from '../../../src/core/train/trainer';
import { csvDocument } from '../../../src/core/data/csv';
import { encodeEvent, encodeRecord, eventFileName, FILE_VERSION, histogramValue, maskedCrc32c, readEventFile, readRecords, type TbEvent } from '../../../src/core/tensorboard/events';
import { dense, makeSpec } from '../train/helpers';

const root = resolve(__dirname, '../../..');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'nnlab-tb-'));
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

test('masked CRC32C: the checksum of a record from a real TensorFlow event file, and RFC 3720\'s 32 zero bytes', () => {
  // TensorBoard's reader tests (tensorboard/data/server/masked_crc.rs): Event(file_version=b"CRC test, one two")
  // as TensorFlow wrote it, with its masked CRC
  assert.equal(maskedCrc32c(bytes('\x1a\x11CRC test, one two')), 0x5794d08a);
  // RFC 3720 B.4: CRC32C of 32 zero bytes is 0x8a9136aa; masked: rotate right by 15, add 0xa282ead8
  const crc = 0x8a9136aa;
  assert.equal(maskedCrc32c(new Uint8Array(32)), (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0);
});

test('an Event{file_version} encodes to the bytes TensorFlow wrote, and a record frames it: length, CRC, data, CRC', () => {
  const data = encodeEvent({ wall_time: 0, file_version: 'CRC test, one two' });
  assert.deepEqual(Uint8Array.from(data), bytes("\x1a\x11CRC test, one two"));
  const rec = encodeRecord(data);
  const view = new DataView(rec.buffer);
  assert.equal(rec.length, 8 + 4 + 19 + 4);
  assert.equal(view.getBigUint64(0, true), 19n);
  assert.equal(view.getUint32(8, true), maskedCrc32c(rec.subarray(0, 8)));
  assert.deepEqual(rec.subarray(12, 31), Uint8Array.from(data));
  assert.equal(view.getUint32(31, true), 0x5794d08a);
});

test('histogramValue: TensorBoard buckets (previous limit, limit], equal widths from min to max; one bucket when all values are equal', () => {
  assert.deepEqual(histogramValue([-1, 0, 0.5, 1, 3], 4), { min: -1, max: 3, num: 5, sum: 3.5, sum_squares: 11.25, bucket_limit: [0, 1, 2, 3], bucket: [2, 2, 0, 1] });
  assert.deepEqual(histogramValue([0.25, 0.25, NaN], 30), { min: 0.25, max: 0.25, num: 2, sum: 0.5, sum_squares: 0.125, bucket_limit: [0.25], bucket: [2] });
});

test('eventFileName: events.out.tfevents.<10-digit seconds>.<host>', () => {
  assert.equal(eventFileName(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 600)), 'gpu-box.local'), 'events.out.tfevents.1767323045.gpu-box.local');
  assert.equal(eventFileName(new Date(5000), 'a b/c'), 'events.out.tfevents.0000000005.a_b_c');
});

/** metrics.csv → the events its rows must give, in order (tag, step, float32 value). */
function expectedFromCsv(csv: string): { tag: string; step: number; value: number }[] {
  const [header, ...lines] = csv.trim().split('\n');
  assert.equal(header, 'kind,step,epoch,batch,loss,val_loss,accuracy,val_accuracy,elapsed_ms');
  const num = (s: string): number => (s === 'NaN' ? NaN : Math.fround(Number(s)));
  return lines.flatMap((line) => {
    const [kind, step, epoch, , loss, valLoss, acc, valAcc] = line.split(',');
    if (kind === 'step') return [{ tag: 'batch/loss', step: Number(step), value: num(loss) }];
    const out = [{ tag: 'epoch/loss', step: Number(epoch), value: num(loss) }];
    if (valLoss !== '') out.push({ tag: 'epoch/val_loss', step: Number(epoch), value: num(valLoss) });
    if (acc !== '') out.push({ tag: 'epoch/accuracy', step: Number(epoch), value: num(acc) });
    if (valAcc !== '') out.push({ tag: 'epoch/val_accuracy', step: Number(epoch), value: num(valAcc) });
    return out;
  });
}

test('a training run (samples/circle, validation split) writes an event file whose scalars are metrics.csv, row by row, plus histograms of the trained weights', async () => {
  const dir = tmp();
  try {
    const specPath = join(dir, 'circle.nn.json');
    copyFileSync(join(root, 'samples/circle.nn.json'), specPath);
    const parsed = parseSpec(readFileSync(specPath, 'utf8'));
    assert.ok(parsed.spec);
    const spec = { ...parsed.spec, training: { ...parsed.spec.training, epochs: 4, validationSplit: 0.25 } };
    const before = Date.now() / 1000;
    const s = await startSession({ spec, specPath, backend: 'cpu', onMessage: () => {} });
    const summary = await s.done;
    const after = Date.now() / 1000;
    assert.equal(summary.stopReason, 'completed');
    const runDir = summary.runDir as string;
    const files = readdirSync(runDir).filter((f) => f.startsWith('events.out.tfevents.'));
    assert.equal(files.length, 1);
    assert.match(files[0], new RegExp(`^events\\.out\\.tfevents\\.\\d{10}\\.${hostname().replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\./g, '\\.')}$`));
    const { events, truncated } = readEventFile(readFileSync(join(runDir, files[0])));
    assert.equal(truncated, false);
    assert.equal(events[0].file_version, FILE_VERSION);
    assert.equal(events[0].summary, undefined);
    const scalars = events.slice(1).filter((e) => e.summary?.value[0].simple_value !== undefined && !e.summary.value[0].histo);
    const expected = expectedFromCsv(readFileSync(join(runDir, 'metrics.csv'), 'utf8'));
    // 300 training rows / batch 32 → 10 steps an epoch; every epoch row has loss, val_loss, accuracy, val_accuracy
    assert.equal(expected.length, 4 * 10 + 4 * 4);
    assert.deepEqual(
      scalars.map((e) => ({ tag: e.summary?.value[0].tag, step: e.step, value: e.summary?.value[0].simple_value })),
      expected,
    );
    for (let i = 1; i < events.length; i++) assert.ok(events[i].wall_time >= events[i - 1].wall_time, `wall_time never goes back (event ${i})`);
    assert.ok(events[0].wall_time >= Math.floor(before) - 1 && events[events.length - 1].wall_time <= after, 'wall times are the run\'s');
    // then one histogram per trained tensor at the last step, of exactly the saved weights
    const histos = events.slice(1 + scalars.length);
    const weights = readRunWeights(runDir, spec);
    assert.deepEqual(histos.map((e) => [e.summary?.value[0].tag, e.step]), weights.flatMap((w) => [[`weights/${w.name}/W`, summary.steps], [`weights/${w.name}/b`, summary.steps]]));
    weights.forEach((w, k) => {
      for (const [values, h] of [[w.W.flat(), histos[2 * k].summary?.value[0].histo], [w.b ?? [], histos[2 * k + 1].summary?.value[0].histo]] as const) {
        assert.ok(h);
        assert.equal(h.num, values.length);
        assert.equal(h.bucket.reduce((a, b) => a + b, 0), values.length);
        assert.ok(Math.abs(h.min - Math.min(...values)) < 1e-6 && Math.abs(h.max - Math.max(...values)) < 1e-6, `${w.name}: min ${h.min} max ${h.max}`);
        assert.ok(Math.abs(h.sum - values.reduce((a, v) => a + v, 0)) < 1e-4, `${w.name}: sum`);
        assert.equal(h.bucket_limit[h.bucket_limit.length - 1], h.max);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('written incrementally: after a flush the rows so far are in the file, whole; a record cut off mid-write reads as truncated, never as complete; a damaged byte is a CRC error', () => {
  const dir = tmp();
  try {
    const spec = makeSpec({ input: [2], layers: [dense(2, 'tanh'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 2, batchSize: 4 });
    const w = new RunWriter(join(dir, 'x.nn.json'), spec, { backend: { active: 'cpu', device: 'd', skipped: [], reason: 'r' }, startedAt: '2026-01-01T00:00:00.000Z' }, { now: new Date(Date.UTC(2026, 0, 1)) });
    const file = join(w.dir, eventFileName(new Date(Date.UTC(2026, 0, 1))));
    assert.deepEqual(readEventFile(readFileSync(file)).events.map((e) => e.file_version), [FILE_VERSION]);
    w.row({ kind: 'step', step: 1, epoch: 1, batch: 1, loss: 0.5, elapsedMs: 1 });
    w.row({ kind: 'step', step: 2, epoch: 1, batch: 2, loss: 0.25, elapsedMs: 2 });
    w.flush();
    const tags = (evs: TbEvent[]): string[] => evs.slice(1).map((e) => `${e.summary?.value[0].tag}@${e.step}=${e.summary?.value[0].simple_value}`);
    const mid = readFileSync(file);
    assert.deepEqual(tags(readEventFile(mid).events), ['batch/loss@1=0.5', 'batch/loss@2=0.25']);
    w.row({ kind: 'epoch', step: 2, epoch: 1, loss: 0.375, elapsedMs: 3 });
    w.finish({ finishedAt: '', elapsedMs: 3, epochs: 1, steps: 2, finalLoss: 0.375, bestLoss: 0.375, stopReason: 'completed' }, spec, undefined);
    const full = readFileSync(file);
    assert.deepEqual(tags(readEventFile(full).events), ['batch/loss@1=0.5', 'batch/loss@2=0.25', 'epoch/loss@1=0.375']);
    // every cut inside the last record leaves the earlier records, flagged truncated
    for (let cut = mid.length + 1; cut < full.length; cut++) {
      const r = readRecords(full.subarray(0, cut));
      assert.equal(r.truncated, true, `cut at ${cut}`);
      assert.equal(r.records.length, 3, `cut at ${cut}`);
    }
    const cutFile = join(dir, 'cut');
    writeFileSync(cutFile, full);
    truncateSync(cutFile, full.length - 1);
    assert.deepEqual(tags(readEventFile(readFileSync(cutFile)).events), ['batch/loss@1=0.5', 'batch/loss@2=0.25']);
    const bad = Uint8Array.from(full);
    bad[full.length - 6] ^= 1; // inside the last record's data
    assert.throws(() => readEventFile(bad), { message: `record 4 (byte ${mid.length}): the data's CRC does not match` });
    const badLen = Uint8Array.from(full);
    badLen[mid.length] ^= 1; // the last record's length
    assert.throws(() => readEventFile(badLen), { message: `record 4 (byte ${mid.length}): the length's CRC does not match` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('many rows between flushes (buffers grown past their first 64 KiB): metrics.csv is the rows exactly as csvRow writes them, and every event reads back', () => {
  const dir = tmp();
  try {
    const spec = makeSpec({ input: [2], layers: [dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 1 }, epochs: 1, batchSize: 4 });
    const now = new Date(Date.UTC(2026, 0, 1));
    const w = new RunWriter(join(dir, 'x.nn.json'), spec, { backend: { active: 'cpu', device: 'd', skipped: [], reason: 'r' }, startedAt: now.toISOString() }, { now });
    const n = 6000; // ~50 bytes of CSV and ~45 of event a row: ~300 KB and ~270 KB, more than one buffer each
    const rows: MetricsRow[] = [];
    for (let i = 1; i <= n; i++) {
      rows.push({ kind: 'step', step: i, epoch: i, batch: 1, loss: 1 / (i + 0.1), elapsedMs: i * 0.0191 });
      rows.push(i % 3 ? { kind: 'epoch', step: i, epoch: i, loss: 1 / (i + 0.1), elapsedMs: i * 0.0191 } : { kind: 'epoch', step: i, epoch: i, loss: NaN, valLoss: 2 / i, accuracy: 0.5, valAccuracy: 0.25, elapsedMs: i * 0.0191 });
    }
    for (const r of rows) w.row(r);
    w.finish({ finishedAt: '', elapsedMs: 1, epochs: n, steps: n, finalLoss: 0, bestLoss: 0, stopReason: 'completed' }, spec, undefined);
    const num = (v: number | undefined): string => (v === undefined ? '' : Number.isNaN(v) ? 'NaN' : String(v));
    const cells = (r: MetricsRow): (string | number)[] =>
      r.kind === 'step' ? ['step', r.step, r.epoch, r.batch, num(r.loss), '', '', '', r.elapsedMs.toFixed(1)] : ['epoch', r.step, r.epoch, '', num(r.loss), num(r.valLoss), num(r.accuracy), num(r.valAccuracy), r.elapsedMs.toFixed(1)];
    assert.equal(readFileSync(join(w.dir, 'metrics.csv'), 'utf8'), csvDocument(METRICS_COLUMNS, rows.map(cells)));
    const { events, truncated } = readEventFile(readFileSync(join(w.dir, eventFileName(now))));
    assert.equal(truncated, false);
    const scalars = events.slice(1).map((e) => `${e.summary?.value[0].tag}@${e.step}=${e.summary?.value[0].simple_value}`);
    assert.equal(scalars.length, n * 2 + (n / 3) * 3);
    assert.equal(scalars[0], `batch/loss@1=${Math.fround(1 / 1.1)}`);
    assert.deepEqual(scalars.slice(-5), [`batch/loss@${n}=${Math.fround(1 / (n + 0.1))}`, `epoch/loss@${n}=NaN`, `epoch/val_loss@${n}=${Math.fround(2 / n)}`, `epoch/accuracy@${n}=0.5`, `epoch/val_accuracy@${n}=0.25`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
