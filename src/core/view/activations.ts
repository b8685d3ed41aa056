// The activation explorer's content: saturation zones of f′ and the course's formulas and notes
// (lecture, chapter 2.1). f and f′ themselves are src/core/nn/activations.ts (course convention
// f′(0) = 1 for ReLU, leaky ReLU and ELU, the x ≥ 0 branch).
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

export interface ActivationNotes {
  title: string;
  f: string;
  df: string;
  notes: string[];
  zeroCentred: boolean;
}

/** The course's formulas (LaTeX) and notes for each function, word for word where it gives them. */
export const ACTIVATION_NOTES: Record<ActivationName, ActivationNotes> = {
  linear: {
    title: 'Linear (identity)',
    f: 'f(x) = x',
    df: "f'(x) = 1",
    notes: ['No non-linearity: a stack of linear layers is still one linear map.', 'Used on the output of regression networks (with MSE).'],
    zeroCentred: true,
  },
  sigmoid: {
    title: 'Sigmoid',
    f: 'f(x) = \\frac{1}{1 + e^{-x}}',
    df: "f'(x) = f(x)(1 - f(x))",
    notes: [
      'Causes vanishing gradient: gradient nearly zero for very large or small x, kills gradient and network stops learning.',
      "Output isn't zero centered: always all gradients positive or all negative, inefficient weight updates.",
    ],
    zeroCentred: false,
  },
  tanh: {
    title: 'Tangens hyperbolicus (tanh)',
    f: 'f(x) = \\frac{e^x - e^{-x}}{e^x + e^{-x}}',
    df: "f'(x) = \\frac{4}{(e^x + e^{-x})^2}",
    notes: ['Better than sigmoid: output is zero centered.', 'But still causes vanishing gradient.'],
    zeroCentred: true,
  },
  relu: {
    title: 'Rectified Linear Unit (ReLU)',
    f: 'f(x) = \\begin{cases} x, & x \\geq 0 \\\\ 0, & x < 0 \\end{cases}',
    df: "f'(x) = \\begin{cases} 1, & x \\geq 0 \\\\ 0, & x < 0 \\end{cases}",
    notes: [
      'Most common activation function: computationally efficient, converges very fast, does not activate all neurons at the same time.',
      'Problem: gradient is zero for x < 0 and can cause vanishing gradient → dead ReLUs may happen. Not zero centered.',
      'Usage: mostly used in hidden layers; positive bias at init to get active ReLU.',
    ],
    zeroCentred: false,
  },
  leakyRelu: {
    title: 'Leaky ReLU',
    f: 'f(x) = \\begin{cases} x, & x \\geq 0 \\\\ ax, & x < 0 \\end{cases}',
    df: "f'(x) = \\begin{cases} 1, & x \\geq 0 \\\\ a, & x < 0 \\end{cases}",
    notes: [
      'Improves on ReLU: removes zero part of ReLU by adding a small slope. More stable than ReLU, but adds another parameter.',
      "Computationally efficient, converges very fast, doesn't die.",
      'Parameter a can also be learned by the network.',
    ],
    zeroCentred: false,
  },
  elu: {
    title: 'Exponential Linear Unit (ELU)',
    f: 'f(x) = \\begin{cases} x, & x \\geq 0 \\\\ a(e^x - 1), & x < 0 \\end{cases}',
    df: "f'(x) = \\begin{cases} 1, & x \\geq 0 \\\\ ae^x, & x < 0 \\end{cases}",
    notes: ['Benefits of ReLU and Leaky ReLU.', 'Computation requires eˣ (more costly than ReLU).'],
    zeroCentred: false,
  },
  softmax: {
    title: 'Softmax',
    f: 'f(y)_i = \\frac{e^{y_i}}{\\sum_{k=1}^K e^{y_k}}',
    df: "\\frac{\\partial f_i}{\\partial y_j} = f_i(\\delta_{ij} - f_j)",
    notes: ['Type of sigmoid, handy for classification problems.', 'Divides by the sum of all outputs, allows for percentage representation (the outputs sum to 1).'],
    zeroCentred: false,
  },
};

export const RULE_OF_THUMB: string[] = [
  'Sigmoid / ReLU + Softmax for classifiers.',
  'Sigmoid, tanh sometimes avoided due to vanishing gradient.',
  'ReLU mostly used today.',
  "Start with ReLU; if you don't get optimal results go for Leaky ReLU or ELU.",
];
