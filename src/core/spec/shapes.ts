// Shape inference: for every layer its input and output shape (batch dimension "B"), W and b shapes,
// parameter count, multiply-adds, bytes. The same numbers Keras' model.summary() prints for the
// equivalent Sequential model (tested against TensorFlow.js). Pure: no `vscode`, no DOM.
import { DEFAULT_MEMORY_LIMIT_MB, type Layer, type LayerShapes, type NetworkShapes, type NetworkSpec, type Optimizer, type Shape } from './types';

const BYTES_PER_FLOAT = 4;
export const DEFAULT_BATCH_FOR_SHAPES = 32;
/** the nnlab.memoryLimitMB setting's default, 2 GiB */
export const DEFAULT_MEMORY_LIMIT_BYTES = DEFAULT_MEMORY_LIMIT_MB * 1024 * 1024;

/** ['B', 3, 3] → "B×3×3" */
export function formatShape(s: Shape): string {
  return s.map(String).join('×');
}

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function layerName(layer: Layer, counters: Map<string, number>): string {
  const n = (counters.get(layer.type) ?? 0) + 1;
  counters.set(layer.type, n);
  return layer.name ?? `${layer.type}_${n}`;
}

/**
 * Infers every layer's shapes. Like Keras, a dense layer acts on the last axis (so on a B×3×3 input
 * it gives B×3×units with W 3×units); the validator reports that case as NN201 (needs flatten).
 * `batchSize` only affects activation bytes; default: training.batchSize, or 32 for "full".
 */
export function inferShapes(spec: NetworkSpec, batchSize?: number): NetworkShapes {
  const batch = batchSize ?? (typeof spec.training.batchSize === 'number' ? spec.training.batchSize : DEFAULT_BATCH_FOR_SHAPES);
  let cur: number[] = [...spec.input.shape];
  const counters = new Map<string, number>();
  const layers: LayerShapes[] = spec.layers.map((layer, index) => {
    const inputShape: Shape = ['B', ...cur];
    let out: number[] = cur;
    let weightShape: [number, number] | null = null;
    let biasShape: [number, number] | null = null;
    let params = 0;
    let macs = 0;
    if (layer.type === 'dense') {
      const nIn = cur[cur.length - 1] ?? 0;
      out = [...cur.slice(0, -1), layer.units];
      weightShape = [nIn, layer.units];
      biasShape = layer.useBias ? [1, layer.units] : null;
      params = nIn * layer.units + (layer.useBias ? layer.units : 0);
      macs = product(cur.slice(0, -1)) * nIn * layer.units;
    } else if (layer.type === 'flatten') {
      out = [product(cur)];
    }
    cur = out;
    const ls: LayerShapes = {
      index,
      type: layer.type,
      name: layerName(layer, counters),
      inputShape,
      outputShape: ['B', ...out],
      weightShape,
      biasShape,
      params,
      macs,
      paramBytes: params * BYTES_PER_FLOAT,
      activationBytesPerBatch: product(out) * batch * BYTES_PER_FLOAT,
    };
    if (layer.type === 'dense') ls.activation = layer.activation;
    return ls;
  });
  const totals = layers.reduce(
    (t, l) => ({
      params: t.params + l.params,
      macs: t.macs + l.macs,
      paramBytes: t.paramBytes + l.paramBytes,
      activationBytesPerBatch: t.activationBytesPerBatch + l.activationBytesPerBatch,
    }),
    { params: 0, macs: 0, paramBytes: 0, activationBytesPerBatch: 0 },
  );
  return { batchSize: batch, layers, totals, outputShape: ['B', ...cur] };
}

/**
 * The training-memory estimate, made before anything is allocated: the one estimator that the editor
 * (NN401, the spec lens, `nnlab inspect`) and the trainer (which refuses to start above the limit)
 * both use, so the editor never says a spec fits that training refuses. All float32 (4 bytes):
 *   parameters p, their gradients p, optimizer slots (0 sgd, 1 momentum, 2 adam) × p,
 *   activations 3 × (input + every dense and dropout layer's output) × batch (the value, the copy the
 *     backward pass keeps, its gradient; flatten only reshapes),
 *   data 2 × samples × (inputs + outputs) (the data set and one shuffled or split copy).
 */
export interface MemoryEstimate {
  /** the batch the trainer runs: training.batchSize, at most the training samples; "full" = all of them */
  batchSize: number;
  /** the samples counted in `dataBytes` (0 when the data could not be read) */
  samples: number;
  /** float32 weights and biases */
  paramBytes: number;
  /** one gradient per parameter */
  gradientBytes: number;
  /** optimizer slots: 0 for sgd, 1 (velocity) for momentum, 2 (m, v) for adam */
  optimizerBytes: number;
  /** 3 × (input batch + every dense and dropout layer's output batch) */
  activationBytes: number;
  /** the data set and one copy: 2 × samples × (inputs + outputs) */
  dataBytes: number;
  total: number;
}

export function optimizerSlots(o: Optimizer): number {
  return o.type === 'adam' ? 2 : o.type === 'momentum' ? 1 : 0;
}

/** The batch size a run uses: `training.batchSize` capped at the training samples; "full" = all of them. */
export function runBatchSize(batchSize: number | 'full', trainSamples: number | undefined): number {
  if (batchSize === 'full') return Math.max(1, trainSamples ?? DEFAULT_BATCH_FOR_SHAPES);
  return Math.max(1, trainSamples === undefined ? batchSize : Math.min(batchSize, trainSamples));
}

/** Training memory estimate (see MemoryEstimate), checked against nnlab.memoryLimitMB by the editor and the trainer. */
export function estimateMemory(spec: NetworkSpec, run: { batchSize: number; samples: number }): MemoryEstimate {
  const shapes = inferShapes(spec, run.batchSize);
  const p = shapes.totals.paramBytes;
  const inputs = product(spec.input.shape);
  const kept = shapes.layers.reduce((a, l) => a + (l.type === 'flatten' ? 0 : product(l.outputShape.slice(1) as number[])), inputs);
  const activationBytes = 3 * kept * run.batchSize * BYTES_PER_FLOAT;
  const outputs = product(shapes.outputShape.slice(1) as number[]);
  const dataBytes = 2 * run.samples * (inputs + outputs) * BYTES_PER_FLOAT;
  const optimizerBytes = p * optimizerSlots(spec.optimizer);
  return { batchSize: run.batchSize, samples: run.samples, paramBytes: p, gradientBytes: p, optimizerBytes, activationBytes, dataBytes, total: 2 * p + optimizerBytes + activationBytes + dataBytes };
}

/** "2.19 MiB (parameters 398 KiB, gradients 398 KiB, optimizer state 795 KiB, activations 657 KiB at batch size 64, data 30.2 MiB for 10000 samples)" */
export function describeMemory(m: MemoryEstimate): string {
  const data = m.samples > 0 ? `, data ${formatBytes(m.dataBytes)} for ${m.samples} samples` : '';
  return `${formatBytes(m.total)} (parameters ${formatBytes(m.paramBytes)}, gradients ${formatBytes(m.gradientBytes)}, optimizer state ${formatBytes(m.optimizerBytes)}, activations ${formatBytes(m.activationBytes)} at batch size ${m.batchSize}${data})`;
}

/** The refusal, word for word the same in the editor (NN401) and from the trainer. */
export function memoryLimitMessage(m: MemoryEstimate, limitBytes: number): string {
  return `Estimated training memory ${describeMemory(m)} exceeds the limit of ${formatBytes(limitBytes)} (nnlab.memoryLimitMB); use fewer units, a smaller batchSize or fewer samples.`;
}

/** 1536 → "1.5 KiB" */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${n} B`;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}
