// Exponential moving average, debiased the way TensorBoard's smoothing slider is, so the first
// points are not dragged towards zero: s_t = w·s_{t−1} + (1−w)·y_t, shown as s_t / (1 − w^k)
// after k finite values. Non-finite values are passed through and do not update the average.

export function emaSmooth(y: ArrayLike<number>, weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out = new Array<number>(y.length);
  let last = 0;
  let k = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    k++;
    const debias = w === 0 ? 1 : 1 - Math.pow(w, k);
    out[i] = last / debias;
  }
  return out;
}

/** Incremental form for streaming: same numbers as `emaSmooth` over the values pushed so far. */
export class StreamingEma {
  private last = 0;
  private k = 0;
  constructor(private readonly weight: number) {}
  push(v: number): number {
    if (!Number.isFinite(v)) return v;
    const w = Math.min(Math.max(this.weight, 0), 0.999);
    this.last = this.last * w + (1 - w) * v;
    this.k++;
    return w === 0 ? this.last : this.last / (1 - Math.pow(w, this.k));
  }
}
