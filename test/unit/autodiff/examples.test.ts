// The course's worked numbers, exactly, from the built-in walkthroughs; every gradient three ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTINS, builtin, descentTable, fmt, resolveBuiltin, walkthroughText, type Walkthrough } from '../../../src/core/autodiff';
import { asFactor } from '../../../src/core/autodiff/scalar';

const check = (w: Walkthrough, name: string) => {
  const c = w.checks.find((x) => x.name === name);
  assert.ok(c, `no check named ${name} in ${w.checks.map((x) => x.name).join(', ')}`);
  return c;
};
/** the last step that computes `quantity` */
const stepOf = (w: Walkthrough, quantity: string, graph?: number) => {
  const s = w.steps.filter((x) => x.quantity === quantity && x.phase !== 'info' && (graph === undefined || x.graph === graph)).at(-1);
  assert.ok(s, `no step for ${quantity}`);
  return s;
};

test('asFactor: sums, differences and leading minus signs get parentheses after "·", products do not', () => {
  assert.equal(asFactor('y − ŷ'), '(y − ŷ)');
  assert.equal(asFactor('−1/q²'), '(−1/q²)');
  assert.equal(asFactor('-\\frac{1}{q^2}'), '(-\\frac{1}{q^2})');
  assert.equal(asFactor('1 − tanh²(z)'), '(1 − tanh²(z))');
  assert.equal(asFactor('σ(z)(1 − σ(z))'), 'σ(z)(1 − σ(z))');
  assert.equal(asFactor('w_2'), 'w_2');
  const w = builtin('sigmoid-neuron');
  assert.equal(stepOf(w, '∂f/∂q', 0).text, '∂f/∂q = ∂f/∂f · (−1/q²) = 1 · (−0.387456) = −0.387456');
});

test('1. v = (x + y)·z with x = 1, y = 3, z = −2: q = 4, ∂v/∂z = 4, ∂v/∂q = ∂v/∂x = ∂v/∂y = −2', () => {
  const w = builtin('graph');
  assert.equal(stepOf(w, 'q').answer[0], 4);
  assert.equal(stepOf(w, 'v').answer[0], -8);
  assert.equal(stepOf(w, '∂v/∂z').answer[0], 4);
  assert.equal(stepOf(w, '∂v/∂q').answer[0], -2);
  assert.equal(stepOf(w, '∂v/∂x').answer[0], -2);
  assert.equal(stepOf(w, '∂v/∂y').answer[0], -2);
  assert.equal(stepOf(w, '∂v/∂z').rule, 'mul');
  assert.equal(stepOf(w, '∂v/∂x').rule, 'add');
  assert.equal(stepOf(w, '∂v/∂x').ruleText, 'Addition passes the gradient through: the local gradient is 1.');
  assert.equal(stepOf(w, '∂v/∂q').text, '∂v/∂q = ∂v/∂v · z = 1 · (−2) = −2');
  for (const c of w.checks) assert.ok(c.agree, c.name);
  assert.equal(check(w, '∂v/∂z').analytic, 4);
});

test('2. sigmoid neuron: f = 0.622459, 1/x local ≈ −0.39, ∂f/∂w₁ = −0.235004, ∂f/∂x₁ = 0.470007', () => {
  const w = builtin('sigmoid-neuron');
  assert.equal(w.graphs.length, 2);
  assert.equal(fmt(stepOf(w, 'z', 0).answer[0]), '0.5');
  assert.equal(fmt(stepOf(w, 'f', 0).answer[0]), '0.622459');
  // the 1/x node's local derivative: ∂f/∂q with upstream 1
  const q = stepOf(w, '∂f/∂q', 0);
  assert.equal(fmt(q.answer[0], 2), '−0.39');
  assert.equal(q.rule, 'chain');
  for (const g of [0, 1]) {
    assert.equal(fmt(stepOf(w, '∂f/∂w₁', g).answer[0]), '−0.235004');
    assert.equal(fmt(stepOf(w, '∂f/∂x₁', g).answer[0]), '0.470007');
  }
  const w1 = check(w, '∂f/∂w₁');
  const x1 = check(w, '∂f/∂x₁');
  assert.equal(fmt(w1.tape), '−0.235004');
  assert.equal(fmt(w1.analytic ?? NaN), '−0.235004');
  assert.equal(fmt(w1.numeric), '−0.235004');
  assert.equal(fmt(x1.tape), '0.470007');
  assert.equal(fmt(x1.analytic ?? NaN), '0.470007');
  assert.equal(fmt(x1.numeric), '0.470007', 'the difference quotient confirms 0.470007, not the slide’s 0.470074');
  for (const c of w.checks) assert.ok(c.agree, c.name);
  // the collapsed sigmoid's shortcut f′ = f(1 − f)
  const s = w.steps.find((x) => x.quantity === 'σ′(z)');
  assert.equal(fmt(s?.answer[0] ?? NaN), '0.235004');
  assert.ok(w.notes.some((n) => n.includes('0.470074') && n.includes('0.470007')));
  // the e2e scenario's last visible value
  assert.equal(w.steps.at(-1)?.rule, 'check');
});

test('3. neural chain: y = −1.5, ∂L/∂y = −4.5, ∂L/∂w₂ = −6.75, ∂L/∂w₁ = 13.5, the update lowers the loss', () => {
  const w = builtin('neural-chain');
  assert.equal(stepOf(w, 'y').answer[0], -1.5);
  assert.equal(stepOf(w, 'L').answer[0], 10.125);
  assert.equal(stepOf(w, '∂L/∂y').answer[0], -4.5);
  // issue 13 item 7: the local derivative y − ŷ is a factor, so it is parenthesised (typeset and text)
  assert.equal(stepOf(w, '∂L/∂y').text, '∂L/∂y = ∂L/∂L · (y − ŷ) = 1 · (−4.5) = −4.5');
  assert.equal(stepOf(w, '∂L/∂y').symbolic, '\\frac{\\partial L}{\\partial y} = \\frac{\\partial L}{\\partial L} \\cdot \\frac{\\partial L}{\\partial y} = \\frac{\\partial L}{\\partial L} \\cdot (y - \\hat{y})');
  assert.equal(stepOf(w, '∂L/∂w₂').answer[0], -6.75);
  assert.equal(stepOf(w, '∂L/∂w₁').answer[0], 13.5);
  assert.equal(check(w, '∂L/∂w₂').numeric < 0, true);
  assert.ok(Math.abs(check(w, '∂L/∂w₁').numeric - 13.5) < 1e-4);
  for (const c of w.checks) assert.ok(c.agree, c.name);
  assert.equal(stepOf(w, 'Δw₂').answer[0], 0.675);
  assert.equal(stepOf(w, 'Δw₁').answer[0], -1.35);
  assert.ok(w.update && w.update.lossAfter < w.update.lossBefore);
  assert.equal(fmt(w.update?.lossAfter ?? NaN), '2.357163');
  assert.ok(w.notes.some((n) => n.includes('+6.75') && n.includes('−6.75')));
  // a chosen α: 0.01
  const small = builtin('chain', { alpha: 0.01 });
  assert.equal(fmt(small.update?.lossAfter ?? NaN), fmt(0.5 * (3 - 3 * (0.5 - 0.135) * (-1 + 0.0675)) ** 2));
});

test('4. matrix form: tape, the course’s closed forms ΔW² = −α f¹(∂L/∂y ∘ f²′)ᵀ and ΔW¹, and difference quotients agree', () => {
  const w = builtin('matrix');
  assert.equal(w.graphs.length, 2);
  assert.equal(w.checks.length, 4 + 2 + 8);
  for (const c of w.checks) {
    assert.ok(c.analytic !== undefined && Math.abs(c.tape - c.analytic) < 1e-12, `${c.name}: tape ${c.tape} vs closed form ${c.analytic}`);
    assert.ok(c.agree, c.name);
  }
  // the single layer: ∂L/∂W = xᵀδ and ∂L/∂b = δ with x = (1, 0.5)
  const dW = stepOf(w, '∂L/∂W', 0);
  const db = stepOf(w, '∂L/∂b', 0);
  assert.deepEqual(dW.answerShape, [2, 2]);
  assert.deepEqual(db.answerShape, [1, 2]);
  assert.deepEqual(dW.answer.slice(0, 2), db.answer);
  assert.deepEqual(dW.answer.slice(2), db.answer.map((v) => v * 0.5));
  assert.equal(dW.rule, 'matmulW');
  const delta = w.steps.find((s) => s.graph === 0 && s.rule === 'hadamard');
  assert.match(delta?.symbolic ?? '', /\\circ/);
  // ΔW² in the course's form has the shapes beside it and equals −α·∂L/∂W²
  const dW2 = w.steps.find((s) => s.quantity === 'ΔW²' && s.symbolic.includes('underset'));
  const gW2 = stepOf(w, '∂L/∂W²', 1);
  assert.ok(dW2);
  dW2.answer.forEach((v, i) => assert.ok(Math.abs(v - -0.5 * gW2.answer[i]) < 1e-12));
  assert.match(dW2.numeric, /2\\times2/);
  assert.ok(w.update && w.update.lossAfter < w.update.lossBefore);
});

test('5. gradient descent on L = w²: 1.8 → 0.72 → 0.288 → 0.1152 → 0.04608 → 0.018432', () => {
  const w = builtin('gradient-descent');
  const rows = w.descent?.rows.map((r) => fmt(r.w)) ?? [];
  assert.deepEqual(rows, ['1.8', '0.72', '0.288', '0.1152', '0.04608', '0.018432']);
  assert.equal(w.descent?.behaviour, 'converges');
  assert.equal(check(w, '∇L(w₀)').tape, 3.6);
  assert.equal(descentTable(0.9, 1.8, 0.001, 5).behaviour, 'oscillates');
  assert.deepEqual(descentTable(0.9, 1.8, 0.001, 5).rows.map((r) => fmt(r.w)), ['1.8', '−1.44', '1.152', '−0.9216', '0.73728', '−0.589824']);
  const div = descentTable(1.1, 1.8, 0.001, 5);
  assert.equal(div.behaviour, 'diverges');
  assert.ok(Math.abs(div.rows[5].w) > 1.8);
  // ε stops early: from w₀ = 0.01, L = 1e-4 < ε after one step
  assert.equal(descentTable(0.3, 0.04, 0.001, 5).rows.length, 2);
  assert.equal(builtin('gd', { alpha: 1.1 }).descent?.behaviour, 'diverges');
});

test('editable inputs recompute everything; unknown values are ignored, unknown examples are an error', () => {
  const w = builtin('graph', { x: 2, y: 3, z: 4 });
  assert.equal(stepOf(w, '∂v/∂x').answer[0], 4);
  assert.equal(stepOf(w, '∂v/∂z').answer[0], 5);
  assert.equal(w.params.find((p) => p.key === 'x')?.value, 2);
  assert.equal(builtin('graph', { x: Number.NaN }).params[0].value, 1);
  assert.throws(() => builtin('nope'), /unknown walkthrough 'nope'; known: graph, sigmoid-neuron/);
  assert.equal(resolveBuiltin('Sigmoid Neuron'), 'sigmoid-neuron');
  assert.equal(resolveBuiltin('3'), 'neural-chain');
  assert.equal(BUILTINS.length, 5);
});

test('traces are plain data: a JSON round trip changes nothing, every step names a known node and edge', () => {
  for (const b of BUILTINS) {
    const w = builtin(b.id);
    assert.deepEqual(JSON.parse(JSON.stringify(w)), w);
    for (const s of w.steps) {
      const g = w.graphs[s.graph];
      assert.ok(g, `${b.id}: step on graph ${s.graph}`);
      if (s.node) assert.ok(g.nodes.some((n) => n.id === s.node), `${b.id}: node ${s.node}`);
      if (s.edge) assert.ok(g.edges.some((e) => e.id === s.edge), `${b.id}: edge ${s.edge}`);
      assert.ok(s.answer.every(Number.isFinite), `${b.id}: ${s.quantity}`);
      assert.ok(s.symbolic.length > 0 && s.numeric.length > 0 && s.text.length > 0);
    }
  }
});

test('text rendering for the terminal', () => {
  const t = walkthroughText(builtin('neural-chain'));
  assert.match(t, /^Neural chain\n============\n/);
  assert.ok(t.includes(' [backward] ∂L/∂w₂ = ∂L/∂y · x₂ = (−4.5) · 1.5 = −6.75   (Multiplication switches to the other factor'));
  assert.ok(t.includes('  ∂L/∂w₁  tape 13.5       closed form 13.5       quotient 13.500004  agree'));
  assert.ok(t.includes('Update with α = 0.1: loss 10.125 → 2.357163'));
});
