// ONNX export: onnxruntime (onnxruntime-node, the real engine) runs the exported file and gives the
// predictions TensorFlow.js gives for the same trained weights, within 1e-5, on every sample and on a
// network with every layer kind and activation; the graph has the stated opset, IR version, operators
// and the spec's names; weights that do not fit the spec are refused with the layer named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { parseSpec, type NetworkSpec } from '../../../src/core/spec';
import { loadData } from '../../../src/core/data';
import { selectBackend } from '../../../src/core/train/select';
import { Trainer, type TrainData } from '../../../src/core/train/trainer';
import { initialWeights } from '../../../src/core/train/init';
import { startSession } from '../../../src/core/train/session';
import { readRunPreprocessing, readRunWeights } from '../../../src/core/train/runs';
import { predictRun } from '../../../src/core/train/predict';
import type { LayerWeights } from '../../../src/protocol/training';
import { exportOnnx, onnxModelType, ONNX_IR_VERSION, ONNX_OPSET } from '../../../src/core/export/onnx';
import { dense, makeSpec } from '../train/helpers';
import { COMMANDS } from '../../../src/cli/commands';

const root = resolve(__dirname, '../../..');
const samplesDir = join(root, 'samples');

interface Decoded {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  graph: {
    name: string;
    node: { name: string; op_type: string; input: string[]; output: string[]; attribute?: { name: string; f?: number; i?: number }[] }[];
    initializer: { name: string; dims: number[] }[];
    input: { name: string }[];
    output: { name: string }[];
    doc_string: string;
  };
}

function decode(bytes: Uint8Array): Decoded {
  const T = onnxModelType();
  return T.toObject(T.decode(bytes), { longs: Number, defaults: false }) as Decoded;
}

/** Trains `epochs` epochs on cpu; returns the trained weights and TF.js's predictions for the first `n` rows. */
async function trainAndPredict(spec: NetworkSpec, data: TrainData, epochs: number, n: number): Promise<{ weights: LayerWeights[]; x: Float32Array; tfjs: number[][] }> {
  const { backend } = await selectBackend('cpu', { modulePaths: [] });
  const t = new Trainer({ backend, spec, data, epochs });
  try {
    await t.run();
    const per = data.xShape.slice(1).reduce((a, b) => a * b, 1);
    const rows = Math.min(n, data.xShape[0]);
    const x = data.x.slice(0, rows * per);
    return { weights: t.weights(), x, tfjs: t.predict(x, rows) };
  } finally {
    t.dispose();
  }
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, shape: number[]): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', x, shape) });
    const y = out.output;
    return { data: y.data as Float32Array, dims: y.dims };
  } finally {
    await session.release();
  }
}

function assertClose(onnx: { data: Float32Array; dims: readonly number[] }, tfjs: number[][], what: string): number {
  const width = tfjs[0].length;
  assert.deepEqual([...onnx.dims], [tfjs.length, width], `${what}: output shape`);
  let worst = 0;
  tfjs.forEach((row, i) =>
    row.forEach((v, k) => {
      const d = Math.abs(onnx.data[i * width + k] - v);
      worst = Math.max(worst, d);
      assert.ok(d <= 1e-5, `${what}: sample ${i} output ${k}: onnxruntime ${onnx.data[i * width + k]} vs TF.js ${v}`);
    }),
  );
  return worst;
}

// what each sample's graph must be, node by node (op types), from the sample's layers
const OPS: Record<string, string[]> = {
  circle: ['Gemm', 'Relu', 'Gemm', 'Sigmoid'],
  'image-3x3': ['Flatten', 'Gemm', 'Relu', 'Gemm', 'Softmax'],
  iris: ['Gemm', 'Relu', 'Gemm', 'Softmax'],
  mnist: ['Flatten', 'Gemm', 'Relu', 'Gemm', 'Softmax'],
  'network-2-2-2': ['Gemm', 'Sigmoid', 'Gemm', 'Sigmoid'],
  'neural-chain': ['Gemm', 'Gemm'],
  or: ['Gemm', 'Sigmoid'],
  sine: ['Gemm', 'Tanh', 'Gemm', 'Tanh', 'Gemm'],
  spiral: ['Gemm', 'Relu', 'Gemm', 'Relu', 'Gemm', 'Sigmoid'],
  xor: ['Gemm', 'Tanh', 'Gemm', 'Sigmoid'],
};

test('every sample has its expected ONNX graph listed here', () => {
  assert.deepEqual(readdirSync(samplesDir).filter((f) => f.endsWith('.nn.json')).map((f) => f.replace('.nn.json', '')).sort(), Object.keys(OPS).sort());
});

for (const name of Object.keys(OPS)) {
  test(`sample ${name}: trained 3 epochs, the exported ONNX model run by onnxruntime predicts what TF.js predicts (within 1e-5)`, async (t) => {
    const path = join(samplesDir, `${name}.nn.json`);
    const parsed = parseSpec(readFileSync(path, 'utf8'));
    assert.ok(parsed.spec, `${name} parses`);
    let spec = parsed.spec;
    // fewer MNIST digits keep the test short; the network is the sample's
    if (spec.data?.type === 'mnist') spec = { ...spec, data: { ...spec.data, samples: 300 } };
    const data = await loadData(spec, path);
    const { weights, x, tfjs } = await trainAndPredict(spec, data, 3, 64);
    assert.notDeepEqual(weights, initialWeights(spec), 'training changed the weights');
    const bytes = exportOnnx(spec, weights);
    const worst = assertClose(await runOnnx(bytes, x, [tfjs.length, ...spec.input.shape]), tfjs, name);
    const m = decode(bytes);
    assert.equal(m.ir_version, ONNX_IR_VERSION);
    assert.deepEqual(m.opset_import, [{ version: ONNX_OPSET }]); // domain '' (the default ai.onnx operators) is proto3's default, not written
    assert.equal(m.producer_name, 'NN Lab');
    assert.equal(m.graph.name, spec.name);
    assert.deepEqual(m.graph.node.map((n) => n.op_type), OPS[name]);
    assert.deepEqual(m.graph.input.map((i) => i.name), ['input']);
    assert.deepEqual(m.graph.output.map((o) => o.name), ['output']);
    // initializers named after the layers, W as the course writes it (nᵢ×nₒ)
    const fans = weights.map((w) => [`${w.name}.W`, [w.W.length, w.W[0].length]] as const);
    for (const [wName, dims] of fans) assert.deepEqual(m.graph.initializer.find((i) => i.name === wName)?.dims, dims, wName);
    t.diagnostic(`max |onnxruntime − TF.js| over ${tfjs.length} samples: ${worst.toExponential(2)}`);
  });
}

test('every layer kind and activation: leakyRelu(α), elu(α=1 and α≠1), dropout left out, dense on a 3-D input (MatMul+Add), no-bias layers, Flatten, Softmax; names from the spec', async () => {
  const spec = makeSpec({
    name: 'every kind',
    input: [3, 4],
    layers: [
      dense(5, 'elu', { type: 'glorot' }, { name: 'rows', activation: { name: 'elu', alpha: 0.5 } }), // acts on the last axis: 3×4 → 3×5
      dense(4, 'linear', { type: 'glorot' }, { name: 'nobias3d', useBias: false }),
      { type: 'flatten', name: 'flat' },
      { type: 'dropout', rate: 0.3 },
      dense(6, 'leakyRelu', { type: 'he' }, { name: 'hidden', activation: { name: 'leakyRelu', alpha: 0.2 } }),
      dense(6, 'elu', { type: 'he' }, { name: 'hidden' }), // a duplicate name is made unique
      dense(5, 'tanh', { type: 'glorot' }, { useBias: false }),
      dense(3, 'softmax'),
    ],
    loss: 'categoricalCrossentropy',
    optimizer: { type: 'adam', learningRate: 0.02, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    epochs: 4,
    batchSize: 8,
  });
  const n = 24;
  const x = new Float32Array(n * 12).map((_, i) => Math.sin(i * 0.37) * 2);
  const y = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) y[i * 3 + (i % 3)] = 1;
  const trained = await trainAndPredict(spec, { x, xShape: [n, 3, 4], y, yShape: [n, 3] }, 4, n);
  const bytes = exportOnnx(spec, trained.weights);
  const worst = assertClose(await runOnnx(bytes, trained.x, [n, 3, 4]), trained.tfjs, 'every kind');
  assert.ok(worst <= 1e-5);
  const m = decode(bytes);
  assert.deepEqual(
    m.graph.node.map((nd) => `${nd.op_type} ${nd.name}: ${nd.input.join(',')} → ${nd.output.join(',')}${(nd.attribute ?? []).map((a) => ` ${a.name}=${a.f !== undefined ? Math.fround(a.f) : a.i}`).join('')}`),
    [
      'MatMul rows/matmul: input,rows.W → rows/xW',
      'Add rows/add: rows/xW,rows.b → rows/z',
      `Elu rows/elu: rows/z → rows alpha=${Math.fround(0.5)}`,
      'MatMul nobias3d: rows,nobias3d.W → nobias3d',
      'Flatten flat: nobias3d → flat axis=1',
      'Gemm hidden: flat,hidden.W,hidden.b → hidden/z',
      `LeakyRelu hidden/leakyRelu: hidden/z → hidden alpha=${Math.fround(0.2)}`,
      'Gemm hidden_2: hidden,hidden_2.W,hidden_2.b → hidden_2/z',
      `Elu hidden_2/elu: hidden_2/z → hidden_2 alpha=1`,
      'Gemm dense_5: hidden_2,dense_5.W → dense_5/z',
      'Tanh dense_5/tanh: dense_5/z → dense_5',
      'Gemm dense_6: dense_5,dense_6.W,dense_6.b → dense_6/z',
      'Softmax dense_6/softmax: dense_6/z → output axis=-1',
    ],
  );
  assert.match(m.graph.doc_string, /left out \(identity at inference\): layers\[3\] dropout \(rate 0\.3\)/);
  // the file on disk is what onnxruntime loads from a path too
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-onnx-'));
  try {
    const file = join(dir, 'every-kind.onnx');
    writeFileSync(file, bytes);
    const session = await ort.InferenceSession.create(file);
    assert.deepEqual([session.inputNames, session.outputNames], [['input'], ['output']]);
    await session.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run on standardised CSV features (samples/iris): the graph starts with Sub/Div of the run\'s mean and std, takes raw inputs and predicts what `nnlab predict` predicts (within 1e-5)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-onnx-'));
  try {
    const specPath = join(dir, 'iris.nn.json');
    writeFileSync(specPath, readFileSync(join(samplesDir, 'iris.nn.json')));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data/iris.csv'), readFileSync(join(samplesDir, 'data/iris.csv')));
    const parsed = parseSpec(readFileSync(specPath, 'utf8'));
    assert.ok(parsed.spec && parsed.spec.data?.type === 'csv' && parsed.spec.data.standardize === true);
    const spec = { ...parsed.spec, training: { ...parsed.spec.training, epochs: 5 } };
    const summary = await (await startSession({ spec, specPath, backend: 'cpu', onMessage: () => {} })).done;
    const runDir = summary.runDir as string;
    const standardize = readRunPreprocessing(runDir)?.standardize;
    assert.ok(standardize);
    // raw feature rows: the same CSV without the standardisation
    const raw = await loadData({ ...spec, data: { ...parsed.spec.data, standardize: false } }, specPath);
    const n = raw.xShape[0];
    const rows = Array.from({ length: n }, (_, i) => Array.from(raw.x.subarray(i * 4, i * 4 + 4)));
    const predicted = await predictRun(runDir, rows);
    const bytes = exportOnnx(spec, readRunWeights(runDir, spec), { standardize });
    const worst = assertClose(await runOnnx(bytes, raw.x, [n, 4]), predicted, 'iris run');
    t.diagnostic(`max |onnxruntime − nnlab predict| over ${n} raw samples: ${worst.toExponential(2)}`);
    const m = decode(bytes);
    assert.deepEqual(m.graph.node.slice(0, 2).map((nd) => `${nd.op_type} ${nd.input.join(',')} → ${nd.output.join(',')}`), ['Sub input,preprocess.mean → preprocess/centred', 'Div preprocess/centred,preprocess.std → preprocess']);
    // without it the raw inputs give other outputs: the Sub/Div are what makes them agree
    const bare = await runOnnx(exportOnnx(spec, readRunWeights(runDir, spec)), raw.x, [n, 4]);
    assert.ok(bare.data.some((v, i) => Math.abs(v - predicted[Math.floor(i / 3)][i % 3]) > 1e-3));
    assert.throws(() => exportOnnx(spec, readRunWeights(runDir, spec), { standardize: { mean: [0], std: [1] } }), { message: 'the standardisation has 1 features, the network takes 4 inputs a sample' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('initial weights by default: the spec\'s seeded initial network, the same bytes every time', async () => {
  const spec = makeSpec({ input: [2], layers: [dense(3, 'relu', { type: 'he' }), dense(1, 'sigmoid')], loss: 'binaryCrossentropy', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4, seed: 7 });
  const bytes = exportOnnx(spec);
  assert.deepEqual(bytes, exportOnnx(spec, initialWeights(spec)));
  // y = σ(relu(x·W₁ + b₁)·W₂ + b₂) by hand, in float64, from the initial weights
  const [l1, l2] = initialWeights(spec);
  const x = [0.5, -1.25];
  const h = l1.W[0].map((_, j) => Math.max(0, x[0] * l1.W[0][j] + x[1] * l1.W[1][j] + (l1.b?.[j] ?? 0)));
  const z = h.reduce((a, v, j) => a + v * l2.W[j][0], l2.b?.[0] ?? 0);
  const out = await runOnnx(bytes, Float32Array.from(x), [1, 2]);
  assert.ok(Math.abs(out.data[0] - 1 / (1 + Math.exp(-z))) < 1e-6, `${out.data[0]} vs ${1 / (1 + Math.exp(-z))}`);
});

test('weights that do not fit the spec are refused with the layer named', () => {
  const spec = makeSpec({ input: [2], layers: [dense(3, 'relu'), dense(1, 'sigmoid')], loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4 });
  const w = initialWeights(spec);
  assert.throws(() => exportOnnx(spec, w.slice(0, 1)), { message: 'expected weights for 2 dense layers, got 1' });
  assert.throws(() => exportOnnx(spec, [{ ...w[0], W: [[1, 2, 3]] }, w[1]]), { message: 'layers[0] (dense_1): weights must be 2×3, got 1×3' });
  assert.throws(() => exportOnnx(spec, [w[0], { ...w[1], b: [] }]), { message: 'layers[1] (dense_2): bias must have 1 values' });
});

test('nnlab export --to onnx writes exportOnnx\'s model.onnx (the registry entry), which onnxruntime runs', async () => {
  const out = mkdtempSync(join(tmpdir(), 'nnlab-onnx-cli-'));
  const lines: string[] = [];
  const exportCmd = COMMANDS.find((c) => c.command.name === 'export')!;
  const code = await exportCmd.run([resolve('samples/xor.nn.json'), '--to', 'onnx', '--out', out], { out: (s) => lines.push(s), err: (s) => lines.push(s) });
  assert.equal(code, 0, lines.join(''));
  assert.equal(lines.join(''), `spec xor.nn.json → onnx: 1 file in ${out}\n  model.onnx\n`);
  const spec = parseSpec(readFileSync('samples/xor.nn.json', 'utf8')).spec!;
  const bytes = readFileSync(join(out, 'model.onnx'));
  assert.deepEqual(new Uint8Array(bytes), new Uint8Array(exportOnnx(spec, initialWeights(spec))));
  const session = await ort.InferenceSession.create(bytes);
  const r = await session.run({ input: new ort.Tensor('float32', Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]), [4, 2]) });
  assert.deepEqual(r.output!.dims, [4, 1]);
  rmSync(out, { recursive: true, force: true });
});
