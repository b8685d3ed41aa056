// `nnlab grad` and `nnlab walkthrough`, called in-process with stdout/stderr captured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as grad } from '../../../src/cli/commands/grad';
import { run as walkthrough } from '../../../src/cli/commands/walkthrough';
import { parsePanelMessage, parsePersistedState } from '../../../src/protocol/walkthrough';

async function capture(f: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  // node:test reports through the same stdout in binary chunks: pass those on, keep the CLI's strings
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? (out.push(s), true) : o(s, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? (err.push(s), true) : e(s, ...rest))) as typeof process.stderr.write;
  try {
    const code = await f();
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'nnlab-grad-'));
const chain = join(dir, 'chain.nn.json');
writeFileSync(
  chain,
  JSON.stringify({
    version: 1,
    name: 'chain',
    input: { shape: [1] },
    layers: [
      { type: 'dense', units: 1, activation: 'linear', useBias: false, init: { values: [[0.5]] } },
      { type: 'dense', units: 1, activation: 'linear', useBias: false, init: { values: [[-1]] } },
    ],
    loss: 'mse',
    optimizer: { type: 'sgd', learningRate: 0.01 },
    training: { epochs: 1, batchSize: 1 },
    data: { type: 'inline', x: [[3], [1]], y: [[3], [0]] },
  }),
);

test('nnlab grad --json: the chain as a spec, tape = tf.grads = quotient', async () => {
  const r = await capture(() => grad([chain, '--json']));
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { loss: { tape: number; tfjs: number }; params: { name: string; tape: number; tfjs: number; numeric: number }[]; agree: { tfjs: boolean; numeric: boolean } };
  assert.equal(j.loss.tape, 20.25);
  assert.equal(j.loss.tfjs, 20.25);
  assert.deepEqual(j.params.map((p) => [p.name, p.tape, p.tfjs]), [['W¹[0][0]', 27, 27], ['W²[0][0]', -13.5, -13.5]]);
  assert.ok(Math.abs(j.params[0].numeric - 27) < 1e-4);
  assert.deepEqual(j.agree, { tfjs: true, numeric: true });
  const r1 = await capture(() => grad([chain, '--sample', '1']));
  assert.equal(r1.code, 0, r1.err);
  // sample 1: x = 1, y = −0.5, ŷ = 0: L = 0.25, ∂L/∂w₁ = 2(y − ŷ)·w₂·x = 1, ∂L/∂w₂ = 2(y − ŷ)·x·w₁ = −0.5
  assert.match(r1.out, /^chain: sample 2 of 2 \(--sample 1\), initial weights \(seed 42\)\nloss \(mse\) = 0\.25 \(tape\), 0\.25 \(tf\.grads model\)/);
  assert.match(r1.out, /W¹\[0\]\[0\]\s+0\.5\s+1\s+1\s+1\.000001\n/);
  assert.match(r1.out, /max \|tape − tf\.grads\| = 0\.00e\+0 over 2 parameters: agree/);
});

test('nnlab grad: bad input gives a located message and exit code, never a stack', async () => {
  const r = await capture(() => grad([chain, '--sample', '5']));
  assert.equal(r.code, 1);
  assert.match(r.err, /sample index 5 is out of range: the data has 2 samples \(0…1\)/);
  const bad = join(dir, 'bad.nn.json');
  writeFileSync(bad, '{ "version": 1, "input": { "shape": [2] }, "layers": [ { "type": "dense", "units": 0 } ] }');
  const b = await capture(() => grad([bad]));
  assert.equal(b.code, 1);
  assert.match(b.err, /bad\.nn\.json:\d+:\d+: error NN\d+/);
  assert.equal((await capture(() => grad([]))).code, 2);
  assert.equal((await capture(() => grad([chain, '--nope']))).code, 2);
  assert.match((await capture(() => grad([join(dir, 'missing.nn.json')]))).err, /cannot read \(ENOENT\)/);
});

test('nnlab walkthrough: text, --set, --json, a spec, errors', async () => {
  const t = await capture(() => walkthrough(['sigmoid', '--text']));
  assert.equal(t.code, 0);
  assert.match(t.out, /^Sigmoid neuron\n/);
  assert.ok(t.out.includes('∂f/∂w₁ = ∂f/∂a · x₁ = 0.235004 · (−1) = −0.235004'));
  const s = await capture(() => walkthrough(['gradient-descent', '--set', 'alpha=0.9']));
  assert.ok(s.out.includes('α = 0.9: oscillates'));
  const j = await capture(() => walkthrough(['chain', '--json']));
  assert.equal((JSON.parse(j.out) as { id: string }).id, 'neural-chain');
  const n = await capture(() => walkthrough([chain, '--sample', '0']));
  assert.equal(n.code, 0, n.err);
  assert.ok(n.out.includes('∂L/∂W² = f¹ᵀδ = [−13.5]'), n.out);
  assert.equal((await capture(() => walkthrough(['nope']))).code, 2);
  assert.match((await capture(() => walkthrough(['graph', '--set', 'q=1']))).err, /'q' is not a parameter of graph; it has: x, y, z/);
});

test('panel messages are validated before the host acts', () => {
  assert.deepEqual(parsePanelMessage({ type: 'navigate', to: 'next' }), { ok: true, value: { type: 'navigate', to: 'next' } });
  assert.deepEqual(parsePanelMessage({ type: 'navigate', to: 3 }), { ok: true, value: { type: 'navigate', to: 3 } });
  assert.equal(parsePanelMessage({ type: 'navigate', to: -1 }).ok, false);
  assert.equal(parsePanelMessage({ type: 'navigate', to: 'sideways' }).ok, false);
  assert.deepEqual(parsePanelMessage({ type: 'setParam', key: 'w1', value: 2 }), { ok: true, value: { type: 'setParam', key: 'w1', value: 2 } });
  assert.equal(parsePanelMessage({ type: 'setParam', key: 'w1', value: Number.NaN }).ok, false);
  assert.equal(parsePanelMessage({ type: 'setParam', key: '__proto__', value: 1 }).ok, false);
  assert.equal(parsePanelMessage({ type: 'choose', example: '../etc' }).ok, false);
  assert.equal(parsePanelMessage('ready').ok, false);
  assert.deepEqual(parsePanelMessage({ type: 'bogus' }), { ok: false, error: 'message.type: unknown type "bogus"' });
  assert.deepEqual(parsePersistedState({ example: 'graph', position: 3, values: { x: 2, bad: 'no' } }), { example: 'graph', position: 3, values: { x: 2 } });
  assert.equal(parsePersistedState({ example: 42 }), undefined);
});
