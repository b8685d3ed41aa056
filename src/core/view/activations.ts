// The activation explorer's maths: the saturation zones of f′. f and f′ themselves are
// src/core/nn/activations.ts (course convention f′(0) = 1 for ReLU, leaky ReLU and ELU, the x ≥ 0
// branch); the course's formulas and remarks are src/core/explain/activations.ts, shared with the hover.
import type { ActivationName } from '../spec/types';
import { derivative } from '../nn/activations';

/**
 * Intervals of [lo, hi] where |f′(x)| < eps (the saturation zones the explorer shades), found on a
 * grid of `steps` intervals; endpoints are refined by bisection to 1e-6.
 */
export function saturationZones(name: ActivationName, lo: number, hi: number, eps = 0.05, alpha?: number, steps = 400): [number, number][] {
  if (name === 'softmax' || name === 'linear') return [];
  const sat = (x: number): boolean => Math.abs(derivative(name, x, alpha)) < eps;
  const refine = (a: number, b: number): number => {
    // sat(a) !== sat(b); find the boundary
    const sa = sat(a);
    for (let i = 0; i < 60 && b - a > 1e-6; i++) {
      const m = (a + b) / 2;
      if (sat(m) === sa) a = m;
      else b = m;
    }
    return (a + b) / 2;
  };
  const zones: [number, number][] = [];
  const dx = (hi - lo) / steps;
  let start: number | undefined = sat(lo) ? lo : undefined;
  let prev = lo;
  for (let i = 1; i <= steps; i++) {
    const x = i === steps ? hi : lo + i * dx;
    const s = sat(x);
    if (s && start === undefined) start = refine(prev, x);
    else if (!s && start !== undefined) {
      zones.push([start, refine(prev, x)]);
      start = undefined;
    }
    prev = x;
  }
  if (start !== undefined) zones.push([start, hi]);
  return zones;
}
