// Seeded randomness for the trainer: weight initialisation, shuffling, validation split, dropout seeds.
// mulberry32: a 32-bit state PRNG, small, fast and identical on every platform (pure integer maths),
// so the same seed gives the same numbers in the worker, the CLI, tests and the walkthrough.
import { createRng, normalSample } from '../rng';

export type Rng = () => number;

/** uniform in [0, 1): the project's seeded generator (src/core/rng.ts, mulberry32) */
export const mulberry32: (seed: number) => Rng = createRng;

/** Box–Muller, two uniforms per sample (src/core/rng.ts normalSample) */
export const gaussian: (rng: Rng, mean?: number, std?: number) => number = normalSample;

/** Fisher–Yates permutation of 0..n-1 into `out` (allocated when absent). */
export function permutation(rng: Rng, n: number, out: Int32Array = new Int32Array(n)): Int32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
