// Plain-data shapes of a recorded backpropagation trace. The panel, the CLI and the tests all replay
// the same objects (they survive JSON.stringify / postMessage unchanged). Pure: no `vscode`, no DOM.

/** What a node of the computational graph is. */
export type GraphNodeKind = 'input' | 'param' | 'op' | 'loss';

export interface GraphNode {
  id: string;
  /** plain-text name, e.g. "w₁", "q", "1/x", "σ" */
  label: string;
  /** the same name in LaTeX, e.g. "w_1" */
  tex: string;
  kind: GraphNodeKind;
  /** the operation drawn in the node, e.g. "+", "×", "eˣ", "x·W" (empty for leaves) */
  op: string;
  /** forward value, formatted ("0.622459", "[0.5, −1]") */
  value: string;
  /** ∂(output)/∂(this node), formatted, once the backward pass is done */
  grad?: string;
  /** "1×2" for matrix nodes */
  shape?: string;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  /** the gradient contribution that flows back along this edge (upstream × local), formatted */
  grad?: string;
}

export interface Graph {
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** the node whose derivative is taken (f, v, L) */
  output: string;
}

export type StepPhase = 'forward' | 'backward' | 'update' | 'descent' | 'info';

/** The rule a step applies; each has one sentence in RULE_TEXT. */
export type RuleId =
  | 'forward'
  | 'seed'
  | 'add'
  | 'sub'
  | 'mul'
  | 'chain'
  | 'sum'
  | 'matmulW'
  | 'matmulX'
  | 'bias'
  | 'hadamard'
  | 'softmax'
  | 'loss'
  | 'update'
  | 'descent'
  | 'check'
  | 'info';

export interface Step {
  /** which graph of the walkthrough this step is drawn on */
  graph: number;
  phase: StepPhase;
  rule: RuleId;
  /** one sentence, e.g. "Multiplication switches to the other factor." */
  ruleText: string;
  /** the node the step computes (value on forward, gradient on backward) */
  node?: string;
  /** the edge the gradient flows along (backward steps) */
  edge?: string;
  /** the quantity computed, plain text: "∂f/∂w₁", "q", "Δw₂" */
  quantity: string;
  /** the equation in symbols (LaTeX) */
  symbolic: string;
  /** the same equation with the numbers substituted (LaTeX) */
  numeric: string;
  /** the equation as one line of plain text for terminals */
  text: string;
  /** the computed value(s), row-major (a scalar is [v]); predict-first compares against it; empty when
   *  the value is too large to ship (more than 1024 numbers) */
  answer: number[];
  /** shape of the answer when it is a matrix, e.g. [1, 2] */
  answerShape?: [number, number];
  /** what becomes visible with this step */
  reveal: { nodeValue?: string; nodeGrad?: string; edgeGrad?: string };
}

/** One gradient computed three ways, as the course lists them. */
export interface GradientCheck {
  /** plain text, e.g. "∂f/∂w₁" */
  name: string;
  tex: string;
  tape: number;
  /** closed form where the course gives one */
  analytic?: number;
  analyticTex?: string;
  /** difference quotient (L(w+h) − L(w))/h */
  numeric: number;
  /** TensorFlow.js tf.grads, when computed (the user's own network) */
  tfjs?: number;
  agree: boolean;
}

/** An input or weight of a built-in example the user may change. */
export interface Param {
  key: string;
  label: string;
  tex: string;
  value: number;
  /** choices offered beside the free number (α: 0.3, 0.9, 1.1) */
  presets?: number[];
}

/** Example 5: the 1-D gradient-descent table. */
export interface DescentRow {
  k: number;
  w: number;
  loss: number;
  grad: number;
}
export interface DescentTable {
  alpha: number;
  epsilon: number;
  maxSteps: number;
  rows: DescentRow[];
  /** "converges", "oscillates" (sign flips, shrinking), "diverges" */
  behaviour: 'converges' | 'oscillates' | 'diverges' | 'stalls';
  stopReason: string;
}

export interface Walkthrough {
  id: string;
  title: string;
  /** a few sentences shown before the first step */
  intro: string;
  params: Param[];
  graphs: Graph[];
  steps: Step[];
  checks: GradientCheck[];
  /** corrections of printed numbers and other remarks, shown at the end */
  notes: string[];
  descent?: DescentTable;
  /** loss before and after the update, when the walkthrough ends with one */
  update?: { alpha: number; lossBefore: number; lossAfter: number };
}

export const RULE_TEXT: Record<RuleId, string> = {
  forward: 'Forward path: compute the node from its inputs.',
  seed: 'The backward pass starts with the derivative of the output with respect to itself, which is 1.',
  add: 'Addition passes the gradient through: the local gradient is 1.',
  sub: 'Subtraction passes the gradient through, negated for the subtracted input.',
  mul: 'Multiplication switches to the other factor: downstream = upstream × the other input.',
  chain: "Chain through f′: downstream gradient = upstream gradient × local derivative.",
  sum: 'Where two upstream gradients arrive at a node, they add.',
  matmulW: 'For y = x·W the weight gradient is ∂L/∂W = xᵀδ (the course writes x δᵀ with column vectors).',
  matmulX: 'For y = x·W the gradient passed on to the input is ∂L/∂x = δWᵀ.',
  bias: 'The bias is added, so its gradient is the incoming one: ∂L/∂b = δ.',
  hadamard: "Chain through f′ elementwise: δ = ∂L/∂y ∘ f′(z) (Hadamard product).",
  softmax: 'Softmax mixes its outputs, so the chain uses its Jacobian: δ = (∂L/∂y − (∂L/∂y·yᵀ)) ∘ y.',
  loss: 'The loss node starts the chain: its local derivative with respect to the prediction.',
  update: 'Gradient descent step: Δw = −α ∂L/∂w, then w ← w + Δw.',
  descent: 'Gradient descent: w ← w − α∇L(w).',
  check: 'The gradients, computed three ways, agree.',
  info: '',
};
