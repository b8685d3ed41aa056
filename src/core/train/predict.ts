// Loads a saved run's model.json + weights.bin with tfjs-layers' loadLayersModel (the proof that the
// run is a real TensorFlow.js layers model) and predicts. Uses the bundled tfjs-core on cpu. Inputs
// are in raw units: a run trained on standardised features (preprocessing.json) has its training rows'
// mean and std applied to them first, as the trainer's data was.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { Model } from './model';
import { applyStandardization } from '../data/preprocess';
import { isRectangular, nestedShape } from '../data/dataset';
import { KERAS_ELU_ALPHA, readRunPreprocessing, readRunSpec, readRunWeights, readWeightsData } from './runs';

interface ModelFile {
  modelTopology: { config: { layers: { config: { batch_input_shape?: (number | null)[] } }[] } };
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export async function loadRunModel(runDir: string): Promise<{ model: tfl.LayersModel; inputShape: number[] }> {
  const file = JSON.parse(readFileSync(join(runDir, 'model.json'), 'utf8')) as ModelFile;
  const specs = file.weightsManifest.flatMap((g) => g.weights);
  // shards inside the run folder only, exactly the bytes the manifest describes
  const bytes = readWeightsData(runDir, file.weightsManifest);
  const data = bytes.slice();
  if (tf.getBackend() !== 'cpu') {
    tf.enableProdMode();
    await tf.setBackend('cpu');
  }
  const model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: file.modelTopology as unknown as tf.io.ModelJSON['modelTopology'], weightSpecs: specs, weightData: data.buffer }));
  const shape = file.modelTopology.config.layers[0]?.config.batch_input_shape?.slice(1) ?? [];
  return { model, inputShape: shape.map((d) => d ?? 1) };
}

/**
 * Our own forward pass on the run's spec and weights: for models tfjs-layers 4.22 cannot load
 * (an ELU layer with α ≠ 1 is "not supported yet" there, though valid Keras).
 */
async function predictWithSpec(runDir: string, x: Float32Array, n: number): Promise<number[][]> {
  const spec = readRunSpec(runDir);
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  const model = new Model(tf, spec, readRunWeights(runDir, spec));
  try {
    return tf.tidy(() => model.forward(tf.tensor(x, [n, ...spec.input.shape], 'float32')).arraySync() as number[][]);
  } finally {
    model.dispose();
  }
}

function needsOwnForward(runDir: string): boolean {
  const file = JSON.parse(readFileSync(join(runDir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: { alpha?: number } }[] } } };
  return file.modelTopology.config.layers.some((l) => l.class_name === 'ELU' && (l.config.alpha ?? KERAS_ELU_ALPHA) !== KERAS_ELU_ALPHA);
}

/** Raw input rows (flat, `per` values a sample) → what the network was trained on: the run's saved standardisation applied, if any. */
export function rawToModelInputs(runDir: string, flat: readonly number[], per: number): Float32Array {
  const s = readRunPreprocessing(runDir)?.standardize;
  if (!s) return Float32Array.from(flat);
  if (s.mean.length !== per) throw new Error(`the run's preprocessing.json standardises ${s.mean.length} features, but the model takes ${per} inputs a sample`);
  return applyStandardization(s, flat, per);
}

/**
 * The input rows, flattened: each row is one sample, either `per` numbers or nested exactly like
 * input.shape. A row of any other shape is an error naming it (never reshaped into other samples).
 */
export function inputRows(input: unknown, inputShape: readonly number[]): number[] {
  const per = inputShape.reduce((a, b) => a * b, 1);
  const shape = `input shape [${inputShape.join(', ')}]`;
  if (!Array.isArray(input) || input.length === 0) throw new Error('--input must be a JSON array of rows, one sample each, e.g. [[0,1],[1,1]]');
  const flat: number[] = [];
  input.forEach((row: unknown, i) => {
    const values = Array.isArray(row) ? (row.flat(Infinity) as unknown[]) : [row];
    const dims = nestedShape(row);
    const asShape = dims.length === inputShape.length && dims.every((d, k) => d === inputShape[k]) && isRectangular(row);
    if (!Array.isArray(row) || !(asShape || (dims.length === 1 && row.length === per))) {
      const got = Array.isArray(row) ? (isRectangular(row) ? `${dims.length > 1 ? `shape ${dims.join('×')}` : `${row.length} number${row.length === 1 ? '' : 's'}`}` : 'rows of different lengths') : `${JSON.stringify(row)}, not a row`;
      throw new Error(`--input row ${i} has ${got}; each row is one sample of ${per} number${per === 1 ? '' : 's'} (${shape})`);
    }
    const bad = values.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (bad >= 0) throw new Error(`--input row ${i} has ${JSON.stringify(values[bad])}; rows contain only finite numbers`);
    for (const v of values) flat.push(v as number);
  });
  return flat;
}

/** rows: one sample per entry, each flat or shaped like input.shape (a single flat sample: the CLI wraps it). */
export async function predictRun(runDir: string, input: unknown): Promise<number[][]> {
  const own = needsOwnForward(runDir);
  const loaded = own ? undefined : await loadRunModel(runDir);
  const inputShape = loaded?.inputShape ?? readRunSpec(runDir).input.shape;
  const per = inputShape.reduce((a, b) => a * b, 1);
  const flat = inputRows(input, inputShape);
  const n = flat.length / per;
  const xs = rawToModelInputs(runDir, flat as number[], per);
  if (!loaded) return predictWithSpec(runDir, xs, n);
  const model = loaded.model;
  const x = tf.tensor(xs, [n, ...inputShape], 'float32');
  const y = model.predict(x) as tf.Tensor;
  const out = (await y.array()) as number[][];
  x.dispose();
  y.dispose();
  model.dispose();
  return out;
}
