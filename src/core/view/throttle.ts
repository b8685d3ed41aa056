// Redraw throttling: however fast messages arrive, a panel redraws at most `maxPerSecond` times.
// Pure decision logic (the clock is passed in) so it can be tested without timers.

export class RedrawThrottle {
  private lastDraw = -Infinity;
  private dirty = false;
  readonly minIntervalMs: number;
  constructor(maxPerSecond = 30) {
    this.minIntervalMs = 1000 / Math.max(1, maxPerSecond);
  }
  /** Marks new data. Returns the delay (ms) after which to draw, or undefined if a draw is already due. */
  invalidate(now: number): number | undefined {
    const wasDirty = this.dirty;
    this.dirty = true;
    if (wasDirty) return undefined;
    return Math.max(0, this.lastDraw + this.minIntervalMs - now);
  }
  /** Call when the timer fires: true when the panel should draw now. */
  shouldDraw(now: number): boolean {
    if (!this.dirty || now - this.lastDraw < this.minIntervalMs - 0.5) return false;
    this.dirty = false;
    this.lastDraw = now;
    return true;
  }
  /** After `shouldDraw` said no while data is pending: how long to wait before asking again. */
  retryDelay(now: number): number | undefined {
    return this.dirty ? Math.max(1, this.lastDraw + this.minIntervalMs - now) : undefined;
  }
}
