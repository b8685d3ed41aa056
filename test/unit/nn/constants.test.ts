// One constant each for the activation α defaults and the loss ε (issue 12, item 15): every consumer
// reads src/core/nn's DEFAULT_ALPHA / EPSILON, none writes its own copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEFAULT_ALPHA, activate, activationAlpha } from '../../../src/core/nn/activations';
import { parseSpec } from '../../../src/core/spec/parse';
import { Model } from '../../../src/core/train/model';
import { toLayersModel } from '../../../src/core/train/runs';
import { cpuBackend } from '../../../src/core/train/backends/cpu';
import { dense, makeSpec } from '../train/helpers';

const ROOT = join(__dirname, '../../..');

test('the α defaults live in DEFAULT_ALPHA: parser, trainer model, saved model.json and the panels read them there', async () => {
  const saved = { ...DEFAULT_ALPHA };
  const mutable = DEFAULT_ALPHA as { leakyRelu: number; elu: number };
  const { tf } = await cpuBackend.load({ modulePaths: [] });
  try {
    // a different default shows up everywhere at once, so there is only one
    mutable.leakyRelu = 0.25;
    mutable.elu = 0.5;
    const text = (act: string): string =>
      JSON.stringify({ version: 1, input: { shape: [1] }, layers: [{ type: 'dense', units: 1, activation: act }], data: { type: 'inline', x: [[1]], y: [[1]] } });
    assert.deepEqual(parseSpec(text('leakyRelu')).spec?.layers[0], { type: 'dense', units: 1, activation: { name: 'leakyRelu', alpha: 0.25 }, useBias: true, init: { type: 'glorot' }, biasInit: { type: 'zeros' } });
    assert.equal((parseSpec(text('elu')).spec?.layers[0] as { activation: { alpha: number } }).activation.alpha, 0.5);
    assert.equal(activate('leakyRelu', -1), -0.25);
    assert.equal(activationAlpha({ name: 'elu' }), 0.5);
    // the trainer's model, given an activation without α (as a programmatic spec may be)
    const spec = makeSpec({ input: [1], layers: [dense(1, 'leakyRelu', { type: 'zeros' })], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 1 });
    const model = new Model(tf, spec, [{ layer: 0, name: 'dense_1', W: [[1]], b: [0] }]);
    try {
      const out = tf.tidy(() => model.forward(tf.tensor2d([[-2]]), { training: false }).dataSync()[0]);
      assert.equal(out, -0.5);
      const g = tf.tidy(() => model.gradients(tf.tensor2d([[-2]]), tf.tensor2d([[0]])).grads.map((t) => t.dataSync()[0]));
      // L = (−0.25·2·w)², ∂L/∂w = 2·(−0.5)·0.25·(−2) = 0.5 with w = 1
      assert.ok(Math.abs(g[0] - 0.5) < 1e-6, `∂L/∂W = ${g[0]}`);
    } finally {
      model.dispose();
    }
    const layers = (toLayersModel(spec, [{ layer: 0, name: 'dense_1', W: [[1]], b: [0] }]).modelJson.modelTopology as { config: { layers: { class_name: string; config: { alpha?: number } }[] } }).config.layers;
    assert.equal(layers.find((l) => l.class_name === 'LeakyReLU')?.config.alpha, 0.25);
  } finally {
    Object.assign(mutable, saved);
  }
  assert.deepEqual(DEFAULT_ALPHA, { leakyRelu: 0.01, elu: 1 });
});

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

test('no copy of the α defaults or of the loss ε outside src/core/nn', () => {
  const copies: string[] = [];
  for (const dir of ['src', 'webview']) {
    for (const file of sources(join(ROOT, dir))) {
      const rel = relative(ROOT, file);
      if (rel.startsWith(join('src', 'core', 'nn'))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          // `alpha ?? 0.01`, `alpha: 1,` (a default table), a clip at 1e-7: each a second copy
          const alpha = /alpha\s*\?\?\s*\d|leakyReluAlpha|eluAlpha/.test(line);
          const eps = /\b1e-0?7\b/.test(line) && !/adam|epsilon:/.test(line); // adam's own ε is the optimizer's, not the loss's
          if (alpha || eps) copies.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  assert.deepEqual(copies, []);
  // the documentation states the same defaults (the schema is static JSON, the README prose)
  const schema = readFileSync(join(ROOT, 'media/schemas/nn.schema.json'), 'utf8');
  assert.ok(schema.includes(`leakyRelu: slope for z < 0 (default ${DEFAULT_ALPHA.leakyRelu}); elu: scale of the negative part (default ${DEFAULT_ALPHA.elu})`));
  assert.ok(readFileSync(join(ROOT, 'README.md'), 'utf8').includes(`α ${DEFAULT_ALPHA.leakyRelu} (leakyRelu), ${DEFAULT_ALPHA.elu} (elu)`));
});
