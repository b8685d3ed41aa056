// Throttled redraws for the panels: however fast invalidations arrive (training events, resizes),
// `draw` runs at most `maxPerSecond` times, and the last invalidation is always drawn. The decision
// logic is RedrawThrottle (src/core/view/throttle.ts, unit-tested); this adds the browser's timers.
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
