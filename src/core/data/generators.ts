// Seeded toy data sets: the Boolean functions of the course (or, and, xor) and the classic 2-D
// classification sets (circle, spiral, gauss, moons), plus sine regression. Pure and deterministic:
// the same (name, samples, noise, seed) gives the same numbers everywhere. No `vscode`, no DOM, no fs.
import { createRng, normalSample } from '../rng';
import type { GeneratorName } from '../spec/types';
import type { Dataset } from './dataset';

export interface GeneratorInfo {
  /** features per sample: input.shape must be [features] */
  features: number;
  /** label columns: the last layer's units */
  labels: number;
  featureNames: string[];
  description: string;
}

export const GENERATOR_INFO: Record<GeneratorName, GeneratorInfo> = {
  or: { features: 2, labels: 1, featureNames: ['x1', 'x2'], description: 'Truth table of x1 OR x2 (rows repeat in order 00, 01, 10, 11); label 1 when either input is 1.' },
  and: { features: 2, labels: 1, featureNames: ['x1', 'x2'], description: 'Truth table of x1 AND x2 (rows repeat in order 00, 01, 10, 11); label 1 when both inputs are 1.' },
  xor: { features: 2, labels: 1, featureNames: ['x1', 'x2'], description: 'Truth table of x1 XOR x2 (rows repeat in order 00, 01, 10, 11); label 1 when exactly one input is 1. Not linearly separable.' },
  circle: { features: 2, labels: 1, featureNames: ['x1', 'x2'], description: 'Half the points inside radius 0.5 (label 1), half in the ring 0.7–1 (label 0), angles uniform.' },
  spiral: { features: 2, labels: 1, featureNames: ['x1', 'x2'], description: 'Two interleaved spiral arms of 1.75 turns, radius 0 to 1; label 0 for one arm, 1 for the other.' },
  gauss: { features: 2, labels: 1, featureNames: ['x1', 'x2'], description: 'Two Gaussian blobs, σ = 0.4, centred at (1, 1) (label 1) and (−1, −1) (label 0).' },
  moons: { features: 2, labels: 1, featureNames: ['x1', 'x2'], description: 'Two interleaving half circles (as scikit-learn make_moons); label 0 for the upper, 1 for the lower moon.' },
  sine: { features: 1, labels: 1, featureNames: ['x'], description: 'Regression: x uniform in [−π, π], y = sin(x) (+ noise).' },
};

const TABLE: [number, number][] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const BOOL: Record<'or' | 'and' | 'xor', (a: number, b: number) => number> = {
  or: (a, b) => (a || b ? 1 : 0),
  and: (a, b) => (a && b ? 1 : 0),
  xor: (a, b) => (a !== b ? 1 : 0),
};

/**
 * Generates `samples` rows. `noise` is the standard deviation of Gaussian noise added to every
 * feature (to y for sine); labels are never flipped. Points come in generation order, not shuffled
 * (the trainer shuffles with training.seed).
 */
export function generateData(name: GeneratorName, samples: number, noise: number, seed: number): Dataset {
  const n = Math.max(0, Math.floor(samples));
  const info = GENERATOR_INFO[name];
  const rng = createRng(seed);
  const x = new Float32Array(n * info.features);
  const y = new Float32Array(n);
  const jitter = (): number => (noise > 0 ? normalSample(rng, 0, noise) : 0);
  const half = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    let a = 0;
    let b = 0;
    let label = 0;
    switch (name) {
      case 'or':
      case 'and':
      case 'xor': {
        const [p, q] = TABLE[i % 4]!;
        a = p;
        b = q;
        label = BOOL[name](p, q);
        break;
      }
      case 'circle': {
        const inside = i < half;
        const r = inside ? 0.5 * Math.sqrt(rng()) : Math.sqrt(0.49 + rng() * (1 - 0.49));
        const t = 2 * Math.PI * rng();
        a = r * Math.cos(t);
        b = r * Math.sin(t);
        label = inside ? 1 : 0;
        break;
      }
      case 'spiral': {
        const arm = i < half ? 0 : 1;
        const k = arm === 0 ? i : i - half;
        const m = arm === 0 ? half : n - half;
        const r = m > 1 ? k / (m - 1) : 0;
        const t = 1.75 * 2 * Math.PI * r + arm * Math.PI;
        a = r * Math.sin(t);
        b = r * Math.cos(t);
        label = arm;
        break;
      }
      case 'gauss': {
        const c = i < half ? 1 : -1;
        a = normalSample(rng, c, 0.4);
        b = normalSample(rng, c, 0.4);
        label = c > 0 ? 1 : 0;
        break;
      }
      case 'moons': {
        const upper = i < half;
        const k = upper ? i : i - half;
        const m = upper ? half : n - half;
        const t = m > 1 ? (Math.PI * k) / (m - 1) : 0;
        a = upper ? Math.cos(t) : 1 - Math.cos(t);
        b = upper ? Math.sin(t) : 0.5 - Math.sin(t);
        label = upper ? 0 : 1;
        break;
      }
      case 'sine': {
        a = -Math.PI + 2 * Math.PI * rng();
        label = Math.sin(a) + jitter();
        break;
      }
    }
    if (info.features === 2) {
      x[2 * i] = a + jitter();
      x[2 * i + 1] = b + jitter();
    } else x[i] = a;
    y[i] = label;
  }
  return { x, xShape: [n, info.features], y, yShape: [n, 1], featureNames: [...info.featureNames] };
}
