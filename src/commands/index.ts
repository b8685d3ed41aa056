// The commands table: every NN Lab command (category "NN Lab", and the internal `nnlab._*` ones the
// tests use) is one row of COMMANDS below, registered in one loop; each finds its spec with the one
// resolver, `services.specs` (src/commands/spec.ts). Train / Stop / Pause-Resume / Step Sample / Batch / Epoch
// (through the training host), the panels (Loss, Graph, Activations, Walkthrough), Inspect Network,
// New Network from Template…, Open Run, Show Output. Also keeps the context keys `nnlab.training` (the
// active editor's spec is training) and `nnlab.hasSpec` up to date.
// To add a command: a row here, and its entry in package.json's contributes.commands (unless internal).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { duration, loss as fmtLoss } from '../core/explain/format';
import { epochText, lossText } from '../core/explain/progress';
import type { BackendReport, StepReport, StepUnit } from '../protocol/training';
import { stepDoneText } from '../core/explain/step';
import { isActive, type RunState, type Services } from '../training/api';
import type { PanelManager, SpecPanelKind } from '../panels';
import type { Lab } from '../lab';
import type { Walkthroughs, WalkthroughArg } from '../walkthrough';
import { parseActivationName } from '../protocol/webview';
import type { NavigateTarget } from '../protocol/walkthrough';
import { pickSpec, specArg } from './spec';
import { analyze, analyzeText, isSpecUri } from '../language/analysis';
import { INSPECT_SCHEME, InspectContentProvider, inspectUri } from './inspect';
import { newFromTemplate } from './templates';
import { trainSeeds } from './seeds';
import { writeEditedWeights } from '../panels/edit';
import { knownUnsavedChoice, UNSAVED_BUTTONS, UNSAVED_DETAIL, UNSAVED_STATE_KEY, unsavedPick } from './unsaved';

const same = (a: vscode.Uri, b: vscode.Uri): boolean => a.toString() === b.toString();

/** The panel hosts the table's panel commands open. */
export interface PanelHosts {
  panels: PanelManager;
  walkthroughs: Walkthroughs;
  lab: Lab;
}

export function register(context: vscode.ExtensionContext, services: Services, hosts: PanelHosts): void {
  const { log, training, specs } = services;
  const specFrom = (arg: unknown, preferRunning = false): vscode.Uri | undefined => specs.resolve(arg, preferRunning);

  const noSpec = (): void => void vscode.window.showWarningMessage('NN Lab: open a .nn.json network spec first.');

  // ---- context keys
  const contextKeys = new Map<string, boolean>();
  const setKey = (key: string, value: boolean): void => {
    if (contextKeys.get(key) === value) return;
    contextKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  const updateContext = (): void => {
    const editor = vscode.window.activeTextEditor;
    const uri = editor && isSpecUri(editor.document.uri) ? editor.document.uri : undefined;
    setKey('nnlab.training', !!uri && isActive(training.state(uri)));
    // the title bar shows Pause while the run goes, Resume while it is paused (issue 13 item 19)
    setKey('nnlab.paused', !!uri && training.state(uri)?.phase === 'paused');
    setKey('nnlab.hasSpec', vscode.window.visibleTextEditors.some((e) => isSpecUri(e.document.uri)));
  };

  // ---- Train (`startPaused`: a Step command on an untrained spec; resolves once the run is paused at its start)
  async function train(arg?: unknown, startPaused = false): Promise<void> {
    const uri = specFrom(arg);
    if (!uri) return noSpec();
    const name = basename(uri.path);
    if (!vscode.workspace.isTrusted) {
      const pick = await vscode.window.showWarningMessage(
        `NN Lab does not train in an untrusted workspace (training runs code and reads data files). Lenses, hovers and diagnostics still work.`,
        'Manage Workspace Trust',
      );
      if (pick) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    if (isActive(training.state(uri))) {
      const pick = await vscode.window.showInformationMessage(`${name} is already training (one run per spec at a time).`, 'Show Loss Curves', 'Stop');
      if (pick === 'Stop') training.stop(uri);
      else if (pick) await vscode.commands.executeCommand('nnlab.showLoss', uri).then(undefined, () => log.show(true));
      return;
    }

    // Saved file or editor buffer?
    const doc = vscode.workspace.textDocuments.find((d) => same(d.uri, uri));
    let text: string | undefined;
    if (doc?.isUntitled) {
      const saved = await vscode.window.showInformationMessage(`Save ${name} first: runs are written next to the spec.`, { modal: true }, 'Save');
      if (!saved) return;
      // an untitled document saves (Save As) to a new uri, which becomes the active editor
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.save');
      const savedDoc = vscode.window.activeTextEditor?.document;
      if (savedDoc && !savedDoc.isUntitled && isSpecUri(savedDoc.uri)) return train(savedDoc.uri, startPaused);
      if (savedDoc && !savedDoc.isUntitled) void vscode.window.showWarningMessage(`NN Lab trains *.nn.json files; ${basename(savedDoc.uri.path)} is not one.`);
      return;
    }
    if (doc?.isDirty) {
      const choice = await unsavedChoice(name);
      if (!choice) return;
      if (choice === 'save') {
        if (!(await doc.save())) return;
      } else {
        text = doc.getText();
      }
    }

    // Check what will be trained before starting (the same analysis as the Problems view).
    let a;
    try {
      a = text !== undefined ? analyzeText(text, uri) : doc ? analyze(doc) : analyzeText(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), uri);
    } catch (err) {
      void vscode.window.showErrorMessage(`NN Lab: cannot read ${name}: ${String(err)}`);
      return;
    }
    const errors = a.problems.filter((p) => p.severity === 'error');
    if (errors.length || !a.spec) {
      const first = errors[0];
      const where = first ? ` (line ${first.range.start.line + 1}: ${first.message})` : '';
      const pick = await vscode.window.showErrorMessage(`NN Lab: ${name} has ${errors.length || 'a'} problem${errors.length === 1 ? '' : 's'} to fix before training${where}`, 'Show Problems');
      if (pick) await vscode.commands.executeCommand('workbench.actions.view.problems');
      return;
    }

    log.info(`▶ Train ${vscode.workspace.asRelativePath(uri)} (${text !== undefined ? 'unsaved editor contents' : 'saved file'})${startPaused ? ', paused before its first step' : ''}`);
    specs.noteRun(uri);
    if (!startPaused) return void (await runWithProgress(uri, name, text, false));
    // the run goes on (paused, stepped) after this command: wait only until it has started
    let started!: () => void;
    const isStarted = new Promise<void>((r) => (started = r));
    await Promise.race([isStarted, runWithProgress(uri, name, text, true, started)]);
  }

  async function unsavedChoice(name: string): Promise<'save' | 'buffer' | undefined> {
    const known = knownUnsavedChoice(services.config.unsavedChanges(), context.workspaceState.get(UNSAVED_STATE_KEY));
    if (known) return known;
    const buttons: string[] = [UNSAVED_BUTTONS.save, UNSAVED_BUTTONS.buffer, ...(vscode.workspace.workspaceFolders?.length ? [UNSAVED_BUTTONS.always] : [])];
    const picked = unsavedPick(await vscode.window.showWarningMessage(`${name} has unsaved changes.`, { modal: true, detail: UNSAVED_DETAIL }, ...buttons));
    if (!picked) return undefined;
    if (picked.remember === 'workspaceSetting') {
      await services.config.update('training.unsavedChanges', picked.choice).then(undefined, (err) => log.warn(`could not remember the choice: ${String(err)}`));
    } else {
      await context.workspaceState.update(UNSAVED_STATE_KEY, picked.choice);
    }
    return picked.choice;
  }

  function runWithProgress(uri: vscode.Uri, name: string, text: string | undefined, startPaused: boolean, onStarted?: () => void): Thenable<void> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `NN Lab: training ${name}`, cancellable: true }, async (progress, token) => {
      let loggedBackend = false;
      let reported = 0;
      const subs = [
        training.onDidChangeState((s) => {
          if (!same(s.specUri, uri)) return;
          if (s.backend && !loggedBackend) {
            loggedBackend = true;
            logBackend(s.backend);
          }
          if (!isActive(s)) return;
          const pct = s.epochs > 0 ? (100 * s.epoch) / s.epochs : 0;
          const l = lossText(s) ? ` · ${lossText(s)}` : '';
          progress.report({ message: `${s.phase === 'paused' ? 'paused at ' : ''}${epochText(s.epoch, s.epochs)}${l}`, increment: Math.max(0, pct - reported) });
          reported = Math.max(reported, pct);
        }),
        token.onCancellationRequested(() => training.stop(uri)),
      ];
      try {
        const run = await training.start(uri, text !== undefined || startPaused ? { ...(text !== undefined ? { text } : {}), ...(startPaused ? { startPaused } : {}) } : undefined);
        onStarted?.();
        // a crash rejects `done`; the run state then says failed, with the reason
        await run.done.catch(() => undefined);
        logEnd(name, training.state(uri));
      } catch (err) {
        logEnd(name, training.state(uri), err);
      } finally {
        for (const d of subs) d.dispose();
        specs.noteRun(uri, true);
        updateContext();
      }
    });
  }

  function logBackend(b: BackendReport): void {
    log.info(`Backend: ${b.active} (${b.device}): ${b.reason}`);
    for (const s of b.skipped) log.info(`  skipped ${s.backend}: ${s.reason}`);
  }

  function logEnd(name: string, s: RunState | undefined, err?: unknown): void {
    if (err !== undefined) {
      const msg = err instanceof Error ? err.message : String(err);
      log.error(`Training ${name} failed to start: ${msg}`);
      void vscode.window.showErrorMessage(`NN Lab: training ${name} failed: ${msg}`, 'Show Output').then((p) => p && log.show(true));
      return;
    }
    if (!s) return;
    if (s.phase === 'failed' || s.summary?.stopReason === 'nan' || s.summary?.stopReason === 'error') {
      const msg = s.error ?? s.summary?.message ?? 'unknown error';
      log.error(`Training ${name} failed: ${msg}`);
      void vscode.window.showErrorMessage(`NN Lab: training ${name} failed: ${msg}`, 'Show Output').then((p) => p && log.show(true));
      return;
    }
    const sum = s.summary;
    if (sum) {
      log.info(
        `Run ${name} ${sum.stopReason}: loss ${fmtLoss(sum.finalLoss)} (best ${fmtLoss(sum.bestLoss)}) after ${epochText(sum.epochs, s.epochs)}, ${sum.steps} steps, ` +
          `in ${duration(sum.elapsedMs)} on ${sum.backend.active}${sum.runDir ?? s.runDir ? `; run folder ${sum.runDir ?? s.runDir}` : ''}`,
      );
    }
  }

  // ---- run control
  function control(fn: (uri: vscode.Uri, s: RunState) => void): (arg?: unknown) => void {
    return (arg?: unknown) => {
      const uri = specFrom(arg, true);
      if (!uri) return noSpec();
      const s = training.state(uri);
      if (!isActive(s)) {
        void vscode.window.showInformationMessage(`NN Lab: ${basename(uri.path)} is not training. ▶ Train it first (then Pause, Step, Stop).`, 'Train').then((p) => p && train(uri));
        return;
      }
      fn(uri, s);
    };
  }

  // ---- Step: one sample, one batch or one epoch (src/core/train/stepping.ts); an untrained spec (or one
  // whose run has ended) starts a run paused before its first step, then steps. Returns the step's report.
  const stepCommand =
    (unit: StepUnit) =>
    async (arg?: unknown): Promise<StepReport | undefined> => {
      const uri = specFrom(arg, true);
      if (!uri) {
        noSpec();
        return undefined;
      }
      if (!isActive(training.state(uri))) {
        await train(uri, true);
        if (!isActive(training.state(uri))) return undefined; // not started: train() said why
      }
      try {
        const report = await training.step(uri, unit);
        log.debug(`${basename(uri.path)}: ${stepDoneText(report)}`);
        return report;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        void vscode.window.showWarningMessage(`NN Lab: ${basename(uri.path)}: the step did not run (${msg}).`);
        return undefined;
      }
    };

  // ---- Open Run
  async function openRun(arg?: unknown): Promise<void> {
    let dir: vscode.Uri | undefined = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.file(arg) : undefined;
    if (!dir) {
      const uri = specFrom(undefined);
      const s = uri && training.state(uri);
      const d = s?.runDir ?? s?.summary?.runDir;
      if (d) dir = vscode.Uri.file(d);
    }
    if (!dir) {
      void vscode.window.showInformationMessage('NN Lab: no run to open yet; ▶ Train the spec first.');
      return;
    }
    for (const f of ['summary.json', 'metrics.csv']) {
      const file = vscode.Uri.joinPath(dir, f);
      try {
        await vscode.workspace.fs.stat(file);
        await vscode.window.showTextDocument(file, { preview: true });
        await vscode.commands.executeCommand('revealInExplorer', file).then(undefined, () => undefined);
        return;
      } catch {
        // try the next file
      }
    }
    void vscode.window.showWarningMessage(`NN Lab: the run folder ${dir.fsPath} has no summary.json or metrics.csv (an interrupted run?).`);
  }

  // ---- Inspect
  const inspectProvider = new InspectContentProvider();
  async function inspect(arg?: unknown): Promise<void> {
    const uri = specFrom(arg);
    if (!uri) return noSpec();
    const doc = await vscode.workspace.openTextDocument(inspectUri(uri));
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  // ---- panels: the spec from the one resolver, else the workspace's only spec or the user's pick
  const { panels, walkthroughs } = hosts;
  const showPanel = (kind: SpecPanelKind) => async (arg?: unknown): Promise<void> => {
    const uri = specFrom(arg) ?? (await pickSpec());
    if (uri) await panels.show(kind, uri);
  };
  // arguments: an activation name (the editor hover's link) and/or a spec, in either order
  const showActivations = async (a?: unknown, b?: unknown): Promise<void> => {
    const activation = parseActivationName(a) ?? parseActivationName(b);
    await panels.show('activations', specFrom(specArg(a) ? a : b), activation);
  };

  /** The commands table: command id → handler (arguments as VS Code passes them). */
  const COMMANDS: Record<string, (...args: never[]) => unknown> = {
    'nnlab.train': train,
    'nnlab.stop': control((uri) => training.stop(uri)),
    'nnlab.pauseResume': control((uri, s) => (s.phase === 'paused' ? training.resume(uri) : training.pause(uri))),
    'nnlab.pause': control((uri) => training.pause(uri)),
    'nnlab.resume': control((uri) => training.resume(uri)),
    // Step (issue 16 item 3): nnlab.step is the earlier name of nnlab.stepBatch, kept for keybindings
    'nnlab.stepSample': stepCommand('sample'),
    'nnlab.stepBatch': stepCommand('batch'),
    'nnlab.stepEpoch': stepCommand('epoch'),
    'nnlab.step': stepCommand('batch'),
    'nnlab.showLoss': showPanel('loss'),
    'nnlab.showGraph': showPanel('graph'),
    'nnlab.showActivations': showActivations,
    'nnlab.walkthrough': (arg?: WalkthroughArg) => walkthroughs.open(arg),
    'nnlab.inspect': inspect,
    'nnlab.newFromTemplate': (file?: unknown, mode?: unknown) => newFromTemplate(context.extensionUri, log, file, mode),
    'nnlab.openRun': openRun,
    'nnlab.showOutput': () => log.show(true),
    // issue 16 item 7 (i13-compare): N seeds of the spec, grouped for the loss panel's band (src/commands/seeds.ts)
    'nnlab.trainSeeds': async (arg?: unknown, count?: number) => {
      const uri = specFrom(arg) ?? (await pickSpec());
      if (uri) return trainSeeds(services, uri, typeof count === 'number' ? count : undefined);
      return noSpec();
    },
    // issue 16 (i16-formula): the graph panel's edited weights into the spec's init values, as an undoable edit
    'nnlab.writeWeightsToSpec': async (arg?: unknown): Promise<boolean> => {
      const uri = specFrom(arg);
      if (!uri) {
        noSpec();
        return false;
      }
      const edited = panels.editedWeights(uri);
      if (!edited) {
        void vscode.window.showInformationMessage('NN Lab: no edited weights for this spec. Open its graph (Neurons view), click a weight or a bias and type a new value first.');
        return false;
      }
      return writeEditedWeights(uri, edited, log);
    },
    // the lab panel's experiments (src/lab): the spec, and for the sweep the learning rates
    'nnlab.initLab': (arg?: unknown) => hosts.lab.run('init', arg),
    'nnlab.sweep': (arg?: unknown, alphas?: unknown) => hosts.lab.run('sweep', arg, alphas),
    // internal: what the extension-host and end-to-end tests observe and drive
    'nnlab._panelState': () => panels.report(),
    'nnlab._walkthroughState': () => walkthroughs.state(),
    'nnlab._walkthroughStep': (to?: NavigateTarget | number) => walkthroughs.step(to),
  };
  for (const [id, handler] of Object.entries(COMMANDS)) context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));

  context.subscriptions.push(
    inspectProvider,
    vscode.workspace.registerTextDocumentContentProvider(INSPECT_SCHEME, inspectProvider),
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    vscode.window.onDidChangeVisibleTextEditors(updateContext),
    training.onDidChangeState(updateContext),
  );
  updateContext();
}
