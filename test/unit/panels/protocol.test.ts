import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage, parseActivationName, Requester, answerRequest, type RequestMessage, type ResponseMessage } from '../../../src/protocol';

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
  assert.equal(err({ type: 'control', action: 'delete' }), 'control.action: expected one of train, pause, resume, step, stepEpoch, stop');
  assert.equal(err({ type: 'export', format: 'csv', name: '../../etc/passwd', data: '' }), 'export.name: expected a plain file name (no path separators)');
  assert.equal(err({ type: 'export', format: 'png', name: 'a.png', data: 'hello' }), 'export.data: a PNG export must be a data:image/png;base64 URL');
  assert.equal(err({ type: 'observe', state: { panel: 'loss', points: -1 } }), 'observe.state.points: expected a non-negative integer');
  assert.equal(err({ type: 'observe', state: { panel: 'activations', activation: 'gelu' } }), 'observe.state.activation: unknown activation "gelu"');
  assert.equal(err({ type: 'request', id: 1, method: 'eval', params: {} }), 'request.method: expected one of listRuns, weights, sample, runMetrics');
  assert.equal(err({ type: 'request', id: 0, method: 'weights', params: {} }), 'request.id: expected a positive integer');
  assert.equal(err({ type: 'request', id: 2, method: 'sample', params: { max: 1e9 } }), 'request.params.max: expected an integer from 1 to 10000');
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
