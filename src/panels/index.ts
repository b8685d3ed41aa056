// NN Lab's webview panels, all hosted by one PanelManager: loss curves, graph, activation explorer
// (one `SpecPanel` content, the protocol of protocol/webview.ts) and the backprop walkthrough (its own
// content, src/walkthrough/). One panel of a kind per spec (the walkthrough: one), opened in the one NN
// Lab column or revealed if open, restored after a window reload, strict CSP, every webview message
// validated. Their commands are in the commands table (src/commands/index.ts).
import * as vscode from 'vscode';
import type { Services } from '../training/api';
import type { LayerWeights, WorkerToHost } from '../protocol/training';
import {
  PANEL_KINDS,
  parseActivationName,
  parseWebviewMessage,
  type DataSample,
  type HostToWebview,
  type PanelKind,
  type PanelObservation,
  type RunSeries,
  type SpecView,
  type WebviewMethods,
  type WebviewToHost,
} from '../protocol/webview';
import { answerRequest, type Parsed } from '../protocol/rpc';
import type { ActivationName } from '../core/spec/types';
import { parseSpec } from '../core/spec';
import { buildSpecView } from '../core/view/specView';
import { parseMetricsCsv } from '../core/view/metrics';
import { cleanRunLabel, latestRunWeights, parseRunMeta, RUN_LABEL_MAX, RUN_META_FILE, runMetaText } from '../core/train/runs';
import { hyperParams } from '../core/view/compare';
import { dataReadOptions } from '../language/analysis';
import { PanelContent, PanelHost, panelColumn, panelOptions, viewType } from './panelHost';
import { specInitialWeights } from './edit';
import { sampleStride } from '../core/view/edit';
import { Disposable } from '../dispose';
import type { LabState } from '../protocol/lab';

/** Each panel kind's tab title, and whether opening it takes the focus from the editor. */
export const PANELS: Record<PanelKind, { title: string; takesFocus: boolean }> = {
  loss: { title: 'Loss', takesFocus: false },
  graph: { title: 'Graph', takesFocus: false },
  activations: { title: 'Activation Functions', takesFocus: true },
  walkthrough: { title: 'Backprop', takesFocus: true },
  lab: { title: 'Lab', takesFocus: false },
};

/** The panels of a spec: every kind but the walkthrough, which has its own content. */
export type SpecPanelKind = Exclude<PanelKind, 'walkthrough'>;

/** What the webview keeps with `setState` so the serializer can restore it. */
interface SavedState {
  specUri?: string;
  activation?: ActivationName;
  /** the whole state a restored webview had saved: a panel recreated in its place boots with it */
  webviewState?: unknown;
}

/** A loss, graph or activation panel: the spec it shows, what its webview last reported, what it answers. */
class SpecPanel extends PanelContent<WebviewToHost, HostToWebview> {
  observation: PanelObservation;
  /** the weights edited in this (graph) panel, for "Write Edited Weights to Spec" */
  edited: LayerWeights[] | null = null;
  constructor(
    private readonly manager: PanelManager,
    kind: PanelKind,
    specUri: vscode.Uri | undefined,
    private readonly saved: SavedState,
  ) {
    super(kind, specUri);
    this.observation = { panel: kind };
  }

  parse(raw: unknown): Parsed<WebviewToHost> {
    return parseWebviewMessage(raw);
  }

  title(): string {
    const title = PANELS[this.kind].title;
    return this.specUri ? `${title}: ${(this.specUri.path.split('/').pop() ?? '').replace(/\.nn\.json$/, '')}` : title;
  }

  override boot(restored: boolean): unknown {
    return { panel: this.kind, specUri: this.specUri?.toString(), activation: this.observation.activation ?? this.saved.activation, restored, state: this.saved.webviewState };
  }

  onMessage(msg: WebviewToHost): Promise<void> {
    return this.manager.onSpecPanelMessage(this, msg);
  }
}

export interface PanelStateReport extends PanelObservation {
  specUri?: string;
  visible: boolean;
  active: boolean;
}

/** Message history of each spec's current run, so a panel opened or restored mid-run catches up. */
const MAX_HISTORY = 200_000;

/** The content of a panel VS Code restored after a reload, from the state its webview saved. */
export type RestorePanel = (state: unknown) => PanelContent | Promise<PanelContent>;

export class PanelManager extends Disposable {
  private readonly panels = new Map<string, PanelContent>();
  private readonly history = new Map<string, WorkerToHost[]>();
  /** kinds with their own content (the walkthrough); the others are spec panels */
  private readonly restorers = new Map<PanelKind, RestorePanel>();
  /** the lab's state per spec (src/lab), sent to a lab panel when it is ready */
  labState: ((specUri: vscode.Uri) => LabState | undefined) | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: Services,
  ) {
    super();
    this.register(services.training.onDidReceive(({ specUri, message }) => this.onTraining(specUri, message)));
    this.register(services.training.onDidStep(({ specUri, report }) => this.toSpec(specUri, { type: 'step', report })));
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => this.onSpecChanged(doc.uri)));
  }

  private key(kind: PanelKind, specUri?: vscode.Uri): string {
    return `${kind}|${specUri?.toString() ?? ''}`;
  }

  /** How a kind with its own content (not a spec panel) comes back after a reload. */
  define(kind: PanelKind, restore: RestorePanel): void {
    this.restorers.set(kind, restore);
  }

  /** The content of the open panel of `kind` for `specUri` (a kind with one panel: no spec). */
  get(kind: PanelKind, specUri?: vscode.Uri): PanelContent | undefined {
    return this.panels.get(this.key(kind, specUri));
  }

  /** Opens a panel showing `content` in the one NN Lab column, or reveals the one open for its kind and spec (returned). */
  open(content: PanelContent): PanelContent {
    const existing = this.get(content.kind, content.specUri);
    const preserveFocus = !PANELS[content.kind].takesFocus;
    if (existing?.panel) {
      if (existing !== content) content.dispose();
      existing.panel.reveal(existing.panel.viewColumn ?? panelColumn(), preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(viewType(content.kind), content.title(), { viewColumn: panelColumn(), preserveFocus }, panelOptions(this.context.extensionUri));
    this.attach(content, panel);
    return content;
  }

  /** Opens (or reveals) the loss, graph or activation panel for `specUri`. */
  async show(kind: SpecPanelKind, specUri: vscode.Uri | undefined, activation?: ActivationName): Promise<void> {
    const existing = this.get(kind, specUri);
    if (existing) {
      this.open(existing);
      if (activation && existing instanceof SpecPanel) existing.post({ type: 'select', activation });
      return;
    }
    this.open(new SpecPanel(this, kind, specUri, { activation }));
  }

  /** Re-attaches a panel VS Code restored after a reload. */
  async restore(kind: PanelKind, panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restore = this.restorers.get(kind);
    let content: PanelContent;
    try {
      content = restore ? await restore(state) : this.restoreSpecPanel(kind, state);
    } catch (e) {
      this.services.log.error(`${kind} panel: not restored: ${e instanceof Error ? e.message : String(e)}`);
      panel.dispose();
      return;
    }
    this.attach(content, panel, true);
  }

  private restoreSpecPanel(kind: PanelKind, state: unknown): SpecPanel {
    const s: SavedState = {};
    if (typeof state === 'object' && state !== null) {
      s.webviewState = state;
      const r = state as Record<string, unknown>;
      if (typeof r.specUri === 'string') s.specUri = r.specUri;
      const a = parseActivationName(r.activation);
      if (a) s.activation = a;
    }
    let specUri: vscode.Uri | undefined;
    try {
      specUri = s.specUri ? vscode.Uri.parse(s.specUri, true) : undefined;
    } catch {
      specUri = undefined;
    }
    return new SpecPanel(this, kind, specUri, s);
  }

  /** Shows `content` in `panel`; a webview that never starts is replaced once, the content moving to the fresh one. */
  private attach(content: PanelContent, panel: vscode.WebviewPanel, restored = false, generation = 0): void {
    const key = this.key(content.kind, content.specUri);
    const old = this.panels.get(key);
    this.panels.set(key, content);
    // a panel restored where one is open already takes its place
    if (old && old !== content) old.panel?.dispose();
    panel.title = content.title();
    const host: PanelHost<{ type: string }> = new PanelHost(panel, {
      kind: content.kind,
      htmlTitle: content.htmlTitle,
      extensionUri: this.context.extensionUri,
      log: this.services.log,
      restored,
      generation,
      boot: () => content.boot(restored),
      parse: (raw) => content.parse(raw),
      onMessage: (msg) => content.onMessage(msg),
      isCurrent: (): boolean => this.panels.get(key) === content && content.host === host,
      replace: (fresh) => this.attach(content, fresh, restored, generation + 1),
    });
    content.host = host;
    const closed = panel.onDidDispose(() => {
      closed.dispose();
      host.dispose();
      // closed, not replaced by a fresh webview: the content goes with it
      if (content.host !== host) return;
      content.dispose();
      if (this.panels.get(key) === content) this.panels.delete(key);
    });
  }

  /** What the loss, graph and activation panels ask and report. */
  async onSpecPanelMessage(entry: SpecPanel, msg: WebviewToHost): Promise<void> {
    const training = this.services.training;
    switch (msg.type) {
      case 'ready': {
        const spec = entry.specUri ? await this.specView(entry.specUri) : undefined;
        entry.post({ type: 'init', panel: entry.kind, spec });
        const backend = training.lastBackend();
        if (backend) entry.post({ type: 'backend', report: backend });
        const h = entry.specUri ? this.history.get(entry.specUri.toString()) : undefined;
        if (h?.length) entry.post({ type: 'history', messages: h });
        const step = entry.specUri ? training.lastStep(entry.specUri) : undefined;
        if (step) entry.post({ type: 'step', report: step });
        const lab = entry.kind === 'lab' && entry.specUri ? this.labState?.(entry.specUri) : undefined;
        if (lab) entry.post({ type: 'lab', state: lab });
        return;
      }
      case 'runLab':
        if (entry.specUri) await vscode.commands.executeCommand(msg.kind === 'init' ? 'nnlab.initLab' : 'nnlab.sweep', entry.specUri, msg.alphas);
        return;
      case 'control': {
        const uri = entry.specUri;
        if (!uri) {
          void vscode.window.showWarningMessage('NN Lab: this panel has no spec to train.');
          return;
        }
        switch (msg.action) {
          case 'train':
            await vscode.commands.executeCommand('nnlab.train', uri);
            return;
          case 'pause':
            return training.pause(uri);
          case 'resume':
            return training.resume(uri);
          // the Step commands: they also start an untrained spec paused, and say why a step cannot run
          case 'stepSample':
            await vscode.commands.executeCommand('nnlab.stepSample', uri);
            return;
          case 'step':
            await vscode.commands.executeCommand('nnlab.stepBatch', uri);
            return;
          case 'stepEpoch':
            await vscode.commands.executeCommand('nnlab.stepEpoch', uri);
            return;
          case 'stop':
            return training.stop(uri);
        }
        return;
      }
      case 'observe':
        entry.observation = msg.state;
        return;
      case 'log':
        this.services.log[msg.level](`${entry.kind} panel: ${msg.message}`);
        return;
      case 'export':
        await this.export(entry, msg.format, msg.name, msg.data);
        return;
      // the graph panel's weight editing and formula card (src/panels/edit.ts)
      case 'editedWeights':
        entry.edited = msg.layers;
        return;
      case 'writeWeights':
        await vscode.commands.executeCommand('nnlab.writeWeightsToSpec', entry.specUri);
        return;
      case 'openWalkthrough': {
        if (!entry.specUri) return;
        await vscode.commands.executeCommand('nnlab.walkthrough', { example: 'network', specUri: entry.specUri.toString(), sample: msg.sample, weights: msg.weights, quantity: msg.quantity });
        return;
      }
      case 'request':
        await answerRequest<WebviewMethods>(
          msg,
          {
            listRuns: (p) => (entry.specUri ? this.listRuns(entry.specUri, p.limit) : []),
            weights: async () => (entry.specUri ? this.weights(entry.specUri) : null),
            sample: (p) => (entry.specUri ? this.sample(entry.specUri, p.max) : null),
            runMetrics: () => (entry.specUri ? this.runMetrics(entry.specUri) : null),
            renameRun: (p) => (entry.specUri ? this.renameRun(entry.specUri, p.id) : null),
            initialWeights: () => (entry.specUri ? specInitialWeights(entry.specUri) : null),
          },
          (res) => void entry.panel?.webview.postMessage(res).then(undefined, () => undefined),
        );
        return;
    }
  }

  /**
   * The weights a panel of `specUri` draws: the run of this window (live or just finished), else, with no
   * run going here (a window reloaded, a panel restored or opened later), the final weights of the spec's
   * latest saved run that fit the spec as it is now, named by the run's folder.
   */
  async weights(specUri: vscode.Uri): Promise<{ layers: LayerWeights[]; step: number; run?: string } | null> {
    const training = this.services.training;
    const layers: LayerWeights[] | undefined = await training.weights(specUri);
    if (layers) return { layers, step: this.lastStep(specUri) };
    const phase = training.state(specUri)?.phase;
    if (specUri.scheme !== 'file' || phase === 'starting' || phase === 'running' || phase === 'paused') return null;
    const spec = parseSpec((await vscode.workspace.openTextDocument(specUri)).getText()).spec;
    const saved = spec ? latestRunWeights(specUri.fsPath, spec) : undefined;
    return saved ? { layers: saved.layers, step: saved.summary?.steps ?? 0, run: saved.run } : null;
  }

  /** The global step of the latest progress event of a spec's run (0 before any). */
  private lastStep(specUri: vscode.Uri): number {
    const h = this.history.get(specUri.toString()) ?? [];
    for (let i = h.length - 1; i >= 0; i--) {
      const m = h[i];
      if (m.type === 'batch' || m.type === 'epoch' || m.type === 'paused') return m.step;
      if (m.type === 'done') return m.summary.steps;
    }
    return 0;
  }

  private onTraining(specUri: vscode.Uri, message: WorkerToHost): void {
    const k = specUri.toString();
    if (message.type === 'started' || !this.history.has(k)) this.history.set(k, []);
    // a run that starts opens its loss panel (beside the editor, keeping the focus there)
    if (message.type === 'started' && !this.panels.has(this.key('loss', specUri))) {
      void this.show('loss', specUri).catch((e: unknown) => this.services.log.error(`loss panel: ${e instanceof Error ? e.message : String(e)}`));
    }
    const h = this.history.get(k)!;
    if (message.type !== 'weights' && h.length < MAX_HISTORY) h.push(message);
    this.toSpec(specUri, { type: 'train', message });
    // the weights after a step (or at the end): the graph and the decision regions show them at once
    if (message.type === 'weights') this.toSpec(specUri, { type: 'weights', layers: message.layers, step: message.step });
  }

  /** Posts to every panel of the spec. */
  private toSpec(specUri: vscode.Uri, msg: HostToWebview): void {
    const k = specUri.toString();
    for (const e of this.specPanels()) {
      if (e.specUri?.toString() === k) e.post(msg);
    }
  }

  private specPanels(): SpecPanel[] {
    return [...this.panels.values()].filter((e): e is SpecPanel => e instanceof SpecPanel);
  }

  private async onSpecChanged(uri: vscode.Uri): Promise<void> {
    const targets = this.specPanels().filter((e) => e.specUri?.toString() === uri.toString());
    if (!targets.length) return;
    const spec = await this.specView(uri);
    for (const e of targets) e.post({ type: 'spec', spec });
  }

  /** The spec as panels see it. Reads (never writes) the document, including unsaved edits. */
  async specView(uri: vscode.Uri): Promise<SpecView> {
    try {
      return buildSpecView(uri.toString(), (await vscode.workspace.openTextDocument(uri)).getText());
    } catch (e) {
      const v = buildSpecView(uri.toString(), '');
      return { ...v, errors: [`cannot read ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`] };
    }
  }

  /** Earlier runs of a spec: `<specDir>/.nnlab/runs/<time>-<name>/metrics.csv` (+ summary.json), newest first. */
  async listRuns(specUri: vscode.Uri, limit: number): Promise<RunSeries[]> {
    const runsDir = vscode.Uri.joinPath(specUri, '..', '.nnlab', 'runs');
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(runsDir);
    } catch {
      return [];
    }
    const stem = (specUri.path.split('/').pop() ?? '').replace(/\.nn\.json$/, '');
    const spec = await this.specView(specUri);
    const names = entries
      .filter(([n, t]) => t === vscode.FileType.Directory && (n.endsWith(`-${stem}`) || n.endsWith(`-${spec.name}`)))
      .map(([n]) => n)
      .sort()
      .reverse()
      .slice(0, limit);
    const out: RunSeries[] = [];
    for (const n of names) {
      const dir = vscode.Uri.joinPath(runsDir, n);
      try {
        const csv = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'metrics.csv')));
        const run = parseMetricsCsv(csv, n, n);
        try {
          run.summary = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'summary.json'))));
        } catch {
          // a run still going (or interrupted) has no summary yet
        }
        out.push(Object.assign(run, await this.runDetails(dir)));
      } catch (e) {
        this.services.log.warn(`loss panel: skipped run ${n}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return out;
  }

  /** What names a run among others (its spec's hyper-parameters, planned epochs) and its run.json (label, seed group). */
  private async runDetails(dir: vscode.Uri): Promise<Pick<RunSeries, 'hyper' | 'plannedEpochs' | 'userLabel' | 'seedGroup'>> {
    const out: Pick<RunSeries, 'hyper' | 'plannedEpochs' | 'userLabel' | 'seedGroup'> = {};
    const read = async (f: string): Promise<string | undefined> => {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, f)));
      } catch {
        return undefined;
      }
    };
    const specText = await read('spec.nn.json');
    const spec = specText !== undefined ? parseSpec(specText).spec : undefined;
    if (spec) {
      out.hyper = hyperParams(spec);
      out.plannedEpochs = spec.training.epochs;
    }
    const meta = parseRunMeta((await read(RUN_META_FILE)) ?? '');
    if (meta.label) out.userLabel = meta.label;
    if (meta.seedGroup) out.seedGroup = meta.seedGroup;
    return out;
  }

  /**
   * Renames one of the spec's runs: asks for the name (the current one offered), keeps it in the run
   * folder's run.json (never in the user's spec). `id` is a run folder name (checked by the protocol)
   * that must exist in the spec's runs folder.
   */
  async renameRun(specUri: vscode.Uri, id: string): Promise<{ label: string } | null> {
    const dir = vscode.Uri.joinPath(specUri, '..', '.nnlab', 'runs', id);
    try {
      if ((await vscode.workspace.fs.stat(dir)).type !== vscode.FileType.Directory) return null;
    } catch {
      return null;
    }
    const file = vscode.Uri.joinPath(dir, RUN_META_FILE);
    let meta = {};
    try {
      meta = parseRunMeta(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
    } catch {
      // no run.json yet
    }
    const current = (meta as { label?: string }).label ?? '';
    const answer = await vscode.window.showInputBox({
      title: `NN Lab: name run ${id}`,
      prompt: 'The name the loss panel, its table and exported pictures show for this run (kept in the run folder\'s run.json). Empty: named by what sets it apart.',
      value: current,
      validateInput: (v) => ([...v].length > RUN_LABEL_MAX ? `at most ${RUN_LABEL_MAX} characters` : undefined),
    });
    if (answer === undefined) return null;
    const label = cleanRunLabel(answer);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(runMetaText({ ...meta, label })));
    this.services.log.info(`run ${id} ${label ? `named "${label}"` : 'name removed'}`);
    return { label };
  }

  /** Every row of the current run's metrics.csv (or .partial while it runs), else of the latest run on disk. */
  async runMetrics(specUri: vscode.Uri): Promise<RunSeries | null> {
    const st = this.services.training.state(specUri);
    const dir = st?.runDir ?? st?.summary?.runDir;
    if (!dir) return (await this.listRuns(specUri, 1))[0] ?? null;
    const name = dir.split(/[\\/]/).pop() ?? dir;
    for (const f of ['metrics.csv', 'metrics.csv.partial']) {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(vscode.Uri.file(dir), f)));
        const run = parseMetricsCsv(text, name, name);
        if (st?.summary) run.summary = st.summary;
        return Object.assign(run, await this.runDetails(vscode.Uri.file(dir)));
      } catch {
        // try the next file
      }
    }
    return null;
  }

  /** Up to `max` rows of the spec's data (for decision regions and pre-activation histograms). */
  async sample(specUri: vscode.Uri, max: number): Promise<DataSample | null> {
    const text = (await vscode.workspace.openTextDocument(specUri)).getText();
    const parsed = parseSpec(text);
    if (!parsed.spec?.data) return null;
    // loaded lazily: data readers (CSV, MNIST) are only needed once a panel asks
    const { loadData } = await import('../core/data/index');
    const d = await loadData(parsed.spec, specUri.fsPath, { maxDataBytes: dataReadOptions(specUri).maxBytes });
    const n = d.xShape[0];
    const w = d.x.length / Math.max(1, n);
    const k = d.yShape[1];
    const step = sampleStride(n, max);
    const x: number[][] = [];
    const y: number[][] = [];
    const rows: number[] = [];
    for (let i = 0; i < n && x.length < max; i += step) {
      rows.push(i);
      x.push(Array.from(d.x.subarray(i * w, (i + 1) * w)));
      y.push(Array.from(d.y.subarray(i * k, (i + 1) * k)));
    }
    return d.preprocessing?.standardize ? { x, y, rows, total: n, standardized: true } : { x, y, rows, total: n };
  }

  /** The weights edited in the graph panel of `specUri` (undefined: none edited). */
  editedWeights(specUri: vscode.Uri): LayerWeights[] | undefined {
    const panel = this.panels.get(this.key('graph', specUri));
    return panel instanceof SpecPanel ? (panel.edited ?? undefined) : undefined;
  }

  private async export(entry: SpecPanel, format: 'csv' | 'png' | 'svg', name: string, data: string): Promise<void> {
    const dir = entry.specUri ? vscode.Uri.joinPath(entry.specUri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: dir ? vscode.Uri.joinPath(dir, name) : undefined,
      filters: { [format.toUpperCase()]: [format] },
    });
    if (!target) return;
    const bytes = format === 'png' ? Buffer.from(data.slice(data.indexOf(',') + 1), 'base64') : new TextEncoder().encode(data);
    await vscode.workspace.fs.writeFile(target, bytes);
    this.services.log.info(`${entry.kind} panel: exported ${format.toUpperCase()} to ${target.fsPath}`);
  }

  /** Sends a message to the open panel of `kind` for `specUri`, if there is one. */
  postTo(kind: PanelKind, specUri: vscode.Uri, msg: HostToWebview): void {
    const e = this.panels.get(this.key(kind, specUri));
    if (e instanceof SpecPanel) e.post(msg);
  }

  /** The spec of the panel that has the focus (commands act on it when no editor is active). */
  activeSpec(): vscode.Uri | undefined {
    return [...this.panels.values()].find((e) => e.panel?.active && e.specInView())?.specInView();
  }

  /** For the end-to-end tests (`nnlab._panelState`). */
  report(): PanelStateReport[] {
    return [...this.panels.values()].map((e) => ({
      ...(e instanceof SpecPanel ? e.observation : {}),
      panel: e.kind,
      specUri: e.specInView()?.toString(),
      visible: e.panel?.visible ?? false,
      active: e.panel?.active ?? false,
    }));
  }

  override dispose(): void {
    for (const e of [...this.panels.values()]) e.panel?.dispose();
    super.dispose();
  }
}

export function register(context: vscode.ExtensionContext, services: Services): PanelManager {
  const manager = new PanelManager(context, services);
  context.subscriptions.push(manager);
  services.specs.addFocusedPanelSource(() => manager.activeSpec());
  for (const kind of PANEL_KINDS) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(viewType(kind), {
        deserializeWebviewPanel: (panel, state: unknown) => manager.restore(kind, panel, state),
      }),
    );
  }
  return manager;
}
