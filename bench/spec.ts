// Shared by the benchmark (bench/run.ts) and the GPU check (bench/gpu-check.ts): a plain dense network
// spec, and the MNIST digits as flat 784-feature rows.
import { loadMnist } from '../src/core/data';
import type { TrainData } from '../src/core/train/trainer';
import type { ActivationName, LossName, NetworkSpec, Optimizer } from '../src/core/spec/types';

/** Dense layers (Glorot weights, zero biases) on `inputs` features, shuffled batches, no validation split. */
export function denseSpec(o: { name: string; inputs: number; layers: readonly (readonly [number, ActivationName])[]; loss: LossName; optimizer: Optimizer; epochs: number; batchSize: number | 'full'; seed: number }): NetworkSpec {
  return {
    version: 1,
    name: o.name,
    input: { shape: [o.inputs] },
    layers: o.layers.map(([units, act]) => ({ type: 'dense' as const, units, activation: { name: act }, useBias: true, init: { type: 'glorot' as const }, biasInit: { type: 'zeros' as const } })),
    loss: o.loss,
    optimizer: o.optimizer,
    training: { epochs: o.epochs, batchSize: o.batchSize, shuffle: true, seed: o.seed, validationSplit: 0 },
  };
}

/** `samples` MNIST digits (seeded choice) as [samples, 784] rows. */
export async function flatMnist(samples: number, seed: number): Promise<TrainData> {
  const d = await loadMnist(samples, seed);
  return { ...d, xShape: [d.xShape[0], d.x.length / d.xShape[0]] };
}
