// The network as an ONNX model: one graph of standard operators that onnxruntime, Netron and every
// other ONNX tool read. Written with protobufjs from ONNX's own schema (onnx.proto3, vendored beside
// this file with its licence, loaded from the JSON descriptor scripts/protos.mjs makes of it).
//
//   IR version 8, default-domain opset 17 (ONNX 1.12): read by onnxruntime ≥ 1.12 and Netron.
//   dense    Gemm(x, W, b) on a 2-D input (B×nᵢ); MatMul then Add where the input has more axes
//            (a dense layer without flatten acts on the last axis, as in training). W is stored as
//            the course writes it, nᵢ×nₒ (Gemm without transB), so y = x·W + b node for node.
//   activations  Sigmoid, Tanh, Relu, LeakyRelu(alpha), Elu(alpha), Softmax(axis = −1); linear is no node.
//   flatten  Flatten(axis = 1): B×(product of the other axes), row-major as in training.
//   dropout  no node: the graph is the model at inference, where dropout passes its input through.
// Names follow the spec: a dense layer "hidden" gives initializers hidden.W and hidden.b, a node "hidden"
// (Gemm) with output hidden/z, an activation node hidden/relu whose output is "hidden"; unnamed layers
// get the names training uses (dense_1, flatten_1, …). The graph's input is "input" (batch axis "batch"),
// its output "output", and the output activation is applied (probabilities for softmax/sigmoid).
// A run trained on standardised CSV features (preprocessing.json) passes its mean and std as
// `standardize`: the graph then starts with Sub(input, preprocess.mean) and Div(·, preprocess.std)
// (std 0 divides by 1, as `nnlab predict` does), so it takes raw inputs like `nnlab predict`.
import { alphaOf } from '../nn/activations';
import type { Exporter } from './types';
import protobuf from 'protobufjs/light';
import type { Activation, NetworkSpec } from '../spec/types';
import type { LayerWeights } from '../../protocol/training';
import type { Standardization } from '../data/preprocess';
import { denseFanIns, initialWeights } from '../train/init';
import descriptor from './onnx.proto3.json';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

export interface OnnxExportOptions {
  /** ModelProto.producer_version (e.g. NN Lab's version); default '' */
  producerVersion?: string;
  /** ModelProto.doc_string; default: the spec's description */
  docString?: string;
  /** the run's feature standardisation (readRunPreprocessing(run)?.standardize): applied in the graph, so it takes raw inputs */
  standardize?: Pick<Standardization, 'mean' | 'std'>;
}

// protobufjs messages as plain objects in the schema's own field names (snake_case, keepCase)
interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
}
interface Node {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute?: Attribute[];
  doc_string?: string;
}
interface ValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_param: string } | { dim_value: number })[] } } };
  doc_string?: string;
}
interface Initializer {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
  doc_string?: string;
}

const FLOAT = 1; // TensorProto.DataType.FLOAT (and TypeProto elem_type)
const ATTR_FLOAT = 1; // AttributeProto.AttributeType.FLOAT
const ATTR_INT = 2; // AttributeProto.AttributeType.INT

let modelType: protobuf.Type | undefined;
/** onnx.ModelProto from the vendored schema (built once). */
export function onnxModelType(): protobuf.Type {
  return (modelType ??= protobuf.Root.fromJSON(descriptor).lookupType('onnx.ModelProto'));
}

/** Little-endian float32 bytes, as TensorProto.raw_data wants them. */
function rawFloats(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}

function valueInfo(name: string, shape: number[], docString?: string): ValueInfo {
  return {
    name,
    type: { tensor_type: { elem_type: FLOAT, shape: { dim: [{ dim_param: 'batch' }, ...shape.map((d) => ({ dim_value: d }))] } } },
    ...(docString ? { doc_string: docString } : {}),
  };
}

/** The activation as one ONNX node (undefined for linear). */
function activationNode(a: Activation, input: string, output: string, layer: string): Node | undefined {
  const node = (op: string, attribute?: Attribute[]): Node => ({ name: `${layer}/${a.name}`, op_type: op, input: [input], output: [output], ...(attribute ? { attribute } : {}) });
  switch (a.name) {
    case 'linear':
      return undefined;
    case 'sigmoid':
      return node('Sigmoid');
    case 'tanh':
      return node('Tanh');
    case 'relu':
      return node('Relu');
    case 'leakyRelu':
      return node('LeakyRelu', [{ name: 'alpha', type: ATTR_FLOAT, f: alphaOf('leakyRelu', a.alpha) }]);
    case 'elu':
      return node('Elu', [{ name: 'alpha', type: ATTR_FLOAT, f: alphaOf('elu', a.alpha) }]);
    case 'softmax':
      return node('Softmax', [{ name: 'axis', type: ATTR_INT, i: -1 }]);
  }
}

/**
 * The network with the given weights (a run's trained ones, or the spec's initial weights when left
 * out) as the bytes of an ONNX ModelProto, to write to a `.onnx` file. The spec must be valid (the
 * caller refuses specs with errors); weights that do not fit it are an error naming the layer.
 */
export function exportOnnx(spec: NetworkSpec, weights: LayerWeights[] = initialWeights(spec), options: OnnxExportOptions = {}): Uint8Array {
  const fans = denseFanIns(spec);
  if (weights.length !== fans.length) throw new Error(`expected weights for ${fans.length} dense layers, got ${weights.length}`);
  const used = new Set<string>(['input', 'output']);
  const unique = (base: string): string => {
    const clean = base.replace(/[^A-Za-z0-9_./-]+/g, '_') || 'layer';
    let n = clean;
    for (let i = 2; used.has(n); i++) n = `${clean}_${i}`;
    used.add(n);
    return n;
  };
  const nodes: Node[] = [];
  const initializers: Initializer[] = [];
  const infos: ValueInfo[] = [];
  const omitted: string[] = [];
  let shape = [...spec.input.shape]; // without the batch axis
  let current = 'input';
  const st = options.standardize;
  if (st) {
    const nf = shape.reduce((a, b) => a * b, 1);
    if (st.mean.length !== nf || st.std.length !== nf) throw new Error(`the standardisation has ${st.mean.length} features, the network takes ${nf} inputs a sample`);
    const mean = unique('preprocess.mean');
    const std = unique('preprocess.std');
    initializers.push({ name: mean, dims: shape, data_type: FLOAT, raw_data: rawFloats(st.mean), doc_string: 'per-feature mean of the training rows' });
    initializers.push({ name: std, dims: shape, data_type: FLOAT, raw_data: rawFloats(st.std.map((v) => (v > 0 ? v : 1))), doc_string: 'per-feature std of the training rows (0 written as 1)' });
    const centred = unique('preprocess/centred');
    const scaled = unique('preprocess');
    nodes.push({ name: unique('preprocess/sub'), op_type: 'Sub', input: [current, mean], output: [centred], doc_string: "x − mean (the run's preprocessing.json)" });
    nodes.push({ name: unique('preprocess/div'), op_type: 'Div', input: [centred, std], output: [scaled], doc_string: '(x − mean) / std' });
    infos.push(valueInfo(centred, shape), valueInfo(scaled, shape));
    current = scaled;
  }
  let d = 0;
  let flatten = 0;
  spec.layers.forEach((l, index) => {
    if (l.type === 'dropout') {
      omitted.push(`layers[${index}] dropout (rate ${l.rate})`);
      return;
    }
    if (l.type === 'flatten') {
      const name = unique(l.name ?? `flatten_${++flatten}`);
      shape = [shape.reduce((a, b) => a * b, 1)];
      nodes.push({ name, op_type: 'Flatten', input: [current], output: [name], attribute: [{ name: 'axis', type: ATTR_INT, i: 1 }] });
      infos.push(valueInfo(name, shape));
      current = name;
      return;
    }
    const f = fans[d];
    const w = weights[d++];
    const nOut = l.units;
    if (w.W.length !== f.nIn || w.W.some((r) => r.length !== nOut)) throw new Error(`layers[${index}] (${f.name}): weights must be ${f.nIn}×${nOut}, got ${w.W.length}×${w.W[0]?.length ?? 0}`);
    if (l.useBias && (!w.b || w.b.length !== nOut)) throw new Error(`layers[${index}] (${f.name}): bias must have ${nOut} values`);
    const name = unique(f.name);
    const W = unique(`${name}.W`);
    initializers.push({ name: W, dims: [f.nIn, nOut], data_type: FLOAT, raw_data: rawFloats(w.W.flat()), doc_string: `W ∈ ℝ^{${f.nIn}×${nOut}} (nᵢ×nₒ; y = x·W + b)` });
    let b: string | undefined;
    if (l.useBias && w.b) {
      b = unique(`${name}.b`);
      initializers.push({ name: b, dims: [nOut], data_type: FLOAT, raw_data: rawFloats(w.b), doc_string: `b ∈ ℝ^{${nOut}}` });
    }
    const outShape = [...shape.slice(0, -1), nOut];
    const z = l.activation.name === 'linear' ? name : unique(`${name}/z`);
    const doc = `layers[${index}] dense, ${f.nIn} → ${nOut}`;
    if (shape.length === 1) {
      nodes.push({ name, op_type: 'Gemm', input: b ? [current, W, b] : [current, W], output: [z], doc_string: doc });
    } else if (b) {
      const xw = unique(`${name}/xW`);
      nodes.push({ name: unique(`${name}/matmul`), op_type: 'MatMul', input: [current, W], output: [xw], doc_string: doc });
      infos.push(valueInfo(xw, outShape));
      nodes.push({ name: unique(`${name}/add`), op_type: 'Add', input: [xw, b], output: [z] });
    } else {
      nodes.push({ name, op_type: 'MatMul', input: [current, W], output: [z], doc_string: doc });
    }
    infos.push(valueInfo(z, outShape));
    const act = activationNode(l.activation, z, name, name);
    if (act) {
      nodes.push(act);
      infos.push(valueInfo(name, outShape));
    }
    shape = outShape;
    current = name;
  });
  // the last tensor becomes the graph's output "output"
  if (current === 'input') nodes.push({ name: 'identity', op_type: 'Identity', input: ['input'], output: ['output'] });
  else {
    for (const n of nodes) n.output = n.output.map((o) => (o === current ? 'output' : o));
    const last = infos.findIndex((v) => v.name === current);
    if (last >= 0) infos.splice(last, 1);
  }
  const description = options.docString ?? spec.description ?? '';
  const model = {
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'NN Lab',
    producer_version: options.producerVersion ?? '',
    doc_string: description,
    graph: {
      name: spec.name || 'network',
      node: nodes,
      initializer: initializers,
      input: [valueInfo('input', spec.input.shape, `a batch of samples, each of shape [${spec.input.shape.join(', ')}]`)],
      output: [valueInfo('output', shape)],
      value_info: infos,
      doc_string: omitted.length ? `Exported by NN Lab for inference; left out (identity at inference): ${omitted.join(', ')}.` : 'Exported by NN Lab for inference.',
    },
  };
  const T = onnxModelType();
  const problem = T.verify(model);
  if (problem) throw new Error(`internal error: the ONNX model does not fit the schema (${problem})`);
  return T.encode(T.fromObject(model)).finish();
}

/**
 * ONNX behind the export registry (index.ts): `model.onnx` with the run's trained weights (else the
 * spec's seeded initial ones) and its standardisation, so the graph takes raw inputs.
 */
export const onnxExporter: Exporter = {
  title: `ONNX model (IR ${ONNX_IR_VERSION}, opset ${ONNX_OPSET}) for onnxruntime, Netron and other engines`,
  unsupported: () => [],
  export: (input) => [
    {
      path: 'model.onnx',
      data: exportOnnx(input.spec, input.trained ?? input.initial, input.preprocessing?.standardize ? { standardize: input.preprocessing.standardize } : {}),
    },
  ],
};
