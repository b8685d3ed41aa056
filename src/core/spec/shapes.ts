// Shape inference: for every layer its input and output shape (batch dimension "B"), W and b shapes,
// parameter count, multiply-adds, bytes. The same numbers Keras' model.summary() prints for the
// equivalent Sequential model (tested against TensorFlow.js). Pure: no `vscode`, no DOM.
import type { Layer, LayerShapes, NetworkShapes, NetworkSpec, Optimizer, Shape } from './types';

const BYTES_PER_FLOAT = 4;
export const DEFAULT_BATCH_FOR_SHAPES = 32;

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

export interface MemoryEstimate {
  batchSize: number;
  /** float32 weights and biases */
  paramBytes: number;
  /** one gradient per parameter */
  gradientBytes: number;
  /** optimizer slots: 0 for sgd, 1 (velocity) for momentum, 2 (m, v) for adam */
  optimizerBytes: number;
  /** input batch + every layer's output, kept for the backward pass, plus as many gradients */
  activationBytes: number;
  total: number;
}

export function optimizerSlots(o: Optimizer): number {
  return o.type === 'adam' ? 2 : o.type === 'momentum' ? 1 : 0;
}

/** Training memory estimate, computed before anything is allocated (checked against nnlab.memoryLimitMB). */
export function estimateMemory(spec: NetworkSpec, shapes: NetworkShapes): MemoryEstimate {
  const p = shapes.totals.paramBytes;
  const inputBytes = product(spec.input.shape) * shapes.batchSize * BYTES_PER_FLOAT;
  const activationBytes = inputBytes + 2 * shapes.totals.activationBytesPerBatch;
  const optimizerBytes = p * optimizerSlots(spec.optimizer);
  return { batchSize: shapes.batchSize, paramBytes: p, gradientBytes: p, optimizerBytes, activationBytes, total: 2 * p + optimizerBytes + activationBytes };
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
