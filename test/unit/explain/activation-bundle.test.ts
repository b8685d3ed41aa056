// Activation must stay cheap: the extension bundle (what VS Code loads on activation) must not contain
// TensorFlow.js, which only the training worker loads. Checked on esbuild's real module graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

test('dist/extension.js bundles no TensorFlow.js module', async () => {
  const root = join(import.meta.dirname, '../../..');
  const r = await esbuild.build({
    entryPoints: [join(root, 'src/extension.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: ['vscode', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'],
    logLevel: 'silent',
  });
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.some((p) => p.endsWith('src/language/index.ts')), 'the editor features are in the bundle');
  const tf = inputs.filter((p) => /@tensorflow|tfjs/.test(p));
  assert.deepEqual(tf, [], 'TensorFlow.js modules reachable from src/extension.ts');
});
