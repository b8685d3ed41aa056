// Histograms of real pre-activations for the activation explorer.

export interface Histogram {
  lo: number;
  hi: number;
  counts: number[];
  /** values that fell outside [lo, hi] (counted, not drawn) */
  below: number;
  above: number;
  total: number;
}

/** Equal-width bins over [lo, hi]; the last bin includes hi. Non-finite values are ignored. */
export function histogram(values: Iterable<number>, bins: number, lo: number, hi: number): Histogram {
  const n = Math.max(1, Math.floor(bins));
  const counts = new Array<number>(n).fill(0);
  let below = 0;
  let above = 0;
  let total = 0;
  const w = (hi - lo) / n;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    total++;
    if (v < lo) below++;
    else if (v > hi) above++;
    else counts[Math.min(n - 1, Math.floor((v - lo) / w))]++;
  }
  return { lo, hi, counts, below, above, total };
}

/** Fraction of units that never fire (z < 0 for every sample) — the course's "dead ReLUs". */
export function deadUnits(zRows: readonly (readonly number[])[]): { dead: number; units: number } {
  const units = zRows[0]?.length ?? 0;
  let dead = 0;
  for (let u = 0; u < units; u++) if (zRows.every((r) => r[u] < 0)) dead++;
  return { dead, units };
}
