// The backpropagation walkthrough inside a real VS Code: the panel opens for a named example, steps to
// the end through the webview, and its final state carries the course's numbers. The state comes from
// `nnlab._walkthroughState`; `rendered` is what the webview itself reported as drawn.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WalkthroughState } from '../../../src/walkthrough/index';

type State = WalkthroughState;

const state = async (): Promise<State> => {
  const s = await vscode.commands.executeCommand<State | undefined>('nnlab._walkthroughState');
  assert.ok(s, 'no walkthrough panel is open');
  return s;
};
const step = async (to: 'next' | 'previous' | 'start' | 'end' | number): Promise<State> => {
  const s = await vscode.commands.executeCommand<State | undefined>('nnlab._walkthroughStep', to);
  assert.ok(s, 'no walkthrough panel is open');
  return s;
};

suite('walkthrough: backpropagation panel', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension('nnlab.nnlab')?.activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('sigmoid neuron: open by id, step to the end one Next at a time, ∂f/∂w₁ = −0.235004', async function () {
    this.timeout(120_000);
    const opened = await vscode.commands.executeCommand<State | undefined>('nnlab.walkthrough', 'sigmoid-neuron');
    assert.ok(opened, 'nnlab.walkthrough returned no state');
    assert.equal(opened.example, 'sigmoid-neuron');
    assert.equal(opened.step, 0);
    assert.equal(opened.total, 37);
    assert.equal((await state()).example, 'sigmoid-neuron');
    let s = opened;
    for (let i = 0; i < opened.total; i++) s = await step('next');
    assert.equal(s.step, s.total);
    // the webview drew the last step (its own report, not the host's bookkeeping)
    assert.equal(s.rendered?.position, s.total);
    assert.equal(s.lastValues['∂f/∂w₁'], '−0.235004');
    assert.equal(s.lastValues['∂f/∂x₁'], '0.470007');
    assert.equal(s.lastValues['f'], '0.622459');
    const w1 = s.checks.find((c) => c.name === '∂f/∂w₁');
    assert.deepEqual(w1, { name: '∂f/∂w₁', tape: '−0.235004', analytic: '−0.235004', numeric: '−0.235004', agree: true });
    // one more Next stays at the end
    assert.equal((await step('next')).step, s.total);
    assert.equal((await step('start')).step, 0);
  });

  test('neural chain with a chosen α: ∂L/∂w₂ = −6.75, ∂L/∂w₁ = 13.5, the update lowers the loss', async function () {
    this.timeout(60_000);
    const s0 = await vscode.commands.executeCommand<State | undefined>('nnlab.walkthrough', { example: 'neural-chain', values: { alpha: 0.05 } });
    assert.ok(s0);
    assert.equal(s0.params.alpha, 0.05);
    const s = await step('end');
    assert.equal(s.rendered?.position, s.total);
    assert.equal(s.lastValues['∂L/∂y'], '−4.5');
    assert.equal(s.lastValues['∂L/∂w₂'], '−6.75');
    assert.equal(s.lastValues['∂L/∂w₁'], '13.5');
    assert.equal(s.lastValues['Δw₂'], '0.3375');
    assert.equal(s.lastValues['Δw₁'], '−0.675');
    assert.ok(Number(s.lastValues['L after the update']) < 10.125);
  });

  test('This network on xor.nn.json: every weight gets a gradient and an update', async function () {
    this.timeout(60_000);
    const [uri] = await vscode.workspace.findFiles('xor.nn.json');
    assert.ok(uri, 'xor.nn.json not in the workspace');
    const s0 = await vscode.commands.executeCommand<State | undefined>('nnlab.walkthrough', { specUri: uri.toString(), sample: 1 });
    assert.ok(s0);
    assert.equal(s0.example, 'network');
    assert.match(s0.title, /^This network: xor/);
    const s = await step('end');
    for (const k of ['∂L/∂W¹', '∂L/∂b¹', '∂L/∂W²', '∂L/∂b²', 'ΔW¹', 'ΔW²']) assert.ok(k in s.lastValues, `${k} missing from ${Object.keys(s.lastValues).join(', ')}`);
    assert.ok(s.checks.length === 17 && s.checks.every((c) => c.agree), 'tape and difference quotient agree for all 17 parameters');
  });

  test('an unknown example is a clear error, not a crash', async () => {
    const r = await vscode.commands.executeCommand<State | undefined>('nnlab.walkthrough', 'no-such-example');
    assert.equal(r, undefined);
  });
});
