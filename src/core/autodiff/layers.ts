// Dense layers on the matrix tape: builds z = x·W + b, y = f(z) layer by layer, a loss at the end,
// runs the reverse pass and records every step (forward, backward, update) as plain data.
// Pure: no `vscode`, no DOM.
import type { Activation } from '../spec/types';
import { ACTIVATION_TEXT } from '../explain/activations';
import { fmt, fmtMat, superscript, tex, texMat } from './format';
import { MatTape, flat, lossValue, scale, shapeOf, activate, matmul, map, type LossKind, type Mat, type MatNode } from './matrix';
import { RULE_TEXT, type Graph, type GraphEdge, type GraphNode, type RuleId, type Step } from './types';

/** Steps whose value has more numbers than this carry an empty `answer` (the text still shows it). */
export const MAX_ANSWER = 1024;

export interface DenseParams {
  /** nᵢ×nₒ */
  W: Mat;
  /** nₒ, omitted when the layer has no bias */
  b?: number[];
  activation: Activation;
}

export interface LayerGrads {
  W: Mat;
  b?: number[];
}

export interface NetRun {
  tape: MatTape;
  root: number;
  /** per layer: node ids */
  ids: { x: number; W: number; b?: number; u: number; z: number; y: number }[];
  loss: number;
  output: number[];
}

const ACT_TEX: Record<Activation['name'], string> = {
  linear: '\\mathrm{id}',
  sigmoid: '\\sigma',
  tanh: '\\tanh',
  relu: '\\mathrm{ReLU}',
  leakyRelu: '\\mathrm{LReLU}',
  elu: '\\mathrm{ELU}',
  softmax: '\\mathrm{softmax}',
};

/** Forward pass of dense layers on a fresh tape (x is one sample or a batch, rows = samples). */
export function runDense(layers: DenseParams[], x: Mat, target: Mat, loss: LossKind): NetRun {
  const t = new MatTape();
  const ids: NetRun['ids'] = [];
  const L = layers.length;
  let cur = t.input('x', 'x', x);
  layers.forEach((p, i) => {
    const l = i + 1;
    const sup = L > 1 ? superscript(l) : '';
    const texSup = L > 1 ? `^{${l}}` : '';
    const W = t.param(`W${sup}`, `W${texSup}`, p.W);
    const u = t.matmul(cur, W, `u${sup}`, `u${texSup}`);
    let z = u;
    let b: number | undefined;
    if (p.b) {
      b = t.param(`b${sup}`, `b${texSup}`, [p.b.slice()]);
      z = t.addBias(u, b, `z${sup}`, `z${texSup}`);
    } else {
      t.nodes[u].label = `z${sup}`;
      t.nodes[u].tex = `z${texSup}`;
    }
    const yLabel = l === L ? 'y' : `f${sup}`;
    const yTex = l === L ? 'y' : `f${texSup}`;
    const y = t.act(z, p.activation, yLabel, yTex);
    ids.push({ x: cur, W, b, u, z, y });
    cur = y;
  });
  const root = t.loss(cur, target, loss);
  return { tape: t, root, ids, loss: t.v(root)[0][0], output: t.v(cur)[0] };
}

/** Loss only, no tape (for difference quotients). */
export function denseLoss(layers: DenseParams[], x: Mat, target: Mat, loss: LossKind): number {
  let cur = x;
  for (const p of layers) {
    let z = matmul(cur, p.W);
    if (p.b) {
      const b = p.b;
      z = map(z, (v, _i, j) => v + b[j]);
    }
    cur = activate(z, p.activation);
  }
  return lossValue(cur, target, loss);
}

export function denseGrads(run: NetRun): LayerGrads[] {
  run.tape.backward(run.root);
  return run.ids.map((id) => ({
    W: run.tape.nodes[id.W].grad ?? [],
    b: id.b !== undefined ? (run.tape.nodes[id.b].grad ?? [[]])[0] : undefined,
  }));
}

const LOSS_SYM: Record<LossKind, { sym: string; grad: string; txt: string }> = {
  half: { sym: '\\tfrac{1}{2}\\lVert \\hat{y} - y \\rVert^2', grad: 'y - \\hat{y}', txt: 'y − ŷ' },
  mse: { sym: '\\tfrac{1}{n}\\sum_j (y_j - \\hat{y}_j)^2', grad: '\\tfrac{2}{n}(y - \\hat{y})', txt: '(2/n)(y − ŷ)' },
  binaryCrossentropy: {
    sym: '-\\tfrac{1}{n}\\sum_j \\hat{y}_j \\ln y_j + (1-\\hat{y}_j)\\ln(1-y_j)',
    grad: '\\tfrac{1}{n}\\frac{y - \\hat{y}}{y \\circ (1-y)}',
    txt: '(1/n)(y − ŷ)/(y(1 − y))',
  },
  categoricalCrossentropy: { sym: '-\\sum_j \\hat{y}_j \\ln y_j', grad: '-\\hat{y} / y', txt: '−ŷ/y' },
};

const shapeTxt = (m: Mat): string => shapeOf(m).join('×');
const withShape = (texM: string, m: Mat): string => `\\underset{${shapeTxt(m)}}{${texM}}`;
const dL = (x: string): string => `\\frac{\\partial L}{\\partial ${x}}`;

export interface RecordNetOptions {
  graphIndex: number;
  title: string;
  /** learning rate for the closing update steps; omit for no update steps */
  alpha?: number;
}

/** Records forward, backward and (optionally) update steps of a dense network on one sample. */
export function recordDense(run: NetRun, opts: RecordNetOptions): { graph: Graph; steps: Step[]; grads: LayerGrads[] } {
  const t = run.tape;
  const g = opts.graphIndex;
  const pre = `g${g}m`;
  const id = (i: number): string => `${pre}${i}`;
  const order = t.topo(run.root);
  const steps: Step[] = [];
  const nodeOf = (i: number): MatNode => t.nodes[i];
  const step = (s: Omit<Step, 'graph' | 'ruleText'> & { ruleText?: string }): void => {
    // big layers (MNIST: 784×128) would put 100k numbers in every message: keep the text, drop the list
    const answer = s.answer.length > MAX_ANSWER ? [] : s.answer;
    steps.push({ graph: g, ...s, answer, ruleText: s.ruleText ?? RULE_TEXT[s.rule] });
  };
  // forward
  for (const i of order) {
    const n = nodeOf(i);
    if (n.inputs.length === 0) continue;
    const [a, b] = n.inputs.map(nodeOf);
    let sym = '';
    let num = '';
    let txt = '';
    if (n.op === 'matmul') {
      sym = `${a.tex} \\cdot ${b.tex}`;
      num = `${withShape(texMat(a.value), a.value)} ${withShape(texMat(b.value), b.value)}`;
      txt = `${a.label}·${b.label}`;
    } else if (n.op === 'addBias') {
      sym = `${a.tex} + ${b.tex}`;
      num = `${texMat(a.value)} + ${texMat(b.value)}`;
      txt = `${a.label} + ${b.label}`;
    } else if (n.op === 'act') {
      const f = ACT_TEX[n.activation?.name ?? 'linear'];
      sym = `${f}(${a.tex})`;
      num = `${f}\\left(${texMat(a.value)}\\right)`;
      txt = `${ACTIVATION_TEXT[n.activation?.name ?? 'linear'].op}(${a.label})`;
    } else if (n.op === 'loss') {
      sym = LOSS_SYM[n.loss ?? 'mse'].sym;
      num = `L\\left(${texMat(a.value)}, ${texMat(n.target ?? [[]])}\\right)`;
      txt = `loss(${a.label}, ŷ = ${fmtMat(n.target ?? [[]])})`;
    }
    const valTex = n.op === 'loss' ? tex(n.value[0][0]) : withShape(texMat(n.value), n.value);
    step({
      phase: 'forward',
      rule: 'forward',
      node: id(i),
      quantity: n.label,
      symbolic: `${n.tex} = ${sym}`,
      numeric: `${n.tex} = ${num} = ${valTex}`,
      text: `${n.label} = ${txt} = ${n.op === 'loss' ? fmt(n.value[0][0]) : fmtMat(n.value)}`,
      answer: flat(n.value),
      answerShape: shapeOf(n.value),
      reveal: { nodeValue: id(i) },
    });
  }
  // backward
  const r = nodeOf(run.root);
  step({
    phase: 'backward',
    rule: 'seed',
    node: id(run.root),
    quantity: '∂L/∂L',
    symbolic: `${dL('L')} = 1`,
    numeric: `${dL('L')} = 1`,
    text: '∂L/∂L = 1',
    answer: [1],
    reveal: { nodeGrad: id(run.root) },
  });
  const arrivals = new Map<number, number>();
  for (const i of order) for (const j of nodeOf(i).inputs) arrivals.set(j, (arrivals.get(j) ?? 0) + 1);
  const received = new Map<number, number>();
  const edgeGrad = new Map<string, string>();
  t.backward(run.root, (n, k, G, down, before) => {
    const m = nodeOf(n.inputs[k]);
    const eid = `${id(m.id)}>${id(n.id)}`;
    edgeGrad.set(eid, fmtMat(down));
    const got = (received.get(m.id) ?? 0) + 1;
    received.set(m.id, got);
    const complete = got === arrivals.get(m.id);
    const total = m.grad ?? down;
    let rule: RuleId = 'chain';
    let sym = '';
    let num = '';
    let txt = '';
    const gT = texMat(G);
    if (n.op === 'loss') {
      rule = 'loss';
      const ls = LOSS_SYM[n.loss ?? 'mse'];
      sym = `${dL(m.tex)} = ${ls.grad}`;
      num = `${dL(m.tex)} = ${withShape(texMat(down), down)}`;
      txt = `∂L/∂${m.label} = ${ls.txt} = ${fmtMat(down)}`;
    } else if (n.op === 'act') {
      const softmax = n.activation?.name === 'softmax';
      rule = softmax ? 'softmax' : 'hadamard';
      const f = ACT_TEX[n.activation?.name ?? 'linear'];
      sym = softmax
        ? `\\delta = ${dL(m.tex)} = \\left(${dL(n.tex)} - ${dL(n.tex)} ${n.tex}^\\top\\right) \\circ ${n.tex}`
        : `\\delta = ${dL(m.tex)} = ${dL(n.tex)} \\circ ${f}'(${m.tex})`;
      num = softmax
        ? `\\delta = ${withShape(texMat(down), down)}`
        : `\\delta = ${gT} \\circ ${texMat(n.fprime ?? [[]])} = ${withShape(texMat(down), down)}`;
      txt = softmax
        ? `δ = ∂L/∂${m.label} = (∂L/∂${n.label} − (∂L/∂${n.label}·${n.label}ᵀ)) ∘ ${n.label} = ${fmtMat(down)}`
        : `δ = ∂L/∂${m.label} = ∂L/∂${n.label} ∘ f′(${m.label}) = ${fmtMat(G)} ∘ ${fmtMat(n.fprime ?? [[]])} = ${fmtMat(down)}`;
    } else if (n.op === 'addBias') {
      rule = k === 0 ? 'add' : 'bias';
      sym = k === 0 ? `${dL(m.tex)} = ${dL(n.tex)} = \\delta` : `${dL(m.tex)} = \\delta`;
      num = `${dL(m.tex)} = ${withShape(texMat(down), down)}`;
      txt = `∂L/∂${m.label} = δ = ${fmtMat(down)}`;
    } else if (n.op === 'matmul') {
      const [x, W] = n.inputs.map(nodeOf);
      if (k === 1) {
        rule = 'matmulW';
        sym = `${dL(m.tex)} = ${x.tex}^\\top \\delta`;
        num = `${dL(m.tex)} = ${withShape(texMat(transposeM(x.value)), transposeM(x.value))} ${withShape(gT, G)} = ${withShape(texMat(down), down)}`;
        txt = `∂L/∂${m.label} = ${x.label}ᵀδ = ${fmtMat(down)}`;
      } else {
        rule = 'matmulX';
        sym = `${dL(m.tex)} = \\delta ${W.tex}^\\top`;
        num = `${dL(m.tex)} = ${withShape(gT, G)} ${withShape(texMat(transposeM(W.value)), transposeM(W.value))} = ${withShape(texMat(down), down)}`;
        txt = `∂L/∂${m.label} = δ${W.label}ᵀ = ${fmtMat(down)}`;
      }
    }
    if (before) {
      sym = `${dL(m.tex)} = \\ldots + ${sym.split(' = ').slice(1).join(' = ')}`;
      num = `${dL(m.tex)} = ${texMat(before)} + ${texMat(down)} = ${texMat(total)}`;
      txt = `∂L/∂${m.label} = ${fmtMat(before)} + ${fmtMat(down)} = ${fmtMat(total)}`;
    }
    step({
      phase: 'backward',
      rule: before ? 'sum' : rule,
      ruleText: before ? `${RULE_TEXT.sum} ${RULE_TEXT[rule]}` : undefined,
      node: id(m.id),
      edge: eid,
      quantity: `∂L/∂${m.label}`,
      symbolic: sym,
      numeric: num,
      text: txt,
      answer: flat(complete ? total : down),
      answerShape: shapeOf(down),
      reveal: { edgeGrad: eid, ...(complete ? { nodeGrad: id(m.id) } : {}) },
    });
  });
  void r;
  const grads: LayerGrads[] = run.ids.map((x) => ({
    W: t.nodes[x.W].grad ?? [],
    b: x.b !== undefined ? (t.nodes[x.b].grad ?? [[]])[0] : undefined,
  }));
  if (opts.alpha !== undefined) {
    const alpha = opts.alpha;
    run.ids.forEach((x, li) => {
      for (const [pid, gm] of [[x.W, grads[li].W], ...(x.b !== undefined && grads[li].b ? [[x.b, [grads[li].b]] as const] : [])] as const) {
        const p = nodeOf(pid);
        const delta = scale(gm as Mat, -alpha);
        step({
          phase: 'update',
          rule: 'update',
          node: id(pid),
          quantity: `Δ${p.label}`,
          symbolic: `\\Delta ${p.tex} = -\\alpha ${dL(p.tex)}`,
          numeric: `\\Delta ${p.tex} = -${tex(alpha)} \\cdot ${texMat(gm as Mat)} = ${withShape(texMat(delta), delta)}`,
          text: `Δ${p.label} = −α·∂L/∂${p.label} = −${fmt(alpha)} · ${fmtMat(gm as Mat)} = ${fmtMat(delta)}`,
          answer: flat(delta),
          answerShape: shapeOf(delta),
          reveal: {},
        });
      }
    });
  }
  const nodes: GraphNode[] = order.map((i) => {
    const n = nodeOf(i);
    return {
      id: id(i),
      label: n.label,
      tex: n.tex,
      kind: n.op === 'input' ? 'input' : n.op === 'param' ? 'param' : n.op === 'loss' ? 'loss' : 'op',
      op: n.op === 'matmul' ? '·W' : n.op === 'addBias' ? '+b' : n.op === 'act' ? ACTIVATION_TEXT[n.activation?.name ?? 'linear'].op : n.op === 'loss' ? 'L' : '',
      value: n.op === 'loss' ? fmt(n.value[0][0]) : fmtMat(n.value),
      grad: n.grad ? fmtMat(n.grad) : undefined,
      shape: shapeTxt(n.value),
    };
  });
  const edges: GraphEdge[] = [];
  for (const i of order) for (const j of nodeOf(i).inputs) {
    const eid = `${id(j)}>${id(i)}`;
    edges.push({ id: eid, from: id(j), to: id(i), grad: edgeGrad.get(eid) });
  }
  return { graph: { title: opts.title, nodes, edges, output: id(run.root) }, steps, grads };
}

function transposeM(m: Mat): Mat {
  const [r, c] = shapeOf(m);
  return Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => m[i][j]));
}
