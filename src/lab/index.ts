// The lab (issue 16 #4, #5): NN Lab: Compare Initialisations (nnlab.initLab) and NN Lab: Sweep Learning
// Rate / Batch Size (nnlab.sweep) open the spec's lab panel and run the experiment in a worker thread
// (dist/worker/lab.js, CPU backend, variants one after another), sending its progress and result to
// the panel. One experiment per spec at a time: a new one ends the previous. Refused in an untrusted
// workspace (it trains and reads data files), and for a spec with errors.
import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { basename, join } from 'node:path';
import type { Services } from '../training/api';
import type { PanelManager } from '../panels';
import { parseLabWorkerMessage, type ExperimentKind, type HostToLabWorker, type LabState } from '../protocol/lab';
import { parseSpec } from '../core/spec';
import { dataReadOptions } from '../language/analysis';
import { pickSpec } from '../commands/spec';
import { Disposable } from '../dispose';

export class Lab extends Disposable {
  private readonly states = new Map<string, LabState>();
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: Services,
    private readonly panels: PanelManager,
  ) {
    super();
    panels.labState = (uri) => this.states.get(uri.toString());
  }

  /** The lab state of a spec (the extension-host tests read it). */
  state(uri: vscode.Uri): LabState | undefined {
    return this.states.get(uri.toString());
  }

  /** Runs an experiment on the spec `arg` names (else the resolver's, else the user's pick); resolves with its final state. */
  async run(kind: ExperimentKind, arg?: unknown, alphas?: unknown): Promise<LabState | undefined> {
    const uri = this.services.specs.resolve(arg) ?? (await pickSpec());
    if (!uri) return undefined;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('NN Lab does not run experiments in an untrusted workspace (they train and read data files).');
      return undefined;
    }
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    const parsed = parseSpec(text);
    const errors = parsed.problems.filter((p) => p.severity === 'error');
    if (!parsed.spec || errors.length) {
      void vscode.window.showErrorMessage(`NN Lab: ${basename(uri.path)} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (${errors[0]?.code ?? ''} ${errors[0]?.message ?? ''})`.trim());
      return undefined;
    }
    const sweepAlphas = kind === 'sweep' && Array.isArray(alphas) && alphas.length && alphas.every((a) => typeof a === 'number' && Number.isFinite(a) && a > 0) ? (alphas as number[]) : undefined;
    await this.panels.show('lab', uri);
    const key = uri.toString();
    this.workers.get(key)?.terminate();
    const set = (s: LabState): void => {
      this.states.set(key, s);
      this.panels.postTo('lab', uri, { type: 'lab', state: s });
    };
    const base = { kind, ...(sweepAlphas ? { alphas: sweepAlphas } : {}) };
    set({ phase: 'running', ...base });
    const worker = new Worker(join(this.context.extensionPath, 'dist', 'worker', 'lab.js'), { stdout: false, stderr: false });
    this.workers.set(key, worker);
    const t0 = performance.now();
    return new Promise<LabState>((resolve) => {
      let ended = false;
      // a worker replaced by a newer experiment of the spec (or ended) no longer writes its state
      const current = (): boolean => this.workers.get(key) === worker;
      const end = (s: LabState): void => {
        if (ended) return;
        ended = true;
        if (current()) {
          this.workers.delete(key);
          set(s);
        }
        resolve(s);
      };
      worker.on('message', (raw: unknown) => {
        const m = parseLabWorkerMessage(raw);
        if (!m.ok) return this.services.log.warn(`lab worker: ignored an invalid message: ${m.error}`);
        const v = m.value;
        if (v.type === 'progress') {
          if (current()) set({ phase: 'running', ...base, progress: v.progress });
        }
        else if (v.type === 'result') {
          this.services.log.info(`lab: ${kind} on ${basename(uri.path)}: ${v.result.variants.length} variants in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
          end({ phase: 'done', ...base, result: v.result });
        } else end({ phase: 'error', ...base, error: v.message });
      });
      worker.on('error', (e) => end({ phase: 'error', ...base, error: e instanceof Error ? e.message : String(e) }));
      worker.on('exit', (code) => end({ phase: 'error', ...base, error: current() ? `the experiment's worker stopped (exit code ${code})` : 'replaced by a newer experiment' }));
      const msg: HostToLabWorker = {
        type: 'run',
        spec: parsed.spec!,
        specPath: uri.fsPath,
        specName: basename(uri.path),
        kind,
        ...(sweepAlphas ? { alphas: sweepAlphas } : {}),
        maxDataBytes: dataReadOptions(uri).maxBytes,
        memoryLimitMB: this.services.config.memoryLimitMB(uri),
      };
      worker.postMessage(msg);
    });
  }

  override dispose(): void {
    for (const w of this.workers.values()) void w.terminate();
    this.workers.clear();
    super.dispose();
  }
}

export function register(context: vscode.ExtensionContext, services: Services, panels: PanelManager): Lab {
  const lab = new Lab(context, services, panels);
  context.subscriptions.push(lab);
  return lab;
}
