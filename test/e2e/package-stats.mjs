// Prints the size and contents of dist-package/nnlab.vsix (made by `npm run package`) as the Markdown
// table in docs/benchmarks.md ("Packaging").   node test/e2e/package-stats.mjs [file.vsix]
import { readFileSync, statSync } from 'node:fs';
import { VSIX } from './lib.mjs';

const file = process.argv[2] ?? VSIX;
const bytes = statSync(file).size;
// The zip's central directory: one record per entry with its name and both sizes.
const buf = readFileSync(file);
const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
if (eocd < 0) throw new Error(`${file} is not a zip file`);
const entries = [];
for (let p = buf.readUInt32LE(eocd + 16), n = buf.readUInt16LE(eocd + 10); n > 0; n--) {
  if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt central directory');
  const packed = buf.readUInt32LE(p + 20);
  const size = buf.readUInt32LE(p + 24);
  const nameLen = buf.readUInt16LE(p + 28);
  const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
  entries.push({ name, size, packed });
  p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
}
const groups = new Map();
let files = 0;
let unpacked = 0;
for (const { name, size, packed } of entries) {
  if (name.endsWith('/')) continue;
  files++;
  unpacked += size;
  const parts = name.split('/');
  const inExt = parts[0] === 'extension';
  const key = inExt && parts[1] === 'samples' ? 'samples/' : inExt && parts.length > 3 ? parts.slice(1, 3).join('/') + '/' : parts.slice(inExt ? 1 : 0).join('/');
  const g = groups.get(key) ?? { files: 0, size: 0, packed: 0 };
  g.files++;
  g.size += size;
  g.packed += packed;
  groups.set(key, g);
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`\`${file.split('/').pop()}\`: ${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes.toLocaleString('en-US')} bytes), ${files} files, ${(unpacked / 1024 / 1024).toFixed(2)} MiB unpacked\n`);
console.log('| part | files | unpacked | in the .vsix |\n|---|---:|---:|---:|');
for (const [k, g] of [...groups].sort((a, b) => b[1].size - a[1].size)) console.log(`| \`${k}\` | ${g.files} | ${kib(g.size)} | ${kib(g.packed)} |`);
