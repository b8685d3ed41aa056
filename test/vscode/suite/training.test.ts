// The training host (src/training/host.ts) inside a real VS Code: the backend probe, run control through
// the NN Lab commands (start → pause → step batch → step epoch → resume → stop) with the worker's step
// and epoch numbers, one run per spec, refusal of an invalid spec (nothing written), the run folder of a
// stopped run, and the weights request. Specs are copies of samples/ in a fresh folder of the test
// workspace (itself a temporary copy of samples/), removed at the end.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeSpec } from '../../../src/core/spec/analyze';
import type { RunState, Services, TrainingHost } from '../../../src/training/api';
import type { RunSummary, WorkerToHost } from '../../../src/protocol/training';
import { poll as pollEvery } from '../helpers';

const EXTENSION_ID = 'nnlab.nnlab';
const poll = <T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => pollEvery(what, fn, timeoutMs, 25);
/** BackendName in src/core/train/backend.ts (not imported: that module's neighbours load TensorFlow.js) */
const BACKENDS = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'];

suite('training host: probe, run control through the commands, refusals, runs on disk, weights', () => {
  let training: TrainingHost;
  let root: vscode.Uri;
  let xor: vscode.Uri;
  let xorLong: vscode.Uri;
  let bad: vscode.Uri;
  let xorText: string;
  /** every worker message of each spec, in order */
  const received = new Map<string, WorkerToHost[]>();
  const subs: vscode.Disposable[] = [];

  const messages = (uri: vscode.Uri): WorkerToHost[] => received.get(uri.toString()) ?? [];
  const next = <T extends WorkerToHost['type']>(uri: vscode.Uri, type: T, pred: (m: Extract<WorkerToHost, { type: T }>) => boolean, from = 0): Promise<Extract<WorkerToHost, { type: T }>> =>
    poll(`a "${type}" message for ${uri.path.split('/').pop()} (got ${messages(uri).slice(from).map((m) => m.type).join(',') || 'none'})`, () =>
      messages(uri)
        .slice(from)
        .find((m): m is Extract<WorkerToHost, { type: T }> => m.type === type && pred(m as Extract<WorkerToHost, { type: T }>)),
    );
  const write = async (rel: string, text: string): Promise<vscode.Uri> => {
    const uri = vscode.Uri.joinPath(root, rel);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  };
  const runDirs = (specDir: vscode.Uri): string[] => {
    const d = join(specDir.fsPath, '.nnlab', 'runs');
    return existsSync(d) ? readdirSync(d).sort() : [];
  };

  suiteSetup(async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension<{ services: Services }>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    await ext.activate();
    training = ext.exports.services.training;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace has no folder');
    assert.ok(vscode.workspace.isTrusted, 'the test workspace must be trusted to train');
    root = vscode.Uri.joinPath(folder.uri, `training-suite-${Date.now()}`);
    await vscode.workspace.fs.createDirectory(root);
    const sample = (name: string): Record<string, unknown> => {
      const raw = JSON.parse(readFileSync(join(folder.uri.fsPath, name), 'utf8')) as Record<string, unknown>;
      delete raw.$schema;
      return raw;
    };
    const x = sample('xor.nn.json');
    xorText = JSON.stringify(x, null, 2);
    xor = await write('xor.nn.json', xorText);
    // the same network, one sample per step (4 steps an epoch), no early stop, far too many epochs to finish
    const long = sample('xor.nn.json');
    long.training = { epochs: 100_000, batchSize: 1, shuffle: false, seed: 42 };
    xorLong = await write('long/xor-long.nn.json', JSON.stringify(long, null, 2));
    bad = await write('bad/learning-rate-zero.nn.json', JSON.stringify(sample('invalid/learning-rate-zero.nn.json'), null, 2));
    subs.push(
      training.onDidReceive(({ specUri, message }) => {
        const k = specUri.toString();
        if (!received.has(k)) received.set(k, []);
        received.get(k)!.push(message);
      }),
    );
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    for (const u of [xor, xorLong, bad]) {
      const s = u && training?.state(u);
      if (s && (s.phase === 'running' || s.phase === 'paused' || s.phase === 'starting')) training.stop(u);
    }
    for (const d of subs) d.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // let stopped workers finish their folders before removing them
    await new Promise((r) => setTimeout(r, 1500));
    if (root) await vscode.workspace.fs.delete(root, { recursive: true, useTrash: false });
  });

  test('probe answers with the backend a run would get, without loading TensorFlow.js on the extension host', async function () {
    this.timeout(90_000);
    assert.ok(training.probe, 'TrainingHost.probe is implemented');
    const report = await training.probe(xor);
    assert.ok(report, 'a file spec in a trusted workspace gets a report');
    assert.ok(BACKENDS.includes(report.active), `active backend "${report.active}"`);
    assert.ok(report.device.length > 0);
    // auto (the default setting) tried every faster backend first and says why each was skipped
    assert.ok(report.reason.startsWith('auto: '), report.reason);
    const order = BACKENDS.slice(0, BACKENDS.indexOf(report.active));
    for (const b of order) {
      const s = report.skipped.find((x) => x.backend === b);
      assert.ok(s && s.reason.length > 5, `no reason for skipping ${b}: ${JSON.stringify(report.skipped)}`);
    }
    if (report.active === 'cpu') {
      // xor 2-4-1 with batch 4: (2·4 + 4·1) · 4 = 48 multiply-adds per step, below wasm's crossover
      assert.equal(report.reason, 'auto: small network (48 MACs per step) → cpu');
      assert.match(report.skipped.find((s) => s.backend === 'wasm')!.reason, /^small network \(48 MACs per step < [\d,]+\)/);
    }
    assert.deepEqual(training.lastBackend(), report);
    // a spec of the same size class is answered from the cache, with its own size: batch 1 → 12 MACs
    const long = await training.probe(xorLong);
    assert.ok(long);
    assert.equal(long.active, report.active);
    if (long.active === 'cpu') assert.equal(long.reason, 'auto: small network (12 MACs per step) → cpu');
    // a wider hidden layer is another size class, probed on its own: 2-2000-1 at batch 4 is
    // (2·2000 + 2000·1) · 4 = 24,000 multiply-adds per step, above auto's cpu/wasm crossover
    const wide = JSON.parse(xorText) as { layers: { units: number }[] };
    wide.layers[0]!.units = 2000;
    const wideReport = await training.probe(await write('wide/xor-wide.nn.json', JSON.stringify(wide, null, 2)));
    assert.ok(wideReport);
    if (report.active === 'cpu') {
      // no GPU backend here: the size decides
      assert.equal(wideReport.active, 'wasm', JSON.stringify(wideReport));
      // 10000: AUTO_WASM_MIN_STEP_MACS (src/core/train/select.ts; not imported: it would load TensorFlow.js here)
      assert.equal(wideReport.reason, 'auto: network of 24,000 MACs per step ≥ 10,000 → wasm');
    } else assert.equal(wideReport.active, report.active, 'a GPU backend is preferred whatever the size');
    // TensorFlow.js creates globalThis._tfengine when it loads: the probe loaded it in a worker only
    assert.equal((globalThis as { _tfengine?: unknown })._tfengine, undefined, 'TensorFlow.js was loaded on the extension host thread');
  });

  test('probe honours nnlab.backend: "cpu" is requested, "tfjs-node" (not installed) is a clear error', async function () {
    this.timeout(90_000);
    const cfg = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('nnlab');
    try {
      await cfg().update('backend', 'cpu', vscode.ConfigurationTarget.Global);
      const r = await training.probe!(xor);
      assert.deepEqual(r && { active: r.active, reason: r.reason, skipped: r.skipped }, { active: 'cpu', reason: 'requested: cpu', skipped: [] });
      await cfg().update('backend', 'tfjs-node', vscode.ConfigurationTarget.Global);
      await assert.rejects(training.probe!(xor), (e: unknown) => e instanceof Error && /^backend tfjs-node cannot be used: not installed/.test(e.message));
    } finally {
      await cfg().update('backend', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('start → pause → step (batch) → step (epoch) → resume → stop through the commands; one run per spec; weights 2×4 and 4×1; summary says stopped', async function () {
    this.timeout(180_000);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(xorLong));
    const runsBefore = runDirs(vscode.Uri.joinPath(root, 'long'));
    // the command resolves when the run ends (it owns the progress notification): not awaited here
    const trainCommand = Promise.resolve(vscode.commands.executeCommand('nnlab.train', xorLong));
    const running = await poll('the run to start', () => {
      const s = training.state(xorLong);
      return s?.phase === 'running' ? s : undefined;
    });
    assert.equal(running.epochs, 100_000);
    const started = await next(xorLong, 'started', () => true);
    assert.equal(started.stepsPerEpoch, 4);
    assert.ok(started.runDir, 'the run has a folder');
    const runDir = started.runDir;
    assert.deepEqual(runDirs(vscode.Uri.joinPath(root, 'long')), [...runsBefore, runDir.split('/').pop()].sort());
    // while it runs, its summary.json says "interrupted" (never "completed" before the end)
    assert.equal((JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary).stopReason, 'interrupted');

    // one run per spec: a second start is refused, by the host and by the command
    await assert.rejects(training.start(xorLong), (e: unknown) => e instanceof Error && e.message === 'xor-long.nn.json is already training; stop it first');
    const second = Promise.resolve(vscode.commands.executeCommand('nnlab.train', xorLong));
    await new Promise((r) => setTimeout(r, 500));
    await vscode.commands.executeCommand('notifications.clearAll');
    await Promise.race([second, new Promise((r) => setTimeout(r, 3000))]);
    assert.equal(runDirs(vscode.Uri.joinPath(root, 'long')).length, runsBefore.length + 1, 'a second run folder was created');
    assert.equal(training.state(xorLong)?.runDir, runDir);

    // pause (the title bar's Pause button)
    let from = messages(xorLong).length;
    await vscode.commands.executeCommand('nnlab.pause', xorLong);
    const paused = await next(xorLong, 'paused', () => true, from);
    const p = paused.step;
    assert.ok(p >= 1, `paused at step ${p}`);
    assert.equal(training.state(xorLong)?.phase, 'paused');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(messages(xorLong).slice(from).filter((m) => m.type === 'batch' && m.step > p).length, 0, 'no step runs while paused');

    // weights while paused: xor 2-4-1 → W 2×4, b 4; W 4×1, b 1; the same twice (nothing moves)
    const w = await training.weights(xorLong);
    assert.ok(w, 'weights answered');
    assert.deepEqual(
      w.map((l) => ({ layer: l.layer, rows: l.W.length, cols: l.W.map((r) => r.length), b: l.b?.length })),
      [
        { layer: 0, rows: 2, cols: [4, 4], b: 4 },
        { layer: 1, rows: 4, cols: [1, 1, 1, 1], b: 1 },
      ],
    );
    assert.ok(w.every((l) => l.W.flat().every(Number.isFinite) && (l.b ?? []).every(Number.isFinite)));
    assert.deepEqual(await training.weights(xorLong), w);

    // step one batch: exactly step p+1, then paused again there
    from = messages(xorLong).length;
    await vscode.commands.executeCommand('nnlab.step', xorLong);
    const q = p + 1;
    const batch = await next(xorLong, 'batch', (m) => m.step === q, from);
    assert.equal(batch.epoch, Math.floor(p / 4) + 1);
    assert.equal(batch.batch, (p % 4) + 1);
    await next(xorLong, 'paused', (m) => m.step === q, from);
    assert.equal(messages(xorLong).slice(from).filter((m) => m.type === 'batch' && m.step > q).length, 0, 'one batch only');
    let s: RunState | undefined = training.state(xorLong);
    assert.equal(s?.phase, 'paused');
    assert.equal(s?.epoch, Math.floor(q / 4), 'completed epochs after the batch');
    const w2 = await training.weights(xorLong);
    assert.notDeepEqual(w2, w, 'a step moved the weights');

    // step one epoch: to the end of the epoch in progress, then paused
    from = messages(xorLong).length;
    await vscode.commands.executeCommand('nnlab.stepEpoch', xorLong);
    const end = (Math.floor(q / 4) + 1) * 4;
    const epoch = await next(xorLong, 'epoch', (m) => m.step === end, from);
    assert.equal(epoch.epoch, end / 4);
    assert.equal(epoch.epochs, 100_000);
    assert.ok(Number.isFinite(epoch.loss) && epoch.loss >= 0);
    await next(xorLong, 'paused', (m) => m.step === end, from);
    s = training.state(xorLong);
    assert.equal(s?.phase, 'paused');
    assert.equal(s?.epoch, end / 4);
    assert.equal(s?.loss, epoch.loss);

    // resume (the title bar's Resume button, shown while paused): running again, steps beyond `end`
    from = messages(xorLong).length;
    await vscode.commands.executeCommand('nnlab.resume', xorLong);
    await next(xorLong, 'resumed', () => true, from);
    await next(xorLong, 'batch', (m) => m.step > end + 4, from);
    assert.equal(training.state(xorLong)?.phase, 'running');

    // stop: the run ends "stopped", and its folder says so
    from = messages(xorLong).length;
    await vscode.commands.executeCommand('nnlab.stop', xorLong);
    const done = await next(xorLong, 'done', () => true, from);
    assert.equal(done.summary.stopReason, 'stopped');
    assert.match(done.summary.message ?? '', /^stopped at step \d+, after epoch \d+\/100000$/);
    await Promise.race([trainCommand, new Promise((r) => setTimeout(r, 10_000))]);
    s = training.state(xorLong);
    assert.equal(s?.phase, 'finished');
    assert.equal(s?.summary?.stopReason, 'stopped');
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(summary.stopReason, 'stopped');
    assert.notEqual(summary.stopReason, 'completed');
    assert.equal(summary.steps, done.summary.steps);
    assert.ok(summary.steps > end + 4, `steps ${summary.steps}`);
    assert.ok(summary.epochs < 100_000);
    const csv = readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.filter((l) => l.startsWith('step,')).length, summary.steps, 'one metrics row per step');
    assert.ok(existsSync(join(runDir, 'model.json')), 'the stopped run keeps its model');
    assert.equal(training.state(xorLong)?.runDir, runDir);
  });

  test('a spec with a validation error is refused with the problem, and nothing is written under .nnlab/runs', async () => {
    const text = readFileSync(bad.fsPath, 'utf8');
    const problem = analyzeSpec(text, { specPath: bad.fsPath }).problems.find((p) => p.severity === 'error');
    assert.ok(problem, 'the spec core finds the error');
    assert.equal(problem.code, 'NN104');
    await assert.rejects(training.start(bad), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.equal(
        e.message,
        `learning-rate-zero.nn.json has 1 error; nothing was trained.\nlearning-rate-zero.nn.json:${problem.range.start.line + 1}:${problem.range.start.character + 1}: NN104 ${problem.message}`,
      );
      return true;
    });
    assert.equal(training.state(bad), undefined, 'no run state for a refused spec');
    assert.equal(existsSync(join(root.fsPath, 'bad', '.nnlab')), false, '.nnlab was created for a refused spec');
    assert.equal(readFileSync(bad.fsPath, 'utf8'), text, 'the spec is unchanged');
  });

  test('the xor sample trains to the end through the host: completed or reached its target, summary.json agrees', async function () {
    this.timeout(120_000);
    const states: string[] = [];
    const sub = training.onDidChangeState((st) => {
      if (st.specUri.toString() === xor.toString() && states[states.length - 1] !== st.phase) states.push(st.phase);
    });
    try {
      const run = await training.start(xor);
      // the run handle: `done` resolves with the summary once the run has ended, and the state agrees
      const summary = await run.done;
      const s = training.state(xor)!;
      assert.equal(s.phase, 'finished', `${states.join(' → ')}: ${s.error ?? ''}`);
      assert.deepEqual(summary, s.summary);
      assert.equal(run.runDir, s.runDir);
      assert.ok(s.summary && (s.summary.stopReason === 'completed' || s.summary.stopReason === 'lossBelowTarget'), s.summary?.stopReason);
      assert.ok(s.summary.finalLoss < 0.01, `final loss ${s.summary.finalLoss}`);
      const onDisk = JSON.parse(readFileSync(join(s.runDir!, 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(onDisk.stopReason, s.summary.stopReason);
      assert.equal(onDisk.finalLoss, s.summary.finalLoss);
      // the run's own backend report is the one the probe announced (same setting, same size)
      assert.equal(s.backend?.active, (await training.probe!(xor))?.active);
      assert.equal(readFileSync(xor.fsPath, 'utf8'), xorText, 'the spec is unchanged');

      // after the run the host still answers with the trained weights (views of a finished run use them)
      const final = await training.weights(xor);
      assert.deepEqual(final?.map((l) => [l.W.length, l.W[0]?.length, l.b?.length]), [[2, 4, 4], [4, 1, 1]]);
      // and "This network" walks through either the initial or these trained weights, as asked
      type WState = { example: string; weights?: string; checks: { name: string; tape: string; agree: boolean }[] };
      const walk = (weights: 'initial' | 'trained'): Thenable<WState | undefined> => vscode.commands.executeCommand<WState | undefined>('nnlab.walkthrough', { specUri: xor.toString(), sample: 1, weights });
      const trained = await walk('trained');
      const initial = await walk('initial');
      assert.equal(trained?.weights, 'trained');
      assert.equal(initial?.weights, 'initial');
      assert.equal(trained.checks.length, 17);
      assert.ok(trained.checks.every((c) => c.agree) && initial.checks.every((c) => c.agree), 'tape and difference quotient agree');
      assert.deepEqual(trained.checks.map((c) => c.name), initial.checks.map((c) => c.name));
      assert.notDeepEqual(trained.checks.map((c) => c.tape), initial.checks.map((c) => c.tape), 'trained and initial weights give different gradients');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      sub.dispose();
    }
  });
});
