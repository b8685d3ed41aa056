// Small spec builders and data generators for the training tests (until/independently of the spec core).
import { readdirSync } from 'node:fs';
import type { DenseLayer, Initializer, LossName, NetworkSpec, Optimizer } from '../../../src/core/spec/types';

/** A run folder's file names, sorted, the TensorBoard event file's (its time and host vary) as `events.out.tfevents.*`. */
export function runFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((f) => (/^events\.out\.tfevents\.\d{10}\.[^/]+$/.test(f) ? 'events.out.tfevents.*' : f))
    .sort();
}

export function dense(units: number, activation: DenseLayer['activation']['name'], init: Initializer = { type: 'glorot' }, extra: Partial<DenseLayer> = {}): DenseLayer {
  return { type: 'dense', units, activation: { name: activation }, useBias: true, init, biasInit: { type: 'zeros' }, ...extra };
}

export function makeSpec(opts: {
  name?: string;
  input: number[];
  layers: NetworkSpec['layers'];
  loss: LossName;
  optimizer: Optimizer;
  epochs: number;
  batchSize: number | 'full';
  seed?: number;
  shuffle?: boolean;
  validationSplit?: number;
  stopWhenLossBelow?: number;
}): NetworkSpec {
  return {
    version: 1,
    name: opts.name ?? 'test',
    input: { shape: opts.input },
    layers: opts.layers,
    loss: opts.loss,
    optimizer: opts.optimizer,
    training: {
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      shuffle: opts.shuffle ?? true,
      seed: opts.seed ?? 1,
      validationSplit: opts.validationSplit ?? 0,
      ...(opts.stopWhenLossBelow !== undefined ? { stopWhenLossBelow: opts.stopWhenLossBelow } : {}),
    },
  };
}

export const XOR = { x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), xShape: [4, 2], y: new Float32Array([0, 1, 1, 0]), yShape: [4, 1] as [number, number] };
export const OR = { x: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), xShape: [4, 2], y: new Float32Array([0, 1, 1, 1]), yShape: [4, 1] as [number, number] };

/** Two interleaved spirals (classes one-hot), deterministic. */
export function spiral(n: number, noise = 0, seed = 3): { x: Float32Array; xShape: number[]; y: Float32Array; yShape: [number, number] } {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const r = (Math.floor(i / 2) / (n / 2)) * 5;
    const t = (1.75 * Math.floor(i / 2)) / (n / 2) * 2 * Math.PI + cls * Math.PI;
    x[2 * i] = r * Math.sin(t) + (rnd() * 2 - 1) * noise;
    x[2 * i + 1] = r * Math.cos(t) + (rnd() * 2 - 1) * noise;
    y[2 * i + cls] = 1;
  }
  return { x, xShape: [n, 2], y, yShape: [n, 2] };
}
