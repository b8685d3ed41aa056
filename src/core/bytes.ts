// Bytes gathered for one write, in a buffer that grows and is reused: the run folder's metrics.csv
// rows and TensorBoard records (a few a training step, ~100,000 a second on XOR), where a fresh array
// or a string kept per row cost more than the step itself (docs/benchmarks.md, issue 18).
export class GrowingBytes {
  private buf: Buffer;
  private used = 0;

  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.used;
  }

  /** The buffer, with room for `n` more bytes after `length`. */
  private room(n: number): Buffer {
    if (this.used + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.used + n));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    return this.buf;
  }

  append(data: Uint8Array): void {
    this.room(data.length).set(data, this.used);
    this.used += data.length;
  }

  appendUint32LE(v: number): void {
    this.used = this.room(4).writeUInt32LE(v >>> 0, this.used);
  }

  /** An ASCII line and its "\n" (characters above U+00FF are not ASCII: callers write numbers and names). */
  appendLine(s: string): void {
    const b = this.room(s.length + 1);
    this.used += b.write(s, this.used, 'latin1');
    b[this.used++] = 10;
  }

  /** The bytes since the last take, as a view valid until the next append, and an empty buffer. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.used);
    this.used = 0;
    return out;
  }
}
