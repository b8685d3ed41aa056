// The real TrainingHost: one worker per run (dist/worker/train.js), messages forwarded as events,
// state per spec, settings read at start, crashes reported without touching the extension host.
// The ▶ Train command (src/commands) owns the progress notification and the unsaved-changes prompt;
// this class refuses untrusted workspaces and invalid specs with a clear message.
import * as vscode from 'vscode';
import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { checkWorkerResult, parseWorkerMessage, type BackendReport, type HostToWorker, type LayerWeights, type ProbeAnswer, type RunSummary, type SkippedBackend, type StepReport, type StepUnit, type WorkerMethods, type WorkerToHost } from '../protocol/training';
import { Requester } from '../protocol/rpc';
import type { Config } from '../config';
import type { RunHandle, RunState, StartOptions, TrainingHost } from './api';
import { analyzeSpecWithData, MB, readTextOrUndefined } from '../core/data/read';
import { dataReadOptions } from '../language/analysis';
import { BackendUnavailableError, probeKey, probeLogLines, reportFor, sizeClass, stepSize, UNTRUSTED_TEXT, type SizeClass } from './probe';
import { childProcessOptions, trainingIsolation } from '../core/train/detect';
import { isBackendChoice, sizeOptions, type BackendChoice } from '../core/train/backend';
import { macsCount, type StepSize } from '../core/train/size';
import { epochsDoneAtBatch } from '../core/explain/progress';

interface Channel {
  post(m: HostToWorker): void;
  kill(): void;
}

interface Run {
  state: RunState;
  channel: Channel;
  finished: boolean;
  /** requests to the run's worker (its weights), answered through the shared request/response helper */
  requests: Requester<WorkerMethods>;
  lastLog: number;
  /** the trained weights a finished run sent before `done` (views of a finished run use them) */
  finalWeights?: LayerWeights[];
  /** the last step report (src/core/train/stepping.ts) */
  lastStep?: StepReport;
  /** settles the run handle's `done`: with the summary, or with the crash */
  end(result: { summary: RunSummary } | { error: Error }): void;
}

/** A probe's outcome as cached: the report, or why the chosen backend cannot be used. */
type ProbeOutcome = { report: BackendReport; error?: undefined } | { report?: undefined; error: string };

/** How long a probe may take (a tfjs-node-gpu probe runs a child process for up to 120 s). */
const PROBE_TIMEOUT_MS = 150_000;
/** How long a running model's weights may take to arrive (a panel then shows none). */
const WEIGHTS_TIMEOUT_MS = 10_000;
/** How long a step may take (an epoch of a large data set; the step is answered when it is done). */
const STEP_TIMEOUT_MS = 10 * 60_000;

/** The backends that load native code, skipped by `auto` after one crashed a training process. */
const NATIVE_BACKENDS = ['tfjs-node-gpu', 'webgpu', 'tfjs-node'] as const;

/** The probe's process ended before it answered (not a time-out). */
class ProbeCrash extends Error {
  constructor(
    message: string,
    readonly why: string,
  ) {
    super(message);
  }
}

export interface HostPaths {
  /** dist/worker/train.js */
  workerScript: string;
  /** dist/wasm */
  wasmDir: string;
  /** the extension's folder (its node_modules may hold tfjs-node) */
  extensionPath: string;
}

export class TrainingHostImpl implements TrainingHost, vscode.Disposable {
  private readonly stateEmitter = new vscode.EventEmitter<RunState>();
  private readonly messageEmitter = new vscode.EventEmitter<{ specUri: vscode.Uri; message: WorkerToHost }>();
  private readonly resetEmitter = new vscode.EventEmitter<void>();
  private readonly stepEmitter = new vscode.EventEmitter<{ specUri: vscode.Uri; report: StepReport }>();
  readonly onDidStep = this.stepEmitter.event;
  readonly onDidResetBackends = this.resetEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidReceive = this.messageEmitter.event;
  private readonly runs = new Map<string, Run>();
  private last: BackendReport | undefined;
  /** probe outcomes by probeKey(setting, module path, size class); pending ones too (asked once) */
  private readonly probes = new Map<string, Promise<ProbeOutcome>>();
  /** the cpu/wasm threshold of `auto`, learnt from the first probe's answer (the host never loads select.ts) */
  private autoMinStepMacs: number | undefined;
  private nextProbe = 1;
  private readonly probeChannels = new Set<Channel>();
  private disposed = false;
  /**
   * Set once a training process crashed while `auto` was loading the native backends (a GPU driver,
   * Dawn or CUDA failing in native code): from then on `auto` skips them, with this reason, until the
   * extension restarts. The crash itself ended only that child process (trainingIsolation).
   */
  private nativeCrash: string | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly paths: HostPaths,
    private readonly config: Config,
  ) {}

  state(specUri: vscode.Uri): RunState | undefined {
    return this.runs.get(specUri.toString())?.state;
  }
  lastBackend(): BackendReport | undefined {
    return this.last;
  }

  async start(specUri: vscode.Uri, options?: StartOptions): Promise<RunHandle> {
    const name = basename(specUri.fsPath);
    if (!vscode.workspace.isTrusted) {
      throw new Error(`NN Lab does not train in an untrusted workspace (training runs code and reads data files). Trust this folder to train ${name}.`);
    }
    if (specUri.scheme !== 'file') throw new Error(`${name}: training needs a spec saved on disk (this one is ${specUri.scheme}:)`);
    const existing = this.runs.get(specUri.toString());
    if (existing && !existing.finished) throw new Error(`${name} is already training; stop it first`);

    const { choice, modulePath, modulePaths } = this.backendSettings(specUri);
    const memoryLimitMB = this.config.memoryLimitMB(specUri);
    const maxEventsPerSec = this.config.maxEventsPerSecond(specUri);
    const specPath = specUri.fsPath;
    const text = options?.text ?? readFileSync(specPath, 'utf8');
    const dataOptions = dataReadOptions(specUri);
    // the CSV is read asynchronously with the reader's checks (in the folder, a regular file, the size cap)
    const a = await analyzeSpecWithData(text, { specPath, data: dataOptions, memoryLimitBytes: memoryLimitMB * 1024 * 1024 });
    const errors = a.problems.filter((p) => p.severity === 'error');
    if (errors.length || !a.spec) {
      const first = errors
        .slice(0, 3)
        .map((p) => `${name}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.code} ${p.message}`)
        .join('\n');
      throw new Error(`${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was trained.\n${first}`);
    }
    const size = stepSize(a.spec, a.dataInfo?.samples);
    const state: RunState = { specUri, phase: 'starting', epoch: 0, epochs: a.spec.training.epochs };
    let resolveStart!: (h: RunHandle) => void;
    let rejectStart!: (e: Error) => void;
    const started = new Promise<RunHandle>((res, rej) => {
      resolveStart = res;
      rejectStart = rej;
    });
    let startSettled = false;
    let end!: Run['end'];
    const done = new Promise<RunSummary>((res, rej) => (end = (r) => ('summary' in r ? res(r.summary) : rej(r.error))));
    // a run that never started rejects start(); nobody awaits its `done` then
    done.catch(() => undefined);
    const run: Run = {
      state,
      channel: { post: () => {}, kill: () => {} },
      finished: false,
      requests: new Requester<WorkerMethods>((m) => run.channel.post(m), { timeoutMs: WEIGHTS_TIMEOUT_MS, check: checkWorkerResult }),
      lastLog: 0,
      end,
    };
    let sawBackend = false;
    let retried = false;
    const onMessage = (m: WorkerToHost): void => {
      if (m.type === 'backend') {
        sawBackend = true;
        this.remember(choice, modulePath, size, m.report);
      }
      this.handle(run, m);
      if (!startSettled && (m.type === 'started' || m.type === 'done' || m.type === 'error')) {
        startSettled = true;
        if (m.type === 'error') rejectStart(new Error(m.message));
        else resolveStart({ runDir: m.type === 'started' ? m.runDir : m.summary.runDir, done });
      }
    };
    const launch = (): void => {
      run.channel = this.spawn(choice, onMessage, onCrash);
      run.channel.post({
        type: 'start',
        spec: a.spec!,
        specDir: dirname(specPath),
        specPath,
        backend: choice,
        modulePaths,
        wasmDir: this.paths.wasmDir,
        maxEventsPerSec,
        memoryLimitMB,
        maxDataMB: dataOptions.maxBytes! / MB,
        ...(options?.startPaused ? { startPaused: true } : {}),
        ...this.skipFor(choice),
      });
    };
    const onCrash = (why: string): void => {
      if (run.finished) return;
      // `auto` crashed its process before choosing a backend: a native one failed in native code.
      // Once: skip the native backends from now on and start again on the CPU backends.
      if (!sawBackend && !retried && choice === 'auto' && trainingIsolation(choice) === 'child-process') {
        retried = true;
        this.noteNativeCrash(name, why);
        launch();
        return;
      }
      run.finished = true;
      const message = `the training worker crashed (${why}); the run folder, if any, is marked interrupted`;
      this.log.error(`${name}: ${message}`);
      this.update(run, { phase: 'failed', error: message });
      run.requests.dispose('the training worker stopped');
      run.end({ error: new Error(message) });
      if (!startSettled) {
        startSettled = true;
        rejectStart(new Error(message));
      }
    };
    this.runs.set(specUri.toString(), run);
    this.stateEmitter.fire(state);
    this.log.info(`${name}: starting (backend setting: ${choice}, at most ${maxEventsPerSec} events/s)`);
    launch();
    return started;
  }

  /** The backend settings changed: forget a native crash and the probe answers. */
  backendSettingsChanged(): void {
    if (this.nativeCrash) this.log.info('backend settings changed: the native backends will be tried again');
    this.nativeCrash = undefined;
    this.probes.clear();
    this.resetEmitter.fire();
  }

  /** What `auto` must skip after a native crash, as the start/probe message's field. */
  private skipFor(choice: BackendChoice): { skipBackends?: SkippedBackend[] } {
    if (choice !== 'auto' || !this.nativeCrash) return {};
    const reason = this.nativeCrash;
    return { skipBackends: NATIVE_BACKENDS.map((backend) => ({ backend, reason })) };
  }

  private noteNativeCrash(name: string, why: string): void {
    this.nativeCrash = `not tried: a training process crashed while loading the native backends (${why}); NN Lab uses the CPU backends until it restarts`;
    this.probes.clear();
    this.resetEmitter.fire();
    this.log.warn(`${name}: the training process crashed before choosing a backend (${why}); trying again without the native backends (tfjs-node-gpu, webgpu, tfjs-node)`);
  }

  /** nnlab.backend (checked), nnlab.backendModulePath, and the folders native backends load from. */
  private backendSettings(specUri: vscode.Uri): { choice: BackendChoice; modulePath: string; modulePaths: string[] } {
    const choice = this.config.backend(specUri);
    if (!isBackendChoice(choice)) throw new Error(`setting nnlab.backend: unknown backend "${choice}" (auto, tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)`);
    const modulePath = this.config.backendModulePath(specUri);
    const modulePaths = [modulePath || undefined, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), this.paths.extensionPath].filter((p): p is string => !!p);
    return { choice, modulePath, modulePaths };
  }

  /** A run's own backend report answers later probes of its (setting, module path, size class). */
  private remember(choice: BackendChoice, modulePath: string, size: StepSize, report: BackendReport): void {
    const cls = sizeClass(choice, size, this.autoMinStepMacs);
    if (cls) this.probes.set(probeKey(choice, modulePath, cls), Promise.resolve({ report }));
  }

  /**
   * The backend a run of this spec (its saved file) would get, decided by selectBackend in a fresh
   * worker (TensorFlow.js never loads on this thread) and cached per (nnlab.backend,
   * nnlab.backendModulePath, size class). Rejects in an untrusted workspace ("training disabled
   * (untrusted workspace)"), for a spec that does not parse, and when the chosen backend cannot load
   * (the reason, as a run would fail with it).
   */
  async probe(specUri: vscode.Uri): Promise<BackendReport | undefined> {
    if (!vscode.workspace.isTrusted) throw new Error(UNTRUSTED_TEXT);
    if (specUri.scheme !== 'file') return undefined;
    const name = basename(specUri.fsPath);
    const { choice, modulePath, modulePaths } = this.backendSettings(specUri);
    const text = readTextOrUndefined(specUri.fsPath);
    if (text === undefined) throw new Error(`${name}: cannot read the file`);
    const a = await analyzeSpecWithData(text, { specPath: specUri.fsPath, data: dataReadOptions(specUri) });
    if (!a.spec) throw new Error(`${name} does not parse yet; its backend is chosen once it does`);
    const size = stepSize(a.spec, a.dataInfo?.samples);
    const cls = sizeClass(choice, size, this.autoMinStepMacs);
    let outcome = cls ? this.probes.get(probeKey(choice, modulePath, cls)) : undefined;
    if (!outcome) {
      const ask = (): Promise<ProbeAnswer> => this.askWorker(name, choice, modulePaths, size);
      const asked = ask()
        .catch((e: unknown) => {
          if (e instanceof ProbeCrash && choice === 'auto' && !this.nativeCrash && trainingIsolation(choice) === 'child-process') {
            this.noteNativeCrash(name, e.why);
            return ask();
          }
          throw e;
        })
        .then((answer): ProbeOutcome => {
          this.autoMinStepMacs = answer.autoMinStepMacs;
          const result: ProbeOutcome = answer.report ? { report: answer.report } : { error: answer.error ?? 'no backend report' };
          if (result.report) for (const line of probeLogLines(name, result.report)) this.log.info(line);
          else this.log.warn(`${name}: backend setting "${choice}": ${result.error}`);
          return result;
        });
      outcome = asked;
      const key = (c: SizeClass | undefined): string | undefined => (c ? probeKey(choice, modulePath, c) : undefined);
      const known = key(cls);
      if (known) this.probes.set(known, asked);
      asked.then(
        () => {
          const k = key(sizeClass(choice, size, this.autoMinStepMacs));
          if (k && !this.probes.has(k)) this.probes.set(k, asked);
        },
        () => {
          // a crash or timeout is not an answer: ask again next time
          if (known && this.probes.get(known) === asked) this.probes.delete(known);
        },
      );
    }
    const r = await outcome;
    if (r.error !== undefined) throw new BackendUnavailableError(r.error);
    const report = reportFor(r.report, size.macs);
    this.last = report;
    return report;
  }

  private askWorker(name: string, choice: BackendChoice, modulePaths: string[], size: StepSize): Promise<ProbeAnswer> {
    if (this.disposed) return Promise.reject(new Error('NN Lab is shutting down'));
    let crashed!: (why: string) => void;
    const ended = new Promise<never>((_, reject) => (crashed = (why) => reject(new ProbeCrash(`${name}: the backend probe's worker stopped (${why})`, why))));
    ended.catch(() => undefined); // a probe's worker exits after answering: that end is no failure
    const channel = this.spawn(choice, (m) => void requests.handle(m), (why) => crashed(why));
    const requests = new Requester<WorkerMethods>((m) => channel.post(m), {
      timeoutMs: PROBE_TIMEOUT_MS,
      timeoutMessage: () => `${name}: the backend probe did not answer within ${PROBE_TIMEOUT_MS / 1000} s`,
      check: checkWorkerResult,
    });
    this.probeChannels.add(channel);
    this.log.debug(`${name}: probing the backend for setting "${choice}"${size.macs !== undefined ? ` (${macsCount(size.macs)} MACs per step)` : ''}`);
    const answer = requests.request('probe', { backend: choice, modulePaths, wasmDir: this.paths.wasmDir, ...sizeOptions(size), ...this.skipFor(choice) });
    return Promise.race([answer, ended]).finally(() => {
      requests.dispose();
      this.probeChannels.delete(channel);
      setTimeout(() => channel.kill(), 200);
    });
  }

  private spawn(choice: BackendChoice, onMessage: (m: WorkerToHost) => void, onCrash: (why: string) => void): Channel {
    const script = this.paths.workerScript;
    // every message from the worker is checked before the host acts on it (a child process's IPC)
    const deliver = (raw: unknown): void => {
      const parsed = parseWorkerMessage(raw);
      if (parsed.ok) onMessage(parsed.value);
      else this.log.warn(`training worker: ignored an invalid message: ${parsed.error}`);
    };
    if (trainingIsolation(choice) === 'child-process') {
      const o = childProcessOptions();
      this.log.debug(`${choice}: the worker runs as a child process (${o.runtime === 'node' ? 'Node.js' : 'Electron as Node'}: ${o.execPath})`);
      const child: ChildProcess = fork(script, [], { execPath: o.execPath, env: o.env, serialization: o.serialization, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.on('message', deliver);
      child.on('error', (e) => onCrash(e.message));
      child.on('exit', (code, signal) => {
        if (code !== 0 || signal) onCrash(`${signal ? `signal ${signal}` : `exit code ${code}`}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`);
        else onCrash('it exited before finishing the run');
      });
      return { post: (m) => void (child.connected && child.send(m)), kill: () => void child.kill() };
    }
    const worker = new Worker(script, { stdout: false, stderr: false });
    worker.on('message', deliver);
    worker.on('error', (e) => onCrash(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => onCrash(code === 0 ? 'it exited before finishing the run' : `exit code ${code}`));
    return { post: (m) => worker.postMessage(m), kill: () => void worker.terminate() };
  }

  private update(run: Run, patch: Partial<RunState>): void {
    Object.assign(run.state, patch);
    this.stateEmitter.fire(run.state);
  }

  private handle(run: Run, m: WorkerToHost): void {
    if (m.type === 'response') {
      run.requests.handle(m);
      return;
    }
    const name = basename(run.state.specUri.fsPath);
    this.messageEmitter.fire({ specUri: run.state.specUri, message: m });
    switch (m.type) {
      case 'backend':
        this.last = m.report;
        this.update(run, { backend: m.report });
        break;
      case 'started':
        this.log.info(`${name}: training ${m.epochs} epochs × ${m.stepsPerEpoch} steps${m.runDir ? ` → ${m.runDir}` : ''}`);
        this.update(run, { phase: 'running', epochs: m.epochs, runDir: m.runDir });
        break;
      case 'batch':
        this.update(run, { batchLoss: m.loss, epoch: Math.max(run.state.epoch, epochsDoneAtBatch(m.epoch)) });
        break;
      case 'epoch': {
        const now = Date.now();
        if (now - run.lastLog > 2000 || m.epoch === m.epochs) {
          run.lastLog = now;
          this.log.debug(
            `${name}: epoch ${m.epoch}/${m.epochs} loss ${m.loss.toPrecision(4)}${m.valLoss !== undefined ? ` val ${m.valLoss.toPrecision(4)}` : ''}${m.accuracy !== undefined ? ` acc ${(100 * m.accuracy).toFixed(1)} %` : ''}, ${Math.round(m.samplesPerSec)} samples/s`,
          );
        }
        this.update(run, { epoch: m.epoch, epochs: m.epochs, loss: m.loss });
        break;
      }
      case 'paused':
        this.update(run, { phase: 'paused' });
        break;
      case 'resumed':
        this.update(run, { phase: 'running' });
        break;
      case 'weights':
        run.finalWeights = m.layers;
        break;
      case 'error':
        this.log.error(`${name}: ${m.message}${m.step ? ` (step ${m.step})` : ''}`);
        this.update(run, { error: m.message });
        break;
      case 'done': {
        run.finished = true;
        const s = m.summary;
        const failed = s.stopReason === 'error' || s.stopReason === 'nan';
        (failed ? this.log.error : this.log.info).call(this.log, `${name}: ${s.stopReason}${s.message ? ` — ${s.message}` : ''}`);
        this.update(run, { phase: failed ? 'failed' : 'finished', summary: s, runDir: s.runDir ?? run.state.runDir, epoch: s.epochs, loss: Number.isFinite(s.finalLoss) ? s.finalLoss : run.state.loss, ...(failed ? { error: s.message ?? run.state.error } : {}) });
        run.requests.dispose('the run has finished');
        run.end({ summary: s });
        setTimeout(() => run.channel.kill(), 1000);
        break;
      }
    }
  }

  private send(specUri: vscode.Uri, m: HostToWorker): void {
    const run = this.runs.get(specUri.toString());
    if (run && !run.finished) run.channel.post(m);
  }
  stop(specUri: vscode.Uri): void {
    this.send(specUri, { type: 'stop' });
  }
  pause(specUri: vscode.Uri): void {
    this.send(specUri, { type: 'pause' });
  }
  resume(specUri: vscode.Uri): void {
    this.send(specUri, { type: 'resume' });
  }
  async step(specUri: vscode.Uri, unit: StepUnit): Promise<StepReport> {
    const run = this.runs.get(specUri.toString());
    if (!run || run.finished) throw new Error(`${basename(specUri.fsPath)} is not training: ▶ Train it first, or step it from the start`);
    const report = await run.requests.request('step', { unit }, STEP_TIMEOUT_MS);
    run.lastStep = report;
    this.stepEmitter.fire({ specUri, report });
    return report;
  }
  lastStep(specUri: vscode.Uri): StepReport | undefined {
    const run = this.runs.get(specUri.toString());
    return run && !run.finished ? run.lastStep : undefined;
  }
  weights(specUri: vscode.Uri): Promise<LayerWeights[] | undefined> {
    const run = this.runs.get(specUri.toString());
    if (!run) return Promise.resolve(undefined);
    if (run.finished) return Promise.resolve(run.finalWeights);
    return run.requests.request('weights', {}).then(
      (r) => r.layers,
      (e: unknown) => {
        // the run ended meanwhile: its final weights (sent before `done`), else none
        if (run.finished) return run.finalWeights;
        this.log.warn(`${basename(specUri.fsPath)}: no weights (${e instanceof Error ? e.message : String(e)})`);
        return undefined;
      },
    );
  }

  dispose(): void {
    this.disposed = true;
    for (const c of this.probeChannels) c.kill();
    this.probeChannels.clear();
    for (const run of this.runs.values()) {
      if (!run.finished) {
        run.finished = true;
        run.channel.post({ type: 'stop', reason: 'interrupted' });
        run.end({ error: new Error('NN Lab is shutting down: the run was interrupted') });
        setTimeout(() => run.channel.kill(), 2000);
      }
    }
    this.stateEmitter.dispose();
    this.resetEmitter.dispose();
    this.stepEmitter.dispose();
    this.messageEmitter.dispose();
  }
}

export function hostPaths(context: vscode.ExtensionContext): HostPaths {
  return {
    workerScript: join(context.extensionPath, 'dist', 'worker', 'train.js'),
    wasmDir: join(context.extensionPath, 'dist', 'wasm'),
    extensionPath: context.extensionPath,
  };
}
