// media/schemas/nn.schema.json: a valid draft-07 schema that accepts every sample and rejects the
// invalid samples a schema can see (the network- and data-level ones need the validator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';

const root = resolve(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(root, 'media/schemas/nn.schema.json'), 'utf8')) as Record<string, unknown>;
// strict: false because VS Code's extensions (enumDescriptions, defaultSnippets) are not draft-07 keywords
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);
const load = (p: string): unknown => JSON.parse(readFileSync(join(root, 'samples', p), 'utf8'));

test('every sample is valid against the schema', () => {
  for (const f of ['or', 'xor', 'neural-chain', 'network-2-2-2', 'image-3x3', 'circle', 'spiral', 'sine', 'mnist', 'iris']) {
    assert.ok(validate(load(`${f}.nn.json`)), `${f}: ${ajv.errorsText(validate.errors)}`);
  }
  for (const f of ['learning-rate', 'or-by-hand', 'zeros-init']) assert.ok(validate(load(`exercises/${f}.nn.json`)), `exercises/${f}: ${ajv.errorsText(validate.errors)}`);
});

test('the schema rejects what it can see, except unknown names (NN105 reports those, with the fix, once)', () => {
  for (const f of ['unknown-key', 'wrong-type', 'units-zero', 'negative-std', 'learning-rate-zero', 'unsupported-version', 'no-layers', 'missing-key']) {
    assert.equal(validate(load(`invalid/${f}.nn.json`)), false, f);
  }
  // issue 13 item 12: a misspelt name is NN Lab's NN105 alone; the schema offers the names for
  // completion (examples / defaultSnippets) but accepts any string, so VS Code shows one problem
  assert.ok(validate(load('invalid/unknown-name.nn.json')), ajv.errorsText(validate.errors));
  const xor = load('xor.nn.json') as { layers: { activation: unknown; init?: unknown }[]; loss: unknown; optimizer: unknown; data: { name: unknown } };
  const typos = [
    { ...xor, loss: 'mse2' },
    { ...xor, optimizer: { type: 'adm', learningRate: 0.1 } },
    { ...xor, optimizer: 'sgdd' },
    { ...xor, layers: [{ type: 'dense', units: 4, activation: 'tanhh' }, { type: 'dense', units: 1, init: 'glorott' }] },
    { ...xor, layers: [{ type: 'dens', units: 4 }, { type: 'dense', units: 1, activation: { type: 'leakyRelu2', alpha: 0.1 }, init: { type: 'normall' } }] },
    { ...xor, data: { ...xor.data, name: 'xorr' } },
  ];
  for (const t of typos) assert.ok(validate(t), `${JSON.stringify(t).slice(0, 120)}: ${ajv.errorsText(validate.errors)}`);
  // …while the known ones still choose their branch: a known optimizer with a bad rate is still rejected
  assert.equal(validate({ ...xor, optimizer: { type: 'adam', learningRate: -1 } }), false);
});

test('every property in the schema has a description (completion and hovers work without code)', () => {
  const missing: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const props = o['properties'] as Record<string, Record<string, unknown>> | undefined;
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        const refd = typeof v['$ref'] === 'string';
        const isTypeTag = k === 'type' && ('const' in v || 'enum' in v || 'defaultSnippets' in v || 'examples' in v);
        if (!refd && !isTypeTag && typeof v['description'] !== 'string') missing.push(`${path}.${k}`);
      }
    }
    for (const [k, v] of Object.entries(o)) if (typeof v === 'object') walk(v, `${path}/${k}`);
  };
  walk(schema, '#');
  assert.deepEqual(missing, []);
  assert.equal(schema['$schema'], 'http://json-schema.org/draft-07/schema#');
});

test('the manifest contributes the schema for *.nn.json without a language of its own', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[]; languages?: unknown[] } };
  assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '*.nn.json', url: './media/schemas/nn.schema.json' }]);
  assert.equal(pkg.contributes.languages, undefined);
});
