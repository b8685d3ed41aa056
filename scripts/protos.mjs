// Regenerates the JSON descriptors that the code loads (protobufjs Root.fromJSON) from the vendored
// .proto files, so the bundles need no .proto parser and no file next to them:
//   node scripts/protos.mjs          write them
//   node scripts/protos.mjs --check  exit 1 when a committed descriptor differs (also a unit test)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

const root = new URL('..', import.meta.url).pathname;
export const PROTOS = [
  ['src/core/export/onnx.proto3', 'src/core/export/onnx.proto3.json'],
  ['src/core/tensorboard/tensorboard.proto', 'src/core/tensorboard/tensorboard.proto.json'],
];

/** The descriptor text for one .proto file: field names kept as written (ir_version, wall_time). */
export function descriptor(protoPath) {
  const parsed = protobuf.parse(readFileSync(join(root, protoPath), 'utf8'), { keepCase: true });
  return JSON.stringify(parsed.root.toJSON(), null, 1) + '\n';
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [proto, json] of PROTOS) {
    const text = descriptor(proto);
    if (check) {
      let old = '';
      try {
        old = readFileSync(join(root, json), 'utf8');
      } catch {
        // missing: stale
      }
      if (old !== text) {
        console.error(`${json} is not what ${proto} gives: run node scripts/protos.mjs`);
        stale++;
      }
    } else writeFileSync(join(root, json), text);
  }
  process.exit(stale ? 1 : 0);
}
