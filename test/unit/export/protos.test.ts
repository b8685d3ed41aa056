// The JSON descriptors the code loads are exactly what protobufjs makes of the vendored .proto files
// (scripts/protos.mjs), so a schema edit without regenerating them fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

test('onnx.proto3.json and tensorboard.proto.json are what scripts/protos.mjs generates from the vendored .proto files', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts/protos.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
});

test('the ONNX schema is the vendored onnx.proto3 of ONNX 1.23.0, with its licence note', () => {
  const text = readFileSync(join(root, 'src/core/export/onnx.proto3'), 'utf8');
  assert.match(text, /SPDX-License-Identifier: Apache-2.0/);
  assert.match(text, /IR_VERSION_2021_7_30 = 0x0000000000000008;/);
  assert.match(readFileSync(join(root, 'src/core/export/THIRD_PARTY.md'), 'utf8'), /onnx\.proto3[^\n]*Apache License 2\.0/);
});
