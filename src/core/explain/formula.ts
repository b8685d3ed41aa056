// The formula card of the graph panel (issue 16 item 1): for a neuron, a weight, a bias, an input or a
// node of a layer's computational graph, its formula in the course's notation with one sample's numbers
// plugged in, as LaTeX (KaTeX in the panel) and as plain text (the same equations, for tests and
// screen readers), and the walkthrough step that computes the same quantity.
//
// Notation (lecture "Deep Neural Networks", single neuron and neural network): a sample is a row x,
// layer l computes zʲ = Σᵢ xᵢ wᵢⱼ + bⱼ and aⱼ = f(zⱼ) with W ∈ ℝ^{nᵢ×nₒ} (wᵢⱼ: from input i to unit j,
// 1-based as the course writes w₁₁, w₂₁); the superscript l counts the dense layers (W¹, W², as the
// walkthrough names them) and is left out for a network of one dense layer. δⱼ = ∂L/∂zⱼ, so
// ∂L/∂wᵢⱼ = xᵢ f′(zⱼ) ∂L/∂yⱼ = xᵢ δⱼ and ∂L/∂bⱼ = δⱼ; a hidden unit's δ collects its downstream units'
// δ: δʲ = f′(zⱼ) Σₖ wⱼₖ δₖ (the next layer's). The numbers are the dense forward/backward pass of
// src/core/nn/dense.ts (the trainer's loss, sigmoid + BCE and softmax + CCE from the logits), for ONE
// sample; unit-tested against the walkthrough tape and difference quotients.
// Pure: no `vscode`, no DOM.
import type { Activation, LayerShapes, LossName } from '../spec/types';
import type { LayerWeights } from '../../protocol/training';
import { forwardOne, gradients, type ForwardLayer } from '../nn/dense';
import { derivative } from '../nn/activations';
import { foldsActivation, lossFormula } from '../nn/loss';
import { ACTIVATION_TEXT } from './activations';
import { ACT_TEX } from '../autodiff/layers';
import { fmt, fmtMat, fmtVec, subscript, superscript, texMat, MINUS } from '../autodiff/format';
import { layerName, sampleName, unitName } from './indices';

/** What the card is about; layer = index into spec.layers, from/to/unit 0-based. */
export type FormulaTarget =
  | { kind: 'input'; unit: number }
  | { kind: 'neuron'; layer: number; unit: number }
  | { kind: 'weight'; layer: number; from: number; to: number }
  | { kind: 'bias'; layer: number; unit: number }
  /** a node of the graph panel's computational graph of one dense layer (webview/graph/compgraph-layer.ts) */
  | { kind: 'node'; layer: number; node: 'x' | 'W' | 'mm' | 'b' | 'z' | 'a' | 'L' | 'y' };

/** The network as the panels know it (a SpecView has these). */
export interface FormulaNet {
  layers: readonly Pick<LayerShapes, 'type' | 'name' | 'weightShape'>[];
  activations: readonly (Activation | undefined)[];
  loss: LossName;
}

export interface FormulaSample {
  x: readonly number[] | readonly (readonly number[])[];
  y: readonly number[];
  /** 0-based row of the sample in the panel's data and how many rows there are (for "sample 1 of 4") */
  index: number;
  count: number;
}

/** One equation: LaTeX for KaTeX and the same in plain text. */
export interface FormulaLine {
  tex: string;
  text: string;
}

/** The numbers behind the card (what the tests compare with the tape). */
export interface FormulaValues {
  /** the loss of this sample */
  loss: number;
  /** neuron, weight, bias: the unit's pre-activation, activation and δ = ∂L/∂z */
  z?: number;
  a?: number;
  delta?: number;
  /** neuron: the terms xᵢ·wᵢⱼ of z (without b) and b */
  terms?: number[];
  b?: number;
  /** weight: its value and the input it multiplies */
  w?: number;
  x?: number;
  /** ∂L/∂ of the card's parameter (weight: ∂L/∂w; bias and a neuron with a bias: ∂L/∂b; input: ∂L/∂x) */
  grad?: number;
}

export interface FormulaCard {
  title: string;
  /** "sample 1 of 4: x = [0, 1], ŷ = [1]" */
  subtitle: string;
  lines: FormulaLine[];
  values: FormulaValues;
  /** the quantity of the "This network" walkthrough step that computes the same thing ("∂L/∂W¹") */
  walkthrough?: string;
  /** title, subtitle and every line's text, one per line: what the panel shows as text */
  text: string;
}

export class FormulaError extends Error {}

// ---- numbers and names

/** A number on the card: 4 significant decimals, real minus sign (the graph panel's precision). */
export const num = (v: number): string => fmt(v, 4);
/** The same in LaTeX. */
const tnum = (v: number): string =>
  num(v)
    .replace(MINUS, '-')
    .replace(/e([+-]?\d+)$/, '\\times 10^{$1}')
    .replace('∞', '\\infty');
/** A factor: negative numbers in parentheses. */
const pnum = (v: number): string => (v < 0 ? `(${num(v)})` : num(v));
const ptnum = (v: number): string => (v < 0 ? `(${tnum(v)})` : tnum(v));

/** "12" → "1,12" style index pair: a comma only when an index has two digits. */
const pair = (i: number, j: number): string => (i >= 10 || j >= 10 ? `${i},${j}` : `${i}${j}`);

interface Names {
  /** the dense layer's ordinal (1-based) and whether superscripts are written */
  ordinal: number;
  sup: boolean;
  /** the layer's input symbol: x for the first dense layer, a^{l−1} after */
  first: boolean;
  last: boolean;
}

/** plain-text and TeX symbols of a layer's quantities */
function sym(n: Names): {
  z: (j: number) => [string, string];
  a: (j: number) => [string, string];
  b: (j: number) => [string, string];
  d: (j: number) => [string, string];
  w: (i: number, j: number) => [string, string];
  x: (i: number) => [string, string];
  W: [string, string];
  bVec: [string, string];
  zVec: [string, string];
  aVec: [string, string];
  xVec: [string, string];
  dVec: [string, string];
} {
  const l = n.ordinal;
  const s = n.sup ? superscript(l) : '';
  const ts = n.sup ? `^{${l}}` : '';
  const ps = n.sup ? superscript(l - 1) : '';
  const pts = n.sup ? `^{${l - 1}}` : '';
  return {
    z: (j) => [`z${s}${subscript(j + 1)}`, `z${ts}_{${j + 1}}`],
    a: (j) => [`a${s}${subscript(j + 1)}`, `a${ts}_{${j + 1}}`],
    b: (j) => [`b${s}${subscript(j + 1)}`, `b${ts}_{${j + 1}}`],
    d: (j) => [`δ${s}${subscript(j + 1)}`, `\\delta${ts}_{${j + 1}}`],
    w: (i, j) => [`w${s}${subscript(pair(i + 1, j + 1))}`, `w${ts}_{${pair(i + 1, j + 1)}}`],
    x: (i) => (n.first ? [`x${subscript(i + 1)}`, `x_{${i + 1}}`] : [`a${ps}${subscript(i + 1)}`, `a${pts}_{${i + 1}}`]),
    W: [`W${s}`, `W${ts}`],
    bVec: [`b${s}`, `b${ts}`],
    zVec: [`z${s}`, `z${ts}`],
    aVec: [`a${s}`, `a${ts}`],
    xVec: n.first ? ['x', 'x'] : [`a${ps}`, `a${pts}`],
    dVec: [`δ${s}`, `\\delta${ts}`],
  };
}


/** Sums of many terms are cut to their first 3 and last 2 (MNIST has 784), with the count. */
const LIMIT = 6;
function sumOf(parts: { tex: string; text: string }[]): { tex: string; text: string } {
  if (parts.length <= LIMIT) return { tex: parts.map((p) => p.tex).join(' + '), text: parts.map((p) => p.text).join(' + ') };
  const shown = [...parts.slice(0, 3), { tex: '\\cdots', text: '…' }, ...parts.slice(-2)];
  return { tex: shown.map((p) => p.tex).join(' + '), text: shown.map((p) => p.text).join(' + ') };
}

const line = (tex: string, text: string): FormulaLine => ({ tex, text });

/** The position of the last walkthrough step computing `quantity` (position k shows steps[k − 1]); 0 if none. */
export function walkthroughPosition(steps: readonly { quantity: string }[], quantity: string): number {
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].quantity === quantity) return i + 1;
  return 0;
}

// ---- the card

/**
 * The card for `target`, with `sample`'s numbers at `weights`. Throws FormulaError for a target the
 * network does not have or weights that do not fit.
 */
export function formulaCard(net: FormulaNet, weights: readonly LayerWeights[], sample: FormulaSample, target: FormulaTarget): FormulaCard {
  const layers: ForwardLayer[] = net.layers.map((l, i) => ({ type: l.type, activation: net.activations[i] }));
  const dense = net.layers.map((l, i) => (l.type === 'dense' ? i : -1)).filter((i) => i >= 0);
  if (!dense.length) throw new FormulaError('the network has no dense layer');
  const x = sample.x.flat();
  let trace;
  let grads;
  try {
    trace = forwardOne(layers, weights, x);
    grads = gradients(layers, weights, net.loss, [x], [sample.y]);
  } catch (e) {
    throw new FormulaError(e instanceof Error ? e.message : String(e));
  }
  const subtitle = `${sampleName(sample.index, sample.count)}: x = ${fmtVec(x)}, ŷ = ${fmtVec(sample.y)}; L = ${num(grads.loss)}`;
  const namesOf = (layer: number): Names => {
    const k = dense.indexOf(layer);
    if (k < 0) throw new FormulaError(`${layerName(layer)} is not a dense layer`);
    return { ordinal: k + 1, sup: dense.length > 1, first: k === 0, last: k === dense.length - 1 };
  };
  const wOf = (layer: number): LayerWeights => {
    const w = weights.find((q) => q.layer === layer);
    if (!w) throw new FormulaError(`no weights for ${layerName(layer)}`);
    return w;
  };
  const gOf = (layer: number): (typeof grads.layers)[number] => grads.layers.find((q) => q.layer === layer)!;
  /** the input row of a dense layer: the previous layer's output, or x */
  const inputOf = (layer: number): number[] => (layer > 0 ? trace.a[layer - 1] : x);
  const actOf = (layer: number): Activation => net.activations[layer] ?? { name: 'linear' };
  const values: FormulaValues = { loss: grads.loss };
  const lines: FormulaLine[] = [];
  let title = '';
  let walkthrough: string | undefined;

  /** z_j = Σ x_i w_ij + b_j with every term, a_j = f(z_j) */
  const forwardLines = (layer: number, j: number): void => {
    const n = namesOf(layer);
    const S = sym(n);
    const w = wOf(layer);
    const xin = inputOf(layer);
    const z = trace.z[layer]![j];
    const a = trace.a[layer][j];
    const b = w.b?.[j];
    const terms = xin.map((xi, i) => xi * w.W[i][j]);
    values.terms = terms;
    values.z = z;
    values.a = a;
    if (b !== undefined) values.b = b;
    const [zt, zT] = S.z(j);
    const [at, aT] = S.a(j);
    const symParts = xin.map((_, i) => ({ tex: `${S.x(i)[1]} ${S.w(i, j)[1]}`, text: `${S.x(i)[0]}·${S.w(i, j)[0]}` }));
    const numParts = xin.map((xi, i) => ({ tex: `${ptnum(xi)} \\cdot ${ptnum(w.W[i][j])}`, text: `${pnum(xi)}·${pnum(w.W[i][j])}` }));
    if (b !== undefined) {
      symParts.push({ tex: S.b(j)[1], text: S.b(j)[0] });
      numParts.push({ tex: ptnum(b), text: pnum(b) });
    }
    const sSym = xin.length > LIMIT ? bigSum(S.xVec, S.W, j, b !== undefined ? S.b(j) : undefined, xin.length) : sumOf(symParts);
    const sNum = sumOf(numParts);
    lines.push(line(`${zT} = ${sSym.tex} = ${sNum.tex} = ${tnum(z)}`, `${zt} = ${sSym.text} = ${sNum.text} = ${num(z)}`));
    const act = actOf(layer);
    const f = ACTIVATION_TEXT[act.name].op;
    if (act.name === 'softmax') {
      lines.push(line(`${aT} = \\mathrm{softmax}(${S.zVec[1]})_{${j + 1}} = \\frac{e^{${zT}}}{\\sum_k e^{${S.zVec[1]}_k}} = ${tnum(a)}`, `${at} = softmax(${S.zVec[0]})${subscript(j + 1)} = e^${zt} / Σₖ e^${S.zVec[0]}ₖ = ${num(a)}`));
    } else {
      lines.push(line(`${aT} = ${ACT_TEX[act.name]}(${zT}) = ${ACT_TEX[act.name]}(${tnum(z)}) = ${tnum(a)}`, `${at} = ${f}(${zt}) = ${f}(${num(z)}) = ${num(a)}`));
    }
    if (n.last) lines.push(line(`y_{${j + 1}} = ${aT} = ${tnum(a)},\\quad \\hat{y}_{${j + 1}} = ${tnum(sample.y[j])}`, `y${subscript(j + 1)} = ${at} = ${num(a)}, ŷ${subscript(j + 1)} = ${num(sample.y[j])}`));
  };

  /** δ_j = ∂L/∂z_j with its numbers: from the loss (output layer) or from the next layer's δ (hidden) */
  const deltaLines = (layer: number, j: number): number => {
    const n = namesOf(layer);
    const S = sym(n);
    const g = gOf(layer);
    const delta = g.db[j];
    values.delta = delta;
    const [dt, dT] = S.d(j);
    const [zt, zT] = S.z(j);
    const z = trace.z[layer]![j];
    const act = actOf(layer);
    const f = ACTIVATION_TEXT[act.name].op;
    const df = act.name === 'softmax' ? undefined : derivative(act.name, z, act.alpha);
    const [at, aT] = S.a(j);
    if (n.last) {
      const a = trace.a[layer][j];
      const yh = sample.y[j];
      const nOut = trace.a[layer].length;
      if (foldsActivation(net.loss, act.name)) {
        const lf = lossFormula(net.loss, act.name);
        if (net.loss === 'binaryCrossentropy') {
          lines.push(line(`${dT} = \\frac{\\partial L}{\\partial ${zT}} = \\tfrac{1}{${nOut}}(y_{${j + 1}} - \\hat{y}_{${j + 1}}) = \\tfrac{1}{${nOut}}(${tnum(a)} - ${ptnum(yh)}) = ${tnum(delta)}`, `${dt} = ∂L/∂${zt} = (1/${nOut})(y${subscript(j + 1)} − ŷ${subscript(j + 1)}) = (1/${nOut})(${num(a)} − ${pnum(yh)}) = ${num(delta)}   (${lf.gradient}: sigmoid folded into the loss)`));
        } else {
          const sumY = sample.y.reduce((s, v) => s + v, 0);
          lines.push(line(`${dT} = \\frac{\\partial L}{\\partial ${zT}} = y_{${j + 1}} \\textstyle\\sum_k \\hat{y}_k - \\hat{y}_{${j + 1}} = ${tnum(a)} \\cdot ${ptnum(sumY)} - ${ptnum(yh)} = ${tnum(delta)}`, `${dt} = ∂L/∂${zt} = y${subscript(j + 1)}·Σₖŷₖ − ŷ${subscript(j + 1)} = ${num(a)}·${pnum(sumY)} − ${pnum(yh)} = ${num(delta)}   (${lf.gradient}: softmax folded into the loss)`));
        }
        return delta;
      }
      const dy = g.da[j];
      const lf = lossFormula(net.loss, act.name);
      const dyText = net.loss === 'mse' ? { tex: `\\tfrac{2}{${nOut}}(${tnum(a)} - ${ptnum(yh)})`, text: `(2/${nOut})(${num(a)} − ${pnum(yh)})` } : { tex: '', text: '' };
      lines.push(
        line(
          `\\frac{\\partial L}{\\partial y_{${j + 1}}} = ${dyText.tex ? `${dyText.tex} = ` : ''}${tnum(dy)}`,
          `∂L/∂y${subscript(j + 1)} = ${dyText.text ? `${dyText.text} = ` : ''}${num(dy)}   (${lf.gradient})`,
        ),
      );
      if (df !== undefined) {
        lines.push(line(`${dT} = \\frac{\\partial L}{\\partial ${zT}} = f'(${zT}) \\frac{\\partial L}{\\partial y_{${j + 1}}} = ${tnum(df)} \\cdot ${ptnum(dy)} = ${tnum(delta)}`, `${dt} = ∂L/∂${zt} = ${f}′(${zt})·∂L/∂y${subscript(j + 1)} = ${num(df)}·${pnum(dy)} = ${num(delta)}`));
      } else {
        lines.push(line(`${dT} = ${aT}\\left(\\frac{\\partial L}{\\partial y_{${j + 1}}} - \\textstyle\\sum_k a_k \\frac{\\partial L}{\\partial y_k}\\right) = ${tnum(delta)}`, `${dt} = ${at}·(∂L/∂y${subscript(j + 1)} − Σₖ aₖ·∂L/∂yₖ) = ${num(delta)}   (softmax's Jacobian)`));
      }
      return delta;
    }
    // hidden: δ_j = f′(z_j) Σ_k w^{l+1}_jk δ^{l+1}_k
    const next = dense[dense.indexOf(layer) + 1];
    const nn = namesOf(next);
    const NS = sym(nn);
    const wn = wOf(next);
    const dn = gOf(next).db;
    const dA = g.da[j];
    const symParts = dn.map((_, k) => ({ tex: `${NS.w(j, k)[1]} ${NS.d(k)[1]}`, text: `${NS.w(j, k)[0]}·${NS.d(k)[0]}` }));
    const numParts = dn.map((dk, k) => ({ tex: `${ptnum(wn.W[j][k])} \\cdot ${ptnum(dk)}`, text: `${pnum(wn.W[j][k])}·${pnum(dk)}` }));
    const sSym = sumOf(symParts);
    const sNum = sumOf(numParts);
    lines.push(line(`\\frac{\\partial L}{\\partial ${aT}} = ${sSym.tex} = ${sNum.tex} = ${tnum(dA)}`, `∂L/∂${at} = ${sSym.text} = ${sNum.text} = ${num(dA)}`));
    if (df !== undefined) {
      lines.push(line(`${dT} = \\frac{\\partial L}{\\partial ${zT}} = f'(${zT}) \\frac{\\partial L}{\\partial ${aT}} = ${tnum(df)} \\cdot ${ptnum(dA)} = ${tnum(delta)}`, `${dt} = ∂L/∂${zt} = ${f}′(${zt})·∂L/∂${at} = ${num(df)}·${pnum(dA)} = ${num(delta)}`));
    } else {
      lines.push(line(`${dT} = ${aT}\\left(\\frac{\\partial L}{\\partial ${aT}} - \\textstyle\\sum_k a_k \\frac{\\partial L}{\\partial a_k}\\right) = ${tnum(delta)}`, `${dt} = ${at}·(∂L/∂${at} − Σₖ aₖ·∂L/∂aₖ) = ${num(delta)}   (softmax's Jacobian)`));
    }
    return delta;
  };

  const unitTitle = (layer: number, j: number): string => `${layerName(layer)} (${net.layers[layer].name}), ${unitName(j)}, ${ACTIVATION_TEXT[actOf(layer).name].label.toLowerCase()}`;
  const check = (layer: number, j: number, what: 'unit' | 'input', i?: number): void => {
    const w = wOf(layer);
    const nOut = w.W[0]?.length ?? 0;
    if (!Number.isInteger(j) || j < 0 || j >= nOut) throw new FormulaError(`${layerName(layer)} has ${nOut} units, not ${j + 1}`);
    if (what === 'input' && (i === undefined || !Number.isInteger(i) || i < 0 || i >= w.W.length)) throw new FormulaError(`${layerName(layer)} has ${w.W.length} inputs, not ${(i ?? -1) + 1}`);
  };

  switch (target.kind) {
    case 'neuron': {
      const { layer, unit: j } = target;
      const S = sym(namesOf(layer));
      check(layer, j, 'unit');
      title = `Neuron ${S.a(j)[0]}: ${unitTitle(layer, j)}`;
      forwardLines(layer, j);
      const delta = deltaLines(layer, j);
      if (wOf(layer).b) {
        // its bias: ∂L/∂b = δ (the panel edits b from the neuron's card)
        values.grad = delta;
        const [bt, bT] = S.b(j);
        const [dt, dT] = S.d(j);
        lines.push(line(`\\frac{\\partial L}{\\partial ${bT}} = ${dT} = ${tnum(delta)}`, `∂L/∂${bt} = ${dt} = ${num(delta)}`));
      }
      walkthrough = S.zVec[0];
      break;
    }
    case 'weight': {
      const { layer, from: i, to: j } = target;
      const S = sym(namesOf(layer));
      check(layer, j, 'input', i);
      const w = wOf(layer).W[i][j];
      const xi = inputOf(layer)[i];
      values.w = w;
      values.x = xi;
      const [wt, wT] = S.w(i, j);
      const [xt, xT] = S.x(i);
      title = `Weight ${wt}: ${layerName(layer)} (${net.layers[layer].name}), from ${namesOf(layer).first ? `input ${i + 1}` : unitName(i)} to ${unitName(j)}`;
      lines.push(line(`${wT} = ${tnum(w)}`, `${wt} = ${num(w)}`));
      forwardLines(layer, j);
      const delta = deltaLines(layer, j);
      const grad = gOf(layer).dW[i][j];
      values.grad = grad;
      const [dt, dT] = S.d(j);
      lines.push(line(`\\frac{\\partial L}{\\partial ${wT}} = ${xT} \\cdot ${dT} = ${ptnum(xi)} \\cdot ${ptnum(delta)} = ${tnum(grad)}`, `∂L/∂${wt} = ${xt}·${dt} = ${pnum(xi)}·${pnum(delta)} = ${num(grad)}`));
      walkthrough = `∂L/∂${S.W[0]}`;
      break;
    }
    case 'bias': {
      const { layer, unit: j } = target;
      const S = sym(namesOf(layer));
      check(layer, j, 'unit');
      const b = wOf(layer).b;
      if (!b) throw new FormulaError(`${layerName(layer)} has no bias (useBias: false)`);
      const [bt, bT] = S.b(j);
      title = `Bias ${bt}: ${unitTitle(layer, j)}`;
      forwardLines(layer, j);
      const delta = deltaLines(layer, j);
      values.grad = gOf(layer).db[j];
      const [dt, dT] = S.d(j);
      lines.push(line(`\\frac{\\partial L}{\\partial ${bT}} = 1 \\cdot ${dT} = ${tnum(delta)}`, `∂L/∂${bt} = 1·${dt} = ${num(delta)}`));
      walkthrough = `∂L/∂${S.bVec[0]}`;
      break;
    }
    case 'input': {
      const i = target.unit;
      const first = dense[0];
      const w = wOf(first);
      if (!Number.isInteger(i) || i < 0 || i >= x.length) throw new FormulaError(`the input has ${x.length} values, not ${i + 1}`);
      const S = sym(namesOf(first));
      // through flatten (and dropout), the first dense layer's input i is x_i
      const g = gOf(first);
      const dIn = g.dIn[i];
      values.x = x[i];
      values.grad = dIn;
      const d = g.db;
      const [xt, xT] = S.x(i);
      title = `Input ${xt} (${sampleName(sample.index)})`;
      lines.push(line(`${xT} = ${tnum(x[i])}`, `${xt} = ${num(x[i])}`));
      const sSym = sumOf(d.map((_, k) => ({ tex: `${S.w(i, k)[1]} ${S.d(k)[1]}`, text: `${S.w(i, k)[0]}·${S.d(k)[0]}` })));
      const sNum = sumOf(d.map((dk, k) => ({ tex: `${ptnum(w.W[i][k])} \\cdot ${ptnum(dk)}`, text: `${pnum(w.W[i][k])}·${pnum(dk)}` })));
      lines.push(line(`\\frac{\\partial L}{\\partial ${xT}} = ${sSym.tex} = ${sNum.tex} = ${tnum(dIn)}`, `∂L/∂${xt} = ${sSym.text} = ${sNum.text} = ${num(dIn)}`));
      walkthrough = '∂L/∂x';
      break;
    }
    case 'node': {
      const { layer } = target;
      const n = namesOf(layer);
      const S = sym(n);
      const w = wOf(layer);
      const g = gOf(layer);
      const xin = inputOf(layer);
      const z = trace.z[layer]!;
      const a = trace.a[layer];
      const act = actOf(layer);
      const vecT = (v: readonly number[]): string => `\\begin{pmatrix} ${cut(v.map(tnum), '\\cdots').join(' & ')} \\end{pmatrix}`;
      const vec = (v: readonly number[]): string => fmtVec(v);
      title = `${layerName(layer)} (${net.layers[layer].name}): node ${target.node}`;
      switch (target.node) {
        case 'x':
          title = `${layerName(layer)} (${net.layers[layer].name}): its input ${S.xVec[0]}`;
          lines.push(line(`${S.xVec[1]} = ${vecT(xin)}`, `${S.xVec[0]} = ${vec(xin)}`));
          lines.push(line(`\\frac{\\partial L}{\\partial ${S.xVec[1]}} = ${S.dVec[1]} ${S.W[1]}^T = ${vecT(g.dIn)}`, `∂L/∂${S.xVec[0]} = ${S.dVec[0]}·${S.W[0]}ᵀ = ${vec(g.dIn)}`));
          walkthrough = n.first ? '∂L/∂x' : `∂L/∂${lastLabel(dense.indexOf(layer), dense.length)}`;
          break;
        case 'W':
          title = `${layerName(layer)} (${net.layers[layer].name}): weights ${S.W[0]} (${w.W.length}×${w.W[0]?.length ?? 0})`;
          lines.push(line(`\\frac{\\partial L}{\\partial ${S.W[1]}} = ${S.xVec[1]}^T ${S.dVec[1]} = ${texMat(g.dW.map((r) => r.map((v) => Number(num(v).replace(MINUS, '-')))))}`, `∂L/∂${S.W[0]} = ${S.xVec[0]}ᵀ·${S.dVec[0]} = ${fmtMat(g.dW)}`));
          lines.push(line(`\\frac{\\partial L}{\\partial ${S.w(0, 0)[1]}} = ${S.x(0)[1]} ${S.d(0)[1]} = ${ptnum(xin[0])} \\cdot ${ptnum(g.db[0])} = ${tnum(g.dW[0][0])}`, `∂L/∂${S.w(0, 0)[0]} = ${S.x(0)[0]}·${S.d(0)[0]} = ${pnum(xin[0])}·${pnum(g.db[0])} = ${num(g.dW[0][0])}`));
          values.grad = g.dW[0][0];
          walkthrough = `∂L/∂${S.W[0]}`;
          break;
        case 'mm':
        case 'z':
          title = `${layerName(layer)} (${net.layers[layer].name}): ${target.node === 'mm' ? `${S.xVec[0]}·${S.W[0]}` : S.zVec[0]}`;
          lines.push(line(`${S.zVec[1]} = ${S.xVec[1]} ${S.W[1]}${w.b ? ` + ${S.bVec[1]}` : ''} = ${vecT(z)}`, `${S.zVec[0]} = ${S.xVec[0]}·${S.W[0]}${w.b ? ` + ${S.bVec[0]}` : ''} = ${vec(z)}`));
          lines.push(line(`${S.dVec[1]} = \\frac{\\partial L}{\\partial ${S.zVec[1]}} = ${vecT(g.db)}`, `${S.dVec[0]} = ∂L/∂${S.zVec[0]} = ${vec(g.db)}`));
          walkthrough = S.zVec[0];
          break;
        case 'b':
          if (!w.b) throw new FormulaError(`${layerName(layer)} has no bias (useBias: false)`);
          title = `${layerName(layer)} (${net.layers[layer].name}): bias ${S.bVec[0]}`;
          lines.push(line(`${S.bVec[1]} = ${vecT(w.b)}`, `${S.bVec[0]} = ${vec(w.b)}`));
          lines.push(line(`\\frac{\\partial L}{\\partial ${S.bVec[1]}} = ${S.dVec[1]} = ${vecT(g.db)}`, `∂L/∂${S.bVec[0]} = ${S.dVec[0]} = ${vec(g.db)}`));
          walkthrough = `∂L/∂${S.bVec[0]}`;
          break;
        case 'a':
          title = `${layerName(layer)} (${net.layers[layer].name}): ${S.aVec[0]} = f(${S.zVec[0]})`;
          lines.push(line(`${S.aVec[1]} = ${ACT_TEX[act.name]}(${S.zVec[1]}) = ${vecT(a)}`, `${S.aVec[0]} = ${ACTIVATION_TEXT[act.name].op}(${S.zVec[0]}) = ${vec(a)}`));
          lines.push(line(`\\frac{\\partial L}{\\partial ${S.aVec[1]}} = ${vecT(g.da)}`, `∂L/∂${S.aVec[0]} = ${vec(g.da)}`));
          walkthrough = lastLabel(dense.indexOf(layer) + 1, dense.length);
          break;
        case 'L':
        case 'y': {
          const lf = lossFormula(net.loss, actOf(dense[dense.length - 1]).name);
          title = `Loss ${net.loss} of ${sampleName(sample.index)}`;
          lines.push(line(`y = ${vecT(trace.output)},\\quad \\hat{y} = ${vecT(sample.y)}`, `y = ${vec(trace.output)}, ŷ = ${vec(sample.y)}`));
          lines.push(line(`L = ${tnum(grads.loss)}`, `${lf.formula}; L = ${num(grads.loss)}`));
          walkthrough = 'L';
          break;
        }
      }
      break;
    }
  }
  const text = [title, subtitle, ...lines.map((l) => l.text)].join('\n');
  return { title, subtitle, lines, values, walkthrough, text };
}

/** The walkthrough's name of dense layer k's output (1-based): f¹, f², …, and y for the last. */
function lastLabel(k: number, count: number): string {
  return k === count ? 'y' : `f${count > 1 ? superscript(k) : ''}`;
}

/** Σᵢ xᵢ wᵢⱼ + bⱼ written as a sum over i, for layers with many inputs (the numbers are cut) */
function bigSum(x: [string, string], W: [string, string], j: number, b: [string, string] | undefined, n: number): { tex: string; text: string } {
  const wBase: [string, string] = [W[0].replace(/^W/, 'w'), W[1].replace(/^W/, 'w')];
  return {
    tex: `\\sum_{i=1}^{${n}} ${x[1]}_{i} ${wBase[1]}_{i${j + 1 >= 10 ? ',' : ''}${j + 1}}${b ? ` + ${b[1]}` : ''}`,
    text: `Σᵢ ${x[0]}ᵢ·${wBase[0]}ᵢ${j + 1 >= 10 ? ',' : ''}${subscript(j + 1)}${b ? ` + ${b[0]}` : ''}`,
  };
}

function cut(xs: string[], gap: string): string[] {
  return xs.length <= LIMIT ? xs : [...xs.slice(0, 3), gap, ...xs.slice(-2)];
}
