// Matrix mode of the tape, for layers in the course's matrix form (row vectors, W ∈ ℝ^{nᵢ×nₒ}):
//   z = x·W + b,  y = f(z),  L = loss(y, ŷ)
// backward:  δ = ∂L/∂y ∘ f′(z),  ∂L/∂W = xᵀδ,  ∂L/∂b = δ,  ∂L/∂x = δWᵀ
// Every node holds a matrix (number[][]); each op records a vector–Jacobian product per input.
// Pure: no `vscode`, no DOM.
import type { Activation, LossName } from '../spec/types';
import { activateRow, activationBackward, derivativeRow } from '../nn/activations';
import { loss as rowLoss, lossGrad as rowLossGrad, lossFromLogits, lossGradFromLogits, type LogitLoss } from '../nn/loss';
import { topoOrder } from './topo';

export type Mat = number[][];

export const shapeOf = (m: Mat): [number, number] => [m.length, m[0]?.length ?? 0];
export const zeros = (r: number, c: number): Mat => Array.from({ length: r }, () => new Array<number>(c).fill(0));
export const transpose = (m: Mat): Mat => {
  const [r, c] = shapeOf(m);
  const t = zeros(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j][i] = m[i][j];
  return t;
};
export function matmul(a: Mat, b: Mat): Mat {
  const [r, k] = shapeOf(a);
  const [k2, c] = shapeOf(b);
  if (k !== k2) throw new RangeError(`matmul: ${r}×${k} · ${k2}×${c} do not fit`);
  const out = zeros(r, c);
  for (let i = 0; i < r; i++) for (let p = 0; p < k; p++) {
    const av = a[i][p];
    if (av === 0) continue;
    for (let j = 0; j < c; j++) out[i][j] += av * b[p][j];
  }
  return out;
}
export const map = (m: Mat, f: (v: number, i: number, j: number) => number): Mat => m.map((r, i) => r.map((v, j) => f(v, i, j)));
export const zip = (a: Mat, b: Mat, f: (x: number, y: number) => number): Mat => {
  const [r, c] = shapeOf(a);
  const [r2, c2] = shapeOf(b);
  if (r !== r2 || c !== c2) throw new RangeError(`elementwise: ${r}×${c} and ${r2}×${c2} differ`);
  return a.map((row, i) => row.map((v, j) => f(v, b[i][j])));
};
export const addM = (a: Mat, b: Mat): Mat => zip(a, b, (x, y) => x + y);
export const hadamard = (a: Mat, b: Mat): Mat => zip(a, b, (x, y) => x * y);
export const scale = (a: Mat, s: number): Mat => map(a, (v) => v * s);
export const row = (v: number[]): Mat => [v.slice()];
export const flat = (m: Mat): number[] => m.flat();

// ---------------------------------------------------------------------------------------------
// Activations, their derivatives and the losses: the shared ones (src/core/nn), row by row. The tape
// takes f′ at a kink (z = 0 exactly) as the trainer does (`tensorflow`), so it agrees with tf.grads.

export function activate(z: Mat, a: Activation): Mat {
  return z.map((r) => activateRow(a, r));
}

/** f′(z) elementwise, given z and y = f(z). Not defined for softmax (use its Jacobian). */
export function derivative(z: Mat, _y: Mat, a: Activation): Mat {
  if (a.name === 'softmax') throw new Error('softmax has no elementwise derivative; use its Jacobian');
  return z.map((r) => derivativeRow(a, r, 'tensorflow') ?? []);
}

// Losses (src/core/nn/loss.ts, as TensorFlow.js computes them, per row; for several rows the mean
// over rows), plus `half` = the course's ½(ŷ − y)² summed over outputs (the neural chain's loss).
export type LossKind = LossName | 'half';

export function lossValue(y: Mat, t: Mat, kind: LossKind): number {
  let s = 0;
  y.forEach((r, i) => {
    s += kind === 'half' ? r.reduce((acc, p, j) => acc + 0.5 * (t[i][j] - p) ** 2, 0) : rowLoss(kind, r, t[i]);
  });
  return s / y.length;
}

/** The folded losses (sigmoid + BCE, softmax + CCE) from the logits z, as the trainer computes them: mean over rows. */
export function logitLossValue(z: Mat, t: Mat, kind: LogitLoss): number {
  return z.reduce((s, r, i) => s + lossFromLogits(kind, r, t[i]), 0) / z.length;
}

/** ∂L/∂z of logitLossValue. */
export function logitLossGrad(z: Mat, t: Mat, kind: LogitLoss): Mat {
  return z.map((r, i) => lossGradFromLogits(kind, r, t[i]).map((v) => v / z.length));
}

export function lossGrad(y: Mat, t: Mat, kind: LossKind): Mat {
  const [r, c] = shapeOf(y);
  const [r2, c2] = shapeOf(t);
  if (r !== r2 || c !== c2) throw new RangeError(`elementwise: ${r}×${c} and ${r2}×${c2} differ`);
  return y.map((row, i) => (kind === 'half' ? row.map((p, j) => p - t[i][j]) : rowLossGrad(kind, row, t[i])).map((v) => v / r));
}

// ---------------------------------------------------------------------------------------------
// The tape

export type MatOp = 'input' | 'param' | 'matmul' | 'addBias' | 'act' | 'hadamard' | 'loss';

export interface MatNode {
  id: number;
  op: MatOp;
  label: string;
  tex: string;
  inputs: number[];
  value: Mat;
  activation?: Activation;
  loss?: LossKind;
  /**
   * The loss is computed from the logits (inputs [z, y]: z the output layer's pre-activation, y = f(z)
   * only shown): the trainer's exact form of sigmoid + BCE and softmax + CCE. No gradient flows to y.
   */
  fromLogits?: boolean;
  target?: Mat;
  /** f′(z) for elementwise activations */
  fprime?: Mat;
  grad?: Mat;
}

export class MatTape {
  readonly nodes: MatNode[] = [];

  private push(n: Omit<MatNode, 'id'>): number {
    const id = this.nodes.length;
    this.nodes.push({ ...n, id });
    return id;
  }
  v(i: number): Mat {
    const n = this.nodes[i];
    if (!n) throw new RangeError(`tape: no node ${i}`);
    return n.value;
  }
  input(label: string, texName: string, value: Mat): number {
    return this.push({ op: 'input', label, tex: texName, inputs: [], value });
  }
  param(label: string, texName: string, value: Mat): number {
    return this.push({ op: 'param', label, tex: texName, inputs: [], value });
  }
  /** x·W */
  matmul(x: number, W: number, label: string, texName: string): number {
    return this.push({ op: 'matmul', label, tex: texName, inputs: [x, W], value: matmul(this.v(x), this.v(W)) });
  }
  /** z + b (b is a 1×n row, broadcast over the rows of z) */
  addBias(z: number, b: number, label: string, texName: string): number {
    const bv = this.v(b)[0];
    return this.push({ op: 'addBias', label, tex: texName, inputs: [z, b], value: map(this.v(z), (v, _i, j) => v + bv[j]) });
  }
  act(z: number, a: Activation, label: string, texName: string): number {
    const zv = this.v(z);
    const y = activate(zv, a);
    return this.push({
      op: 'act',
      label,
      tex: texName,
      inputs: [z],
      value: y,
      activation: a,
      fprime: a.name === 'softmax' ? undefined : derivative(zv, y, a),
    });
  }
  /** a ∘ b, elementwise (the course's Hadamard product) */
  hadamard(a: number, b: number, label: string, texName: string): number {
    return this.push({ op: 'hadamard', label, tex: texName, inputs: [a, b], value: hadamard(this.v(a), this.v(b)) });
  }
  loss(y: number, target: Mat, kind: LossKind, label = 'L', texName = 'L'): number {
    return this.push({ op: 'loss', label, tex: texName, inputs: [y], value: [[lossValue(this.v(y), target, kind)]], loss: kind, target });
  }

  /** L from the logits z of the output y = f(z) (foldsActivation): value and gradient never pass through y. */
  lossFromLogits(z: number, y: number, target: Mat, kind: LogitLoss, label = 'L', texName = 'L'): number {
    return this.push({ op: 'loss', label, tex: texName, inputs: [z, y], value: [[logitLossValue(this.v(z), target, kind)]], loss: kind, fromLogits: true, target });
  }

  /** Whether input `k` of node `n` receives a gradient (not the shown-only y of a loss from logits). */
  flows(n: MatNode, k: number): boolean {
    return !(n.fromLogits && k === 1);
  }

  /** The downstream gradient to input `k` of node `n`, given n's upstream gradient G. */
  vjp(n: MatNode, k: number, G: Mat): Mat {
    switch (n.op) {
      case 'matmul': {
        const [x, W] = n.inputs.map((i) => this.v(i));
        return k === 0 ? matmul(G, transpose(W)) : matmul(transpose(x), G);
      }
      case 'addBias':
        if (k === 0) return G.map((r) => r.slice());
        return [G[0].map((_, j) => G.reduce((s, r) => s + r[j], 0))];
      case 'act': {
        if (n.fprime) return hadamard(G, n.fprime);
        // softmax: for each row, δ = (g − g·yᵀ) ∘ y
        const z = this.v(n.inputs[0]);
        return n.value.map((yr, i) => activationBackward({ name: 'softmax' }, G[i], z[i], yr));
      }
      case 'hadamard':
        return hadamard(G, this.v(n.inputs[1 - k]));
      case 'loss':
        if (n.fromLogits) return scale(logitLossGrad(this.v(n.inputs[0]), n.target ?? [[]], n.loss as LogitLoss), G[0][0]);
        return scale(lossGrad(this.v(n.inputs[0]), n.target ?? [[]], n.loss ?? 'mse'), G[0][0]);
      default:
        throw new Error(`vjp: ${n.op} has no inputs`);
    }
  }

  topo(root: number): number[] {
    return topoOrder(this.nodes, root);
  }

  /** Reverse pass from a 1×1 root; fills `grad` on every node it depends on. */
  backward(root: number, onEdge?: (n: MatNode, k: number, upstream: Mat, downstream: Mat, before: Mat | undefined) => void): void {
    for (const n of this.nodes) n.grad = undefined;
    const order = this.topo(root);
    this.nodes[root].grad = [[1]];
    for (let q = order.length - 1; q >= 0; q--) {
      const n = this.nodes[order[q]];
      const G = n.grad;
      if (!G) continue;
      n.inputs.forEach((j, k) => {
        if (!this.flows(n, k)) return;
        const down = this.vjp(n, k, G);
        const m = this.nodes[j];
        const before = m.grad;
        m.grad = before ? addM(before, down) : down;
        onEdge?.(n, k, G, down, before);
      });
    }
  }
}
