// A small reverse-mode autodiff tape for scalars, in the spirit of micrograd. Every node records its
// op, its inputs, its forward value and its local derivative(s) ∂node/∂input; `backward` sorts the
// graph topologically and walks it in reverse, accumulating (where two upstream gradients arrive at
// a node, they add) and recording each step as plain data. Pure: no `vscode`, no DOM.
import { activate, derivative } from '../nn/activations';
import { fmt, fmtP, tex } from './format';
import { topoOrder } from './topo';
import { RULE_TEXT, type Graph, type GraphEdge, type GraphNode, type RuleId, type Step } from './types';

export type ScalarOp =
  | 'input'
  | 'param'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'recip'
  | 'exp'
  | 'square'
  | 'neg'
  | 'addConst'
  | 'mulConst'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'squaredError'
  | 'crossEntropy';

export interface ScalarNode {
  id: number;
  op: ScalarOp;
  /** plain-text name ("w₁", "q") */
  label: string;
  /** LaTeX name ("w_1", "q") */
  tex: string;
  inputs: number[];
  value: number;
  /** ∂value/∂inputs[i] */
  local: number[];
  /** the constant of addConst/mulConst, α of leakyRelu/elu, the target of a loss */
  c?: number;
  grad: number;
}

/** Options for a new node's display name. */
export interface Name {
  label?: string;
  tex?: string;
}

export class Tape {
  readonly nodes: ScalarNode[] = [];
  private auto = 0;

  private push(op: ScalarOp, inputs: number[], value: number, local: number[], name: Name = {}, c?: number): number {
    const id = this.nodes.length;
    const fallback = `n${++this.auto}`;
    this.nodes.push({ id, op, label: name.label ?? name.tex ?? fallback, tex: name.tex ?? name.label ?? fallback, inputs, value, local, c, grad: 0 });
    return id;
  }
  private v(i: number): number {
    const n = this.nodes[i];
    if (!n) throw new RangeError(`tape: no node ${i}`);
    return n.value;
  }

  input(label: string, texName: string, value: number): number {
    return this.push('input', [], value, [], { label, tex: texName });
  }
  param(label: string, texName: string, value: number): number {
    return this.push('param', [], value, [], { label, tex: texName });
  }
  add(a: number, b: number, name?: Name): number {
    return this.push('add', [a, b], this.v(a) + this.v(b), [1, 1], name);
  }
  sub(a: number, b: number, name?: Name): number {
    return this.push('sub', [a, b], this.v(a) - this.v(b), [1, -1], name);
  }
  mul(a: number, b: number, name?: Name): number {
    return this.push('mul', [a, b], this.v(a) * this.v(b), [this.v(b), this.v(a)], name);
  }
  div(a: number, b: number, name?: Name): number {
    const x = this.v(a);
    const y = this.v(b);
    return this.push('div', [a, b], x / y, [1 / y, -x / (y * y)], name);
  }
  recip(a: number, name?: Name): number {
    const x = this.v(a);
    return this.push('recip', [a], 1 / x, [-1 / (x * x)], name);
  }
  exp(a: number, name?: Name): number {
    const e = Math.exp(this.v(a));
    return this.push('exp', [a], e, [e], name);
  }
  square(a: number, name?: Name): number {
    const x = this.v(a);
    return this.push('square', [a], x * x, [2 * x], name);
  }
  neg(a: number, name?: Name): number {
    return this.push('neg', [a], -this.v(a), [-1], name);
  }
  addConst(a: number, c: number, name?: Name): number {
    return this.push('addConst', [a], this.v(a) + c, [1], name, c);
  }
  mulConst(a: number, c: number, name?: Name): number {
    return this.push('mulConst', [a], this.v(a) * c, [c], name, c);
  }
  /** f(a) with local derivative f′(a) from src/core/nn (at a kink, the x < 0 branch, as tf.grads) */
  private fn(op: 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu', a: number, name: Name | undefined, alpha?: number): number {
    const x = this.v(a);
    return this.push(op, [a], activate(op, x, alpha), [derivative(op, x, alpha, 'tensorflow')], name, alpha);
  }
  sigmoid(a: number, name?: Name): number {
    return this.fn('sigmoid', a, name);
  }
  tanh(a: number, name?: Name): number {
    return this.fn('tanh', a, name);
  }
  relu(a: number, name?: Name): number {
    return this.fn('relu', a, name);
  }
  leakyRelu(a: number, alpha = 0.01, name?: Name): number {
    return this.fn('leakyRelu', a, name, alpha);
  }
  elu(a: number, alpha = 1, name?: Name): number {
    return this.fn('elu', a, name, alpha);
  }
  /** L = ½(ŷ − y)², the course's loss for the neural chain; ∂L/∂y = y − ŷ */
  squaredError(y: number, target: number, name?: Name): number {
    const p = this.v(y);
    return this.push('squaredError', [y], 0.5 * (target - p) ** 2, [p - target], name, target);
  }
  /** L = −(t ln p + (1 − t) ln(1 − p)) for a probability p; ∂L/∂p = (p − t)/(p(1 − p)) */
  crossEntropy(p: number, target: number, name?: Name): number {
    const q = this.v(p);
    const L = -(target * Math.log(q) + (1 - target) * Math.log(1 - q));
    return this.push('crossEntropy', [p], L, [(q - target) / (q * (1 - q))], name, target);
  }

  value(i: number): number {
    return this.v(i);
  }
  grad(i: number): number {
    return this.nodes[i].grad;
  }

  /** Nodes that `root` depends on, inputs before the nodes that use them. */
  topo(root: number): number[] {
    return topoOrder(this.nodes, root);
  }

  /** Reverse pass from `root` (seeded with ∂root/∂root = 1). Returns the gradients by node id. */
  backward(root: number): number[] {
    for (const n of this.nodes) n.grad = 0;
    const order = this.topo(root);
    this.nodes[root].grad = 1;
    for (let k = order.length - 1; k >= 0; k--) {
      const n = this.nodes[order[k]];
      n.inputs.forEach((j, i) => {
        this.nodes[j].grad += n.grad * n.local[i];
      });
    }
    return this.nodes.map((n) => n.grad);
  }
}

// ---------------------------------------------------------------------------------------------
// Recording a trace

const OP_SYMBOL: Record<ScalarOp, string> = {
  input: '',
  param: '',
  add: '+',
  sub: '−',
  mul: '×',
  div: '÷',
  recip: '1/x',
  exp: 'eˣ',
  square: 'x²',
  neg: '−x',
  addConst: '+c',
  mulConst: '·c',
  sigmoid: 'σ',
  tanh: 'tanh',
  relu: 'ReLU',
  leakyRelu: 'LReLU',
  elu: 'ELU',
  squaredError: '½(ŷ−y)²',
  crossEntropy: 'CE',
};

function opLabel(n: ScalarNode): string {
  if (n.op === 'addConst') return `${(n.c ?? 0) < 0 ? '' : '+'}${fmt(n.c ?? 0)}`;
  if (n.op === 'mulConst') return `·(${fmt(n.c ?? 0)})`;
  return OP_SYMBOL[n.op];
}

/** The forward expression of a node: [symbolic LaTeX, numeric LaTeX, plain text]. */
function forwardExpr(t: Tape, n: ScalarNode): { sym: string; num: string; txt: string } {
  const a = n.inputs[0] !== undefined ? t.nodes[n.inputs[0]] : undefined;
  const b = n.inputs[1] !== undefined ? t.nodes[n.inputs[1]] : undefined;
  const at = a?.tex ?? '';
  const bt = b?.tex ?? '';
  const av = a ? tex(a.value, true) : '';
  const bv = b ? tex(b.value, true) : '';
  const al = a?.label ?? '';
  const bl = b?.label ?? '';
  const c = n.c ?? 0;
  switch (n.op) {
    case 'add':
      return { sym: `${at} + ${bt}`, num: `${av} + ${bv}`, txt: `${al} + ${bl}` };
    case 'sub':
      return { sym: `${at} - ${bt}`, num: `${av} - ${bv}`, txt: `${al} − ${bl}` };
    case 'mul':
      return { sym: `${at} \\cdot ${bt}`, num: `${av} \\cdot ${bv}`, txt: `${al} · ${bl}` };
    case 'div':
      return { sym: `\\frac{${at}}{${bt}}`, num: `\\frac{${av}}{${bv}}`, txt: `${al} / ${bl}` };
    case 'recip':
      return { sym: `\\frac{1}{${at}}`, num: `\\frac{1}{${av}}`, txt: `1 / ${al}` };
    case 'exp':
      return { sym: `e^{${at}}`, num: `e^{${av}}`, txt: `exp(${al})` };
    case 'square':
      return { sym: `${at}^2`, num: `${av}^2`, txt: `${al}²` };
    case 'neg':
      return { sym: `-${at}`, num: `-${av}`, txt: `−${al}` };
    case 'addConst':
      return { sym: `${at} + ${tex(c, true)}`, num: `${av} + ${tex(c, true)}`, txt: `${al} + ${fmt(c)}` };
    case 'mulConst':
      return { sym: `${tex(c, true)} \\cdot ${at}`, num: `${tex(c, true)} \\cdot ${av}`, txt: `${fmt(c)} · ${al}` };
    case 'sigmoid':
      return { sym: `\\sigma(${at}) = \\frac{1}{1 + e^{-${at}}}`, num: `\\sigma(${av})`, txt: `σ(${al})` };
    case 'tanh':
      return { sym: `\\tanh(${at})`, num: `\\tanh(${av})`, txt: `tanh(${al})` };
    case 'relu':
      return { sym: `\\max(0, ${at})`, num: `\\max(0, ${av})`, txt: `max(0, ${al})` };
    case 'leakyRelu':
      return { sym: `\\mathrm{LReLU}_{${tex(c)}}(${at})`, num: `\\mathrm{LReLU}_{${tex(c)}}(${av})`, txt: `leakyReLU(${al})` };
    case 'elu':
      return { sym: `\\mathrm{ELU}_{${tex(c)}}(${at})`, num: `\\mathrm{ELU}_{${tex(c)}}(${av})`, txt: `ELU(${al})` };
    case 'squaredError':
      return { sym: `\\tfrac{1}{2}(\\hat{y} - ${at})^2`, num: `\\tfrac{1}{2}(${tex(c)} - ${av})^2`, txt: `½(${fmt(c)} − ${al})²` };
    case 'crossEntropy':
      return {
        sym: `-(t \\ln ${at} + (1-t)\\ln(1-${at}))`,
        num: `-(${tex(c)} \\ln ${av} + ${tex(1 - c, true)}\\ln(1-${av}))`,
        txt: `−(t·ln ${al} + (1−t)·ln(1−${al}))`,
      };
    default:
      return { sym: at, num: av, txt: al };
  }
}

/** The local derivative ∂n/∂(input i) in symbols (LaTeX and plain text). */
function localExpr(t: Tape, n: ScalarNode, i: number): { sym: string; txt: string } {
  const a = t.nodes[n.inputs[0]];
  const b = n.inputs[1] !== undefined ? t.nodes[n.inputs[1]] : undefined;
  const at = a.tex;
  const al = a.label;
  switch (n.op) {
    case 'add':
    case 'addConst':
      return { sym: '1', txt: '1' };
    case 'sub':
      return i === 0 ? { sym: '1', txt: '1' } : { sym: '-1', txt: '−1' };
    case 'mul':
      return i === 0 ? { sym: b?.tex ?? '', txt: b?.label ?? '' } : { sym: at, txt: al };
    case 'div':
      return i === 0 ? { sym: `\\frac{1}{${b?.tex}}`, txt: `1/${b?.label}` } : { sym: `-\\frac{${at}}{${b?.tex}^2}`, txt: `−${al}/${b?.label}²` };
    case 'recip':
      return { sym: `-\\frac{1}{${at}^2}`, txt: `−1/${al}²` };
    case 'exp':
      return { sym: `e^{${at}}`, txt: `exp(${al})` };
    case 'square':
      return { sym: `2${at}`, txt: `2·${al}` };
    case 'neg':
      return { sym: '-1', txt: '−1' };
    case 'mulConst':
      return { sym: tex(n.c ?? 0), txt: fmt(n.c ?? 0) };
    case 'sigmoid':
      return { sym: `\\sigma(${at})(1 - \\sigma(${at}))`, txt: `σ(${al})(1 − σ(${al}))` };
    case 'tanh':
      return { sym: `1 - \\tanh^2(${at})`, txt: `1 − tanh²(${al})` };
    case 'relu':
      return { sym: `[${at} > 0]`, txt: `[${al} > 0]` };
    case 'leakyRelu':
      return { sym: `(${at} > 0 \\;?\\; 1 : ${tex(n.c ?? 0)})`, txt: `(${al} > 0 ? 1 : ${fmt(n.c ?? 0)})` };
    case 'elu':
      return { sym: `(${at} > 0 \\;?\\; 1 : ${tex(n.c ?? 1)} e^{${at}})`, txt: `(${al} > 0 ? 1 : α·exp(${al}))` };
    case 'squaredError':
      return { sym: `${at} - \\hat{y}`, txt: `${al} − ŷ` };
    case 'crossEntropy':
      return { sym: `\\frac{${at} - t}{${at}(1-${at})}`, txt: `(${al} − t)/(${al}(1 − ${al}))` };
    default:
      return { sym: '', txt: '' };
  }
}

/**
 * A local derivative written as a factor after "·": parenthesised when it is a sum or difference, or
 * starts with a minus, at its top level (`y − ŷ` → `(y − ŷ)`, `−1/q²` → `(−1/q²)`, `1 − tanh²(z)` →
 * `(1 − tanh²(z))`), so `∂L/∂L · (y − ŷ)` reads with the right precedence; products and brackets stay.
 */
export function asFactor(expr: string): string {
  let depth = 0;
  const chars = [...expr];
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === '+' || c === '-' || c === '−')) return `(${expr})`;
  }
  return expr;
}

function ruleOf(n: ScalarNode, i: number): RuleId {
  if (n.op === 'add' || n.op === 'addConst') return 'add';
  if (n.op === 'sub') return i === 0 ? 'add' : 'sub';
  if (n.op === 'mul') return 'mul';
  if (n.op === 'squaredError' || n.op === 'crossEntropy') return 'loss';
  return 'chain';
}

export const d = (outTex: string, ofTex: string): string => `\\frac{\\partial ${outTex}}{\\partial ${ofTex}}`;
export const dTxt = (outLabel: string, ofLabel: string): string => `∂${outLabel}/∂${ofLabel}`;

export interface RecordOptions {
  graphIndex: number;
  title: string;
  /** include forward steps for every computed node (default true) */
  forward?: boolean;
}

/**
 * Runs `backward(root)` and records the forward and backward passes as a Graph and a list of Steps.
 * Node ids in the graph are `${prefix}${nodeId}`; edge ids are `${from}>${to}`.
 */
export function recordScalar(t: Tape, root: number, opts: RecordOptions): { graph: Graph; steps: Step[] } {
  const order = t.topo(root);
  t.backward(root);
  const prefix = `g${opts.graphIndex}n`;
  const id = (i: number): string => `${prefix}${i}`;
  const r = t.nodes[root];
  const nodes: GraphNode[] = order.map((i) => {
    const n = t.nodes[i];
    return {
      id: id(i),
      label: n.label,
      tex: n.tex,
      kind: n.op === 'input' ? 'input' : n.op === 'param' ? 'param' : n.op === 'squaredError' || n.op === 'crossEntropy' ? 'loss' : 'op',
      op: opLabel(n),
      value: fmt(n.value),
      grad: fmt(n.grad),
    };
  });
  const edges: GraphEdge[] = [];
  for (const i of order) {
    const n = t.nodes[i];
    n.inputs.forEach((j, k) => edges.push({ id: `${id(j)}>${id(i)}`, from: id(j), to: id(i), grad: fmt(n.grad * n.local[k]) }));
  }
  const steps: Step[] = [];
  const g = opts.graphIndex;
  if (opts.forward !== false) {
    for (const i of order) {
      const n = t.nodes[i];
      if (n.inputs.length === 0) continue;
      const e = forwardExpr(t, n);
      steps.push({
        graph: g,
        phase: 'forward',
        rule: 'forward',
        ruleText: RULE_TEXT.forward,
        node: id(i),
        quantity: n.label,
        symbolic: `${n.tex} = ${e.sym}`,
        numeric: `${n.tex} = ${e.num} = ${tex(n.value)}`,
        text: `${n.label} = ${e.txt} = ${fmt(n.value)}`,
        answer: [n.value],
        reveal: { nodeValue: id(i) },
      });
    }
  }
  // backward: seed, then each edge in reverse topological order
  steps.push({
    graph: g,
    phase: 'backward',
    rule: 'seed',
    ruleText: RULE_TEXT.seed,
    node: id(root),
    quantity: dTxt(r.label, r.label),
    symbolic: `${d(r.tex, r.tex)} = 1`,
    numeric: `${d(r.tex, r.tex)} = 1`,
    text: `${dTxt(r.label, r.label)} = 1`,
    answer: [1],
    reveal: { nodeGrad: id(root) },
  });
  const acc = new Map<number, number>();
  acc.set(root, 1);
  const arrivals = new Map<number, number>();
  for (const i of order) for (const j of t.nodes[i].inputs) arrivals.set(j, (arrivals.get(j) ?? 0) + 1);
  const received = new Map<number, number>();
  for (let k = order.length - 1; k >= 0; k--) {
    const n = t.nodes[order[k]];
    const up = n.grad;
    n.inputs.forEach((j, ii) => {
      const m = t.nodes[j];
      const loc = n.local[ii];
      const down = up * loc;
      const prev = acc.get(j);
      const total = (prev ?? 0) + down;
      acc.set(j, total);
      const got = (received.get(j) ?? 0) + 1;
      received.set(j, got);
      const le = localExpr(t, n, ii);
      const dm = d(r.tex, m.tex);
      const dn = d(r.tex, n.tex);
      const rule = ruleOf(n, ii);
      const base = {
        graph: g,
        phase: 'backward' as const,
        node: id(j),
        edge: `${id(j)}>${id(n.id)}`,
        quantity: dTxt(r.label, m.label),
      };
      const localName = `${d(n.tex, m.tex)}`;
      if (prev === undefined) {
        steps.push({
          ...base,
          rule,
          ruleText: RULE_TEXT[rule],
          symbolic: `${dm} = ${dn} \\cdot ${localName} = ${dn} \\cdot ${asFactor(le.sym)}`,
          numeric: `${dm} = ${tex(up, true)} \\cdot ${tex(loc, true)} = ${tex(down)}`,
          text: `${dTxt(r.label, m.label)} = ${dTxt(r.label, n.label)} · ${asFactor(le.txt)} = ${fmtP(up)} · ${fmtP(loc)} = ${fmt(down)}`,
          answer: [got === arrivals.get(j) ? total : down],
          reveal: { edgeGrad: `${id(j)}>${id(n.id)}`, ...(got === arrivals.get(j) ? { nodeGrad: id(j) } : {}) },
        });
      } else {
        steps.push({
          ...base,
          rule: 'sum',
          ruleText: `${RULE_TEXT.sum} ${RULE_TEXT[rule]}`,
          symbolic: `${dm} = \\ldots + ${dn} \\cdot ${asFactor(le.sym)}`,
          numeric: `${dm} = ${tex(prev)} + ${tex(up, true)} \\cdot ${tex(loc, true)} = ${tex(total)}`,
          text: `${dTxt(r.label, m.label)} = ${fmt(prev)} + ${fmtP(up)} · ${fmtP(loc)} = ${fmt(total)}`,
          answer: [total],
          reveal: { edgeGrad: `${id(j)}>${id(n.id)}`, ...(got === arrivals.get(j) ? { nodeGrad: id(j) } : {}) },
        });
      }
    });
  }
  return { graph: { title: opts.title, nodes, edges, output: id(root) }, steps };
}
