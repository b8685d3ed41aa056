// The lab panel's messages (src/protocol/lab.ts, src/protocol/webview.ts): runLab and the lab
// observation are checked before the host acts on them; the lab worker's messages by shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/protocol/webview';
import { parseLabWorkerMessage } from '../../../src/protocol/lab';

const err = (m: unknown): string => {
  const r = parseWebviewMessage(m);
  assert.equal(r.ok, false);
  return r.ok ? '' : r.error;
};

test('runLab: init, or sweep with 1 to 12 positive learning rates; extra fields dropped', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'runLab', kind: 'init', alphas: undefined, extra: 1 }), { ok: true, value: { type: 'runLab', kind: 'init' } });
  assert.deepEqual(parseWebviewMessage({ type: 'runLab', kind: 'sweep', alphas: [0.3, 0.9, 1.1] }), { ok: true, value: { type: 'runLab', kind: 'sweep', alphas: [0.3, 0.9, 1.1] } });
  assert.equal(err({ type: 'runLab', kind: 'train' }), 'runLab.kind: expected one of init, sweep');
  assert.equal(err({ type: 'runLab', kind: 'sweep', alphas: [0.3, -1] }), 'runLab.alphas: expected 1 to 12 positive learning rates');
  assert.equal(err({ type: 'runLab', kind: 'sweep', alphas: [] }), 'runLab.alphas: expected 1 to 12 positive learning rates');
  assert.equal(err({ type: 'runLab', kind: 'sweep', alphas: Array.from({ length: 13 }, () => 0.1) }), 'runLab.alphas: expected 1 to 12 positive learning rates');
  assert.equal(err({ type: 'runLab', kind: 'sweep', alphas: ['0.1'] }), 'runLab.alphas: expected 1 to 12 positive learning rates');
});

test('the lab observation: kind, phase and a bounded table of strings', () => {
  const table = [['zeros', '0.2500', '0.2500', '—', '500', '0.55 s', 'not below ε']];
  assert.deepEqual(parseWebviewMessage({ type: 'observe', state: { panel: 'lab', redraws: 1, lab: { kind: 'init', phase: 'done', table } } }), {
    ok: true,
    value: { type: 'observe', state: { panel: 'lab', redraws: 1, lab: { kind: 'init', phase: 'done', table } } },
  });
  assert.equal(err({ type: 'observe', state: { panel: 'lab', lab: { kind: 'init', phase: 'done', table: [[1]] } } }), 'observe.state.lab.table: expected at most 100 rows of short strings');
  assert.equal(err({ type: 'observe', state: { panel: 'lab', lab: { kind: 'grid', phase: 'done' } } }), 'observe.state.lab: expected {kind, phase, table?}');
  assert.equal(err({ type: 'observe', state: { panel: 'labs' } }), 'observe.state.panel: expected one of loss, graph, activations, walkthrough, lab');
});

test('lab worker messages: progress, an nnlab.experiment result, an error; anything else refused', () => {
  assert.equal(parseLabWorkerMessage({ type: 'error', message: 'no data' }).ok, true);
  assert.equal(parseLabWorkerMessage({ type: 'result', result: { format: 'nnlab.experiment', variants: [] } }).ok, true);
  assert.deepEqual(parseLabWorkerMessage({ type: 'result', result: { variants: [] } }), { ok: false, error: 'result.result: expected an nnlab.experiment' });
  assert.deepEqual(parseLabWorkerMessage({ type: 'exit' }), { ok: false, error: 'lab worker message: unknown type "exit"' });
});
