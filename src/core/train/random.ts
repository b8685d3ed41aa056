// Seeded randomness for the trainer: weight initialisation, shuffling, validation split, dropout seeds.
// mulberry32: a 32-bit state PRNG, small, fast and identical on every platform (pure integer maths),
// so the same seed gives the same numbers in the worker, the CLI, tests and the walkthrough.

export type Rng = () => number;

/** uniform in [0, 1) */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Box–Muller; consumes two uniforms per sample (no cached second value, so streams stay simple). */
export function gaussian(rng: Rng, mean = 0, std = 1): number {
  let u = rng();
  while (u <= Number.EPSILON) u = rng();
  const v = rng();
  return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

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
