// Seeded randomness for everything NN Lab draws (initial weights, shuffling, generated data,
// validation split): the same `training.seed` gives the same numbers on every machine.
// Pure: no `vscode`, no DOM.

/**
 * A deterministic uniform generator on [0, 1) (mulberry32: 32-bit state, period 2³²).
 * The seed is reduced to an unsigned 32-bit integer, so 42 and 42.0 give the same stream.
 */
export function createRng(seed: number): () => number {
  let state = (Number.isFinite(seed) ? Math.trunc(seed) : 0) >>> 0;
  return function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One draw from N(mean, std²) by the Box–Muller transform (two uniforms per draw, no caching). */
export function normalSample(rng: () => number, mean = 0, std = 1): number {
  let u = rng();
  while (u <= Number.EPSILON) u = rng(); // log(0) is -∞
  const v = rng();
  return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Fisher–Yates shuffle of `n` indices [0, n) with the given generator. */
export function shuffledIndices(n: number, rng: () => number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}
