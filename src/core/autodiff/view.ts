// What a walkthrough shows at a position: the graph with the values and gradients computed so far,
// the current node and edge, and the values revealed so far. Shared by the panel, the host's state for
// tests, and the CLI. Position 0 is the start (only inputs and weights known); position k shows
// steps[k − 1]; position steps.length is the end. Pure: no `vscode`, no DOM.
import type { Graph, GraphEdge, GraphNode, Step, Walkthrough } from './types';
import { fmt } from './format';

export interface GraphView {
  graphIndex: number;
  title: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  current?: { node?: string; edge?: string };
}

export const clampPosition = (w: Walkthrough, p: number): number => (Number.isFinite(p) ? Math.max(0, Math.min(w.steps.length, Math.trunc(p))) : 0);

export function stepAt(w: Walkthrough, position: number): Step | undefined {
  const p = clampPosition(w, position);
  return p > 0 ? w.steps[p - 1] : undefined;
}

export function viewAt(w: Walkthrough, position: number): GraphView {
  const p = clampPosition(w, position);
  const cur = stepAt(w, p);
  const gi = cur?.graph ?? 0;
  const g: Graph = w.graphs[gi] ?? { title: '', nodes: [], edges: [], output: '' };
  const values = new Set<string>();
  const grads = new Set<string>();
  const edgeGrads = new Set<string>();
  let backward = false;
  for (let i = 0; i < p; i++) {
    const s = w.steps[i];
    if (s.graph !== gi) continue;
    if (s.reveal.nodeValue) values.add(s.reveal.nodeValue);
    if (s.reveal.nodeGrad) grads.add(s.reveal.nodeGrad);
    if (s.reveal.edgeGrad) edgeGrads.add(s.reveal.edgeGrad);
    if (s.phase === 'backward') backward = true;
  }
  // a graph shown only for its backward pass (the collapsed neuron) has its forward values known
  const forwardShown = w.steps.some((s) => s.graph === gi && s.phase === 'forward');
  const nodes = g.nodes.map((n) => ({
    ...n,
    value: n.kind === 'input' || n.kind === 'param' || values.has(n.id) || !forwardShown || backward ? n.value : '',
    grad: grads.has(n.id) ? n.grad : undefined,
  }));
  const edges = g.edges.map((e) => ({ ...e, grad: edgeGrads.has(e.id) ? e.grad : undefined }));
  return { graphIndex: gi, title: g.title, nodes, edges, current: cur ? { node: cur.node, edge: cur.edge } : undefined };
}

/** Every quantity computed up to `position`, formatted as shown ("∂f/∂w₁" → "−0.235004"). */
export function valuesUpTo(w: Walkthrough, position: number, format: (v: number) => string): Record<string, string> {
  const p = clampPosition(w, position);
  const out: Record<string, string> = {};
  for (let i = 0; i < p; i++) {
    const s = w.steps[i];
    if (s.answer.length === 1) out[s.quantity] = format(s.answer[0]);
    else if (s.answer.length > 0 && s.answer.length <= 16) out[s.quantity] = `[${s.answer.map(format).join(', ')}]`;
    else out[s.quantity] = s.text.slice(s.text.lastIndexOf(' = ') + 3);
  }
  return out;
}

/** Predict-first: parses the user's guess ("−0.24", "0.1, -0.2") and compares it with the step's answer. */
export function checkPrediction(step: Step, input: string): { ok: boolean; parsed: number[] | undefined; tolerance: number } {
  const parts = input
    .replace(/[−–]/g, '-')
    .replace(/[[\]()]/g, ' ')
    .split(/[\s,;]+/)
    .filter((x) => x.length > 0);
  const nums = parts.map((x) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(x) ? Number(x) : NaN));
  // two significant decimals are enough: the course rounds to 0.24, −0.39
  const tolerance = 0.01;
  if (nums.length !== step.answer.length || nums.some((n) => !Number.isFinite(n))) return { ok: false, parsed: undefined, tolerance };
  // the bound itself counts: 0.51 for 0.5 is |0.51 − 0.5| = 0.010000000000000009 in binary, so allow a hair
  const ok = nums.every((n, i) => Math.abs(n - step.answer[i]) <= tolerance * Math.max(1, Math.abs(step.answer[i])) * (1 + 1e-9));
  return { ok, parsed: nums, tolerance };
}

/** Where one predict-first question stands: tries counts the parsed guesses (a typo is not a try). */
export interface PredictionState {
  tries: number;
  /** answered right */
  solved: boolean;
  /** given up with "Show me" */
  revealed: boolean;
}

export const NEW_PREDICTION: PredictionState = { tries: 0, solved: false, revealed: false };

/** What the panel shows after a guess or "Show me": the next state, one line of text, and whether the
 *  answer is now visible (then the walkthrough moves on to the step). A wrong guess keeps it hidden. */
export interface PredictionOutcome {
  state: PredictionState;
  verdict: 'unparsed' | 'wrong' | 'right' | 'shown';
  message: string;
  done: boolean;
}

const tries = (n: number): string => (n === 1 ? '1 try' : `${n} tries`);

/** Predict-first, one event at a time: a guess (checked with checkPrediction) or "Show me". Pure. */
export function predictionStep(step: Step, state: PredictionState, event: { kind: 'guess'; input: string } | { kind: 'show' }): PredictionOutcome {
  const answer = `${step.quantity} = ${step.answer.map((v) => fmt(v)).join(', ')}`;
  if (state.solved || state.revealed) return { state, verdict: state.solved ? 'right' : 'shown', message: state.solved ? `Right: ${answer}.` : `${answer}.`, done: true };
  if (event.kind === 'show') {
    const next = { ...state, revealed: true };
    return { state: next, verdict: 'shown', message: state.tries === 0 ? `${answer}.` : `${answer} (after ${tries(state.tries)}).`, done: true };
  }
  const r = checkPrediction(step, event.input);
  if (!r.parsed) return { state, verdict: 'unparsed', message: step.answer.length > 1 ? `Type ${step.answer.length} numbers, separated by commas.` : 'Type a number, e.g. −0.24.', done: false };
  const next = { ...state, tries: state.tries + 1 };
  if (r.ok) return { state: { ...next, solved: true }, verdict: 'right', message: next.tries === 1 ? `Right: ${answer}.` : `Right on try ${next.tries}: ${answer}.`, done: true };
  return { state: next, verdict: 'wrong', message: `Not yet — try again (${tries(next.tries)} so far), or press Show me.`, done: false };
}
