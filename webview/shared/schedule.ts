// Rate limits the panels share, on the browser's timers. throttledRedraw: however fast invalidations
// arrive (training events, resizes), `draw` runs at most `maxPerSecond` times and the last
// invalidation is always drawn (the decision logic is RedrawThrottle, src/core/view/throttle.ts,
// unit-tested). rateLimited: a request (the run's weights) at most once per interval.
import { RedrawThrottle } from '../../src/core/view/throttle';

/** Returns `invalidate`: call it on new data; `draw` follows within 1/maxPerSecond s. */
export function throttledRedraw(draw: () => void, maxPerSecond = 30): () => void {
  const throttle = new RedrawThrottle(maxPerSecond);
  const tick = (): void => {
    const now = performance.now();
    if (throttle.shouldDraw(now)) draw();
    else {
      const r = throttle.retryDelay(now);
      if (r !== undefined) setTimeout(tick, r);
    }
  };
  return () => {
    const delay = throttle.invalidate(performance.now());
    if (delay !== undefined) setTimeout(tick, delay);
  };
}

/**
 * Returns a trigger for `run`: the first call schedules it as soon as `minIntervalMs` have passed
 * since its last run; calls while one is scheduled are dropped (the scheduled run fetches the latest).
 */
export function rateLimited(run: () => void, minIntervalMs: number): () => void {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    if (timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        last = performance.now();
        run();
      },
      Math.max(0, last + minIntervalMs - performance.now()),
    );
  };
}
