// The JSON schema (media/schemas/nn.schema.json: completion, hovers) and the parser (src/core/spec/parse.ts:
// diagnostics with teaching messages) say the same thing by construction (issue 15 item 9): the same key
// sets, the same enums, the same defaults, and the same numeric ranges. The ranges are checked as
// behaviour: at and beside every bound the schema states, Ajv (the schema) and parseSpec (the parser)
// accept or refuse the same specs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { parseSpec } from '../../../src/core/spec';
import { DATA_KEYS, DATA_TYPES, DEFAULTS, INIT_KEYS, INIT_TYPES, LAYER_KEYS, LAYER_TYPES, OPTIMIZER_KEYS, OPTIMIZERS, ROOT_KEYS, TRAINING_KEYS } from '../../../src/core/spec/parse';
import { ACTIVATIONS, GENERATORS, LOSSES } from '../../../src/core/spec/types';
import { DEFAULT_ALPHA } from '../../../src/core/nn/activations';

type Node = Record<string, unknown>;
const root = resolve(__dirname, '../../..');
const schema = JSON.parse(readFileSync(join(root, 'media/schemas/nn.schema.json'), 'utf8')) as Node;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

const defs = schema.definitions as Record<string, Node>;
const props = (n: Node): Record<string, Node> => n.properties as Record<string, Node>;
const keys = (n: Node): string[] => Object.keys(props(n)).sort();
const sorted = (xs: readonly string[]): string[] => [...xs].sort();
const oneOf = (n: Node): Node[] => n.oneOf as Node[];
/**
 * The names a string property offers: its `enum`, or, where NN Lab reports unknown names itself (NN105,
 * once, with the fix), the completions it offers instead (`defaultSnippets` bodies, or string `examples`).
 */
const names = (n: Node): string[] | undefined =>
  (n.enum as string[] | undefined) ??
  (n.defaultSnippets as { body: string }[] | undefined)?.map((d) => d.body) ??
  (n.examples as unknown[] | undefined)?.filter((e): e is string => typeof e === 'string');
/** the object variants of a oneOf (optimizer, init), by their `type` const or names; a catch-all for unknown names (`not`) has none */
const variants = (n: Node): Map<string, Node> => {
  const m = new Map<string, Node>();
  for (const v of oneOf(n).filter((x) => x.type === 'object')) {
    const t = props(v).type;
    for (const name of t.const !== undefined ? [t.const as string] : (names(t) ?? [])) m.set(name, v);
  }
  return m;
};
const dense = props(defs.dense);
const training = props(schema).training;
const optimizer = props(schema).optimizer;

test('key sets: root, layers, training, optimizers, initializers and data sources', () => {
  assert.deepEqual(keys(schema), sorted(ROOT_KEYS));
  for (const t of LAYER_TYPES) assert.deepEqual(keys(defs[t]), sorted(LAYER_KEYS[t]), `layer ${t}`);
  assert.deepEqual(keys(training), sorted(TRAINING_KEYS));
  const opt = variants(optimizer);
  for (const t of OPTIMIZERS) assert.deepEqual(keys(opt.get(t)!), sorted(OPTIMIZER_KEYS[t]), `optimizer ${t}`);
  const init = variants(dense.init);
  assert.deepEqual([...init.keys()].sort(), sorted(INIT_TYPES));
  for (const t of INIT_TYPES) assert.deepEqual(keys(init.get(t)!), sorted(INIT_KEYS[t]), `init ${t}`);
  for (const t of DATA_TYPES) assert.deepEqual(keys(defs[`data_${t}`]), sorted(DATA_KEYS[t]), `data ${t}`);
});

test('enums: losses, activations, optimizers, layer and data types, initializer names, generators', () => {
  assert.deepEqual(names(props(schema).loss), [...LOSSES]);
  const act = oneOf(dense.activation);
  assert.deepEqual(names(act[0]), [...ACTIVATIONS]);
  assert.deepEqual(names(props(act[1]).type), [...ACTIVATIONS]);
  assert.deepEqual(names(oneOf(optimizer)[0]), [...OPTIMIZERS]);
  assert.deepEqual(names(props(defs.layer).type), [...LAYER_TYPES]);
  assert.deepEqual(names(props(props(schema).data).type), [...DATA_TYPES]);
  assert.deepEqual(names(props(defs.data_generator).name), [...GENERATORS]);
  // the string shorthands name the initializers that need no numbers
  const initNames = names(oneOf(dense.init)[0])!;
  assert.ok(initNames.every((n) => (INIT_TYPES as readonly string[]).includes(n)), initNames.join());
  assert.deepEqual(names(oneOf(dense.biasInit)[0]), initNames);
});

test('defaults: every schema default is the parser’s', () => {
  const t = props(training);
  assert.deepEqual(
    { epochs: t.epochs.default, batchSize: t.batchSize.default, shuffle: t.shuffle.default, seed: t.seed.default, validationSplit: t.validationSplit.default },
    DEFAULTS.training,
  );
  assert.equal(props(schema).loss.default, DEFAULTS.loss);
  assert.equal(optimizer.default, DEFAULTS.optimizer.type);
  const opt = variants(optimizer);
  for (const o of OPTIMIZERS) assert.equal(props(opt.get(o)!).learningRate.default, DEFAULTS.learningRate[o], `${o} learningRate`);
  assert.equal(props(opt.get('sgd')!).learningRate.default, (DEFAULTS.optimizer as { learningRate: number }).learningRate);
  assert.equal(props(opt.get('momentum')!).momentum.default, DEFAULTS.momentum);
  const adam = props(opt.get('adam')!);
  assert.deepEqual({ beta1: adam.beta1.default, beta2: adam.beta2.default, epsilon: adam.epsilon.default }, DEFAULTS.adam);
  const init = variants(dense.init);
  assert.deepEqual({ mean: props(init.get('normal')!).mean.default, std: props(init.get('normal')!).std.default }, DEFAULTS.normal);
  assert.deepEqual({ min: props(init.get('uniform')!).min.default, max: props(init.get('uniform')!).max.default }, DEFAULTS.uniform);
  assert.equal(props(defs.dropout).rate.default, DEFAULTS.dropoutRate);
  assert.equal(props(defs.data_mnist).samples.default, DEFAULTS.mnistSamples);
  assert.equal(props(defs.data_mnist).samples.maximum, DEFAULTS.mnistAvailable);
  // stated in descriptions (no `default` keyword: the value depends on the choice)
  assert.match(props(schema).name.description as string, new RegExp(`default "${DEFAULTS.name}"`));
  assert.match(props(oneOf(dense.activation)[1]).alpha.description as string, new RegExp(`default ${DEFAULT_ALPHA.leakyRelu}\\).*default ${DEFAULT_ALPHA.elu}\\)`));
});

// ---- ranges, as behaviour

const base = (): Node => ({
  input: { shape: [2] },
  layers: [{ type: 'dense', units: 2, activation: 'tanh' }, { type: 'dropout' }, { type: 'dense', units: 1, activation: 'sigmoid' }],
  data: { type: 'generator', name: 'xor' },
});
/** a numeric field of a spec: where it lives in the spec, its schema node, and the spec around it */
interface Field {
  name: string;
  node: Node;
  set(spec: Node, v: number): void;
}
const at = (name: string, node: Node, set: (s: Node, v: number) => void): Field => ({ name, node, set });
const layer = (i: number) => (s: Node): Node => (s.layers as Node[])[i];
const opt = variants(optimizer);
const init = variants(dense.init);
const FIELDS: Field[] = [
  ...(['epochs', 'seed', 'validationSplit', 'stopWhenLossBelow'] as const).map((k) => at(`training.${k}`, props(training)[k], (s, v) => (s.training = { [k]: v }))),
  at('training.batchSize', oneOf(props(training).batchSize)[0], (s, v) => (s.training = { batchSize: v })),
  at('input.shape[0]', (props(props(schema).input).shape.items as Node), (s, v) => (s.input = { shape: [v] })),
  at('dense.units', dense.units, (s, v) => (layer(0)(s).units = v)),
  at('dropout.rate', props(defs.dropout).rate, (s, v) => (layer(1)(s).rate = v)),
  at('activation.alpha', props(oneOf(dense.activation)[1]).alpha, (s, v) => (layer(0)(s).activation = { type: 'leakyRelu', alpha: v })),
  at('init.std', props(init.get('normal')!).std, (s, v) => (layer(0)(s).init = { type: 'normal', std: v })),
  ...OPTIMIZERS.flatMap((o) =>
    Object.entries(props(opt.get(o)!))
      .filter(([k]) => k !== 'type')
      .map(([k, node]) => at(`${o}.${k}`, node, (s, v) => (s.optimizer = { type: o, [k]: v }))),
  ),
  at('generator.samples', props(defs.data_generator).samples, (s, v) => (s.data = { type: 'generator', name: 'circle', samples: v })),
  at('generator.noise', props(defs.data_generator).noise, (s, v) => (s.data = { type: 'generator', name: 'circle', noise: v })),
  at('generator.seed', props(defs.data_generator).seed, (s, v) => (s.data = { type: 'generator', name: 'circle', seed: v })),
  at('mnist.samples', props(defs.data_mnist).samples, (s, v) => {
    s.input = { shape: [28, 28] };
    s.layers = [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }];
    s.loss = 'categoricalCrossentropy';
    s.data = { type: 'mnist', samples: v };
  }),
];

/** the values at and beside each bound (integers step by 1, numbers by a small fraction) */
function probes(n: Node): number[] {
  const step = n.type === 'integer' ? 1 : 1e-6;
  const out: number[] = [];
  for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
    const b = n[k];
    if (typeof b === 'number') out.push(b - step, b, b + step);
  }
  if (n.type === 'integer') out.push(2.5);
  return out;
}

test('ranges: at and beside every bound the schema states, the parser accepts and refuses the same values', () => {
  let checked = 0;
  const disagree: string[] = [];
  for (const f of FIELDS) {
    const values = probes(f.node);
    assert.ok(values.length > 0, `${f.name}: the schema states no range`);
    for (const v of values) {
      const spec = base();
      f.set(spec, v);
      const bySchema = validate(spec) === true;
      const errors = parseSpec(JSON.stringify(spec)).problems.filter((p) => p.severity === 'error');
      if (bySchema !== (errors.length === 0)) disagree.push(`${f.name} = ${v}: schema ${bySchema ? 'accepts' : 'refuses'}, parser ${errors.length ? `refuses (${errors[0].code} ${errors[0].message})` : 'accepts'}`);
      checked++;
    }
  }
  assert.deepEqual(disagree, []);
  assert.ok(checked > 60, `${checked} values checked`);
});

test('the parser keeps its teaching messages where the schema only says "out of range"', () => {
  const spec = base();
  spec.optimizer = { type: 'sgd', learningRate: 0 };
  const [p] = parseSpec(JSON.stringify(spec)).problems;
  assert.equal(p.code, 'NN104');
  assert.match(p.message, /the α of Δw = −α ∂L\/∂w/);
});
