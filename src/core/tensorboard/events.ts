// TensorBoard event files, so `tensorboard --logdir .nnlab/runs` shows NN Lab runs beside PyTorch and
// Keras ones. The format is TensorFlow's record file of Event protobufs:
//   each record   uint64 length (little-endian) · uint32 masked CRC32C of those 8 bytes ·
//                 the data · uint32 masked CRC32C of the data
//   masked CRC    ((crc >>> 15) | (crc << 17)) + 0xa282ead8 (mod 2³²)
//   first record  Event{wall_time, file_version: "brain.Event:2"}; then Event{wall_time, step,
//                 summary{value{tag, simple_value | histo}}}
// The CRC is crc-32's (SheetJS, its CRC-32C entry), the protobuf encoding protobufjs's with TensorBoard's own message
// definitions (tensorboard.proto beside this file). Records are appended whole, one write per flush: a
// process killed mid-write leaves at most a truncated last record, which readers (this one and
// TensorBoard's) recognise by its length and CRCs and stop before, never a record that reads as complete.
import { appendFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { buf as crc32c } from 'crc-32/crc32c';
import protobuf from 'protobufjs/light';
import type { MetricsRow } from '../train/trainer';
import descriptor from './tensorboard.proto.json';
import { GrowingBytes } from '../bytes';

export const FILE_VERSION = 'brain.Event:2';

let eventType: protobuf.Type | undefined;
/** tensorboard.Event from the vendored message definitions (built once). */
export function tensorboardEventType(): protobuf.Type {
  return (eventType ??= protobuf.Root.fromJSON(descriptor).lookupType('tensorboard.Event'));
}

export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data) >>> 0;
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** One record: length, its masked CRC, the data, the data's masked CRC. */
export function encodeRecord(data: Uint8Array): Uint8Array {
  const out = new RecordBuffer(data.length + 16);
  out.append(data);
  return new Uint8Array(out.take()); // its own ArrayBuffer: a small Buffer lies inside Node's shared pool
}

/** Records framed in place into one reused buffer (GrowingBytes). */
class RecordBuffer {
  private readonly bytes: GrowingBytes;
  /** the 8 length bytes whose CRC the record carries (the high word stays 0: a record is far below 4 GiB) */
  private readonly len = new Uint8Array(8);
  private readonly lenView = new DataView(this.len.buffer);

  constructor(capacity?: number) {
    this.bytes = new GrowingBytes(capacity);
  }

  append(data: Uint8Array): void {
    this.lenView.setUint32(0, data.length, true);
    this.bytes.append(this.len);
    this.bytes.appendUint32LE(maskedCrc32c(this.len));
    this.bytes.append(data);
    this.bytes.appendUint32LE(maskedCrc32c(data));
  }

  get length(): number {
    return this.bytes.length;
  }

  /** The records appended since the last take (GrowingBytes.take), and an empty buffer. */
  take(): Uint8Array {
    return this.bytes.take();
  }
}

/**
 * The records of a file, every CRC checked. A truncated last record (a writer stopped mid-write, or
 * still writing) ends the list and sets `truncated`; a CRC that does not match throws, naming the record.
 */
export function readRecords(bytes: Uint8Array): { records: Uint8Array[]; truncated: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let off = 0;
  while (off < bytes.length) {
    if (off + 12 > bytes.length) return { records, truncated: true };
    if (view.getUint32(off + 8, true) !== maskedCrc32c(bytes.subarray(off, off + 8))) throw new Error(`record ${records.length + 1} (byte ${off}): the length's CRC does not match`);
    const len = Number(view.getBigUint64(off, true));
    if (off + 16 + len > bytes.length) return { records, truncated: true };
    const data = bytes.subarray(off + 12, off + 12 + len);
    if (view.getUint32(off + 12 + len, true) !== maskedCrc32c(data)) throw new Error(`record ${records.length + 1} (byte ${off}): the data's CRC does not match`);
    records.push(data);
    off += 16 + len;
  }
  return { records, truncated: false };
}

export interface HistogramValue {
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  bucket_limit: number[];
  bucket: number[];
}
export interface SummaryValue {
  tag: string;
  simple_value?: number;
  histo?: HistogramValue;
}
/** An Event as plain data, in the protocol's field names. */
export interface TbEvent {
  wall_time: number;
  step?: number;
  file_version?: string;
  summary?: { value: SummaryValue[] };
}

/** The Event's protobuf bytes (plain numbers go into the int64 step as they are: no fromObject, a third of the time per event). */
export function encodeEvent(e: TbEvent): Uint8Array {
  return tensorboardEventType().encode(e).finish();
}

export function decodeEvent(data: Uint8Array): TbEvent {
  const T = tensorboardEventType();
  const e = T.toObject(T.decode(data), { longs: Number, defaults: true, oneofs: false }) as TbEvent & { summary?: { value: SummaryValue[] } | null; file_version?: string };
  if (!e.summary) delete e.summary;
  if (!e.file_version) delete e.file_version;
  return e;
}

/** Every event of an event file, in order (see readRecords for truncation and CRC errors). */
export function readEventFile(bytes: Uint8Array): { events: TbEvent[]; truncated: boolean } {
  const { records, truncated } = readRecords(bytes);
  return { events: records.map(decodeEvent), truncated };
}

/** events.out.tfevents.<seconds since 1970, 10 digits>.<host>: the name TensorBoard looks for. */
export function eventFileName(now: Date, host: string = hostname()): string {
  return `events.out.tfevents.${String(Math.floor(now.getTime() / 1000)).padStart(10, '0')}.${host.replace(/[^A-Za-z0-9._-]+/g, '_') || 'localhost'}`;
}

/**
 * The scalars of one metrics.csv row, tagged like its columns: `batch/loss` at the training step for a
 * step row; `epoch/loss`, `epoch/val_loss`, `epoch/accuracy`, `epoch/val_accuracy` at the epoch number
 * for an epoch row (as Keras's TensorBoard callback steps its epoch metrics). Absent values are left out.
 */
export function metricsScalars(r: MetricsRow): { tag: string; step: number; value: number }[] {
  if (r.kind === 'step') return [{ tag: 'batch/loss', step: r.step, value: r.loss }];
  const out = [{ tag: 'epoch/loss', step: r.epoch, value: r.loss }];
  if (r.valLoss !== undefined) out.push({ tag: 'epoch/val_loss', step: r.epoch, value: r.valLoss });
  if (r.accuracy !== undefined) out.push({ tag: 'epoch/accuracy', step: r.epoch, value: r.accuracy });
  if (r.valAccuracy !== undefined) out.push({ tag: 'epoch/val_accuracy', step: r.epoch, value: r.valAccuracy });
  return out;
}

/**
 * TensorBoard's histogram of some values: `bins` equal-width buckets from min to max (one when all are
 * equal), each counting the values in (previous limit, its limit] as HistogramProto defines them.
 */
export function histogramValue(values: readonly number[], bins = 30): HistogramValue {
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sum_squares: 0, bucket_limit: [0], bucket: [0] };
  const n = min === max ? 1 : bins;
  const width = (max - min) / n;
  const bucket = new Array<number>(n).fill(0);
  if (n === 1) bucket[0] = num;
  else for (const v of values) if (Number.isFinite(v)) bucket[Math.min(n - 1, Math.max(0, Math.ceil((v - min) / width) - 1))]++;
  return { min, max, num, sum, sum_squares: sumSquares, bucket_limit: bucket.map((_, i) => (i === n - 1 ? max : min + width * (i + 1))), bucket };
}

/**
 * Appends events to one event file: created with its file_version record at once, then each flush()
 * appends the events collected since, whole records in one write.
 */
export class EventFileWriter {
  private readonly pending = new RecordBuffer();

  constructor(
    readonly path: string,
    now: Date = new Date(),
  ) {
    writeFileSync(path, encodeRecord(encodeEvent({ wall_time: now.getTime() / 1000, file_version: FILE_VERSION })), { flag: 'wx' });
  }

  add(e: TbEvent): void {
    this.pending.append(encodeEvent(e));
  }

  scalar(tag: string, value: number, step: number, wallTime = Date.now() / 1000): void {
    this.add({ wall_time: wallTime, step, summary: { value: [{ tag, simple_value: value }] } });
  }

  histogram(tag: string, values: readonly number[], step: number, wallTime = Date.now() / 1000): void {
    this.add({ wall_time: wallTime, step, summary: { value: [{ tag, histo: histogramValue(values) }] } });
  }

  /** A metrics.csv row's scalars (metricsScalars). */
  row(r: MetricsRow, wallTime = Date.now() / 1000): void {
    for (const s of metricsScalars(r)) this.scalar(s.tag, s.value, s.step, wallTime);
  }

  flush(): void {
    if (this.pending.length) appendFileSync(this.path, this.pending.take());
  }
}
