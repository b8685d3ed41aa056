// Downsampling for drawing only: the full series stays in memory and in metrics.csv.
// Min/max per bucket keeps every spike visible (a plain stride would hide them).

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/**
 * Reduces (x, y) to at most ~2·buckets + 2 points: the first and last point, and in each of
 * `buckets` equal index ranges the minimum and the maximum y, in x order. Non-finite y values
 * (gaps) are skipped. When the series is already small enough it is returned as a copy.
 */
export function minMaxDownsample(s: Series, buckets: number): { x: number[]; y: number[] } {
  const n = Math.min(s.x.length, s.y.length);
  const b = Math.max(1, Math.floor(buckets));
  if (n <= 2 * b + 2) {
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      x.push(s.x[i]);
      y.push(s.y[i]);
    }
    return { x, y };
  }
  const outX: number[] = [s.x[0]];
  const outY: number[] = [s.y[0]];
  const size = (n - 2) / b;
  for (let k = 0; k < b; k++) {
    const start = 1 + Math.floor(k * size);
    const end = Math.min(n - 1, 1 + Math.floor((k + 1) * size));
    let iMin = -1;
    let iMax = -1;
    for (let i = start; i < end; i++) {
      const v = s.y[i];
      if (!Number.isFinite(v)) continue;
      if (iMin < 0 || v < s.y[iMin]) iMin = i;
      if (iMax < 0 || v > s.y[iMax]) iMax = i;
    }
    if (iMin < 0) continue;
    const first = Math.min(iMin, iMax);
    const second = Math.max(iMin, iMax);
    outX.push(s.x[first]);
    outY.push(s.y[first]);
    if (second !== first) {
      outX.push(s.x[second]);
      outY.push(s.y[second]);
    }
  }
  outX.push(s.x[n - 1]);
  outY.push(s.y[n - 1]);
  return { x: outX, y: outY };
}

/** Points visible in [xMin, xMax] (binary search on sorted x), plus one neighbour each side. */
export function visibleRange(x: ArrayLike<number>, xMin: number, xMax: number): [number, number] {
  const search = (v: number, upper: boolean): number => {
    let lo = 0;
    let hi = x.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid] < v || (upper && x[mid] === v)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const a = Math.max(0, search(xMin, false) - 1);
  const b = Math.min(x.length, search(xMax, true) + 1);
  return [a, Math.max(a, b)];
}
