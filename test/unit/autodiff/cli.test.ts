// `nnlab grad` and `nnlab walkthrough`, called in-process with stdout/stderr captured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as grad } from '../../../src/cli/commands/grad';
import { run as walkthrough } from '../../../src/cli/commands/walkthrough';
import { parsePanelMessage, parsePersistedState } from '../../../src/protocol/walkthrough';
import { captureProcessOutput } from '../helpers/capture';

const capture = (f: () => Promise<number>) => captureProcessOutput(f);

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
  // the central difference (L(w + h) − L(w − h))/2h is exact on this quadratic (the forward one said 1.000001)
  assert.match(r1.out, /W¹\[0\]\[0\]\s+0\.5\s+1\s+1\s+1\n/);
  assert.match(r1.out, /max \|tape − tf\.grads\| = 0\.00e\+0 over 2 parameters: agree/);
});

const kinkSpec = (name: string, activation: unknown): string => {
  const f = join(dir, `${name}.nn.json`);
  writeFileSync(
    f,
    JSON.stringify({
      version: 1,
      name,
      input: { shape: [2] },
      // zero biases and x = [0, 0]: z¹ = 0 exactly, at the activation's kink
      layers: [
        { type: 'dense', units: 2, activation, init: { values: [[1, -1], [0.5, 2]] } },
        { type: 'dense', units: 1, activation: 'linear', init: { values: [[1], [2]] } },
      ],
      loss: 'mse',
      training: { batchSize: 1 },
      data: { type: 'inline', x: [[0, 0], [1, 1]], y: [[1], [0]] },
    }),
  );
  return f;
};

const TABLE_HEAD = 'parameter         value          tape      tf.grads      quotient';

test('nnlab grad at a kink: ELU (α = 0.5) with z = 0 is "not differentiable here", not a disagreement; exit 0', async () => {
  const r = await capture(() => grad([kinkSpec('elu-kink', { type: 'elu', alpha: 0.5 }), '--sample', '0']));
  assert.equal(r.code, 0, r.out);
  // L = (f(z₁) + 2 f(z₂) − 1)² with z = b: to the right f′ = 1, to the left f′ = α = 0.5, so ∂L/∂b₁ is −2 or −1
  assert.ok(
    r.out.endsWith(
      [
        TABLE_HEAD,
        'W¹[0][0]              1             0             0             0',
        'W¹[0][1]             −1             0             0             0',
        'W¹[1][0]            0.5             0             0             0',
        'W¹[1][1]              2             0             0             0',
        'b¹[0]                 0            −1             0          kink',
        'b¹[1]                 0            −2             0          kink',
        'W²[0][0]              1             0             0             0',
        'W²[1][0]              2             0             0             0',
        'b²[0]                 0            −2            −2            −2',
        '',
        'kink: z¹[0] = 0, z¹[1] = 0 at the kink of elu (α = 0.5), |z| < h = 1e-6',
        'b¹[0]: not differentiable here: one-sided derivatives are −1 (left) and −2 (right); tape −1, tf.grads 0',
        'b¹[1]: not differentiable here: one-sided derivatives are −2 (left) and −4 (right); tape −2, tf.grads 0',
        '',
        'max |tape − tf.grads| = 0.00e+0 over 7 parameters: agree (2 at a kink left out)',
        'max |tape − quotient| = 2.00e-12 over 7 parameters: agree (2 at a kink left out)',
        '',
      ].join('\n'),
    ),
    r.out,
  );
  const j = JSON.parse((await capture(() => grad([kinkSpec('elu-kink', { type: 'elu', alpha: 0.5 }), '--sample', '0', '--json']))).out) as {
    kinks: { name: string; z: number }[];
    params: { name: string; oneSided: { left: number; right: number } | null }[];
    agree: { tfjs: boolean; numeric: boolean };
  };
  assert.deepEqual(j.kinks.map((k) => [k.name, k.z]), [['z¹[0]', 0], ['z¹[1]', 0]]);
  const sides = j.params.filter((p) => p.oneSided).map((p) => [p.name, Math.round(p.oneSided!.left * 1e6) / 1e6, Math.round(p.oneSided!.right * 1e6) / 1e6]);
  assert.deepEqual(sides, [['b¹[0]', -1, -2], ['b¹[1]', -2, -4]]);
  assert.deepEqual(j.agree, { tfjs: true, numeric: true });
  // the walkthrough of the same sample: the check passes (the tape lies between the sides) and a note says why
  const w = await capture(() => walkthrough([kinkSpec('elu-kink', { type: 'elu', alpha: 0.5 }), '--sample', '0']));
  assert.ok(!w.out.includes('DISAGREE'), w.out);
  assert.ok(w.out.includes('Note: not differentiable here: one-sided derivatives are −1 (left) and −2 (right) in b¹[0] (z¹[0] = 0, z¹[1] = 0 at the kink of elu (α = 0.5), |z| < h = 1e-6); the tape takes −1, as the trainer does.\n'), w.out);
});

test('nnlab grad at a kink: ReLU at 0 (the quotient no longer disagrees); ELU with α = 1 is smooth at 0, no kink', async () => {
  const r = await capture(() => grad([kinkSpec('relu-kink', 'relu'), '--sample', '0']));
  assert.equal(r.code, 0, r.out);
  assert.ok(r.out.includes('b¹[0]                 0             0             0          kink\n'), r.out);
  assert.ok(
    r.out.includes(
      [
        'kink: z¹[0] = 0, z¹[1] = 0 at the kink of relu, |z| < h = 1e-6',
        'b¹[0]: not differentiable here: one-sided derivatives are 0 (left) and −2 (right); tape 0, tf.grads 0',
        'b¹[1]: not differentiable here: one-sided derivatives are 0 (left) and −4 (right); tape 0, tf.grads 0',
        '',
        'max |tape − tf.grads| = 0.00e+0 over 7 parameters: agree (2 at a kink left out)',
      ].join('\n'),
    ),
    r.out,
  );
  const e = await capture(() => grad([kinkSpec('elu1', 'elu'), '--sample', '0']));
  assert.equal(e.code, 0, e.out);
  assert.ok(!e.out.includes('kink'), e.out);
  assert.ok(e.out.includes('b¹[0]                 0            −2            −2            −2\n'), e.out);
  assert.ok(e.out.includes('max |tape − quotient| = 1.00e-6 over 9 parameters: agree\n'), e.out);
});

test('nnlab grad on the neural chain: the loss formula and the course\'s ½ scaling, for this sample', async () => {
  const r = await capture(() => grad(['samples/neural-chain.nn.json']));
  assert.equal(r.code, 0, r.err);
  assert.equal(
    r.out,
    [
      'neural-chain: sample 1 of 1 (--sample 0), initial weights (seed 42)',
      'sample 1 is the default (its W gradients are not all 0); --sample i (0-based) picks another',
      'loss (mse) = 20.25 (tape), 20.25 (tf.grads model)',
      "loss formula (the trainer's): L = (1/n) Σⱼ (yⱼ − ŷⱼ)² over the n = 1 output; ∂L/∂y = (2/n)(y − ŷ)",
      "with the course's L = ½ Σⱼ (yⱼ − ŷⱼ)² (the neural-chain walkthrough): L = 10.125 and every gradient × n/2 = 0.5 (W¹[0][0] 13.5, W²[0][0] −6.75): the ½ cancels the 2 that differentiating the square brings, while the trainer's mean keeps it and divides by n.",
      '',
      TABLE_HEAD,
      'W¹[0][0]            0.5            27            27            27',
      'W²[0][0]             −1         −13.5         −13.5         −13.5',
      '',
      'max |tape − tf.grads| = 0.00e+0 over 2 parameters: agree',
      'max |tape − quotient| = 4.22e-9 over 2 parameters: agree',
      '',
    ].join('\n'),
  );
  const j = JSON.parse((await capture(() => grad(['samples/neural-chain.nn.json', '--json']))).out) as { loss: { formula: string; outputs: number }; halfSquaredError: { loss: number; factor: number } };
  assert.deepEqual(j.halfSquaredError, { loss: 10.125, factor: 0.5 });
  assert.equal(j.loss.formula, 'L = (1/n) Σⱼ (yⱼ − ŷⱼ)²');
});

test('nnlab grad on XOR starts on a sample with non-zero W gradients and says why', async () => {
  const r = await capture(() => grad(['samples/xor.nn.json']));
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(0, 2), [
    'xor: sample 2 of 4 (--sample 1), initial weights (seed 42)',
    'sample 2 is the default: the first whose W gradients are not all 0 (sample 1, x = [0, 0], gives every W gradient 0); --sample i (0-based) picks another',
  ]);
  const w = lines.filter((l) => /^W/.test(l)).map((l) => Number(l.trim().split(/\s+/)[2].replace('−', '-')));
  assert.ok(w.some((v) => v !== 0), 'some W gradient is not 0');
  // an explicit --sample 0 is honoured, without the default line
  const z = await capture(() => grad(['samples/xor.nn.json', '--sample', '0']));
  assert.match(z.out, /^xor: sample 1 of 4 \(--sample 0\), initial weights \(seed 42\)\nloss \(mse\)/);
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
  // "This network"'s fields carry the checks' names (they were refused, so its edits never arrived)
  for (const key of ['x[0]', 'W¹[1][0]', 'b²[3]', 'W[0][0]', 'b[2]']) assert.deepEqual(parsePanelMessage({ type: 'setParam', key, value: 2.5 }), { ok: true, value: { type: 'setParam', key, value: 2.5 } });
  for (const key of ['W¹[1]][0]', 'x[0][0]', 'W¹[-1][0]', 'W¹[1][0] ', 'constructor[0]']) assert.equal(parsePanelMessage({ type: 'setParam', key, value: 1 }).ok, false, key);
  assert.equal(parsePanelMessage({ type: 'choose', example: '../etc' }).ok, false);
  assert.equal(parsePanelMessage('ready').ok, false);
  assert.deepEqual(parsePanelMessage({ type: 'bogus' }), { ok: false, error: 'message.type: unknown type "bogus"' });
  assert.deepEqual(parsePersistedState({ example: 'graph', position: 3, values: { x: 2, bad: 'no' } }), { example: 'graph', position: 3, values: { x: 2 } });
  assert.equal(parsePersistedState({ example: 42 }), undefined);
});
