// The backpropagation walkthrough: what the command `nnlab.walkthrough` does (a quick pick of the
// built-in examples, plus "This network" when a .nn.json is active; or an argument naming one), what
// its panel shows and answers (`WalkthroughPanel`, one more panel kind hosted by PanelManager, like
// the loss, graph and activation panels; webview/walkthrough draws it), how it comes back after a
// reload, and what two internal commands for tests and the e2e harness answer
// (`nnlab._walkthroughState`, `nnlab._walkthroughStep`); the commands themselves are in the commands
// table (src/commands/index.ts).
import * as vscode from 'vscode';
import type { Services } from '../training/api';
import { BUILTINS, builtin, clampPosition, fmt, networkWalkthrough, resolveBuiltin, sampleAt, valuesUpTo, withNetworkValues, type Sample, type Values, type Walkthrough } from '../core/autodiff';
import { analyzeSpec } from '../core/spec/analyze';
import type { NetworkSpec } from '../core/spec/types';
import { loadData } from '../core/data';
import { analyzeSpecWithData } from '../core/data/read';
import { dataReadOptions } from '../language/analysis';
import { initialWeights } from '../core/train/init';
import { PanelContent } from '../panels/panelHost';
import { PANELS, type PanelManager } from '../panels';
import { parsePanelMessage, parsePersistedState, type ExampleChoice, type HostToPanel, type PanelToHost, type NavigateTarget, type PersistedState, type WeightsChoice } from '../protocol/walkthrough';
import { latestRunWeights } from '../core/train/runs';
import type { LayerWeights } from '../protocol/training';
import type { Parsed } from '../protocol/rpc';
import { walkthroughPosition } from '../core/explain/formula';

const NETWORK_ID = 'network';

/** "This network" as it was loaded: what the user's edits in its fields start from. */
interface NetworkBase {
  spec: NetworkSpec;
  weights: LayerWeights[];
  sample: Sample;
  /** where the weights come from ("initial weights (seed 42)", a run) */
  label: string;
}

/** Where the panel's walkthrough comes from; `values`: the fields the user changed (issue 16 item 2). */
type Source =
  | { kind: 'builtin'; id: string; values: Values }
  | { kind: 'network'; specUri: vscode.Uri; sample: number; weights: WeightsChoice; base: NetworkBase; values: Values };

/** "This network" with the user's values put in; the source line says how many were edited. */
function networkWithValues(base: NetworkBase, index: number, values: Values): Walkthrough {
  const edited = withNetworkValues(base.spec, base.weights, base.sample, values);
  const n = Object.keys(values).length;
  return networkWalkthrough(base.spec, edited.weights, edited.sample, { index, source: n ? `${base.label}, ${n} value${n > 1 ? 's' : ''} edited` : base.label });
}

/** What `nnlab._walkthroughState` returns. */
export interface WalkthroughState {
  example: string;
  title: string;
  step: number;
  total: number;
  /** every quantity computed up to the current step, formatted as the panel shows it */
  lastValues: Record<string, string>;
  /** the checks table (tape / closed form / difference quotient) */
  checks: { name: string; tape: string; analytic?: string; numeric: string; agree: boolean }[];
  /** what the webview last reported as drawn (undefined until it has rendered) */
  rendered?: { position: number; quantity: string; equation: string; predict: boolean };
  params: Values;
  /** the intro's first sentences (which sample, which weights, how many values edited) */
  intro: string;
  /** the loss before the walkthrough's closing update, unformatted (where it ends with one) */
  loss?: number;
  /** "This network": which weights it walks through */
  weights?: WeightsChoice;
}

/** Argument accepted by the command: an example id, a spec Uri, or an object. */
export type WalkthroughArg =
  | string
  | vscode.Uri
  /** `quantity`: open at the step that computes it ("∂L/∂W¹"; the graph panel's formula card links so), instead of `position` */
  | { example?: string; values?: Values; specUri?: string | vscode.Uri; sample?: number; position?: number; weights?: WeightsChoice; quantity?: string };

class WalkthroughPanel extends PanelContent<PanelToHost, HostToPanel> {
  override readonly htmlTitle = 'Backpropagation walkthrough';
  position: number;
  rendered: WalkthroughState['rendered'];
  private readyWaiters: (() => void)[] = [];
  private renderWaiters: { position: number; resolve: () => void }[] = [];

  constructor(
    private readonly services: Services,
    private readonly panels: PanelManager,
    public source: Source,
    public walkthrough: Walkthrough,
    position: number,
  ) {
    super('walkthrough');
    this.position = clampPosition(walkthrough, position);
  }

  /** The walkthrough's panel, if one is open. */
  static current(panels: PanelManager): WalkthroughPanel | undefined {
    const p = panels.get('walkthrough');
    return p instanceof WalkthroughPanel ? p : undefined;
  }

  parse(raw: unknown): Parsed<PanelToHost> {
    return parsePanelMessage(raw);
  }

  title(): string {
    return `${PANELS.walkthrough.title}: ${this.walkthrough.title}`;
  }

  override specInView(): vscode.Uri | undefined {
    return this.source.kind === 'network' ? this.source.specUri : undefined;
  }

  private load(): void {
    const persist: PersistedState =
      this.source.kind === 'builtin'
        ? { example: this.source.id, values: this.source.values, position: this.position }
        : { example: NETWORK_ID, specUri: this.source.specUri.toString(), sample: this.source.sample, weights: this.source.weights, position: this.position };
    this.post({ type: 'load', walkthrough: this.walkthrough, position: this.position, examples: examplesFor(this.source, this.services.specs.resolve()), editable: this.walkthrough.params.length > 0, persist });
  }

  /** Resolves once the webview has said `ready` (or after a timeout, for a hidden panel). */
  whenReady(timeoutMs = 15000): Promise<void> {
    if (this.host?.ready) return Promise.resolve();
    return new Promise((resolve) => {
      this.readyWaiters.push(resolve);
      setTimeout(resolve, timeoutMs);
    });
  }

  /** Resolves once the webview reports it has drawn `position` (or after a timeout). */
  whenRendered(position: number, timeoutMs = 5000): Promise<void> {
    if (this.rendered?.position === position) return Promise.resolve();
    return new Promise((resolve) => {
      this.renderWaiters.push({ position, resolve });
      setTimeout(resolve, timeoutMs);
    });
  }

  setWalkthrough(source: Source, w: Walkthrough, position = 0): void {
    this.source = source;
    this.walkthrough = w;
    this.position = clampPosition(w, position);
    if (this.panel) this.panel.title = this.title();
    this.load();
  }

  navigate(to: NavigateTarget | number): number {
    const total = this.walkthrough.steps.length;
    const p = to === 'next' ? this.position + 1 : to === 'previous' ? this.position - 1 : to === 'start' ? 0 : to === 'end' ? total : to;
    this.position = clampPosition(this.walkthrough, p);
    this.post({ type: 'show', position: this.position });
    return this.position;
  }

  async onMessage(m: PanelToHost): Promise<void> {
    try {
      switch (m.type) {
        case 'ready':
          this.load();
          for (const r of this.readyWaiters.splice(0)) r();
          break;
        case 'navigate':
          this.navigate(m.to);
          break;
        case 'rendered':
          this.rendered = { position: m.position, quantity: m.quantity, equation: m.equation, predict: m.predict };
          for (const wt of this.renderWaiters.filter((x) => x.position === m.position)) wt.resolve();
          this.renderWaiters = this.renderWaiters.filter((x) => x.position !== m.position);
          break;
        case 'setParam': {
          const known = this.walkthrough.params.some((p) => p.key === m.key);
          if (!known) {
            this.post({ type: 'error', message: `${m.key} is not an input of this example.` });
            return;
          }
          const values = { ...this.source.values, [m.key]: m.value };
          if (this.source.kind === 'builtin') this.setWalkthrough({ kind: 'builtin', id: this.source.id, values }, builtin(this.source.id, values), this.position);
          else this.setWalkthrough({ ...this.source, values }, networkWithValues(this.source.base, this.source.sample, values), this.position);
          break;
        }
        case 'resetParams':
          if (this.source.kind === 'builtin') this.setWalkthrough({ kind: 'builtin', id: this.source.id, values: {} }, builtin(this.source.id), this.position);
          else this.setWalkthrough({ ...this.source, values: {} }, networkWithValues(this.source.base, this.source.sample, {}), this.position);
          break;
        case 'choose':
          if (m.example === NETWORK_ID && this.source.kind === 'network') return;
          if (m.example === NETWORK_ID) {
            await openWalkthrough(this.services, this.panels, { example: NETWORK_ID });
            return;
          }
          if (!resolveBuiltin(m.example)) {
            this.post({ type: 'error', message: `Unknown example ${m.example}.` });
            return;
          }
          this.setWalkthrough({ kind: 'builtin', id: m.example, values: {} }, builtin(m.example), 0);
          break;
      }
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.services.log.error(`walkthrough: ${msg}`);
      this.post({ type: 'error', message: msg });
    }
  }

  state(): WalkthroughState {
    const w = this.walkthrough;
    return {
      example: w.id,
      title: w.title,
      step: this.position,
      total: w.steps.length,
      lastValues: valuesUpTo(w, this.position, (v) => fmt(v)),
      checks: w.checks.map((c) => ({ name: c.name, tape: fmt(c.tape), analytic: c.analytic === undefined ? undefined : fmt(c.analytic), numeric: fmt(c.numeric), agree: c.agree })),
      rendered: this.rendered,
      params: Object.fromEntries(w.params.map((p) => [p.key, p.value])),
      intro: w.intro,
      ...(w.update ? { loss: w.update.lossBefore } : {}),
      ...(this.source.kind === 'network' ? { weights: this.source.weights } : {}),
    };
  }

  override dispose(): void {
    for (const r of this.readyWaiters.splice(0)) r();
    super.dispose();
  }
}

/** The examples the panel offers: the built-ins, and "This network" when a spec is in view (services.specs). */
function examplesFor(source: Source, specInView: vscode.Uri | undefined): ExampleChoice[] {
  const list: ExampleChoice[] = BUILTINS.map((b) => ({ id: b.id, title: b.title }));
  if (source.kind === 'network' || specInView) list.push({ id: NETWORK_ID, title: 'This network' });
  return list;
}

// ---------------------------------------------------------------------------------------------
// building walkthroughs

async function networkFromSpec(services: Services, specUri: vscode.Uri, sample: number | undefined, ask: boolean, choice?: WeightsChoice): Promise<{ source: Source; w: Walkthrough } | undefined> {
  const doc = await vscode.workspace.openTextDocument(specUri);
  const data = dataReadOptions(specUri);
  // the spec's own CSV file, read asynchronously through the data reader's checks
  const a = specUri.scheme === 'file' ? await analyzeSpecWithData(doc.getText(), { specPath: specUri.fsPath, data }) : analyzeSpec(doc.getText());
  const errors = a.problems.filter((p) => p.severity === 'error');
  if (!a.spec || errors.length) {
    const first = errors[0];
    throw new Error(first ? `${vscode.workspace.asRelativePath(specUri)}:${first.range.start.line + 1}:${first.range.start.character + 1}: ${first.code} ${first.message}` : 'The spec cannot be read.');
  }
  const spec = a.spec;
  if (specUri.scheme !== 'file') throw new Error('"This network" needs the spec on disk (its data is read from the spec\'s folder).');
  const dataset = await loadData(spec, specUri.fsPath, { maxDataBytes: data.maxBytes });
  const n = dataset.xShape[0] ?? 0;
  let index = sample;
  if (index === undefined && ask) {
    const input = await vscode.window.showInputBox({
      title: 'This network: which sample?',
      prompt: `Index of the sample to walk through (0…${n - 1})`,
      value: '0',
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) < n ? undefined : `a whole number from 0 to ${n - 1}`),
    });
    if (input === undefined) return undefined;
    index = Number(input.trim());
  }
  index ??= 0;
  const initialLabel = `initial weights (seed ${spec.training.seed})`;
  const trained = await trainedWeights(services, specUri, spec);
  // asked together with the sample (a caller that names its sample, e.g. a test, names its weights too)
  if (choice === undefined && ask && sample === undefined && trained) {
    const pick = await vscode.window.showQuickPick(
      [
        { choice: 'initial' as const, label: 'Initial weights', description: `seed ${spec.training.seed}`, detail: 'What the first training step starts from' },
        { choice: 'trained' as const, label: 'Last-trained weights', description: trained.label, detail: 'Where training left the network' },
      ],
      { title: 'This network: which weights?' },
    );
    if (!pick) return undefined;
    choice = pick.choice;
  }
  // without a choice: the weights of this window's run if there is one, else the initial ones
  const useTrained = choice === 'trained' || (choice === undefined && trained?.live === true);
  if (choice === 'trained' && !trained) throw new Error(`${vscode.workspace.asRelativePath(specUri)} has no trained weights yet (no run in this window, no saved run with a model): train it first, or walk through its initial weights.`);
  const base: NetworkBase = { spec, weights: useTrained && trained ? trained.layers : initialWeights(spec), sample: sampleAt(dataset, index), label: useTrained && trained ? trained.label : initialLabel };
  return { source: { kind: 'network', specUri, sample: index, weights: useTrained ? 'trained' : 'initial', base, values: {} }, w: networkWithValues(base, index, {}) };
}

/** The last-trained weights: this window's run (live or just finished), else the latest saved run's model. */
async function trainedWeights(services: Services, specUri: vscode.Uri, spec: NetworkSpec): Promise<{ layers: LayerWeights[]; label: string; live: boolean } | undefined> {
  const live = await services.training.weights(specUri).catch(() => undefined);
  if (live?.length) return { layers: live, label: 'last-trained weights (this window\'s run)', live: true };
  // else the spec's latest saved run whose model fits it; none: only the initial weights are offered
  const saved = latestRunWeights(specUri.fsPath, spec);
  return saved && { layers: saved.layers, label: `last-trained weights (run ${saved.run})`, live: false };
}

async function build(services: Services, arg: WalkthroughArg | undefined, ask: boolean): Promise<{ source: Source; w: Walkthrough; position: number } | undefined> {
  let example: string | undefined;
  const values: Values = {};
  let specUri: vscode.Uri | undefined;
  let sample: number | undefined;
  let position = 0;
  let weightsChoice: WeightsChoice | undefined;
  if (typeof arg === 'string') example = arg;
  else if (arg instanceof vscode.Uri) {
    specUri = arg;
    example = NETWORK_ID;
  } else if (arg && typeof arg === 'object') {
    example = typeof arg.example === 'string' ? arg.example : undefined;
    if (arg.values && typeof arg.values === 'object') for (const [k, v] of Object.entries(arg.values)) if (typeof v === 'number' && Number.isFinite(v)) values[k] = v;
    if (arg.specUri) specUri = typeof arg.specUri === 'string' ? vscode.Uri.parse(arg.specUri) : arg.specUri;
    if (typeof arg.sample === 'number' && Number.isInteger(arg.sample) && arg.sample >= 0) sample = arg.sample;
    if (typeof arg.position === 'number') position = arg.position;
    if (arg.weights === 'initial' || arg.weights === 'trained') weightsChoice = arg.weights;
    if (specUri && !example) example = NETWORK_ID;
  }
  if (!example) {
    if (!ask) return undefined;
    const items: (vscode.QuickPickItem & { id: string })[] = BUILTINS.map((b, i) => ({ id: b.id, label: `${i + 1}. ${b.title}`, detail: b.description }));
    const inView = services.specs.resolve();
    if (inView) {
      items.push({ id: NETWORK_ID, label: '6. This network', detail: `${vscode.workspace.asRelativePath(inView)}: one sample, forward and backward, every weight's gradient` });
    }
    const pick = await vscode.window.showQuickPick(items, { title: 'Walk through backpropagation', placeHolder: 'Choose an example' });
    if (!pick) return undefined;
    example = pick.id;
  }
  if (example === NETWORK_ID || example === 'this-network' || example === '6') {
    const uri = specUri ?? services.specs.resolve();
    if (!uri) throw new Error('"This network" walks through the open .nn.json: open a spec first, or pass { specUri }.');
    const r = await networkFromSpec(services, uri, sample, ask, weightsChoice);
    const quantity = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) && typeof arg.quantity === 'string' ? arg.quantity : undefined;
    return r && { ...r, position: quantity !== undefined ? walkthroughPosition(r.w.steps, quantity) : position };
  }
  const id = resolveBuiltin(example);
  if (!id) throw new Error(`Unknown walkthrough "${example}". Known: ${BUILTINS.map((b) => b.id).join(', ')}, or "network".`);
  return { source: { kind: 'builtin', id, values }, w: builtin(id, values), position };
}

async function openWalkthrough(services: Services, panels: PanelManager, arg: WalkthroughArg | undefined, ask = true): Promise<WalkthroughState | undefined> {
  const built = await build(services, arg, ask);
  if (!built) return undefined;
  const existing = WalkthroughPanel.current(panels);
  if (existing) {
    existing.setWalkthrough(built.source, built.w, built.position);
    panels.open(existing);
    return existing.state();
  }
  const p = new WalkthroughPanel(services, panels, built.source, built.w, built.position);
  panels.open(p);
  await p.whenReady();
  return p.state();
}

/** What the commands table calls: `nnlab.walkthrough` and the two internal test commands. */
export interface Walkthroughs {
  /** `nnlab.walkthrough`: open (or switch) the walkthrough; errors are shown, not thrown */
  open(arg?: WalkthroughArg): Promise<WalkthroughState | undefined>;
  /** `nnlab._walkthroughState` */
  state(): WalkthroughState | undefined;
  /** `nnlab._walkthroughStep` */
  step(to?: NavigateTarget | number): Promise<WalkthroughState | undefined>;
}

export function register(services: Services, panels: PanelManager): Walkthroughs {
  const fail = (e: unknown): undefined => {
    const msg = e instanceof Error ? e.message : String(e);
    services.log.error(`walkthrough: ${msg}`);
    void vscode.window.showErrorMessage(`NN Lab walkthrough: ${msg}`);
    return undefined;
  };
  // after a reload: the example (or "This network") and the step the webview saved
  panels.define('walkthrough', async (raw) => {
    const s: PersistedState = parsePersistedState(raw) ?? { example: BUILTINS[0].id, position: 0 };
    let built: { source: Source; w: Walkthrough } | undefined;
    try {
      if (s.example === NETWORK_ID && s.specUri) built = await networkFromSpec(services, vscode.Uri.parse(s.specUri), s.sample, false, s.weights);
    } catch (e) {
      services.log.warn(`walkthrough: could not restore "This network" (${e instanceof Error ? e.message : String(e)}); showing the first example`);
    }
    if (!built) {
      const id = resolveBuiltin(s.example) ?? BUILTINS[0].id;
      built = { source: { kind: 'builtin', id, values: s.values ?? {} }, w: builtin(id, s.values ?? {}) };
    }
    return new WalkthroughPanel(services, panels, built.source, built.w, s.position);
  });
  return {
    open: async (arg) => {
      try {
        return await openWalkthrough(services, panels, arg);
      } catch (e) {
        return fail(e);
      }
    },
    state: () => WalkthroughPanel.current(panels)?.state(),
    step: async (to) => {
      const p = WalkthroughPanel.current(panels);
      if (!p) return undefined;
      const target = typeof to === 'number' || (typeof to === 'string' && ['next', 'previous', 'start', 'end'].includes(to)) ? to : 'next';
      const pos = p.navigate(target);
      await p.whenRendered(pos);
      return p.state();
    },
  };
}
