// The one source of the course's text on each activation function (lecture "Deep Neural Networks",
// chapter 2.1 Activation Functions): formula and derivative (LaTeX for the activation explorer,
// Unicode for the editor hover), output range, when to use it, and the course's remarks word for
// word. The editor hover (hover.ts) and the activation explorer (webview/activations) both render
// this table. Pure: no `vscode`, no DOM.
//
// Word for word means the slide's bullets with only its typos and spelling fixed ("Linea" → "Linear",
// "Relu", "relus" → "ReLU", "ReLUs", "LeakyReLU" → "Leaky ReLU", "od" → "or", "->" → "→", and a comma
// or semicolon where the rule of thumb runs two sentences together). What the course does not say (the linear function, softmax's derivative,
// ranges, the tanh identity 1 − f(x)²) is NN Lab's own, correct text, kept apart in `range`, `use`
// and `extra`.
import type { ActivationName } from '../spec/types';
import { DEFAULT_ALPHA } from '../nn/activations';

/**
 * One formula in both notations: `tex` for KaTeX (the explorer), `text` in Unicode (the hover). The
 * explorer renders KaTeX as MathML, where `f'` becomes a superscript ′, shrunk and raised until it is
 * barely visible: derivatives are written `f{\prime}`, a full-size prime beside the f.
 */
export interface Formula {
  tex: string;
  text: string;
}

/** A group of the slide's bullets under its heading ("Two main problems:"), or without one. */
export interface RemarkGroup {
  head?: string;
  items: readonly string[];
}

export interface ActivationText {
  /** the slide's title */
  title: string;
  /** short name (the explorer's buttons) */
  label: string;
  /** the operation drawn in a computational-graph node (walkthrough, graph panel) */
  op: string;
  f: Formula;
  df: Formula;
  /** the output range, in Unicode */
  range: string;
  zeroCentred: boolean;
  /** where the function belongs, from the course's usage notes and rule of thumb */
  use: string;
  /** the course's remarks, word for word; empty where the course has no slide (linear) */
  course: readonly RemarkGroup[];
  /** NN Lab's remarks beyond the course */
  extra: readonly string[];
}

export const ACTIVATION_TEXT: Readonly<Record<ActivationName, ActivationText>> = {
  linear: {
    title: 'Linear (identity)',
    label: 'Linear',
    op: 'id',
    f: { tex: 'f(x) = x', text: 'f(x) = x' },
    df: { tex: 'f{\\prime}(x) = 1', text: 'f′(x) = 1' },
    range: '(−∞, ∞)',
    zeroCentred: true,
    use: 'The output layer of a regression network (with `mse`); not in hidden layers.',
    course: [],
    extra: [
      'Not one of the course\'s activation functions: f leaves z = x·W + b as it is, y = z.',
      'No non-linearity: a stack of linear layers is still one linear map, so hidden layers need a non-linear f.',
    ],
  },
  sigmoid: {
    title: 'Sigmoid',
    label: 'Sigmoid',
    op: 'σ',
    f: { tex: 'f(x) = \\frac{1}{1 + e^{-x}}', text: 'f(x) = 1 / (1 + e⁻ˣ)' },
    df: { tex: 'f{\\prime}(x) = f(x)(1 - f(x))', text: 'f′(x) = f(x)·(1 − f(x))' },
    range: '(0, 1)',
    zeroCentred: false,
    use: 'The output of a yes/no classifier (one probability in (0, 1), with `binaryCrossentropy`); in hidden layers sometimes avoided due to vanishing gradient.',
    course: [
      {
        head: 'Two main problems:',
        items: [
          'Causes vanishing gradient: gradient nearly zero for very large or small x, kills gradient and network stops learning',
          "Output isn't zero centered: always all gradients positive or all negative, inefficient weight updates",
        ],
      },
    ],
    extra: [],
  },
  tanh: {
    title: 'Hyperbolic tangent (tanh)',
    label: 'tanh',
    op: 'tanh',
    f: { tex: 'f(x) = \\frac{e^x - e^{-x}}{e^x + e^{-x}}', text: 'f(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)' },
    df: { tex: 'f{\\prime}(x) = \\frac{4}{(e^x + e^{-x})^2} = 1 - f(x)^2', text: 'f′(x) = 4 / (eˣ + e⁻ˣ)² = 1 − f(x)²' },
    range: '(−1, 1)',
    zeroCentred: true,
    use: 'Hidden layers where a zero-centred output helps (small networks such as XOR); sometimes avoided due to vanishing gradient.',
    course: [{ head: 'Better than sigmoid:', items: ['Output is zero centered', 'But still causes vanishing gradient'] }],
    extra: [],
  },
  relu: {
    title: 'Rectified Linear Unit (ReLU)',
    label: 'ReLU',
    op: 'ReLU',
    f: { tex: 'f(x) = \\begin{cases} x, & x \\geq 0 \\\\ 0, & x < 0 \\end{cases}', text: 'f(x) = x for x ≥ 0, 0 for x < 0' },
    df: { tex: 'f{\\prime}(x) = \\begin{cases} 1, & x \\geq 0 \\\\ 0, & x < 0 \\end{cases}', text: 'f′(x) = 1 for x ≥ 0, 0 for x < 0' },
    range: '[0, ∞)',
    zeroCentred: false,
    use: 'Hidden layers: mostly used today, the function to start with.',
    course: [
      { head: 'Most common activation function:', items: ['Computationally efficient', 'Converges very fast', 'Does not activate all neurons at the same time'] },
      { head: 'Problem:', items: ['Gradient is zero for x < 0 and can cause vanishing gradient → dead ReLUs may happen', 'Not zero centered'] },
      { head: 'Usage:', items: ['Mostly used in hidden layers', 'Positive bias at init to get active ReLU'] },
    ],
    extra: [],
  },
  leakyRelu: {
    title: 'Leaky ReLU',
    label: 'Leaky ReLU',
    op: 'LReLU',
    f: { tex: 'f(x) = \\begin{cases} x, & x \\geq 0 \\\\ ax, & x < 0 \\end{cases}', text: 'f(x) = x for x ≥ 0, a·x for x < 0' },
    df: { tex: 'f{\\prime}(x) = \\begin{cases} 1, & x \\geq 0 \\\\ a, & x < 0 \\end{cases}', text: 'f′(x) = 1 for x ≥ 0, a for x < 0' },
    range: '(−∞, ∞) for a > 0',
    zeroCentred: false,
    use: "Hidden layers, when ReLU doesn't give optimal results (dead ReLUs).",
    course: [
      {
        head: 'Improves on ReLU:',
        items: [
          'Removes zero part of ReLU by adding a small slope. More stable than ReLU, but adds another parameter',
          'Computationally efficient',
          'Converges very fast',
          "Doesn't die",
          'Parameter a can also be learned by the network',
        ],
      },
    ],
    extra: [`In NN Lab a is fixed, set in the spec: \`{"type": "leakyRelu", "alpha": 0.1}\` (default ${DEFAULT_ALPHA.leakyRelu}).`],
  },
  elu: {
    title: 'Exponential Linear Unit (ELU)',
    label: 'ELU',
    op: 'ELU',
    f: { tex: 'f(x) = \\begin{cases} x, & x \\geq 0 \\\\ a(e^x - 1), & x < 0 \\end{cases}', text: 'f(x) = x for x ≥ 0, a·(eˣ − 1) for x < 0' },
    df: { tex: 'f{\\prime}(x) = \\begin{cases} 1, & x \\geq 0 \\\\ ae^x, & x < 0 \\end{cases}', text: 'f′(x) = 1 for x ≥ 0, a·eˣ for x < 0' },
    range: '(−a, ∞) for a > 0',
    zeroCentred: false,
    use: "Hidden layers, when ReLU doesn't give optimal results.",
    course: [{ items: ['Benefits of ReLU and Leaky ReLU', 'Computation requires eˣ'] }],
    extra: [`In NN Lab a is set in the spec: \`{"type": "elu", "alpha": 0.5}\` (default ${DEFAULT_ALPHA.elu}).`],
  },
  softmax: {
    title: 'Softmax',
    label: 'Softmax',
    op: 'softmax',
    f: { tex: 'f(y)_i = \\frac{e^{y_i}}{\\sum_{k=1}^K e^{y_k}}', text: 'f(y)ᵢ = e^(yᵢ) / Σₖ₌₁ᴷ e^(yₖ)' },
    df: { tex: '\\frac{\\partial f_i}{\\partial y_j} = f_i(\\delta_{ij} - f_j)', text: '∂fᵢ/∂yⱼ = fᵢ·(δᵢⱼ − fⱼ)' },
    range: '(0, 1) each, summing to 1',
    zeroCentred: false,
    use: 'The output layer of a classifier with K classes (with `categoricalCrossentropy` and one-hot labels).',
    course: [{ items: ['Type of Sigmoid, handy for classification problems', 'Divides by the sum of all outputs, allows for percentage representation'] }],
    extra: ['It acts on the whole output row y, not on each value alone: its derivative is a K×K matrix (δᵢⱼ = 1 if i = j, else 0).'],
  },
};

/** The course's rule of thumb (the chapter's last activation slide). */
export const RULE_OF_THUMB: readonly string[] = [
  'Sigmoid / ReLU + Softmax for classifiers',
  'Sigmoid, tanh sometimes avoided due to vanishing gradient',
  'ReLU mostly used today',
  "Start with ReLU; if you don't get optimal results, go for Leaky ReLU or ELU",
];

export { activationAlpha } from '../nn/activations';
