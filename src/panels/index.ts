// NN Lab webview panels: loss curves, graph, activation explorer (their commands are in the commands
// table, src/commands/index.ts). One panel of a kind per spec
// (revealed if open), restored after a window reload, strict CSP, every webview message validated.
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
import { answerRequest } from '../protocol/rpc';
import type { ActivationName } from '../core/spec/types';
import { parseSpec } from '../core/spec';
import { buildSpecView } from '../core/view/specView';
import { parseMetricsCsv } from '../core/view/metrics';
import { latestRunWeights } from '../core/train/runs';
import { dataReadOptions } from '../language/analysis';
import { PanelHost, panelColumn, panelOptions } from './panelHost';
import { Disposable } from '../dispose';
import type { LabState } from '../protocol/lab';

const VIEW_TYPE: Record<PanelKind, string> = { loss: 'nnlab.loss', graph: 'nnlab.graph', activations: 'nnlab.activations', lab: 'nnlab.lab' };
const TITLE: Record<PanelKind, string> = { loss: 'Loss', graph: 'Graph', activations: 'Activation Functions', lab: 'Lab' };

/** What the webview keeps with `setState` so the serializer can restore it. */
interface SavedState {
  specUri?: string;
  activation?: ActivationName;
  /** the whole state a restored webview had saved: a panel recreated in its place boots with it */
  webviewState?: unknown;
}

/** One open panel: its host (webview, start watch, validated messages) and what it last reported. */
class PanelEntry extends Disposable {
  observation: PanelObservation;
  host!: PanelHost<WebviewToHost>;
  constructor(
    readonly kind: PanelKind,
    readonly specUri: vscode.Uri | undefined,
    readonly panel: vscode.WebviewPanel,
  ) {
    super();
    this.observation = { panel: kind };
  }
  own<T extends vscode.Disposable>(d: T): T {
    return this.register(d);
  }
  get ready(): boolean {
    return this.host.ready;
  }
}

export interface PanelStateReport extends PanelObservation {
  specUri?: string;
  visible: boolean;
  active: boolean;
}

/** Message history of each spec's current run, so a panel opened or restored mid-run catches up. */
const MAX_HISTORY = 200_000;

export class PanelManager extends Disposable {
  private readonly panels = new Map<string, PanelEntry>();
  private readonly history = new Map<string, WorkerToHost[]>();
  /** the lab's state per spec (src/lab), sent to a lab panel when it is ready */
  labState: ((specUri: vscode.Uri) => LabState | undefined) | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly services: Services,
  ) {
    super();
    this.register(services.training.onDidReceive(({ specUri, message }) => this.onTraining(specUri, message)));
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => this.onSpecChanged(doc.uri)));
  }

  private key(kind: PanelKind, specUri?: vscode.Uri): string {
    return `${kind}|${specUri?.toString() ?? ''}`;
  }

  /** Opens (or reveals) the panel of `kind` for `specUri`. */
  async show(kind: PanelKind, specUri: vscode.Uri | undefined, activation?: ActivationName): Promise<vscode.WebviewPanel> {
    const existing = this.panels.get(this.key(kind, specUri));
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? panelColumn(), kind !== 'activations');
      if (activation) this.post(existing, { type: 'select', activation });
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE[kind], this.title(kind, specUri), { viewColumn: panelColumn(), preserveFocus: kind !== 'activations' }, this.options());
    this.attach(kind, panel, { specUri: specUri?.toString(), activation });
    return panel;
  }

  /** Re-attaches a panel VS Code restored after a reload. */
  restore(kind: PanelKind, panel: vscode.WebviewPanel, state: unknown): void {
    const s: SavedState = {};
    if (typeof state === 'object' && state !== null) {
      s.webviewState = state;
      const r = state as Record<string, unknown>;
      if (typeof r.specUri === 'string') s.specUri = r.specUri;
      const a = parseActivationName(r.activation);
      if (a) s.activation = a;
    }
    this.attach(kind, panel, s, true);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return panelOptions(this.context.extensionUri);
  }

  private title(kind: PanelKind, specUri?: vscode.Uri): string {
    if (!specUri) return TITLE[kind];
    const base = specUri.path.split('/').pop() ?? '';
    return `${TITLE[kind]}: ${base.replace(/\.nn\.json$/, '')}`;
  }

  private attach(kind: PanelKind, panel: vscode.WebviewPanel, saved: SavedState, restored = false, generation = 0): void {
    let specUri: vscode.Uri | undefined;
    try {
      specUri = saved.specUri ? vscode.Uri.parse(saved.specUri, true) : undefined;
    } catch {
      specUri = undefined;
    }
    const key = this.key(kind, specUri);
    const old = this.panels.get(key);
    if (old && old.panel !== panel) old.panel.dispose();
    const entry = new PanelEntry(kind, specUri, panel);
    this.panels.set(key, entry);
    panel.title = this.title(kind, specUri);
    entry.host = entry.own(
      new PanelHost<WebviewToHost>(panel, {
        kind,
        viewType: VIEW_TYPE[kind],
        extensionUri: this.context.extensionUri,
        log: this.services.log,
        restored,
        generation,
        boot: () => ({ panel: kind, specUri: specUri?.toString(), activation: entry.observation.activation ?? saved.activation, restored, state: saved.webviewState }),
        parse: parseWebviewMessage,
        onMessage: (msg) => this.onMessage(entry, msg),
        isCurrent: () => this.panels.get(key) === entry,
        replace: (fresh) => {
          this.panels.delete(key);
          this.attach(kind, fresh, { specUri: specUri?.toString(), activation: entry.observation.activation ?? saved.activation, webviewState: saved.webviewState }, restored, generation + 1);
        },
      }),
    );
    entry.own(
      panel.onDidDispose(() => {
        entry.dispose();
        if (this.panels.get(key) === entry) this.panels.delete(key);
      }),
    );
  }

  private post(entry: PanelEntry, msg: HostToWebview): void {
    entry.host.post(msg);
  }

  private async onMessage(entry: PanelEntry, msg: WebviewToHost): Promise<void> {
    const training = this.services.training;
    switch (msg.type) {
      case 'ready': {
        const spec = entry.specUri ? await this.specView(entry.specUri) : undefined;
        this.post(entry, { type: 'init', panel: entry.kind, spec });
        const backend = training.lastBackend();
        if (backend) this.post(entry, { type: 'backend', report: backend });
        const h = entry.specUri ? this.history.get(entry.specUri.toString()) : undefined;
        if (h?.length) this.post(entry, { type: 'history', messages: h });
        const lab = entry.kind === 'lab' && entry.specUri ? this.labState?.(entry.specUri) : undefined;
        if (lab) this.post(entry, { type: 'lab', state: lab });
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
          case 'step':
            return training.step(uri, 'batch');
          case 'stepEpoch':
            return training.step(uri, 'epoch');
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
      case 'request':
        await answerRequest<WebviewMethods>(
          msg,
          {
            listRuns: (p) => (entry.specUri ? this.listRuns(entry.specUri, p.limit) : []),
            weights: async () => (entry.specUri ? this.weights(entry.specUri) : null),
            sample: (p) => (entry.specUri ? this.sample(entry.specUri, p.max) : null),
            runMetrics: () => (entry.specUri ? this.runMetrics(entry.specUri) : null),
          },
          (res) => void entry.panel.webview.postMessage(res).then(undefined, () => undefined),
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
    for (const e of this.panels.values()) {
      if (e.specUri?.toString() === k) this.post(e, { type: 'train', message });
    }
  }

  private async onSpecChanged(uri: vscode.Uri): Promise<void> {
    const targets = [...this.panels.values()].filter((e) => e.specUri?.toString() === uri.toString());
    if (!targets.length) return;
    const spec = await this.specView(uri);
    for (const e of targets) this.post(e, { type: 'spec', spec });
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
        out.push(run);
      } catch (e) {
        this.services.log.warn(`loss panel: skipped run ${n}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return out;
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
        return run;
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
    const step = Math.max(1, Math.floor(n / max));
    const x: number[][] = [];
    const y: number[][] = [];
    for (let i = 0; i < n && x.length < max; i += step) {
      x.push(Array.from(d.x.subarray(i * w, (i + 1) * w)));
      y.push(Array.from(d.y.subarray(i * k, (i + 1) * k)));
    }
    return d.preprocessing?.standardize ? { x, y, standardized: true } : { x, y };
  }

  private async export(entry: PanelEntry, format: 'csv' | 'png' | 'svg', name: string, data: string): Promise<void> {
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
    if (e) this.post(e, msg);
  }

  /** The spec of the panel that has the focus (commands act on it when no editor is active). */
  activeSpec(): vscode.Uri | undefined {
    return [...this.panels.values()].find((e) => e.panel.active && e.specUri)?.specUri;
  }

  /** For the end-to-end tests (`nnlab._panelState`). */
  report(): PanelStateReport[] {
    return [...this.panels.values()].map((e) => ({ ...e.observation, panel: e.kind, specUri: e.specUri?.toString(), visible: e.panel.visible, active: e.panel.active }));
  }

  override dispose(): void {
    for (const e of [...this.panels.values()]) e.panel.dispose();
    super.dispose();
  }
}

export function register(context: vscode.ExtensionContext, services: Services): PanelManager {
  const manager = new PanelManager(context, services);
  context.subscriptions.push(manager);
  services.specs.addFocusedPanelSource(() => manager.activeSpec());
  for (const kind of PANEL_KINDS) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE[kind], {
        deserializeWebviewPanel: async (panel, state: unknown) => manager.restore(kind, panel, state),
      }),
    );
  }
  return manager;
}
