// Predict-first (issue 13 item 15): a wrong guess keeps the answer hidden and counts the try; "Show me"
// reveals it; the tolerance bound itself counts. Values from the course's sigmoid neuron (∂f/∂w₁ = −0.235004).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtin, checkPrediction, predictionStep, NEW_PREDICTION, type Step } from '../../../src/core/autodiff';

const w = builtin('sigmoid-neuron');
const dw1 = w.steps.find((s) => s.quantity === '∂f/∂w₁' && s.phase === 'backward');
assert.ok(dw1);
const step: Step = dw1;
assert.deepEqual(step.answer, [-0.2350037122015945]);

test('predict first: a wrong guess says "not yet", hides the answer and counts; the right one on try 2', () => {
  const a = predictionStep(step, NEW_PREDICTION, { kind: 'guess', input: '-0.3' });
  assert.deepEqual(a.state, { tries: 1, solved: false, revealed: false });
  assert.equal(a.verdict, 'wrong');
  assert.equal(a.done, false);
  assert.equal(a.message, 'Not yet — try again (1 try so far), or press Show me.');
  assert.ok(!a.message.includes('0.235'), a.message);
  // a typo is not a try
  const t = predictionStep(step, a.state, { kind: 'guess', input: 'abc' });
  assert.deepEqual(t.state, { tries: 1, solved: false, revealed: false });
  assert.equal(t.verdict, 'unparsed');
  assert.equal(t.message, 'Type a number, e.g. −0.24.');
  assert.equal(t.done, false);
  const b = predictionStep(step, t.state, { kind: 'guess', input: '−0.24' });
  assert.deepEqual(b.state, { tries: 2, solved: true, revealed: false });
  assert.equal(b.verdict, 'right');
  assert.equal(b.done, true);
  assert.equal(b.message, 'Right on try 2: ∂f/∂w₁ = −0.235004.');
  assert.equal(predictionStep(step, NEW_PREDICTION, { kind: 'guess', input: '-0.235' }).message, 'Right: ∂f/∂w₁ = −0.235004.');
});

test('predict first: a wrong guess, then Show me reveals the answer with the tries', () => {
  const a = predictionStep(step, NEW_PREDICTION, { kind: 'guess', input: '0.235' });
  assert.equal(a.verdict, 'wrong');
  assert.equal(a.message, 'Not yet — try again (1 try so far), or press Show me.');
  const b = predictionStep(step, a.state, { kind: 'guess', input: '0.47' });
  assert.equal(b.message, 'Not yet — try again (2 tries so far), or press Show me.');
  const s = predictionStep(step, b.state, { kind: 'show' });
  assert.deepEqual(s.state, { tries: 2, solved: false, revealed: true });
  assert.equal(s.verdict, 'shown');
  assert.equal(s.done, true);
  assert.equal(s.message, '∂f/∂w₁ = −0.235004 (after 2 tries).');
  assert.equal(predictionStep(step, NEW_PREDICTION, { kind: 'show' }).message, '∂f/∂w₁ = −0.235004.');
  // once shown, a late right guess does not count as solved
  const late = predictionStep(step, s.state, { kind: 'guess', input: '-0.235' });
  assert.deepEqual(late.state, { tries: 2, solved: false, revealed: true });
  assert.equal(late.verdict, 'shown');
});

test('predict first: the tolerance is 0.01 absolute below |answer| 1, 1 % above, and the bound itself counts', () => {
  const z = { ...step, quantity: 'z', answer: [0.5] };
  // 0.51 − 0.5 is 0.010000000000000009 in binary: still on the bound
  assert.equal(checkPrediction(z, '0.51').ok, true);
  assert.equal(checkPrediction(z, '0.49').ok, true);
  assert.equal(checkPrediction(z, '0.5101').ok, false);
  assert.equal(checkPrediction(z, '0.4899').ok, false);
  const two = { ...step, quantity: 'v', answer: [-2] };
  assert.equal(checkPrediction(two, '-2.02').ok, true);
  assert.equal(checkPrediction(two, '-1.98').ok, true);
  assert.equal(checkPrediction(two, '-2.0201').ok, false);
  assert.equal(predictionStep(z, NEW_PREDICTION, { kind: 'guess', input: '0.51' }).message, 'Right: z = 0.5.');
  assert.equal(predictionStep(z, NEW_PREDICTION, { kind: 'guess', input: '0.5101' }).verdict, 'wrong');
  // vectors: every entry within its bound, the count must match
  const v = { ...step, quantity: 'g', answer: [0.5, -2] };
  assert.equal(predictionStep(v, NEW_PREDICTION, { kind: 'guess', input: '[0.51, -2.02]' }).message, 'Right: g = 0.5, −2.');
  assert.equal(predictionStep(v, NEW_PREDICTION, { kind: 'guess', input: '0.51' }).message, 'Type 2 numbers, separated by commas.');
});
