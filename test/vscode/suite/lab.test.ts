// The lab inside a real VS Code: NN Lab: Sweep Learning Rate / Batch Size on samples/xor.nn.json runs in
// its worker and the lab panel reports the results table, the same cells `nnlab lab sweep` prints
// (experimentTable); a newer experiment of the same spec replaces a running one, which then writes no
// state. Observed through the commands' results and `nnlab._panelState`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LabState } from '../../../src/protocol/lab';
import type { PanelStateReport } from '../../../src/panels/index';
import { activateWithXor } from '../helpers';

async function labPanel(): Promise<PanelStateReport | undefined> {
  return ((await vscode.commands.executeCommand<PanelStateReport[]>('nnlab._panelState')) ?? []).find((s) => s.panel === 'lab');
}

suite('lab: Compare Initialisations and Sweep', () => {
  let xor: vscode.Uri;

  suiteSetup(async () => {
    xor = await activateWithXor();
  });

  test('a sweep started while the initialisation lab runs replaces it; the panel shows the sweep table', async function () {
    this.timeout(120_000);
    const first = vscode.commands.executeCommand<LabState>('nnlab.initLab', xor);
    const second = vscode.commands.executeCommand<LabState>('nnlab.sweep', xor, [0.05, 0.5]);
    const replaced = await first;
    assert.equal(replaced.phase, 'error');
    assert.equal(replaced.error, 'replaced by a newer experiment');
    const done = await second;
    assert.equal(done.phase, 'done', done.error);
    assert.equal(done.kind, 'sweep');
    const r = done.result!;
    // xor: α 0.05 (the spec's) and 0.5, then batch 1, 2 and full (4 samples)
    assert.deepEqual(r.variants.map((v) => v.label), ['α = 0.05', 'α = 0.5', 'batch 1', 'batch 2', 'batch full (4)']);
    // α = 0.05 is the spec as it is: 58 epochs to ε, as samples/xor.nn.json says
    assert.equal(r.variants[0]!.epochsToTarget, 58);
    const t0 = Date.now();
    let panel = await labPanel();
    while (!(panel?.lab?.phase === 'done' && panel.lab.kind === 'sweep') && Date.now() - t0 < 20_000) {
      await new Promise((res) => setTimeout(res, 200));
      panel = await labPanel();
    }
    assert.equal(panel?.lab?.kind, 'sweep', JSON.stringify(panel));
    // the cells `nnlab lab sweep samples/xor.nn.json --alphas 0.05,0.5` prints (time left out)
    assert.deepEqual(panel!.lab!.table!.map((row) => row.filter((_, i) => i !== 5)), [
      ['α = 0.05', '0.000994', '0.000994', '58', '58', 'reached ε'],
      ['α = 0.5', '0.000921', '0.000921', '19', '19', 'reached ε'],
      ['batch 1', '0.000998', '0.000998', '186', '186', 'reached ε'],
      ['batch 2', '0.000988', '0.000988', '209', '209', 'reached ε'],
      ['batch full (4)', '0.000994', '0.000994', '58', '58', 'reached ε'],
    ]);
  });
});
