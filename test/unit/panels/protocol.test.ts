import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { PANEL_KINDS } from '../../../src/protocol/webview';
import { parseWebviewMessage, parseActivationName, parseWorkerMessage, checkWorkerResult, Requester, answerRequest, type RequestMessage, type ResponseMessage, type WorkerMethods } from '../../../src/protocol';

test('valid webview messages pass validation unchanged', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
  assert.deepEqual(parseWebviewMessage({ type: 'control', action: 'stepEpoch' }), { ok: true, value: { type: 'control', action: 'stepEpoch' } });
  assert.deepEqual(parseWebviewMessage({ type: 'observe', state: { panel: 'activations', activation: 'elu', alpha: 0.5 } }), {
    ok: true,
    value: { type: 'observe', state: { panel: 'activations', activation: 'elu', alpha: 0.5 } },
  });
  assert.deepEqual(parseWebviewMessage({ type: 'request', id: 4, method: 'runMetrics', params: { path: '/etc' } }), {
    ok: true,
    value: { type: 'request', id: 4, method: 'runMetrics', params: {} },
  });
  assert.deepEqual(parseWebviewMessage({ type: 'request', id: 3, method: 'listRuns', params: { limit: 5, extra: 'dropped' } }), {
    ok: true,
    value: { type: 'request', id: 3, method: 'listRuns', params: { limit: 5 } },
  });
  assert.deepEqual(parseWebviewMessage({ type: 'request', id: 6, method: 'renameRun', params: { id: '20261207-195500-123-xor-2', label: 'dropped' } }), {
    ok: true,
    value: { type: 'request', id: 6, method: 'renameRun', params: { id: '20261207-195500-123-xor-2' } },
  });
});

test('invalid webview messages are rejected with a located error', () => {
  const err = (m: unknown): string => {
    const r = parseWebviewMessage(m);
    assert.equal(r.ok, false);
    return r.ok ? '' : r.error;
  };
  assert.equal(err(null), 'message: expected an object with a "type"');
  assert.equal(err('ready'), 'message: expected an object with a "type"');
  assert.equal(err({ type: 'rm -rf' }), 'message.type: unknown type "rm -rf"');
  assert.equal(err({ type: 'control', action: 'delete' }), 'control.action: expected one of train, pause, resume, stepSample, step, stepEpoch, stop');
  assert.equal(err({ type: 'export', format: 'csv', name: '../../etc/passwd', data: '' }), 'export.name: expected a plain file name (no path separators)');
  assert.equal(err({ type: 'export', format: 'png', name: 'a.png', data: 'hello' }), 'export.data: a PNG export must be a data:image/png;base64 URL');
  assert.equal(err({ type: 'observe', state: { panel: 'loss', points: -1 } }), 'observe.state.points: expected a non-negative integer');
  assert.equal(err({ type: 'observe', state: { panel: 'activations', activation: 'gelu' } }), 'observe.state.activation: unknown activation "gelu"');
  assert.equal(err({ type: 'request', id: 1, method: 'eval', params: {} }), 'request.method: expected one of listRuns, weights, sample, runMetrics, renameRun, initialWeights');
  // a run to rename is a run folder's name, never a path
  for (const id of ['../../etc', '/tmp/x', '20261207-195500-123-xor/../..', '', 42, '20261207-195500-123-..\\x']) {
    assert.equal(err({ type: 'request', id: 5, method: 'renameRun', params: { id } }), 'request.params.id: expected a run folder name such as 20261207-195500-123-xor', String(id));
  }
  assert.equal(err({ type: 'request', id: 0, method: 'weights', params: {} }), 'request.id: expected a positive integer');
  assert.equal(err({ type: 'request', id: 2, method: 'sample', params: { max: 1e9 } }), 'request.params.max: expected an integer from 1 to 10000');
  // the graph panel's formula card and weight editing (issue 16)
  assert.equal(err({ type: 'editedWeights', layers: [{ layer: 0, name: 'd', W: [['1']] }] }), 'editedWeights.layers: expected null or a list of { layer, name, W, b? }');
  assert.equal(err({ type: 'openWalkthrough', quantity: '∂L/∂W¹', sample: -1, weights: 'initial' }), 'openWalkthrough.sample: expected a non-negative integer');
  assert.equal(err({ type: 'openWalkthrough', quantity: 'x'.repeat(41), sample: 0, weights: 'initial' }), 'openWalkthrough.quantity: expected a short string');
  assert.equal(err({ type: 'observe', state: { panel: 'graph', card: 5 } }), 'observe.state.card: expected a string of at most 20000 characters');
});

test("the graph panel's edit and card messages pass validation unchanged", () => {
  const layers = [{ layer: 0, name: 'dense_1', W: [[0.5, -1]], b: [0, 0.25] }];
  assert.deepEqual(parseWebviewMessage({ type: 'editedWeights', layers }), { ok: true, value: { type: 'editedWeights', layers } });
  assert.deepEqual(parseWebviewMessage({ type: 'editedWeights', layers: null }), { ok: true, value: { type: 'editedWeights', layers: null } });
  assert.deepEqual(parseWebviewMessage({ type: 'writeWeights', extra: 1 }), { ok: true, value: { type: 'writeWeights' } });
  assert.deepEqual(parseWebviewMessage({ type: 'openWalkthrough', quantity: '∂L/∂W¹', sample: 2, weights: 'trained' }), { ok: true, value: { type: 'openWalkthrough', quantity: '∂L/∂W¹', sample: 2, weights: 'trained' } });
  assert.deepEqual(parseWebviewMessage({ type: 'request', id: 5, method: 'initialWeights', params: {} }), { ok: true, value: { type: 'request', id: 5, method: 'initialWeights', params: {} } });
  assert.deepEqual(parseWebviewMessage({ type: 'observe', state: { panel: 'graph', card: 'z = 1', edited: 2, dataLoss: 0.25 } }), { ok: true, value: { type: 'observe', state: { panel: 'graph', card: 'z = 1', edited: 2, dataLoss: 0.25 } } });
});

test('activation names from hover links are parsed leniently', () => {
  assert.equal(parseActivationName('leaky_relu'), 'leakyRelu');
  assert.equal(parseActivationName('ELU'), 'elu');
  assert.equal(parseActivationName('Leaky ReLU'), 'leakyRelu');
  assert.equal(parseActivationName('gelu'), undefined);
  assert.equal(parseActivationName(3), undefined);
});

type Methods = { add: { params: { a: number; b: number }; result: number }; fail: { params: Record<string, never>; result: void } };

test('Requester + answerRequest round-trip over a message channel, with errors and unknown methods', async () => {
  const toServer: RequestMessage[] = [];
  const client = new Requester<Methods>((m) => toServer.push(m), 1000);
  const handlers = {
    add: (p: { a: number; b: number }) => p.a + p.b,
    fail: () => {
      throw new Error('boom');
    },
  };
  const pump = async (): Promise<void> => {
    while (toServer.length) await answerRequest<Methods>(toServer.shift()!, handlers, (r: ResponseMessage) => assert.equal(client.handle(r), true));
  };
  const sum = client.request('add', { a: 2, b: 40 });
  const failed = client.request('fail', {});
  assert.equal(client.inFlight, 2);
  await pump();
  assert.equal(await sum, 42);
  await assert.rejects(failed, /boom/);
  const responses: ResponseMessage[] = [];
  await answerRequest<Methods>({ type: 'request', id: 9, method: 'toString', params: {} }, handlers, (r) => responses.push(r));
  assert.deepEqual(responses, [{ type: 'response', id: 9, ok: false, error: 'unknown method "toString"' }]);
  assert.equal(client.handle({ type: 'response', id: 12345, ok: true, result: 1 }), false);
  assert.equal(client.handle({ type: 'batch' }), false);
});

test('Requester times out and dispose rejects pending requests', async () => {
  const client = new Requester<Methods>(() => undefined, 20);
  await assert.rejects(client.request('add', { a: 1, b: 1 }), /request add #1 timed out after 20 ms/);
  const p = client.request('add', { a: 1, b: 1 });
  client.dispose();
  await assert.rejects(p, /channel closed/);
});

test('parseWorkerMessage: the worker messages the host acts on pass, malformed ones get a located error', () => {
  const report = { active: 'cpu', device: 'CPU (pure JavaScript)', skipped: [{ backend: 'wasm', reason: 'small network' }], reason: 'requested: cpu' };
  const good: unknown[] = [
    { type: 'backend', report },
    { type: 'started', epochs: 3, stepsPerEpoch: 4, runDir: '/tmp/r' },
    { type: 'batch', step: 1, epoch: 1, batch: 1, loss: NaN, elapsedMs: 2 },
    { type: 'epoch', step: 4, epoch: 1, epochs: 3, loss: 0.25, accuracy: 0.5, samplesPerSec: 100, elapsedMs: 9, etaMs: 18 },
    { type: 'paused', step: 4 },
    { type: 'resumed' },
    { type: 'weights', step: 4, layers: [{ layer: 0, name: 'dense', W: [[1, 2]], b: [0] }] },
    { type: 'done', summary: { backend: report, startedAt: 'a', finishedAt: 'b', elapsedMs: 1, epochs: 3, steps: 12, finalLoss: 0.1, bestLoss: 0.1, stopReason: 'completed' } },
    { type: 'error', message: 'boom', step: 3 },
    { type: 'response', id: 2, ok: true, result: { layers: [], step: 0 } },
    { type: 'response', id: 2, ok: false, error: 'no' },
  ];
  for (const m of good) assert.deepEqual(parseWorkerMessage(m), { ok: true, value: m });
  assert.deepEqual(parseWorkerMessage('started'), { ok: false, error: 'message: expected an object with a "type"' });
  assert.deepEqual(parseWorkerMessage({ type: 'probed', requestId: 1 }), { ok: false, error: 'message.type: unknown type "probed"' });
  assert.deepEqual(parseWorkerMessage({ type: 'started', epochs: '3', stepsPerEpoch: 4 }), { ok: false, error: 'started: expected epochs, stepsPerEpoch and an optional runDir' });
  assert.deepEqual(parseWorkerMessage({ type: 'backend', report: { active: 'cpu' } }), { ok: false, error: 'backend: expected a backend report' });
  assert.deepEqual(parseWorkerMessage({ type: 'weights', step: 1, layers: [{ layer: 0, name: 'd', W: [[1, '2']] }] }), { ok: false, error: 'weights: expected a step and layers of weights' });
  assert.deepEqual(parseWorkerMessage({ type: 'done', summary: { stopReason: 'bored' } }), { ok: false, error: 'done: expected a run summary' });
  assert.deepEqual(parseWorkerMessage({ type: 'response', id: 1, ok: false }), { ok: false, error: 'response: expected an id and ok (with an error when false)' });
});

test('Requester with a result check: a worker answer of the wrong shape rejects, a good one resolves', async () => {
  const sent: RequestMessage[] = [];
  const client = new Requester<WorkerMethods>((m) => sent.push(m), { timeoutMs: 1000, check: checkWorkerResult });
  const bad = client.request('weights', {});
  const good = client.request('probe', { backend: 'cpu' });
  assert.deepEqual(sent.map((m) => [m.id, m.method]), [[1, 'weights'], [2, 'probe']]);
  client.handle({ type: 'response', id: 1, ok: true, result: { layers: 'none', step: 0 } });
  client.handle({ type: 'response', id: 2, ok: true, result: { autoMinStepMacs: 20000, error: 'not installed' } });
  await assert.rejects(bad, /^Error: invalid answer to weights: expected \{ layers, step \}$/);
  assert.deepEqual(await good, { autoMinStepMacs: 20000, error: 'not installed' });
  const timeout = new Requester<WorkerMethods>(() => undefined, { timeoutMs: 10, timeoutMessage: (m, id, ms) => `${m} ${id} ${ms}` });
  await assert.rejects(timeout.request('probe', { backend: 'auto' }), /^Error: probe 1 10$/);
});

test('every panel kind is wired the one way: webview/<kind>/main.ts and onWebviewPanel:nnlab.<kind>, no other', () => {
  // (its title and focus are a row of PANELS in src/panels/index.ts: a Record over PanelKind, so the compiler asks for it)
  const root = new URL('../../../', import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { activationEvents: string[] };
  for (const kind of PANEL_KINDS) assert.ok(existsSync(new URL(`webview/${kind}/main.ts`, root)), `webview/${kind}/main.ts is missing`);
  assert.deepEqual(
    pkg.activationEvents.filter((e) => e.startsWith('onWebviewPanel:')).sort(),
    PANEL_KINDS.map((k) => `onWebviewPanel:nnlab.${k}`).sort(),
  );
});
