// The training host's child-process path inside a real VS Code. Desktop VS Code (Electron) runs every
// `auto` or GPU run in a forked child process (trainingIsolation in src/core/train/detect.ts);
// code-server's extension host is plain Node and would use a worker thread, so this suite forces the
// child process with NNLAB_TRAINING_ISOLATION (read at each spawn) and checks, through the host's own
// API: the run starts, pauses, steps, answers a weights request over IPC, stops with a complete run
// folder, and the child is a real process of the extension host that exits after the run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Services, TrainingHost } from '../../../src/training/api';
import type { WorkerToHost } from '../../../src/protocol/training';
import { poll as pollEvery } from '../helpers';
import { runFiles } from '../../unit/train/helpers';

const EXTENSION_ID = 'nnlab.nnlab';
const poll = <T>(what: string, fn: () => T | undefined, timeoutMs = 30_000): Promise<T> => pollEvery(what, fn, timeoutMs, 25);

/** Child processes of this extension host whose command line runs the training worker (Linux /proc). */
function workerChildren(): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ');
      if (/dist[\\/]worker[\\/]train\.js/.test(cmd)) pids.push(Number(d));
    } catch {
      // the process ended while we read it
    }
  }
  return pids;
}

suite('training host: the child-process path (as in desktop VS Code)', () => {
  let training: TrainingHost;
  let root: vscode.Uri;
  let spec: vscode.Uri;
  const messages: WorkerToHost[] = [];
  const subs: vscode.Disposable[] = [];
  const before = process.env.NNLAB_TRAINING_ISOLATION;

  suiteSetup(async function () {
    this.timeout(60_000);
    if (process.platform !== 'linux') this.skip();
    const ext = vscode.extensions.getExtension<{ services: Services }>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    await ext.activate();
    training = ext.exports.services.training;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder && vscode.workspace.isTrusted, 'a trusted test workspace');
    root = vscode.Uri.joinPath(folder.uri, `isolation-suite-${Date.now()}`);
    await vscode.workspace.fs.createDirectory(root);
    const xor = JSON.parse(readFileSync(join(folder.uri.fsPath, 'xor.nn.json'), 'utf8')) as Record<string, unknown>;
    delete xor.$schema;
    xor.name = 'xor-child';
    xor.training = { epochs: 100_000, batchSize: 1, shuffle: false, seed: 42 };
    spec = vscode.Uri.joinPath(root, 'xor-child.nn.json');
    await vscode.workspace.fs.writeFile(spec, new TextEncoder().encode(JSON.stringify(xor, null, 2)));
    subs.push(training.onDidReceive(({ specUri, message }) => specUri.toString() === spec.toString() && messages.push(message)));
    process.env.NNLAB_TRAINING_ISOLATION = 'child-process';
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    if (before === undefined) delete process.env.NNLAB_TRAINING_ISOLATION;
    else process.env.NNLAB_TRAINING_ISOLATION = before;
    const s = spec && training?.state(spec);
    if (s && (s.phase === 'running' || s.phase === 'paused' || s.phase === 'starting')) training.stop(spec);
    for (const d of subs) d.dispose();
    await new Promise((r) => setTimeout(r, 1000));
    if (root) await vscode.workspace.fs.delete(root, { recursive: true, useTrash: false });
  });

  test('start → pause → step an epoch → weights over IPC → stop: a complete run folder, and the child exits', async function () {
    this.timeout(120_000);
    const childrenBefore = workerChildren();
    await training.start(spec);
    await poll('the run to be running', () => (training.state(spec)?.phase === 'running' ? true : undefined), 60_000);
    const mine = await poll('a forked worker process of this extension host', () => {
      const now = workerChildren().filter((p) => !childrenBefore.includes(p));
      return now.length ? now : undefined;
    });
    training.pause(spec);
    await poll('paused', () => (training.state(spec)?.phase === 'paused' ? true : undefined));
    const pausedAt = (messages.filter((m): m is Extract<WorkerToHost, { type: 'paused' }> => m.type === 'paused').pop() as Extract<WorkerToHost, { type: 'paused' }>).step;
    training.step(spec, 'epoch');
    await poll('one more epoch', () => messages.find((m) => m.type === 'paused' && m.step > pausedAt && m.step % 4 === 0));
    const weights = await training.weights(spec);
    assert.ok(weights, 'weights answered over IPC');
    assert.deepEqual([weights[0].W.length, weights[0].W[0].length, weights[1].W.length, weights[1].b?.length], [2, 4, 4, 1]);
    assert.ok(weights.every((l) => l.W.flat().every(Number.isFinite)));
    training.stop(spec);
    const done = await poll('done', () => messages.find((m): m is Extract<WorkerToHost, { type: 'done' }> => m.type === 'done'));
    assert.equal(done.summary.stopReason, 'stopped');
    assert.equal(done.summary.steps % 4, 0, 'stopped at the epoch boundary it was paused on');
    const runDir = done.summary.runDir as string;
    assert.ok(existsSync(runDir));
    assert.deepEqual(runFiles(runDir), ['events.out.tfevents.*', 'metrics.csv', 'model.json', 'spec.nn.json', 'summary.json', 'weights.bin']);
    assert.equal(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')).stopReason, 'stopped');
    await poll(`the child processes ${mine.join(', ')} to exit`, () => (workerChildren().some((p) => mine.includes(p)) ? undefined : true), 15_000);
    assert.equal(training.state(spec)?.phase, 'finished');
  });

  // "Press Train and it runs on the GPU", with Dawn's software adapter standing in for a GPU (the
  // environment variables of docs/gpu.md, read by the worker when the backend loads) and the webgpu
  // package the .vsix carries: the probe behind the status bar and a whole run choose webgpu, in a
  // worker thread and in a child process alike, with nothing installed by hand.
  for (const isolation of ['worker-thread', 'child-process'] as const) {
    test(`auto picks webgpu when a (software) WebGPU adapter is allowed, and the run completes: ${isolation}`, async function () {
      this.timeout(120_000);
      const keys = ['EGL_PLATFORM', 'NNLAB_DAWN_FLAGS', 'NNLAB_WEBGPU_ALLOW_SOFTWARE'] as const;
      const saved = keys.map((k) => process.env[k]);
      Object.assign(process.env, { EGL_PLATFORM: 'surfaceless', NNLAB_DAWN_FLAGS: 'backend=opengles', NNLAB_WEBGPU_ALLOW_SOFTWARE: '1', NNLAB_TRAINING_ISOLATION: isolation });
      const short = vscode.Uri.joinPath(root, `xor-webgpu-${isolation}.nn.json`);
      // no nnlab.backendModulePath: the platform package carries Dawn's binding (scripts/package.mjs)
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      assert.ok(existsSync(join(ext.extensionPath, 'dist', 'node_modules', 'webgpu', 'package.json')), 'the .vsix carries dist/node_modules/webgpu');
      try {
        const xor = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(spec))) as Record<string, unknown>;
        xor.name = `xor-webgpu-${isolation}`;
        xor.training = { epochs: 30, batchSize: 4, seed: 42 };
        await vscode.workspace.fs.writeFile(short, new TextEncoder().encode(JSON.stringify(xor, null, 2)));
        const report = await training.probe!(short);
        assert.ok(report);
        if (report.active !== 'webgpu') {
          // the only acceptable reason: this machine has no Mesa EGL (CI installs it)
          const why = report.skipped.find((x) => x.backend === 'webgpu')?.reason ?? '';
          assert.match(why, /^no GPU adapter/, JSON.stringify(report));
          this.skip();
        }
        assert.equal(report.reason, 'auto: GPU available → webgpu');
        assert.match(report.device, /llvmpipe.* via OpenGL \(WebGPU, Dawn, software, allowed by NNLAB_WEBGPU_ALLOW_SOFTWARE\)$/);
        const got: WorkerToHost[] = [];
        subs.push(training.onDidReceive(({ specUri, message }) => specUri.toString() === short.toString() && got.push(message)));
        await training.start(short);
        const done = await poll('done', () => got.find((m): m is Extract<WorkerToHost, { type: 'done' }> => m.type === 'done'), 90_000);
        assert.equal(done.summary.backend.active, 'webgpu');
        assert.equal(done.summary.stopReason, 'completed');
        assert.equal(done.summary.epochs, 30);
        assert.ok(Number.isFinite(done.summary.finalLoss) && done.summary.finalLoss < 0.25, `final loss ${done.summary.finalLoss}`);
        assert.deepEqual(runFiles(done.summary.runDir as string), ['events.out.tfevents.*', 'metrics.csv', 'model.json', 'spec.nn.json', 'summary.json', 'weights.bin']);
      } finally {
        keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
        process.env.NNLAB_TRAINING_ISOLATION = 'child-process';
      }
    });
  }

  test('samples/mnist.nn.json (101,770 parameters) under auto: the run completes in its child process, final weights kept', async function () {
    this.timeout(120_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const mnist = JSON.parse(readFileSync(join(folder.fsPath, 'mnist.nn.json'), 'utf8')) as Record<string, unknown>;
    delete mnist.$schema;
    mnist.name = 'mnist-child';
    mnist.training = { epochs: 1, batchSize: 64, seed: 42, validationSplit: 0.1 };
    mnist.data = { type: 'mnist', samples: 640 };
    const uri = vscode.Uri.joinPath(root, 'mnist-child.nn.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(mnist, null, 2)));
    const got: WorkerToHost[] = [];
    subs.push(training.onDidReceive(({ specUri, message }) => specUri.toString() === uri.toString() && got.push(message)));
    await training.start(uri);
    const done = await poll('done', () => got.find((m): m is Extract<WorkerToHost, { type: 'done' }> => m.type === 'done'), 90_000);
    assert.equal(done.summary.stopReason, 'completed');
    assert.equal(training.state(uri)?.phase, 'finished');
    // the last weights came through before the end: the views keep the trained network
    const weights = await training.weights(uri);
    assert.deepEqual(weights?.map((l) => [l.W.length, l.W[0].length]), [[784, 128], [128, 10]]);
  });

  // A GPU driver or Dawn failing in native code kills the process that loaded it. Stand-in: a `webgpu`
  // package whose import kills its own (child) process. `auto` must end up training on the CPU, with the
  // crash as the reason the native backends were skipped, and the extension host must live on.
  test('a native backend that crashes its training process: auto retries without the native backends, and says why', async function () {
    this.timeout(120_000);
    const fixture = vscode.Uri.joinPath(root, 'crashing-gpu', 'node_modules', 'webgpu');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(fixture, 'package.json'), new TextEncoder().encode(JSON.stringify({ name: 'webgpu', version: '0.0.0-crash', type: 'module', main: 'index.js' })));
    const crash = [
      "import { isMainThread } from 'node:worker_threads';",
      '// only ever a forked child process: in a worker thread this would kill the extension host',
      "if (!isMainThread || typeof process.send !== 'function') throw new Error('not a child process: refusing to crash');",
      "process.kill(process.pid, 'SIGKILL');",
    ].join('\n');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(fixture, 'index.js'), new TextEncoder().encode(crash));
    const short = vscode.Uri.joinPath(root, 'xor-crash.nn.json');
    const xor = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(spec))) as Record<string, unknown>;
    xor.name = 'xor-crash';
    xor.training = { epochs: 20, batchSize: 4, seed: 42 };
    await vscode.workspace.fs.writeFile(short, new TextEncoder().encode(JSON.stringify(xor, null, 2)));
    const cfg = vscode.workspace.getConfiguration('nnlab');
    const flags = process.env.NNLAB_DAWN_FLAGS;
    // a forced Dawn backend skips the Vulkan-loader check, so the (crashing) package is imported
    process.env.NNLAB_DAWN_FLAGS = 'backend=vulkan';
    await cfg.update('backendModulePath', join(root.fsPath, 'crashing-gpu'), vscode.ConfigurationTarget.Global);
    const REASON = /^not tried: a training process crashed while loading the native backends \(signal SIGKILL\); NN Lab uses the CPU backends until it restarts$/;
    try {
      const got: WorkerToHost[] = [];
      subs.push(training.onDidReceive(({ specUri, message }) => specUri.toString() === short.toString() && got.push(message)));
      await training.start(short);
      const done = await poll('done', () => got.find((m): m is Extract<WorkerToHost, { type: 'done' }> => m.type === 'done'), 90_000);
      assert.equal(done.summary.stopReason, 'completed');
      assert.equal(done.summary.backend.active, 'cpu');
      const why = new Map(done.summary.backend.skipped.map((x) => [x.backend, x.reason]));
      for (const b of ['tfjs-node-gpu', 'webgpu', 'tfjs-node']) assert.match(why.get(b) ?? '', REASON, `${b}: ${why.get(b)}`);
      // later runs and the status bar's probe skip them at once, without crashing again
      const report = await training.probe!(short);
      assert.ok(report);
      assert.equal(report.active, 'cpu');
      assert.match(report.skipped.find((x) => x.backend === 'webgpu')?.reason ?? '', REASON);
    } finally {
      if (flags === undefined) delete process.env.NNLAB_DAWN_FLAGS;
      else process.env.NNLAB_DAWN_FLAGS = flags;
      // another module folder: the native backends get another chance
      await cfg.update('backendModulePath', undefined, vscode.ConfigurationTarget.Global);
    }
    const after = await training.probe!(short);
    assert.ok(after && !after.skipped.some((x) => /crashed/.test(x.reason)), JSON.stringify(after));
  });
});
