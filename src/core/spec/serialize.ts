// The normalised spec written back as a `.nn.json` document that parseSpec reads to the same spec:
// what a run folder's `spec.nn.json` holds ("the spec as trained"). Pure: no `vscode`, no DOM.
import type { Activation, DataSource, Initializer, Layer, NetworkSpec } from './types';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** `"tanh"`, or `{"type": "leakyRelu", "alpha": 0.1}` for the activations with a parameter. */
function activationJson(a: Activation): Json {
  return a.alpha !== undefined ? { type: a.name, alpha: a.alpha } : a.name;
}

function initJson(i: Initializer): Json {
  switch (i.type) {
    case 'zeros':
    case 'he':
    case 'glorot':
      return i.type;
    case 'values':
      return { values: i.values };
    default:
      return { ...i };
  }
}

function layerJson(l: Layer): Json {
  const name: { [k: string]: Json } = l.name !== undefined ? { name: l.name } : {};
  switch (l.type) {
    case 'flatten':
      return { type: 'flatten', ...name };
    case 'dropout':
      return { type: 'dropout', ...name, rate: l.rate };
    case 'dense':
      return { type: 'dense', ...name, units: l.units, activation: activationJson(l.activation), useBias: l.useBias, init: initJson(l.init), ...(l.useBias ? { biasInit: initJson(l.biasInit) } : {}) } as { [k: string]: Json };
  }
}

function dataJson(d: DataSource): Json {
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(d)) if (v !== undefined) out[k] = v as Json;
  return out;
}

/** The spec as a JSON document in the `.nn.json` format (every default written out). */
export function specDocument(spec: NetworkSpec): { [k: string]: Json } {
  const t = spec.training;
  const doc: { [k: string]: Json } = { version: 1, name: spec.name };
  if (spec.description !== undefined) doc.description = spec.description;
  doc.input = { shape: spec.input.shape };
  doc.layers = spec.layers.map(layerJson);
  doc.loss = spec.loss;
  doc.optimizer = { ...spec.optimizer };
  doc.training = {
    epochs: t.epochs,
    batchSize: t.batchSize,
    shuffle: t.shuffle,
    seed: t.seed,
    validationSplit: t.validationSplit,
    ...(t.stopWhenLossBelow !== undefined ? { stopWhenLossBelow: t.stopWhenLossBelow } : {}),
  };
  if (spec.data) doc.data = dataJson(spec.data);
  return doc;
}

/** specDocument as text, two-space indented, with a final newline. */
export function specText(spec: NetworkSpec): string {
  return JSON.stringify(specDocument(spec), null, 2) + '\n';
}
