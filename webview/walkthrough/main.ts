// The backpropagation walkthrough panel: the computational graph with the current node and edge, the
// step's equation typeset with KaTeX (symbols, then numbers), the rule in one sentence, Next /
// Previous / Play / Restart, arrow keys, a step slider, predict-first mode, editable inputs and
// weights for the built-in examples. The host owns the walkthrough and the position (see
// src/protocol/walkthrough.ts); this file only draws and asks.
import katex from 'katex';
import 'katex/dist/katex.min.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import { CompGraph } from '../shared/compgraph';
import { button, h, svgEl } from '../shared/elements';
import { openChannel } from '../shared/host';
import '../shared/base.css';
import '../shared/compgraph.css';
import './style.css';
import type { HostToPanel, PanelToHost, PersistedState, ExampleChoice } from '../../src/protocol/walkthrough';
import type { Step, Walkthrough } from '../../src/core/autodiff/types';
import { viewAt, stepAt, predictionStep, NEW_PREDICTION, type PredictionState } from '../../src/core/autodiff/view';
import { fmt } from '../../src/core/autodiff/format';

const channel = openChannel<HostToPanel, PanelToHost>();
const post = channel.post;

/** A vscode-button, secondary unless told otherwise (Next and Check are primary). */
const btn = (label: string, icon: string, id: string, onClick: () => void, secondary = true): HTMLElement => button(label, icon, onClick, { id, secondary });
function typeset(target: HTMLElement, tex: string): void {
  try {
    katex.render(tex, target, { displayMode: true, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml' });
  } catch {
    target.textContent = tex;
  }
}

// ---------------------------------------------------------------------------------------------
// state

let w: Walkthrough | undefined;
let position = 0;
let examples: ExampleChoice[] = [];
let editable = false;
let persist: PersistedState | undefined;
let predict = false;
/** predict-first per position: tries, solved, shown (the tries survive leaving the question and coming back) */
let predicted = new Map<number, PredictionState>();
/** the verdict line per position, kept on the step once it is revealed */
let verdicts = new Map<number, { text: string; cls: string }>();
const answered = (at: number): boolean => {
  const s = predicted.get(at);
  return s !== undefined && (s.solved || s.revealed);
};
let playing: ReturnType<typeof setInterval> | undefined;
let paramTimer: ReturnType<typeof setTimeout> | undefined;

// ---------------------------------------------------------------------------------------------
// layout

// the shell (src/panels/html.ts) has the #app element
const app = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
const exampleSelect = h('vscode-single-select', { id: 'example', 'aria-label': 'Example' });
exampleSelect.addEventListener('change', () => {
  const v = (exampleSelect as unknown as { value: string }).value;
  if (w && v !== w.id) post({ type: 'choose', example: v });
});
const title = h('h2', { id: 'title' });
const counter = h('vscode-badge', { id: 'counter', variant: 'counter' });
const header = h('div', { class: 'header' }, exampleSelect, title, h('span', { class: 'spacer' }), counter);

const prevB = btn('Previous', 'arrow-left', 'prev', () => go('previous'));
const nextB = btn('Next', 'arrow-right', 'next', () => next(), false);
const playB = btn('Play', 'play', 'play', () => togglePlay());
const endB = btn('End', 'debug-step-out', 'end', () => {
  stopPlay();
  go('end');
});
const restartB = btn('Restart', 'debug-restart', 'restart', () => {
  stopPlay();
  predicted = new Map();
  verdicts = new Map();
  go('start');
});
const slider = h('input', { type: 'range', id: 'slider', min: 0, max: 0, value: 0, step: 1, class: 'slider', 'aria-label': 'Step' }) as HTMLInputElement;
slider.addEventListener('input', () => {
  stopPlay();
  go(Number(slider.value));
});
const predictBox = h('vscode-checkbox', { id: 'predict', label: 'Predict first' });
predictBox.addEventListener('change', () => {
  predict = (predictBox as unknown as { checked: boolean }).checked;
  render();
});
const controls = h('div', { class: 'toolbar' }, prevB, nextB, playB, endB, restartB, slider, predictBox);

const graphTitle = h('div', { class: 'graph-title muted', id: 'graph-title' });
const graphBox = h('div', { class: 'graph', id: 'graph' });
const graph = new CompGraph(graphBox);
const descentBox = h('div', { class: 'descent', id: 'descent' });

const phase = h('vscode-badge', { id: 'phase' });
const quantity = h('span', { class: 'quantity', id: 'quantity' });
const rule = h('div', { class: 'rule', id: 'rule' });
const symbolic = h('div', { class: 'eq symbolic', id: 'symbolic' });
const numeric = h('div', { class: 'eq numeric', id: 'numeric' });
const plain = h('div', { class: 'plain muted', id: 'plain' });
const predictBoxArea = h('div', { class: 'predict', id: 'predict-area' });
const intro = h('div', { class: 'intro', id: 'intro' });
const stepCard = h('div', { class: 'card step', id: 'step' }, h('div', { class: 'step-head' }, phase, quantity), rule, symbolic, numeric, plain, predictBoxArea);

const paramsBox = h('div', { class: 'params', id: 'params' });
const checksBox = h('div', { class: 'checks', id: 'checks' });
const notesBox = h('ul', { class: 'notes', id: 'notes' });
const errorBox = h('div', { class: 'error', id: 'error', role: 'alert' });

app.append(header, controls, errorBox, intro, graphTitle, graphBox, h('div', { class: 'main' }, h('div', { class: 'left' }, stepCard, checksBox, notesBox), h('div', { class: 'right' }, descentBox, paramsBox)));

// ---------------------------------------------------------------------------------------------
// navigation (the host answers every request with `show`)

function go(to: 'next' | 'previous' | 'start' | 'end' | number): void {
  post({ type: 'navigate', to });
}

function next(): void {
  if (!w) return;
  if (position >= w.steps.length) {
    stopPlay();
    return;
  }
  const upcoming = w.steps[position];
  if (predict && !answered(position + 1) && upcoming.phase !== 'info' && upcoming.rule !== 'seed' && upcoming.answer.length > 0 && upcoming.answer.length <= 16) {
    stopPlay();
    askPrediction(upcoming, position + 1);
    return;
  }
  go('next');
}

function togglePlay(): void {
  if (playing) stopPlay();
  else {
    if (w && position >= w.steps.length) go('start');
    playing = setInterval(() => next(), 1200);
    playB.setAttribute('icon', 'debug-pause');
    playB.textContent = 'Pause';
  }
}
function stopPlay(): void {
  if (playing) clearInterval(playing);
  playing = undefined;
  playB.setAttribute('icon', 'play');
  playB.textContent = 'Play';
}

document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'VSCODE-TEXTFIELD' || t.tagName === 'TEXTAREA') && t !== slider) return;
  if (e.key === 'ArrowRight') next();
  else if (e.key === 'ArrowLeft') go('previous');
  else if (e.key === 'Home') go('start');
  else if (e.key === 'End') go('end');
  else if (e.key === ' ') togglePlay();
  else return;
  e.preventDefault();
});

// ---------------------------------------------------------------------------------------------
// predict first ("Let's calculate some derivatives!")

function askPrediction(step: Step, at: number): void {
  predictBoxArea.replaceChildren();
  const field = h('vscode-textfield', { id: 'guess', placeholder: step.answer.length > 1 ? 'values, separated by commas' : 'a number', 'aria-label': `Your value for ${step.quantity}` });
  const result = h('div', { class: 'verdict', id: 'verdict', role: 'status' });
  const counted = predicted.get(at)?.tries ?? 0;
  if (counted > 0) result.textContent = `${counted === 1 ? '1 try' : `${counted} tries`} so far.`;
  let done = false;
  const act = (event: { kind: 'guess'; input: string } | { kind: 'show' }): void => {
    if (done) return;
    const o = predictionStep(step, predicted.get(at) ?? NEW_PREDICTION, event);
    predicted.set(at, o.state);
    result.textContent = o.message;
    result.className = `verdict ${o.verdict}`;
    if (!o.done) {
      (field as HTMLElement).focus();
      return;
    }
    done = true;
    verdicts.set(at, { text: o.message, cls: `verdict ${o.verdict}` });
    for (const b of [field, checkB, showB]) b.toggleAttribute('disabled', true);
    setTimeout(() => go(at), 900);
  };
  const check = (): void => act({ kind: 'guess', input: (field as unknown as { value: string }).value });
  field.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') check();
  });
  const checkB = btn('Check', 'check', 'check', check, false);
  const showB = btn('Show me', 'eye', 'show-me', () => act({ kind: 'show' }));
  predictBoxArea.append(h('div', { class: 'ask' }, `Predict first: what is ${step.quantity}?`), h('div', { class: 'toolbar' }, field, checkB, showB), result);
  (field as HTMLElement).focus();
}

// ---------------------------------------------------------------------------------------------
// rendering

function renderParams(): void {
  // the same fields as before (an edit came back): new values in place, the one being typed in kept
  // as it is, so typing is never interrupted by the walkthrough it recomputes
  const shown = [...paramsBox.querySelectorAll<HTMLElement>('.param-field')];
  if (w && editable && paramsBox.dataset.example === w.id && shown.length === w.params.length && w.params.every((p, i) => shown[i].dataset.key === p.key)) {
    w.params.forEach((p, i) => {
      const f = shown[i] as HTMLElement & { value: string };
      if (!f.matches(':focus-within')) f.value = fmt(p.value).replace('−', '-');
    });
    return;
  }
  paramsBox.replaceChildren();
  paramsBox.dataset.example = w?.id ?? '';
  if (!w || !editable || w.params.length === 0) return;
  const fields = w.params.map((p) => {
    const f = h('vscode-textfield', { value: fmt(p.value).replace('−', '-'), 'data-key': p.key, id: `param-${p.key}`, 'aria-label': p.label, class: 'param-field' });
    // as the user types (debounced in sendParam; a half-typed "-" waits quietly), and on commit
    f.addEventListener('input', () => sendParam(p.key, (f as unknown as { value: string }).value, true));
    f.addEventListener('change', () => sendParam(p.key, (f as unknown as { value: string }).value));
    const presets = (p.presets ?? []).map((v) => {
      const b = h('vscode-button', { secondary: true, class: 'preset', title: `${p.label} = ${v}` }, String(v));
      b.addEventListener('click', () => sendParam(p.key, String(v)));
      return b;
    });
    return h('label', { class: presets.length ? 'param wide' : 'param' }, h('span', { class: 'param-name' }, p.label), f, ...presets);
  });
  // "This network" resets to the weights and sample it was opened with (the spec's or a run's)
  const network = w.id === 'network';
  const reset = btn(network ? 'Original values' : 'Course values', 'discard', 'reset-params', () => post({ type: 'resetParams' }));
  paramsBox.append(h('h3', {}, network ? 'Sample and weights' : 'Inputs and weights'), h('div', { class: 'param-grid' }, ...fields), reset);
}

function sendParam(key: string, text: string, typing = false): void {
  const t = text.replace(/[−–]/g, '-').trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) {
    if (!typing) errorBox.textContent = `${key}: "${text}" is not a number.`;
    return;
  }
  errorBox.textContent = '';
  if (paramTimer) clearTimeout(paramTimer);
  paramTimer = setTimeout(() => post({ type: 'setParam', key, value: v }), 150);
}

function renderChecks(): void {
  checksBox.replaceChildren();
  notesBox.replaceChildren();
  if (!w) return;
  const atEnd = position >= w.steps.length;
  const cur = stepAt(w, position);
  if (w.checks.length && (atEnd || cur?.rule === 'check')) {
    const rows = w.checks.map((c) =>
      h(
        'tr',
        { 'data-name': c.name, class: c.agree ? 'agree' : 'disagree' },
        h('td', { class: 'name' }, c.name),
        h('td', { class: 'num tape' }, fmt(c.tape)),
        h('td', { class: 'num analytic' }, c.analytic === undefined ? '—' : fmt(c.analytic)),
        h('td', { class: 'num numeric' }, fmt(c.numeric)),
        ...(c.tfjs !== undefined ? [h('td', { class: 'num tfjs' }, fmt(c.tfjs))] : []),
        h('td', {}, c.agree ? '✓' : '✗'),
      ),
    );
    const hasTf = w.checks.some((c) => c.tfjs !== undefined);
    checksBox.append(
      h('h3', {}, 'Each gradient three ways'),
      h(
        'table',
        { id: 'checks-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'gradient'), h('th', {}, 'tape (backprop)'), h('th', {}, 'closed form'), h('th', {}, 'difference quotient'), ...(hasTf ? [h('th', {}, 'tf.grads')] : []), h('th', {}, ''))),
        h('tbody', {}, ...rows),
      ),
    );
  }
  if (atEnd) {
    if (w.checks.length) {
      notesBox.append(h('li', { id: 'summary', class: 'summary' }, `Result: ${w.checks.map((c) => `${c.name} = ${fmt(c.tape)}`).join('; ')}.`));
    }
    if (w.update) notesBox.append(h('li', {}, `Update with α = ${fmt(w.update.alpha)}: loss ${fmt(w.update.lossBefore)} → ${fmt(w.update.lossAfter)}${w.update.lossAfter < w.update.lossBefore ? ' (lower)' : ' (not lower)'}.`));
    for (const n of w.notes) notesBox.append(h('li', {}, n));
  }
}

const svg = svgEl;

/** Example 5: L = w² with the iterates and the tangent at each, up to the current step. */
function renderDescent(): void {
  descentBox.replaceChildren();
  const d = w?.descent;
  if (!w || !d) return;
  const shown = w.steps.slice(0, position).filter((s) => s.phase === 'descent').length;
  const rows = d.rows.slice(0, shown + 1);
  const W = 420;
  const H = 240;
  const span = Math.max(2, ...d.rows.map((r) => Math.abs(r.w))) * 1.1;
  const top = span * span;
  const X = (v: number): number => 30 + ((v + span) / (2 * span)) * (W - 40);
  const Y = (v: number): number => H - 24 - (v / top) * (H - 40);
  const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'descent-plot', id: 'descent-plot' });
  s.append(svg('line', { x1: X(-span), y1: Y(0), x2: X(span), y2: Y(0), class: 'axis' }), svg('line', { x1: X(0), y1: Y(0), x2: X(0), y2: Y(top), class: 'axis' }));
  let path = '';
  for (let i = 0; i <= 100; i++) {
    const v = -span + (2 * span * i) / 100;
    path += `${i ? 'L' : 'M'}${X(v).toFixed(1)},${Y(v * v).toFixed(1)}`;
  }
  s.append(svg('path', { d: path, class: 'curve' }));
  rows.forEach((r, i) => {
    const last = i === rows.length - 1;
    // tangent: L(w_k) + 2w_k (v − w_k), drawn over ±span/4
    const dx = span / 4;
    s.append(svg('line', { x1: X(r.w - dx), y1: Y(r.loss - r.grad * dx), x2: X(r.w + dx), y2: Y(r.loss + r.grad * dx), class: `tangent${last ? ' current' : ''}` }));
    s.append(svg('circle', { cx: X(r.w), cy: Y(r.loss), r: last ? 5 : 3.5, class: `iterate${last ? ' current' : ''}` }));
    s.append(svg('text', { x: X(r.w) + 6, y: Y(r.loss) - 6, class: 'iterate-label' }, `w${'₀₁₂₃₄₅₆₇₈₉'[r.k] ?? r.k}`));
  });
  const table = h(
    'table',
    { id: 'descent-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'k'), h('th', {}, 'w_k'), h('th', {}, 'L(w_k)'), h('th', {}, '∇L(w_k)'))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, h('td', {}, String(r.k)), h('td', { class: 'num' }, fmt(r.w)), h('td', { class: 'num' }, fmt(r.loss)), h('td', { class: 'num' }, fmt(r.grad))))),
  );
  descentBox.append(s, table, h('div', { class: 'muted' }, `α = ${fmt(d.alpha)}: ${d.behaviour}${shown >= d.rows.length - 1 ? `; stopped: ${d.stopReason}` : ''}`));
}

function render(): void {
  if (!w) return;
  const total = w.steps.length;
  const cur = stepAt(w, position);
  title.textContent = w.title;
  counter.textContent = `${position} / ${total}`;
  slider.max = String(total);
  slider.value = String(position);
  prevB.toggleAttribute('disabled', position <= 0);
  nextB.toggleAttribute('disabled', position >= total);
  endB.toggleAttribute('disabled', position >= total);
  const view = viewAt(w, position);
  graphTitle.textContent = view.title;
  graph.render({ nodes: view.nodes, edges: view.edges, current: view.current });
  intro.textContent = position === 0 ? w.intro : '';
  intro.hidden = position !== 0;
  predictBoxArea.replaceChildren();
  const said = verdicts.get(position);
  if (said) predictBoxArea.append(h('div', { class: said.cls, id: 'verdict' }, said.text));
  if (cur) {
    phase.textContent = cur.phase;
    quantity.textContent = cur.quantity;
    rule.textContent = cur.ruleText;
    typeset(symbolic, cur.symbolic);
    typeset(numeric, cur.numeric);
    plain.textContent = cur.text;
  } else {
    phase.textContent = 'start';
    quantity.textContent = '';
    rule.textContent = predict ? 'Predict first is on: before each step is revealed you type its value.' : 'Press Next (→) to start with the forward path.';
    symbolic.replaceChildren();
    numeric.replaceChildren();
    plain.textContent = w.params.length ? w.params.map((p) => `${p.label} = ${fmt(p.value)}`).join(', ') : '';
  }
  renderChecks();
  renderDescent();
  channel.setState({ ...(persist ?? { example: w.id }), position } satisfies PersistedState);
  post({ type: 'rendered', position, quantity: cur?.quantity ?? '', equation: cur?.text ?? '', predict });
}

function renderExamples(): void {
  exampleSelect.replaceChildren(...examples.map((e) => h('vscode-option', { value: e.id, selected: w?.id === e.id }, e.title)));
  (exampleSelect as unknown as { value: string }).value = w?.id ?? '';
}

channel.onMessage((m) => {
  if (m.type === 'load') {
    const changed = !w || w.id !== m.walkthrough.id;
    w = m.walkthrough;
    examples = m.examples;
    editable = m.editable;
    persist = m.persist;
    position = m.position;
    if (changed) {
      predicted = new Map();
      verdicts = new Map();
    }
    errorBox.textContent = '';
    renderExamples();
    renderParams();
    render();
  } else if (m.type === 'show') {
    position = m.position;
    render();
  } else if (m.type === 'error') {
    errorBox.textContent = m.message;
  }
});

post({ type: 'ready' });
