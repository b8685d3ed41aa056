// The size of one training step, as `auto` decides by it: one implementation for the training session
// (src/core/train/session.ts) and the editor's backend probe (src/training/probe.ts).
import { inferShapes } from '../spec/shapes';
import type { NetworkSpec } from '../spec/types';
import { splitCounts } from '../data/preprocess';

/**
 * Rows per training step: the training samples (all samples less the validation split) for "full",
 * else min(batchSize, training samples). `samples`: the data's sample count; undefined when unknown
 * (then "full" gives undefined and a numeric batch size itself).
 */
export function stepBatch(spec: NetworkSpec, samples: number | undefined): number | undefined {
  const nTrain = samples === undefined ? undefined : splitCounts(samples, spec.training.validationSplit).nTrain;
  const bs = spec.training.batchSize;
  const batch = bs === 'full' ? nTrain : nTrain === undefined ? bs : Math.min(bs, nTrain);
  return batch !== undefined && batch > 0 ? batch : undefined;
}

/** Forward multiply-adds per training step: per-sample MACs × stepBatch (undefined when that is). */
export function stepMacs(spec: NetworkSpec, samples: number | undefined): number | undefined {
  return stepSize(spec, samples).macs;
}

/** A count of multiply-adds as every backend reason writes it: "35,840" (en-US thousands separators). */
export function macsCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A training step's size as the backend choice reads it; undefined fields are unknown (counted as large). */
export interface StepSize {
  macs?: number;
  batch?: number;
}

export function stepSize(spec: NetworkSpec, samples: number | undefined): StepSize {
  const batch = stepBatch(spec, samples);
  return batch === undefined ? {} : { macs: inferShapes(spec, batch).totals.macs * batch, batch };
}

/**
 * Forward multiply-adds per training step (per-sample MACs × batch size) from which `auto` prefers
 * wasm over the pure-JS cpu backend: the crossover of `npm run bench -- --only sweep` on a quiet
 * 2-vCPU machine (cpu won at 3.3·10³, wasm from 1.1·10⁴ on; test/unit/bench/bench-sweep.json, whose
 * test fails when they disagree). The tiny nets (XOR 48, Playground 880) stay on cpu, where the direct
 * step has less per-operation overhead than wasm's calls; 784-128-64-10 at batch 64 (~7·10⁶) is ~20×
 * faster on wasm.
 */
export const AUTO_WASM_MIN_STEP_MACS = 10_000;

/**
 * From this many rows per step, the wasm backend's threads pay from WASM_THREADS_MIN_STEP_MACS forward
 * multiply-adds per step; with fewer rows, only from WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS. With few
 * rows the weight gradients aᵀ·δ (a width × width output summed over only `batch` products each) are
 * bound by memory, not arithmetic, and a second thread does not speed them up. Both thresholds are the
 * crossovers of `npm run bench -- --only sweep` over the points on either side of this batch size
 * (test/unit/bench/bench-sweep.json; the test there fails when they disagree; docs/benchmarks.md).
 */
export const WASM_THREADS_MIN_BATCH = 64;
export const WASM_THREADS_MIN_STEP_MACS = 4_500_000;
export const WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS = 17_000_000;

/** The forward MACs per step from which threads pay, for steps of `batch` rows (unknown: a large batch). */
export function wasmThreadsMinMacs(batch: number | undefined): number {
  return batch !== undefined && batch < WASM_THREADS_MIN_BATCH ? WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS : WASM_THREADS_MIN_STEP_MACS;
}
