// "This network": the user's own `.nn.json`, one sample of its data and its initial or last-trained
// weights, on the matrix tape — forward layer by layer, backward, every weight's gradient and update.
// The loss is the spec's, defined as the trainer defines it (src/core/nn/loss.ts: mse and
// binaryCrossentropy are means over the outputs, categoricalCrossentropy sums over the classes;
// sigmoid + BCE and softmax + CCE from the output layer's logits).
// Dropout is the identity here (a walkthrough is one deterministic pass, as at inference); flatten
// only reshapes. Pure: no `vscode`, no DOM.
import type { Activation, NetworkSpec } from '../spec/types';
import { hasKinkAtZero } from '../nn/activations';
import type { LayerWeights } from '../../protocol/training';
import { fmt, fmtMat, superscript } from './format';
import { denseLoss, recordDense, runDense, type DenseParams } from './layers';
import type { Mat } from './matrix';
import { type GradientCheck, type Param, type Step, type Walkthrough } from './types';
import { H, agree } from './examples';
import { sampleName } from '../explain/indices';

export interface Sample {
  /** the features, flattened row-major */
  x: number[];
  /** the label row */
  y: number[];
}

/** A dataset in the shape src/core/data produces (Float32Array rows). */
export interface SampleSource {
  x: ArrayLike<number>;
  xShape: number[];
  y: ArrayLike<number>;
  yShape: [number, number];
}

export class NetworkInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkInputError';
  }
}

export function sampleAt(d: SampleSource, index: number): Sample {
  const n = d.xShape[0] ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new NetworkInputError(`sample index ${index} is out of range: the data has ${n} samples (0…${n - 1})`);
  }
  const per = d.xShape.slice(1).reduce((a, b) => a * b, 1);
  const k = d.yShape[1];
  return { x: Array.from(d.x).slice(index * per, (index + 1) * per), y: Array.from(d.y).slice(index * k, (index + 1) * k) };
}

export interface NetLayer extends DenseParams {
  /** index into spec.layers */
  index: number;
  name: string;
}

/**
 * A parameter's name as the walkthrough's checks and `nnlab grad` write it: "W¹[0][1]", "b²[3]" (the
 * dense layer's number as a superscript when there are several; the indices are the array's, as in
 * the spec's `init.values`).
 */
export function paramName(param: 'W' | 'b', li: number, i: number, j: number, multi: boolean): string {
  const sup = multi ? superscript(li + 1) : '';
  return param === 'W' ? `W${sup}[${i}][${j}]` : `b${sup}[${j}]`;
}

/** "This network" offers a field for every input and parameter up to this many in all (XOR: 2 + 17). */
export const NETWORK_EDIT_MAX = 64;

/**
 * The fields "This network" offers (issue 16 item 2): the sample's inputs x[i], then every W and b of
 * every dense layer, named as the checks name them; none for a network with more than NETWORK_EDIT_MAX.
 */
export function networkParams(layers: readonly NetLayer[], sample: Sample): Param[] {
  const count = sample.x.length + layers.reduce((s, l) => s + l.W.length * (l.W[0]?.length ?? 0) + (l.b?.length ?? 0), 0);
  if (count > NETWORK_EDIT_MAX) return [];
  const multi = layers.length > 1;
  const tex = (name: string): string => name.replace(/^([Wbx])([¹²³⁴⁵⁶⁷⁸⁹⁰]*)/, (_, v: string, sup: string) => (sup ? `${v}^{${toDigits(sup)}}` : v));
  const out: Param[] = sample.x.map((v, i) => ({ key: `x[${i}]`, label: `x[${i}]`, tex: `x[${i}]`, value: v }));
  layers.forEach((l, li) => {
    l.W.forEach((r, i) => r.forEach((v, j) => {
      const name = paramName('W', li, i, j, multi);
      out.push({ key: name, label: name, tex: tex(name), value: v });
    }));
    l.b?.forEach((v, j) => {
      const name = paramName('b', li, 0, j, multi);
      out.push({ key: name, label: name, tex: tex(name), value: v });
    });
  });
  return out;
}

/**
 * The weights and sample with `values` (keys of networkParams) put in: what "This network" walks
 * through after the user typed into its fields. Unknown keys are an error; the inputs are copied.
 */
export function withNetworkValues(spec: NetworkSpec, weights: LayerWeights[], sample: Sample, values: Readonly<Record<string, number>>): { weights: LayerWeights[]; sample: Sample } {
  const layers = networkLayers(spec, weights);
  const x = sample.x.slice();
  const multi = layers.length > 1;
  for (const [key, v] of Object.entries(values)) {
    if (!Number.isFinite(v)) throw new NetworkInputError(`${key}: ${v} is not a finite number`);
    const m = /^x\[(\d+)\]$/.exec(key);
    if (m && Number(m[1]) < x.length) {
      x[Number(m[1])] = v;
      continue;
    }
    let found = false;
    layers.forEach((l, li) => {
      l.W.forEach((r, i) => r.forEach((_, j) => {
        if (paramName('W', li, i, j, multi) === key) {
          r[j] = v;
          found = true;
        }
      }));
      l.b?.forEach((_, j) => {
        if (paramName('b', li, 0, j, multi) === key) {
          l.b![j] = v;
          found = true;
        }
      });
    });
    if (!found) throw new NetworkInputError(`${key} is not an input or parameter of this network`);
  }
  return { weights: layers.map((l) => ({ layer: l.index, name: l.name, W: l.W, ...(l.b ? { b: l.b } : {}) })), sample: { x, y: sample.y.slice() } };
}

/** Matches the spec's dense layers with the weights and checks every shape. */
export function networkLayers(spec: NetworkSpec, weights: LayerWeights[]): NetLayer[] {
  let width = spec.input.shape.reduce((a, b) => a * b, 1);
  if (spec.input.shape.length > 1 && !spec.layers.some((l) => l.type === 'flatten')) {
    // dense on a multi-dimensional input acts on the last axis; the walkthrough needs one row
    throw new NetworkInputError(`the walkthrough needs a flat input: add {"type": "flatten"} before the first dense layer (input.shape is ${JSON.stringify(spec.input.shape)})`);
  }
  const out: NetLayer[] = [];
  let k = 0;
  spec.layers.forEach((l, index) => {
    if (l.type !== 'dense') return;
    const w = weights.find((x) => x.layer === index) ?? weights[k];
    k++;
    const name = l.name ?? `dense_${k}`;
    if (!w) throw new NetworkInputError(`no weights for layers[${index}] (${name})`);
    if (w.W.length !== width || w.W.some((r) => r.length !== l.units)) {
      throw new NetworkInputError(`layers[${index}] (${name}): W must be ${width}×${l.units}, got ${w.W.length}×${w.W[0]?.length ?? 0}`);
    }
    if (l.useBias && (!w.b || w.b.length !== l.units)) throw new NetworkInputError(`layers[${index}] (${name}): b must have ${l.units} values`);
    out.push({ index, name, W: w.W.map((r) => r.slice()), b: l.useBias && w.b ? w.b.slice() : undefined, activation: l.activation });
    width = l.units;
  });
  if (out.length === 0) throw new NetworkInputError('the network has no dense layer');
  return out;
}

export interface ParamGradient {
  /** "W¹[0][1]" style name: layer (1-based among dense layers), parameter, indices */
  name: string;
  /** index into spec.layers */
  layer: number;
  layerName: string;
  param: 'W' | 'b';
  i: number;
  j: number;
  value: number;
  tape: number;
  /** central difference quotient (L(w + h) − L(w − h))/2h, for up to `fdLimit` parameters spread evenly */
  numeric?: number;
  /**
   * Set where the loss is not differentiable in this parameter (a unit at a kink, |z| < h, moves with
   * it): its one-sided derivatives, which differ; any value between them may come out of a backward pass.
   */
  oneSided?: { left: number; right: number };
}

/** A unit whose pre-activation sits at its activation's kink (|z| < h): ReLU, leaky ReLU, ELU with α ≠ 1. */
export interface KinkUnit {
  /** index into spec.layers */
  layer: number;
  /** "z¹[0]" style name */
  name: string;
  unit: number;
  z: number;
  activation: Activation;
}

export interface NetworkGradients {
  loss: number;
  output: number[];
  params: ParamGradient[];
  /** the tape's gradients as matrices, per dense layer */
  grads: { W: Mat; b?: number[] }[];
  numericChecked: number;
  /** units at a kink on this sample (empty almost always) */
  kinks: KinkUnit[];
}

type ParamRef = Pick<ParamGradient, 'param' | 'i' | 'j'> & { li: number };

const bump = (layers: NetLayer[], p: ParamRef, by: number): NetLayer[] =>
  layers.map((q, qi) =>
    qi !== p.li ? q : p.param === 'W' ? { ...q, W: q.W.map((r, ri) => (ri === p.i ? r.map((v, ci) => (ci === p.j ? v + by : v)) : r)) } : { ...q, b: q.b?.map((v, ci) => (ci === p.j ? v + by : v)) },
  );

/**
 * One-sided derivatives of L in one parameter, second order (exact on each linear or quadratic piece):
 * right (−3L(w) + 4L(w + h) − L(w + 2h))/2h, left (3L(w) − 4L(w − h) + L(w − 2h))/2h. Undefined where they
 * agree (differentiable).
 */
function oneSided(layers: NetLayer[], x: Mat, t: Mat, loss: NetworkSpec['loss'], p: ParamRef, L0: number, Lp: number, Lm: number): { left: number; right: number } | undefined {
  const L = (by: number): number => denseLoss(bump(layers, p, by), x, t, loss);
  const right = (-3 * L0 + 4 * Lp - L(2 * H)) / (2 * H);
  const left = (3 * L0 - 4 * Lm + L(-2 * H)) / (2 * H);
  return Math.abs(right - left) > 1e-3 * Math.max(1, Math.abs(left), Math.abs(right)) ? { left, right } : undefined;
}

/** The units of a run at a kink (|z| < h). */
function kinkUnits(layers: NetLayer[], run: ReturnType<typeof runDense>): KinkUnit[] {
  const out: KinkUnit[] = [];
  const multi = layers.length > 1;
  layers.forEach((l, li) => {
    if (!hasKinkAtZero(l.activation)) return;
    run.tape.v(run.ids[li].z)[0].forEach((z, unit) => {
      if (Math.abs(z) < H) out.push({ layer: l.index, name: `z${multi ? superscript(li + 1) : ''}[${unit}]`, unit, z, activation: l.activation });
    });
  });
  return out;
}

/** Every parameter's gradient for one sample, from the tape, with difference quotients beside it. */
export function networkGradients(spec: NetworkSpec, weights: LayerWeights[], sample: Sample, opts: { fdLimit?: number } = {}): NetworkGradients {
  const layers = networkLayers(spec, weights);
  const x: Mat = [sample.x.slice()];
  const t: Mat = [sample.y.slice()];
  if (sample.x.length !== layers[0].W.length) throw new NetworkInputError(`the sample has ${sample.x.length} features, the first dense layer expects ${layers[0].W.length}`);
  const last = layers[layers.length - 1];
  if (sample.y.length !== last.W[0].length) throw new NetworkInputError(`the label has ${sample.y.length} values, the network outputs ${last.W[0].length}`);
  const run = runDense(layers, x, t, spec.loss);
  run.tape.backward(run.root);
  const grads = run.ids.map((id) => ({ W: run.tape.nodes[id.W].grad ?? [], b: id.b !== undefined ? (run.tape.nodes[id.b].grad ?? [[]])[0] : undefined }));
  const kinks = kinkUnits(layers, run);
  const fdLimit = opts.fdLimit ?? 500;
  const total = layers.reduce((s, l) => s + l.W.length * l.W[0].length + (l.b?.length ?? 0), 0);
  // the difference quotient for at most fdLimit parameters, spread evenly over all of them
  const stride = total <= fdLimit ? 1 : total / Math.max(1, fdLimit);
  let nextChecked = 0;
  let flatIndex = 0;
  const params: ParamGradient[] = [];
  let checked = 0;
  const multi = layers.length > 1;
  layers.forEach((l, li) => {
    const entries: [param: 'W' | 'b', i: number, j: number][] = [];
    l.W.forEach((r, i) => r.forEach((_, j) => entries.push(['W', i, j])));
    l.b?.forEach((_, j) => entries.push(['b', 0, j]));
    for (const [param, i, j] of entries) {
      const value = param === 'W' ? l.W[i][j] : (l.b?.[j] ?? 0);
      const tape = param === 'W' ? grads[li].W[i][j] : (grads[li].b?.[j] ?? 0);
      const g: ParamGradient = { name: paramName(param, li, i, j, multi), layer: l.index, layerName: l.name, param, i, j, value, tape };
      const here = flatIndex++;
      if (checked < fdLimit && here >= Math.floor(nextChecked)) {
        nextChecked += stride;
        const ref = { li, param, i, j };
        const Lp = denseLoss(bump(layers, ref, H), x, t, spec.loss);
        const Lm = denseLoss(bump(layers, ref, -H), x, t, spec.loss);
        g.numeric = (Lp - Lm) / (2 * H);
        const sides = kinks.length ? oneSided(layers, x, t, spec.loss, ref, run.loss, Lp, Lm) : undefined;
        if (sides) g.oneSided = sides;
        checked++;
      }
      params.push(g);
    }
  });
  return { loss: run.loss, output: run.output, params, grads, numericChecked: checked, kinks };
}

/**
 * The sample `nnlab grad` starts on without --sample: the first whose W gradients are not all 0 (on
 * XOR's x = [0, 0] with zero biases every W gradient is 0, which shows nothing). Looks at the first
 * `limit` samples; falls back to sample 0. `zero` lists the samples passed over.
 */
export function defaultSample(spec: NetworkSpec, weights: LayerWeights[], data: SampleSource, limit = 100): { index: number; zero: number[] } {
  const n = Math.min(limit, data.xShape[0] ?? 0);
  const layers = networkLayers(spec, weights);
  const zero: number[] = [];
  for (let k = 0; k < n; k++) {
    const s = sampleAt(data, k);
    const run = runDense(layers, [s.x], [s.y], spec.loss);
    run.tape.backward(run.root);
    if (run.ids.some((id) => (run.tape.nodes[id.W].grad ?? []).some((r) => r.some((v) => v !== 0)))) return { index: k, zero };
    zero.push(k);
  }
  return { index: 0, zero: [] };
}

/**
 * The one-sided derivatives of a parameter that the difference quotients did not cover (beyond
 * fdLimit), when the sample has units at a kink; undefined where the loss is differentiable in it.
 */
export function kinkDerivatives(spec: NetworkSpec, weights: LayerWeights[], sample: Sample, p: ParamGradient): { left: number; right: number } | undefined {
  const layers = networkLayers(spec, weights);
  const li = layers.findIndex((l) => l.index === p.layer);
  const x: Mat = [sample.x.slice()];
  const t: Mat = [sample.y.slice()];
  const ref = { li, param: p.param, i: p.i, j: p.j };
  const L0 = denseLoss(layers, x, t, spec.loss);
  return oneSided(layers, x, t, spec.loss, ref, L0, denseLoss(bump(layers, ref, H), x, t, spec.loss), denseLoss(bump(layers, ref, -H), x, t, spec.loss));
}

export interface NetworkWalkthroughOptions {
  /** which sample of the data (shown in the title) */
  index: number;
  /** where the weights come from, for the intro: "initial weights (seed 42)", "last-trained weights" */
  source: string;
  /** learning rate for the update steps; default: the spec's optimizer's */
  alpha?: number;
  fdLimit?: number;
}

export function networkWalkthrough(spec: NetworkSpec, weights: LayerWeights[], sample: Sample, opts: NetworkWalkthroughOptions): Walkthrough {
  const layers = networkLayers(spec, weights);
  const g = networkGradients(spec, weights, sample, { fdLimit: opts.fdLimit ?? 200 });
  const alpha = opts.alpha ?? spec.optimizer.learningRate;
  const run = runDense(layers, [sample.x.slice()], [sample.y.slice()], spec.loss);
  const rec = recordDense(run, { graphIndex: 0, title: `${spec.name}, ${sampleName(opts.index)}`, alpha });
  const checks: GradientCheck[] = g.params
    .filter((p) => p.numeric !== undefined)
    .map((p) => ({
      name: `∂L/∂${p.name}`,
      tex: `\\frac{\\partial L}{\\partial ${p.name.replace(/[¹²³⁴⁵⁶⁷⁸⁹⁰]+/, (s) => `^{${toDigits(s)}}`)}}`,
      tape: p.tape,
      numeric: p.numeric ?? NaN,
      // at a kink the tape's value only has to lie between the one-sided derivatives
      agree: p.oneSided ? between(p.tape, p.oneSided) : agree(p.tape, p.numeric ?? NaN, 1e-3),
    }));
  const lossAfter = denseLoss(
    layers.map((l, li) => ({ ...l, W: l.W.map((r, i) => r.map((v, j) => v - alpha * g.grads[li].W[i][j])), b: l.b?.map((v, j) => v - alpha * (g.grads[li].b?.[j] ?? 0)) })),
    [sample.x.slice()],
    [sample.y.slice()],
    spec.loss,
  );
  const end: Step = {
    graph: 0,
    phase: 'update',
    rule: 'update',
    ruleText: lossAfter < g.loss ? 'After one plain gradient-descent step on this sample, its loss is lower.' : 'After this step the loss on this sample is not lower: the learning rate is too large for it.',
    quantity: 'L after the update',
    symbolic: `L(w - \\alpha \\nabla L)`,
    numeric: `L = ${fmt(lossAfter).replace('−', '-')} \\quad (\\text{before: } ${fmt(g.loss).replace('−', '-')})`,
    text: `L after the update = ${fmt(lossAfter)} (before: ${fmt(g.loss)})`,
    answer: [lossAfter],
    reveal: {},
  };
  const notes: string[] = [];
  if (spec.layers.some((l) => l.type === 'dropout')) notes.push('Dropout layers pass values through unchanged here: the walkthrough is one deterministic pass, as at inference.');
  if (spec.optimizer.type !== 'sgd') notes.push(`The spec trains with ${spec.optimizer.type}; the update shown is the plain step Δw = −α ∂L/∂w with α = ${fmt(alpha)}.`);
  for (const p of g.params) if (p.oneSided) notes.push(`${notDifferentiable(p.oneSided)} in ${p.name} (${kinkText(g.kinks)}); the tape takes ${fmt(p.tape)}, as the trainer does.`);
  if (g.numericChecked < g.params.length) notes.push(`The difference quotient was computed for ${g.numericChecked} of the ${g.params.length} parameters, spread evenly.`);
  const lossName = { mse: 'mean squared error', binaryCrossentropy: 'binary cross-entropy', categoricalCrossentropy: 'categorical cross-entropy' }[spec.loss];
  return {
    id: 'network',
    title: `This network: ${spec.name}`,
    intro: `S${sampleName(opts.index).slice(1)} (x = ${fmtMat([sample.x])}, ŷ = ${fmtMat([sample.y])}) through ${layers.length} dense layer${layers.length > 1 ? 's' : ''} with ${opts.source}; loss: ${lossName}. Forward layer by layer, then backward, ending with every weight's gradient and its update Δw = −α ∂L/∂w (α = ${fmt(alpha)}).`,
    params: networkParams(layers, sample),
    graphs: [rec.graph],
    steps: [...rec.steps, end],
    checks,
    notes,
    update: { alpha, lossBefore: g.loss, lossAfter },
  };
}

function toDigits(s: string): string {
  const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return [...s].map((c) => String(sup.indexOf(c))).join('');
}

const between = (v: number, s: { left: number; right: number }): boolean => {
  const tol = 1e-3 * Math.max(1, Math.abs(s.left), Math.abs(s.right));
  return v >= Math.min(s.left, s.right) - tol && v <= Math.max(s.left, s.right) + tol;
};

/** "not differentiable here: one-sided derivatives are −1 (left) and −2 (right)" */
export function notDifferentiable(s: { left: number; right: number }): string {
  return `not differentiable here: one-sided derivatives are ${fmt(s.left)} (left) and ${fmt(s.right)} (right)`;
}

/** "z¹[0] = 0, z¹[1] = 0 at the kink of elu (α = 0.5), |z| < h = 1e-6" */
export function kinkText(kinks: readonly KinkUnit[]): string {
  const acts = [...new Set(kinks.map((k) => `${k.activation.name}${k.activation.alpha !== undefined ? ` (α = ${fmt(k.activation.alpha)})` : ''}`))];
  return `${kinks.map((k) => `${k.name} = ${fmt(k.z)}`).join(', ')} at the kink of ${acts.join(' and ')}, |z| < h = ${H.toExponential()}`;
}

