// Dense layers on the matrix tape: builds z = x·W + b, y = f(z) layer by layer, a loss at the end,
// runs the reverse pass and records every step (forward, backward, update) as plain data.
// Pure: no `vscode`, no DOM.
import type { Activation } from '../spec/types';
import { ACTIVATION_TEXT } from '../explain/activations';
import { fmt, fmtMat, superscript, tex, texMat } from './format';
import { MatTape, flat, logitLossValue, lossValue, scale, shapeOf, activate, matmul, map, type LossKind, type Mat, type MatNode } from './matrix';
import { EPSILON, foldsActivation, type LogitLoss } from '../nn/loss';
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

/** an activation's symbol in LaTeX (also the graph panel's formula card, src/core/explain/formula.ts) */
export const ACT_TEX: Record<Activation['name'], string> = {
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
  const last = ids[ids.length - 1];
  const lastAct = layers[layers.length - 1]?.activation.name;
  // sigmoid + BCE and softmax + CCE: from the logits, as the trainer computes them (exact when y saturates)
  const root = loss !== 'half' && last && foldsActivation(loss, lastAct) ? t.lossFromLogits(last.z, last.y, target, loss as LogitLoss) : t.loss(cur, target, loss);
  return { tape: t, root, ids, loss: t.v(root)[0][0], output: t.v(cur)[0] };
}

/** Loss only, no tape (for difference quotients). */
export function denseLoss(layers: DenseParams[], x: Mat, target: Mat, loss: LossKind): number {
  let cur = x;
  for (const [i, p] of layers.entries()) {
    let z = matmul(cur, p.W);
    if (p.b) {
      const b = p.b;
      z = map(z, (v, _i, j) => v + b[j]);
    }
    if (i === layers.length - 1 && loss !== 'half' && foldsActivation(loss, p.activation.name)) return logitLossValue(z, target, loss as LogitLoss);
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

/** −ln ε: the most a clipped cross-entropy charges one output (16.118) */
const CLIP_MAX = (-Math.log(EPSILON)).toFixed(3);

/** The folded forms (sigmoid + BCE, softmax + CCE), computed from the logits z as the trainer does. */
const LOGIT_SYM: Record<LogitLoss, { sym: string; grad: string; txt: string; forward: string; backward: string }> = {
  binaryCrossentropy: {
    sym: '\\tfrac{1}{n}\\sum_j \\max(z_j, 0) - z_j \\hat{y}_j + \\ln\\left(1 + e^{-|z_j|}\\right)',
    grad: '\\tfrac{1}{n}(\\sigma(z) - \\hat{y}) = \\tfrac{1}{n}(y - \\hat{y})',
    txt: '(1/n)(σ(z) − ŷ) = (1/n)(y − ŷ)',
    forward:
      `The trainer computes binary cross-entropy from the logits z, not from y = σ(z): −ŷ ln σ(z) − (1 − ŷ) ln(1 − σ(z)) = max(z, 0) − z·ŷ + ln(1 + e^{−|z|}), exact for every z (Keras from_logits, PyTorch BCEWithLogitsLoss). Computed from y, TensorFlow.js clips y to [ε, 1 − ε] with ε = ${EPSILON}, so a saturated wrong output costs at most ${CLIP_MAX} there and gets gradient 0; from the logits it costs |z| and keeps its gradient.`,
    backward: 'Sigmoid and binary cross-entropy together: ∂L/∂z = (σ(z) − ŷ)/n, the sigmoid\'s derivative folded into the loss, so no ∂L/∂y is needed and nothing is lost when y rounds to 0 or 1.',
  },
  categoricalCrossentropy: {
    sym: '-\\sum_j \\hat{y}_j \\ln \\mathrm{softmax}(z)_j',
    grad: 'y {\\textstyle\\sum_j} \\hat{y}_j - \\hat{y}',
    txt: 'y·Σŷ − ŷ',
    forward:
      `The trainer computes categorical cross-entropy from the logits z, not from y = softmax(z): −Σ ŷ ln softmax(z) = Σ ŷ (ln Σₖ e^{zₖ} − z), exact for every z (Keras from_logits, PyTorch cross_entropy). Computed from y, TensorFlow.js clips y to [ε, 1] with ε = ${EPSILON}, so a saturated wrong class costs at most ${CLIP_MAX} there and gets gradient 0; from the logits it costs the full gap between the logits and keeps its gradient.`,
    backward: 'Softmax and categorical cross-entropy together: ∂L/∂z = y·Σŷ − ŷ (y − ŷ for a one-hot ŷ), softmax\'s Jacobian folded into the loss, so no ∂L/∂y is needed and nothing is lost when y rounds to 0 or 1.',
  },
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
    } else if (n.op === 'loss' && n.fromLogits) {
      const ls = LOGIT_SYM[n.loss as LogitLoss];
      sym = ls.sym;
      num = `L\\left(${a.tex} = ${texMat(a.value)}, \\hat{y} = ${texMat(n.target ?? [[]])}\\right)`;
      txt = `loss from the logits (${a.label} = ${fmtMat(a.value)}, ŷ = ${fmtMat(n.target ?? [[]])})`;
    } else if (n.op === 'loss') {
      sym = LOSS_SYM[n.loss ?? 'mse'].sym;
      num = `L\\left(${texMat(a.value)}, ${texMat(n.target ?? [[]])}\\right)`;
      txt = `loss(${a.label}, ŷ = ${fmtMat(n.target ?? [[]])})`;
    }
    const valTex = n.op === 'loss' ? tex(n.value[0][0]) : withShape(texMat(n.value), n.value);
    let ruleText: string | undefined;
    if (n.op === 'loss' && n.fromLogits && b) {
      // both forms, with this sample's numbers: the one the trainer uses and the clipped one from y
      const clipped = lossValue(b.value, n.target ?? [[]], n.loss ?? 'mse');
      ruleText = `${LOGIT_SYM[n.loss as LogitLoss].forward} For this sample: L = ${fmt(n.value[0][0])} from the logits, ${fmt(clipped)} from y = ${fmtMat(b.value)} clipped (ε = ${EPSILON}).`;
    }
    step({
      phase: 'forward',
      rule: 'forward',
      ruleText,
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
  // how many gradients each node receives: along the edges that carry one (a node without a gradient,
  // such as the shown-only y of a loss from the logits, passes none on)
  t.backward(run.root);
  const arrivals = new Map<number, number>();
  for (const i of order) nodeOf(i).inputs.forEach((j, k) => nodeOf(i).grad && t.flows(nodeOf(i), k) && arrivals.set(j, (arrivals.get(j) ?? 0) + 1));
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
    let ruleText: string | undefined;
    if (n.op === 'loss') {
      rule = 'loss';
      const ls = n.fromLogits ? LOGIT_SYM[n.loss as LogitLoss] : LOSS_SYM[n.loss ?? 'mse'];
      if (n.fromLogits) ruleText = LOGIT_SYM[n.loss as LogitLoss].backward;
      sym = `${n.fromLogits ? '\\delta = ' : ''}${dL(m.tex)} = ${ls.grad}`;
      num = `${n.fromLogits ? '\\delta = ' : ''}${dL(m.tex)} = ${withShape(texMat(down), down)}`;
      txt = `${n.fromLogits ? 'δ = ' : ''}∂L/∂${m.label} = ${ls.txt} = ${fmtMat(down)}`;
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
      ruleText: before ? `${RULE_TEXT.sum} ${RULE_TEXT[rule]}` : ruleText,
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
