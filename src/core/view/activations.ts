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

/** A dense layer as the explorer lists it: its 0-based index in the spec and its activation. */
export interface ExplorerLayer {
  index: number;
  activation: ActivationName;
}

/** What the explorer shows: the function plotted and the layer whose z fill the histogram (−1: none). */
export interface ExplorerSelection {
  activation: ActivationName;
  layer: number;
}

/**
 * The explorer's choice of function and layer. `requested` is a function the user asked for (the
 * hover's link on an activation, a restored panel's last function): it is shown, beside `layer` when
 * that layer uses it, else beside the first layer that does. Otherwise the function follows the layer:
 * `layer` when it is one of `layers` (the user picked it), else the first layer; with no layers,
 * `fallback` alone.
 */
export function explorerSelection(layers: readonly ExplorerLayer[], opts: { requested?: ActivationName; layer?: number; fallback: ActivationName }): ExplorerSelection {
  const picked = layers.find((l) => l.index === opts.layer);
  if (opts.requested) {
    const layer = picked?.activation === opts.requested ? picked : (layers.find((l) => l.activation === opts.requested) ?? picked ?? layers[0]);
    return { activation: opts.requested, layer: layer?.index ?? -1 };
  }
  const layer = picked ?? layers[0];
  return layer ? { activation: layer.activation, layer: layer.index } : { activation: opts.fallback, layer: -1 };
}

/**
 * The sentence on units whose z < 0 for every sample, for a layer with activation `a`, or undefined
 * where that count means nothing: ReLU units there are dead (f′ = 0 for every sample), leaky ReLU and
 * ELU units still pass a gradient (a, a·eᶻ); sigmoid, tanh, linear and softmax have no such branch.
 */
export function deadUnitText(a: ActivationName, d: { dead: number; units: number }): string | undefined {
  if (a === 'relu') return `Dead ReLUs (z < 0 for every sample, so f′ = 0 and no gradient): ${d.dead} of ${d.units}.`;
  if (a === 'leakyRelu' || a === 'elu') return `Units with z < 0 for every sample: ${d.dead} of ${d.units} (not dead: f′ = ${a === 'elu' ? 'a·eᶻ' : 'a'} > 0 still passes a gradient).`;
  return undefined;
}
