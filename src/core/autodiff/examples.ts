// The built-in walkthroughs, following the course text (lecture-deep-neural-networks.md). Each is a
// pure function of its editable parameters; every gradient is computed three ways (tape, closed form,
// difference quotient). Pure: no `vscode`, no DOM.
import { fmt, fmtMat, fmtP, subscript, tex } from './format';
import { Tape, recordScalar, d, dTxt } from './scalar';
import { recordDense, runDense, denseLoss, type DenseParams } from './layers';
import { matmul, hadamard, transpose, zip, scale, type Mat } from './matrix';
import { RULE_TEXT, type DescentTable, type GradientCheck, type Param, type Step, type Walkthrough } from './types';

/** The difference quotient's step: (L(w + h) − L(w)) / h, as the course writes it. */
export const H = 1e-6;
/** |a − b| ≤ TOL · max(1, |a|) counts as agreement (the forward difference is off by about h·L″/2). */
export const TOL = 1e-4;

export const agree = (a: number, b: number, tol = TOL): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a));

export type Values = Record<string, number>;

export interface BuiltinInfo {
  id: string;
  title: string;
  description: string;
}

export const BUILTINS: BuiltinInfo[] = [
  { id: 'graph', title: 'Computational graph v = (x + y)·z', description: 'Addition passes the gradient through, multiplication switches to the other factor.' },
  { id: 'sigmoid-neuron', title: 'Sigmoid neuron', description: 'f = 1/(1 + e^{−(x₁w₁ + x₂w₂ + w₃)}) step by step, then as one sigmoid node with f′ = f(1 − f).' },
  { id: 'neural-chain', title: 'Neural chain', description: 'x → ·w₁ → ·w₂ → y with L = ½(ŷ − y)², then one gradient-descent update.' },
  { id: 'matrix', title: 'Layers in matrix form', description: 'A 2-2 layer and a 2-2-2 network: δ = ∂L/∂y ∘ f′(z), ΔW = −α xᵀδ.' },
  { id: 'gradient-descent', title: '1-D gradient descent on L = w²', description: 'w ← w − α·2w; try α = 0.3, 0.9, 1.1.' },
];

function paramsWith(defs: Param[], values: Values | undefined): Param[] {
  return defs.map((p) => {
    const v = values?.[p.key];
    return { ...p, value: typeof v === 'number' && Number.isFinite(v) ? v : p.value };
  });
}
const valuesOf = (ps: Param[]): Values => Object.fromEntries(ps.map((p) => [p.key, p.value]));

/** Difference quotient of F with respect to the parameter `key`. */
function quotient(F: (v: Values) => number, v: Values, key: string): number {
  return (F({ ...v, [key]: v[key] + H }) - F(v)) / H;
}

function check(name: string, texName: string, tape: number, numeric: number, analytic?: number, analyticTex?: string): GradientCheck {
  const ok = agree(tape, numeric) && (analytic === undefined || agree(tape, analytic, 1e-9));
  return { name, tex: texName, tape, analytic, analyticTex, numeric, agree: ok };
}

function checkStep(graph: number, c: GradientCheck): Step {
  const sym = c.analyticTex ? `${c.tex} = ${c.analyticTex}` : `${c.tex} \\approx \\frac{L(w + h) - L(w)}{h}`;
  return {
    graph,
    phase: 'info',
    rule: 'check',
    ruleText: RULE_TEXT.check,
    quantity: c.name,
    symbolic: sym,
    numeric:
      `${c.tex} = ${tex(c.tape)}` +
      (c.analytic !== undefined ? `\\quad\\text{closed form: } ${tex(c.analytic)}` : '') +
      `\\quad\\text{difference quotient: } ${tex(c.numeric)}`,
    text:
      `${c.name} = ${fmt(c.tape)} (tape)` +
      (c.analytic !== undefined ? `, ${fmt(c.analytic)} (closed form)` : '') +
      `, ${fmt(c.numeric)} (difference quotient, h = ${H})`,
    answer: [c.tape],
    reveal: {},
  };
}

// ---------------------------------------------------------------------------------------------
// 1. v = (x + y)·z

const GRAPH_PARAMS: Param[] = [
  { key: 'x', label: 'x', tex: 'x', value: 1 },
  { key: 'y', label: 'y', tex: 'y', value: 3 },
  { key: 'z', label: 'z', tex: 'z', value: -2 },
];

function graphExample(values?: Values): Walkthrough {
  const params = paramsWith(GRAPH_PARAMS, values);
  const v = valuesOf(params);
  const t = new Tape();
  const x = t.input('x', 'x', v.x);
  const y = t.input('y', 'y', v.y);
  const z = t.input('z', 'z', v.z);
  const q = t.add(x, y, { label: 'q', tex: 'q' });
  const out = t.mul(q, z, { label: 'v', tex: 'v' });
  const { graph, steps } = recordScalar(t, out, { graphIndex: 0, title: 'v = (x + y)·z' });
  const F = (w: Values): number => (w.x + w.y) * w.z;
  const checks = [
    check('∂v/∂z', d('v', 'z'), t.grad(z), quotient(F, v, 'z'), v.x + v.y, 'q = x + y'),
    check('∂v/∂q', d('v', 'q'), t.grad(q), ((t.value(q) + H) * v.z - t.value(q) * v.z) / H, v.z, 'z'),
    check('∂v/∂x', d('v', 'x'), t.grad(x), quotient(F, v, 'x'), v.z, 'z'),
    check('∂v/∂y', d('v', 'y'), t.grad(y), quotient(F, v, 'y'), v.z, 'z'),
  ];
  return {
    id: 'graph',
    title: BUILTINS[0].title,
    intro: 'Every box is an operation. Forward: q = x + y, then v = q·z. Backward: start with ∂v/∂v = 1 and multiply by each local gradient on the way back.',
    params,
    graphs: [graph],
    steps: [...steps, ...checks.map((c) => checkStep(0, c))],
    checks,
    notes: [],
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Sigmoid neuron, decomposed and collapsed

const NEURON_PARAMS: Param[] = [
  { key: 'x1', label: 'x₁', tex: 'x_1', value: -1 },
  { key: 'w1', label: 'w₁', tex: 'w_1', value: 2 },
  { key: 'x2', label: 'x₂', tex: 'x_2', value: 2 },
  { key: 'w2', label: 'w₂', tex: 'w_2', value: 1 },
  { key: 'w3', label: 'w₃', tex: 'w_3', value: 0.5 },
];

function neuronExample(values?: Values): Walkthrough {
  const params = paramsWith(NEURON_PARAMS, values);
  const v = valuesOf(params);
  const leaves = (t: Tape): number[] => [
    t.input('x₁', 'x_1', v.x1),
    t.param('w₁', 'w_1', v.w1),
    t.input('x₂', 'x_2', v.x2),
    t.param('w₂', 'w_2', v.w2),
    t.param('w₃', 'w_3', v.w3),
  ];
  // decomposed: ×, ×, +, +, ·(−1), eˣ, +1, 1/x
  const t = new Tape();
  const [x1, w1, x2, w2, w3] = leaves(t);
  const a = t.mul(x1, w1, { label: 'a', tex: 'a' });
  const b = t.mul(x2, w2, { label: 'b', tex: 'b' });
  const c = t.add(a, b, { label: 'c', tex: 'c' });
  const z = t.add(c, w3, { label: 'z', tex: 'z' });
  const u = t.mulConst(z, -1, { label: 'u', tex: 'u' });
  const p = t.exp(u, { label: 'p', tex: 'p' });
  const q = t.addConst(p, 1, { label: 'q', tex: 'q' });
  const f = t.recip(q, { label: 'f', tex: 'f' });
  const one = recordScalar(t, f, { graphIndex: 0, title: 'f decomposed: ×, +, ·(−1), eˣ, +1, 1/x' });
  const recipLocal = t.nodes[f].local[0];
  // collapsed: one sigmoid node
  const s = new Tape();
  const [sx1, sw1, sx2, sw2, sw3] = leaves(s);
  const sa = s.mul(sx1, sw1, { label: 'a', tex: 'a' });
  const sb = s.mul(sx2, sw2, { label: 'b', tex: 'b' });
  const sc = s.add(sa, sb, { label: 'c', tex: 'c' });
  const sz = s.add(sc, sw3, { label: 'z', tex: 'z' });
  const sf = s.sigmoid(sz, { label: 'f', tex: 'f' });
  const two = recordScalar(s, sf, { graphIndex: 1, title: 'f as one sigmoid node, f′ = f(1 − f)' });

  const F = (w: Values): number => 1 / (1 + Math.exp(-(w.x1 * w.w1 + w.x2 * w.w2 + w.w3)));
  const zv = v.x1 * v.w1 + v.x2 * v.w2 + v.w3;
  const core = Math.exp(-zv) / (Math.exp(-zv) + 1) ** 2;
  const closed = '\\frac{e^{-w_1x_1 - w_2x_2 - w_3}}{(e^{-w_1x_1 - w_2x_2 - w_3} + 1)^2}';
  const checks = [
    check('∂f/∂x₁', d('f', 'x_1'), t.grad(x1), quotient(F, v, 'x1'), v.w1 * core, `w_1 ${closed}`),
    check('∂f/∂w₁', d('f', 'w_1'), t.grad(w1), quotient(F, v, 'w1'), v.x1 * core, `x_1 ${closed}`),
    check('∂f/∂x₂', d('f', 'x_2'), t.grad(x2), quotient(F, v, 'x2'), v.w2 * core, `w_2 ${closed}`),
    check('∂f/∂w₂', d('f', 'w_2'), t.grad(w2), quotient(F, v, 'w2'), v.x2 * core, `x_2 ${closed}`),
    check('∂f/∂w₃', d('f', 'w_3'), t.grad(w3), quotient(F, v, 'w3'), core, closed),
  ];
  // the collapsed graph must give the same numbers
  const same = [x1, w1, x2, w2, w3].every((id, i) => agree(t.grad(id), s.grad([sx1, sw1, sx2, sw2, sw3][i]), 1e-12));
  const shortcut: Step = {
    graph: 1,
    phase: 'info',
    rule: 'chain',
    ruleText: 'The four nodes ·(−1), eˣ, +1, 1/x are one sigmoid; its local derivative is f(1 − f).',
    node: `g1n${sf}`,
    quantity: "σ′(z)",
    symbolic: `\\sigma'(z) = \\sigma(z)(1 - \\sigma(z)) = f(1 - f)`,
    numeric: `\\sigma'(${tex(zv)}) = ${tex(s.value(sf))} \\cdot (1 - ${tex(s.value(sf))}) = ${tex(s.nodes[sf].local[0])}`,
    text: `σ′(z) = f(1 − f) = ${fmt(s.value(sf))} · (1 − ${fmt(s.value(sf))}) = ${fmt(s.nodes[sf].local[0])}${same ? ' — the same gradients as the decomposed graph' : ''}`,
    answer: [s.nodes[sf].local[0]],
    reveal: {},
  };
  const twoSteps = two.steps.filter((st) => st.phase === 'backward');
  const notes = [
    `The local derivative of the 1/x node is −1/q² = ${fmt(recipLocal)} (≈ ${fmt(recipLocal, 2)}).`,
    'The course slide prints ∂f/∂x₁ = 0.470074; that is a dropped digit of 0.4700074 = 2 × 0.2350037. NN Lab shows 0.470007, which the difference quotient confirms.',
  ];
  return {
    id: 'sigmoid-neuron',
    title: BUILTINS[1].title,
    intro:
      'f(x₁, x₂) = 1 / (1 + e^{−(x₁w₁ + x₂w₂ + w₃)}) as a computational graph of simple operations. Forward path first, then backward from ∂f/∂f = 1; then the same neuron with the four last nodes collapsed into one sigmoid.',
    params,
    graphs: [one.graph, two.graph],
    steps: [...one.steps, shortcut, ...twoSteps, ...checks.map((ch) => checkStep(1, ch))],
    checks,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. Neural chain

const CHAIN_PARAMS: Param[] = [
  { key: 'x', label: 'x', tex: 'x', value: 3 },
  { key: 'w1', label: 'w₁', tex: 'w_1', value: 0.5 },
  { key: 'w2', label: 'w₂', tex: 'w_2', value: -1 },
  { key: 'target', label: 'ŷ', tex: '\\hat{y}', value: 3 },
  { key: 'alpha', label: 'α', tex: '\\alpha', value: 0.1, presets: [0.01, 0.1, 0.2] },
];

function chainExample(values?: Values): Walkthrough {
  const params = paramsWith(CHAIN_PARAMS, values);
  const v = valuesOf(params);
  const t = new Tape();
  const x = t.input('x', 'x', v.x);
  const w1 = t.param('w₁', 'w_1', v.w1);
  const x2 = t.mul(x, w1, { label: 'x₂', tex: 'x_2' });
  const w2 = t.param('w₂', 'w_2', v.w2);
  const y = t.mul(x2, w2, { label: 'y', tex: 'y' });
  const L = t.squaredError(y, v.target, { label: 'L', tex: 'L' });
  const { graph, steps } = recordScalar(t, L, { graphIndex: 0, title: 'x → ·w₁ → ·w₂ → y → L = ½(ŷ − y)²' });
  const F = (w: Values): number => 0.5 * (w.target - w.x * w.w1 * w.w2) ** 2;
  const yv = t.value(y);
  const dy = yv - v.target;
  const checks = [
    check('∂L/∂y', d('L', 'y'), t.grad(y), (0.5 * (v.target - yv - H) ** 2 - t.value(L)) / H, dy, 'y - \\hat{y}'),
    check('∂L/∂w₂', d('L', 'w_2'), t.grad(w2), quotient(F, v, 'w2'), dy * v.x * v.w1, '(y - \\hat{y})\\, x_2'),
    check('∂L/∂w₁', d('L', 'w_1'), t.grad(w1), quotient(F, v, 'w1'), dy * v.w2 * v.x, '(y - \\hat{y})\\, w_2\\, x'),
  ];
  const alpha = v.alpha;
  const g1 = t.grad(w1);
  const g2 = t.grad(w2);
  const d1 = -alpha * g1;
  const d2 = -alpha * g2;
  const n1 = v.w1 + d1;
  const n2 = v.w2 + d2;
  const lossBefore = t.value(L);
  const lossAfter = F({ ...v, w1: n1, w2: n2 });
  const upd = (label: string, texName: string, g: number, dv: number, old: number): Step[] => [
    {
      graph: 0,
      phase: 'update',
      rule: 'update',
      ruleText: RULE_TEXT.update,
      node: `g0n${label === 'w₁' ? w1 : w2}`,
      quantity: `Δ${label}`,
      symbolic: `\\Delta ${texName} = -\\alpha ${d('L', texName)}`,
      numeric: `\\Delta ${texName} = -${tex(alpha)} \\cdot ${tex(g, true)} = ${tex(dv)},\\quad ${texName} \\leftarrow ${tex(old)} + ${tex(dv, true)} = ${tex(old + dv)}`,
      text: `Δ${label} = −α·∂L/∂${label} = −${fmt(alpha)} · ${fmtP(g)} = ${fmt(dv)}; ${label} ← ${fmt(old)} + ${fmtP(dv)} = ${fmt(old + dv)}`,
      answer: [dv],
      reveal: {},
    },
  ];
  const after: Step = {
    graph: 0,
    phase: 'update',
    rule: 'update',
    ruleText: lossAfter < lossBefore ? 'After the update the loss is lower.' : 'After the update the loss is not lower: the learning rate is too large for this step.',
    node: `g0n${L}`,
    quantity: 'L after the update',
    symbolic: `L' = \\tfrac{1}{2}(\\hat{y} - x\\, w_1' w_2')^2`,
    numeric: `L' = \\tfrac{1}{2}(${tex(v.target)} - ${tex(v.x)} \\cdot ${tex(n1, true)} \\cdot ${tex(n2, true)})^2 = ${tex(lossAfter)} \\quad (\\text{before: } ${tex(lossBefore)})`,
    text: `L after the update = ${fmt(lossAfter)} (before: ${fmt(lossBefore)})`,
    answer: [lossAfter],
    reveal: {},
  };
  const sgn = (g: number): string => (g < 0 ? 'negative' : g > 0 ? 'positive' : 'zero');
  return {
    id: 'neural-chain',
    title: BUILTINS[2].title,
    intro:
      'Three neurons in a chain and a loss at the end. The only parameters we can change are w₁ and w₂; the sign of ∂L/∂w tells which way to move each: Δw = −α ∂L/∂w.',
    params,
    graphs: [graph],
    steps: [...steps, ...checks.map((c) => checkStep(0, c)), ...upd('w₂', 'w_2', g2, d2, v.w2), ...upd('w₁', 'w_1', g1, d1, v.w1), after],
    checks,
    notes: [
      `Derived signs: ∂L/∂w₂ = ${fmt(g2)} is ${sgn(g2)} and ∂L/∂w₁ = ${fmt(g1)} is ${sgn(g1)}.`,
      'The course slides print ∂L/∂w₂ = +6.75 and ∂L/∂w₁ = −13.5. With L = ½(ŷ − y)², raising w₂ from −1 moves y = −1.5 towards ŷ = 3, so the loss falls and ∂L/∂w₂ must be negative: −6.75, and ∂L/∂w₁ = +13.5. The difference quotient confirms both signs.',
    ],
    update: { alpha, lossBefore, lossAfter },
  };
}

// ---------------------------------------------------------------------------------------------
// 4. Matrix form: a 2-2 layer, then a 2-2-2 network

const MATRIX_PARAMS: Param[] = [
  { key: 'x1', label: 'x₁', tex: 'x_1', value: 1 },
  { key: 'x2', label: 'x₂', tex: 'x_2', value: 0.5 },
  { key: 't1', label: 'ŷ₁', tex: '\\hat{y}_1', value: 1 },
  { key: 't2', label: 'ŷ₂', tex: '\\hat{y}_2', value: 0 },
  { key: 'w11', label: 'w₁₁', tex: 'w_{11}', value: 0.1 },
  { key: 'w12', label: 'w₁₂', tex: 'w_{12}', value: -0.2 },
  { key: 'w21', label: 'w₂₁', tex: 'w_{21}', value: 0.4 },
  { key: 'w22', label: 'w₂₂', tex: 'w_{22}', value: 0.3 },
  { key: 'b1', label: 'b₁', tex: 'b_1', value: 0.1 },
  { key: 'b2', label: 'b₂', tex: 'b_2', value: -0.1 },
  { key: 'v11', label: 'W¹₁₁', tex: 'W^1_{11}', value: 0.5 },
  { key: 'v12', label: 'W¹₁₂', tex: 'W^1_{12}', value: -0.4 },
  { key: 'v21', label: 'W¹₂₁', tex: 'W^1_{21}', value: 0.3 },
  { key: 'v22', label: 'W¹₂₂', tex: 'W^1_{22}', value: 0.8 },
  { key: 'u11', label: 'W²₁₁', tex: 'W^2_{11}', value: -0.6 },
  { key: 'u12', label: 'W²₁₂', tex: 'W^2_{12}', value: 0.2 },
  { key: 'u21', label: 'W²₂₁', tex: 'W^2_{21}', value: 0.7 },
  { key: 'u22', label: 'W²₂₂', tex: 'W^2_{22}', value: -0.5 },
  { key: 'alpha', label: 'α', tex: '\\alpha', value: 0.5, presets: [0.1, 0.5, 1] },
];

const sigmoidAct = { name: 'sigmoid' as const };

function matrixExample(values?: Values): Walkthrough {
  const params = paramsWith(MATRIX_PARAMS, values);
  const v = valuesOf(params);
  const x: Mat = [[v.x1, v.x2]];
  const yt: Mat = [[v.t1, v.t2]];
  const alpha = v.alpha;
  const layer: DenseParams[] = [{ W: [[v.w11, v.w12], [v.w21, v.w22]], b: [v.b1, v.b2], activation: sigmoidAct }];
  const net: DenseParams[] = [
    { W: [[v.v11, v.v12], [v.v21, v.v22]], activation: sigmoidAct },
    { W: [[v.u11, v.u12], [v.u21, v.u22]], activation: sigmoidAct },
  ];
  const r1 = runDense(layer, x, yt, 'half');
  const one = recordDense(r1, { graphIndex: 0, title: 'One layer, 2 → 2: y = σ(x·W + b)', alpha });
  const r2 = runDense(net, x, yt, 'half');
  const two = recordDense(r2, { graphIndex: 1, title: 'One hidden layer, 2 → 2 → 2', alpha });

  // the course's closed forms (column vectors): ΔW² = −α f¹ (∂L/∂y ∘ f²′)ᵀ, ΔW¹ = −α x [(W²(∂L/∂y ∘ f²′)) ∘ f¹′]ᵀ
  const f1 = r2.tape.v(r2.ids[0].y);
  const y2 = r2.tape.v(r2.ids[1].y);
  const f1p = f1.map((r) => r.map((s) => s * (1 - s)));
  const f2p = y2.map((r) => r.map((s) => s * (1 - s)));
  const dLdy = zip(y2, yt, (p, q) => p - q);
  const delta2 = hadamard(dLdy, f2p); // row 1×2
  const gW2 = matmul(transpose(f1), delta2); // (2×1)(1×2)
  const delta1 = hadamard(transpose(matmul(net[1].W, transpose(delta2))), f1p); // W²(2×2)·δ²(2×1) → row
  const gW1 = matmul(transpose(x), delta1);
  // the single layer: ΔW = −α x (∂L/∂y ∘ f′)ᵀ
  const yl = r1.tape.v(r1.ids[0].y);
  const deltaL = hadamard(zip(yl, yt, (p, q) => p - q), yl.map((r) => r.map((s) => s * (1 - s))));
  const gW = matmul(transpose(x), deltaL);

  const checks: GradientCheck[] = [];
  const keysW = [['w11', 0, 0], ['w12', 0, 1], ['w21', 1, 0], ['w22', 1, 1]] as const;
  const L1 = (w: Values): number =>
    denseLoss([{ W: [[w.w11, w.w12], [w.w21, w.w22]], b: [w.b1, w.b2], activation: sigmoidAct }], [[w.x1, w.x2]], [[w.t1, w.t2]], 'half');
  for (const [k, i, j] of keysW) {
    const p = MATRIX_PARAMS.find((q) => q.key === k);
    checks.push(check(`∂L/∂${p?.label}`, d('L', p?.tex ?? k), one.grads[0].W[i][j], quotient(L1, v, k), gW[i][j], `x_${i + 1} \\frac{\\partial L}{\\partial y_${j + 1}} f'_${j + 1}`));
  }
  for (const [k, j] of [['b1', 0], ['b2', 1]] as const) {
    const p = MATRIX_PARAMS.find((q) => q.key === k);
    checks.push(check(`∂L/∂${p?.label}`, d('L', p?.tex ?? k), one.grads[0].b?.[j] ?? NaN, quotient(L1, v, k), deltaL[0][j], `\\delta_${j + 1}`));
  }
  const L2 = (w: Values): number =>
    denseLoss(
      [
        { W: [[w.v11, w.v12], [w.v21, w.v22]], activation: sigmoidAct },
        { W: [[w.u11, w.u12], [w.u21, w.u22]], activation: sigmoidAct },
      ],
      [[w.x1, w.x2]],
      [[w.t1, w.t2]],
      'half',
    );
  const keys2 = [['u', 1, gW2], ['v', 0, gW1]] as const;
  for (const [pre, li, closed] of keys2) {
    for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
      const k = `${pre}${i + 1}${j + 1}`;
      const p = MATRIX_PARAMS.find((q) => q.key === k);
      checks.push(
        check(`∂L/∂${p?.label}`, d('L', p?.tex ?? k), two.grads[li].W[i][j], quotient(L2, v, k), closed[i][j], li === 1 ? 'f^1 (\\partial L/\\partial y \\circ f^{2\\prime})^\\top' : 'x [(W^2(\\partial L/\\partial y \\circ f^{2\\prime})) \\circ f^{1\\prime}]^\\top'),
      );
    }
  }
  const courseForm = (g: number, name: string, symbolic: string, delta: Mat, shapes: string): Step => ({
    graph: g,
    phase: 'update',
    rule: 'update',
    ruleText: 'The course’s matrix form of the update, with column vectors; every shape is written under its factor.',
    quantity: `Δ${name}`,
    symbolic,
    numeric: `\\Delta ${name.replace('¹', '^1').replace('²', '^2')} = ${texM(delta)}\\quad ${shapes}`,
    text: `Δ${name} = ${fmtMat(delta)}  (${shapes.replace(/\\times/g, '×')})`,
    answer: delta.flat(),
    answerShape: [delta.length, delta[0].length],
    reveal: {},
  });
  const texM = (m: Mat): string => `\\begin{pmatrix} ${m.map((r) => r.map((q) => tex(q)).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
  const dW2 = scale(gW2, -alpha);
  const dW1 = scale(gW1, -alpha);
  const closing: Step[] = [
    courseForm(
      1,
      'W²',
      `\\Delta W^2 = -\\alpha\\, \\underset{2\\times1}{f^1} \\big(\\underset{2\\times1}{\\tfrac{\\partial L}{\\partial y}} \\circ \\underset{2\\times1}{f^{2\\prime}}\\big)^\\top`,
      dW2,
      '(2\\times1)(1\\times2) = 2\\times2',
    ),
    courseForm(
      1,
      'W¹',
      `\\Delta W^1 = -\\alpha\\, \\underset{2\\times1}{x} \\Big[\\big(\\underset{2\\times2}{W^2} (\\tfrac{\\partial L}{\\partial y} \\circ f^{2\\prime})\\big) \\circ \\underset{2\\times1}{f^{1\\prime}}\\Big]^\\top`,
      dW1,
      '(2\\times1)(1\\times2) = 2\\times2',
    ),
  ];
  return {
    id: 'matrix',
    title: BUILTINS[3].title,
    intro:
      'A sample is a row vector x (1×2), W is nᵢ×nₒ (2×2) and y = f(x·W + b). Backward in matrix form: δ = ∂L/∂y ∘ f′(z), ∂L/∂W = xᵀδ, ∂L/∂b = δ, ∂L/∂x = δWᵀ. The loss is L = ½‖ŷ − y‖². Then a network with one hidden layer (no biases, as in the course).',
    params,
    graphs: [one.graph, two.graph],
    steps: [...one.steps, ...two.steps, ...closing, ...checks.filter((c) => c.name.includes('²')).map((c) => checkStep(1, c))],
    checks,
    notes: ['The course writes x and δ as column vectors, so ∂L/∂W = x δᵀ; with the row vectors used here it is xᵀδ — the same 2×2 matrix.'],
    update: { alpha, lossBefore: r2.loss, lossAfter: L2Update(v, dW1, dW2) },
  };
}

function L2Update(v: Values, dW1: Mat, dW2: Mat): number {
  return denseLoss(
    [
      { W: [[v.v11 + dW1[0][0], v.v12 + dW1[0][1]], [v.v21 + dW1[1][0], v.v22 + dW1[1][1]]], activation: sigmoidAct },
      { W: [[v.u11 + dW2[0][0], v.u12 + dW2[0][1]], [v.u21 + dW2[1][0], v.u22 + dW2[1][1]]], activation: sigmoidAct },
    ],
    [[v.x1, v.x2]],
    [[v.t1, v.t2]],
    'half',
  );
}

// ---------------------------------------------------------------------------------------------
// 5. 1-D gradient descent on L = w²

const DESCENT_PARAMS: Param[] = [
  { key: 'alpha', label: 'α', tex: '\\alpha', value: 0.3, presets: [0.3, 0.9, 1.1] },
  { key: 'w0', label: 'w₀', tex: 'w_0', value: 1.8 },
  { key: 'epsilon', label: 'ε', tex: '\\epsilon', value: 0.001 },
  { key: 'N', label: 'N', tex: 'N', value: 5 },
];

export function descentTable(alpha: number, w0: number, epsilon: number, N: number): DescentTable {
  const rows = [{ k: 0, w: w0, loss: w0 * w0, grad: 2 * w0 }];
  let stopReason = `N = ${N} steps done`;
  const maxSteps = Math.max(0, Math.min(1000, Math.floor(N)));
  for (let k = 1; k <= maxSteps; k++) {
    const prev = rows[k - 1];
    const w = prev.w - alpha * prev.grad;
    rows.push({ k, w, loss: w * w, grad: 2 * w });
    if (w * w < epsilon) {
      stopReason = `L(w${subscript(k)}) = ${fmt(w * w)} < ε = ${fmt(epsilon)}${k === maxSteps ? `, and N = ${N} steps done` : ''}`;
      break;
    }
  }
  const f = 1 - 2 * alpha; // w_{k+1} = (1 − 2α) w_k
  const behaviour: DescentTable['behaviour'] = Math.abs(f) > 1 ? 'diverges' : Math.abs(f) === 1 ? 'stalls' : f < 0 ? 'oscillates' : 'converges';
  return { alpha, epsilon, maxSteps, rows, behaviour, stopReason };
}

function descentExample(values?: Values): Walkthrough {
  const params = paramsWith(DESCENT_PARAMS, values);
  const v = valuesOf(params);
  const table = descentTable(v.alpha, v.w0, v.epsilon, v.N);
  const t = new Tape();
  const w = t.param('w', 'w', v.w0);
  const L = t.square(w, { label: 'L', tex: 'L' });
  const { graph, steps } = recordScalar(t, L, { graphIndex: 0, title: 'L = w²' });
  const gradTape = t.grad(w);
  const checks = [check('∇L(w₀)', '\\nabla L(w_0)', gradTape, ((v.w0 + H) ** 2 - v.w0 ** 2) / H, 2 * v.w0, '2 w_0')];
  const descentSteps: Step[] = table.rows.slice(1).map((r) => {
    const p = table.rows[r.k - 1];
    return {
      graph: 0,
      phase: 'descent',
      rule: 'descent',
      ruleText: RULE_TEXT.descent,
      quantity: `w${subscript(r.k)}`,
      symbolic: `w_{${r.k}} = w_{${r.k - 1}} - \\alpha \\nabla L(w_{${r.k - 1}}) = w_{${r.k - 1}} - \\alpha \\cdot 2 w_{${r.k - 1}}`,
      numeric: `w_{${r.k}} = ${tex(p.w)} - ${tex(v.alpha)} \\cdot ${tex(p.grad, true)} = ${tex(r.w)},\\quad L(w_{${r.k}}) = ${tex(r.loss)}`,
      text: `w${subscript(r.k)} = ${fmt(p.w)} − ${fmt(v.alpha)} · ${fmtP(p.grad)} = ${fmt(r.w)}   L = ${fmt(r.loss)}`,
      answer: [r.w],
      reveal: {},
    };
  });
  const verdict: Record<DescentTable['behaviour'], string> = {
    converges: 'w shrinks towards the minimum at 0 without changing sign.',
    oscillates: 'w jumps across the minimum at every step, but shrinks: it converges while oscillating.',
    stalls: 'w jumps between two values forever: neither converging nor diverging.',
    diverges: 'Each step overshoots by more than it corrects: |w| grows, the descent diverges.',
  };
  const end: Step = {
    graph: 0,
    phase: 'info',
    rule: 'info',
    ruleText: verdict[table.behaviour],
    quantity: 'behaviour',
    symbolic: `w_{k+1} = (1 - 2\\alpha)\\, w_k`,
    numeric: `w_{k+1} = ${tex(1 - 2 * v.alpha, true)}\\, w_k \\quad (\\text{${table.behaviour}})`,
    text: `w(k+1) = (1 − 2α)·w(k) = ${fmt(1 - 2 * v.alpha)}·w(k): ${table.behaviour}; stopped: ${table.stopReason}`,
    answer: [1 - 2 * v.alpha],
    reveal: {},
  };
  return {
    id: 'gradient-descent',
    title: BUILTINS[4].title,
    intro: 'L = w², ∇L = dL/dw = 2w. Repeat w ← w − α∇L(w) until L < ε or N steps are done. Change α to 0.9 (oscillation) or 1.1 (divergence).',
    params,
    graphs: [graph],
    steps: [...steps, ...descentSteps, end],
    checks,
    notes: [],
    descent: table,
  };
}

const BUILDERS: Record<string, (values?: Values) => Walkthrough> = {
  graph: graphExample,
  'sigmoid-neuron': neuronExample,
  'neural-chain': chainExample,
  matrix: matrixExample,
  'gradient-descent': descentExample,
};

/** Aliases accepted by the CLI and the command (`nnlab walkthrough sigmoid`). */
const ALIASES: Record<string, string> = {
  '1': 'graph',
  'computational-graph': 'graph',
  '2': 'sigmoid-neuron',
  sigmoid: 'sigmoid-neuron',
  neuron: 'sigmoid-neuron',
  '3': 'neural-chain',
  chain: 'neural-chain',
  '4': 'matrix',
  'matrix-form': 'matrix',
  layer: 'matrix',
  '5': 'gradient-descent',
  descent: 'gradient-descent',
  gd: 'gradient-descent',
};

export function resolveBuiltin(name: string): string | undefined {
  const k = name.trim().toLowerCase().replace(/[\s_]+/g, '-');
  if (BUILDERS[k]) return k;
  return ALIASES[k];
}

/** Builds a built-in walkthrough; unknown ids throw a RangeError naming the known ones. */
export function builtin(id: string, values?: Values): Walkthrough {
  const k = resolveBuiltin(id);
  if (!k) throw new RangeError(`unknown walkthrough '${id}'; known: ${BUILTINS.map((b) => b.id).join(', ')}`);
  return BUILDERS[k](values);
}

export { dTxt };
