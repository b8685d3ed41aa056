// Messages between the extension host and the NN Lab webview panels of a spec (loss, graph, activations;
// the walkthrough has its own, protocol/walkthrough.ts);
// requests go through the one request/response helper (rpc.ts) that host, worker and webviews share.
// Pure: no `vscode`, no DOM. Every message from a webview is checked with `parseWebviewMessage`
// before the host acts on it.
import type { Activation, ActivationName, LayerShapes, LossName } from '../core/spec/types';
import { ACTIVATIONS } from '../core/spec/types';
import { isLayerWeights, type BackendReport, type LayerWeights, type RunSummary, type StepReport, type WorkerToHost } from './training';
import { finite, isRecord, type Parsed, type RequestMessage, type ResponseMessage } from './rpc';
import type { HyperParam } from '../core/view/compare';
import { parseRunLab, type ExperimentKind, type LabState } from './lab';

/** Every NN Lab panel: view type `nnlab.<kind>`, bundle `webview/<kind>/main.ts` (src/panels/index.ts hosts them). */
export const PANEL_KINDS = ['loss', 'graph', 'activations', 'walkthrough', 'lab'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

/** The spec as a panel sees it: names, shapes and activations, never the raw text. */
export interface SpecView {
  uri: string;
  name: string;
  inputShape: number[];
  loss: LossName;
  layers: LayerShapes[];
  /** activation per layer (undefined for flatten/dropout) */
  activations: (Activation | undefined)[];
  totalParams: number;
  /** problems that stop shape inference, shown instead of the graph */
  errors: string[];
}

/** A small sample of the training data (decision regions, pre-activation histograms). */
export interface DataSample {
  x: number[][];
  y: number[][];
  /** the features were standardised (`"standardize": true`): x is in those units, as the network sees it */
  standardized?: boolean;
  /** the 0-based row in the spec's data of each row here (the host takes every k-th row of a large set) */
  rows?: number[];
  /** how many rows the spec's data has (rows here may be every k-th of them) */
  total?: number;
}

/** One earlier run's metrics, read from `.nnlab/runs/<dir>/metrics.csv` (every row kept). */
export interface RunSeries {
  id: string;
  label: string;
  columns: string[];
  /** column-major: values[c][row]; NaN where a row has no value */
  values: number[][];
  /** non-numeric columns (e.g. kind = step | epoch), one string per row */
  text?: Record<string, string[]>;
  summary?: RunSummary;
  /** the hyper-parameters of the run's spec.nn.json (src/core/view/compare.ts), what names it among others */
  hyper?: HyperParam[];
  /** the epochs its spec asked for (the "of N" of `epoch 58/500`) */
  plannedEpochs?: number;
  /** the name the user gave the run (its run.json) */
  userLabel?: string;
  /** runs trained together as seeds of one spec (run.json) */
  seedGroup?: string;
}

/** `step` is one batch; `stepSample`/`stepEpoch` one sample/epoch (the commands nnlab.stepSample/stepBatch/stepEpoch) */
export type ControlAction = 'train' | 'pause' | 'resume' | 'stepSample' | 'step' | 'stepEpoch' | 'stop';
export const CONTROL_ACTIONS: readonly ControlAction[] = ['train', 'pause', 'resume', 'stepSample', 'step', 'stepEpoch', 'stop'];

export type ExportFormat = 'csv' | 'png' | 'svg';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'png', 'svg'];

/** What the end-to-end tests observe (via the internal command `nnlab._panelState`). */
export interface PanelObservation {
  panel: PanelKind;
  /** loss: batch + epoch points received from the worker (all kept) */
  points?: number;
  /** loss: first and last batch loss received */
  firstLoss?: number;
  lastLoss?: number;
  /** graph: nodes drawn in the current view */
  nodes?: number;
  edges?: number;
  view?: string;
  /** graph: where the drawn weights come from ("weights of run <folder> (step N)", "initial view …") */
  weights?: string;
  /** activations: the selected function and its α */
  activation?: ActivationName;
  alpha?: number;
  /** count of redraws so far (throttled) */
  redraws?: number;
  /** graph: the formula card's plain text (src/core/explain/formula.ts), empty when closed */
  card?: string;
  /** graph: how many parameters are edited, and the loss on the data at the drawn weights */
  edited?: number;
  dataLoss?: number;
  /** lab: the experiment shown, its phase and its results table (experimentTable) */
  lab?: { kind: ExperimentKind; phase: LabState['phase']; table?: string[][] };
  /** every panel: the body's computed font size in CSS px (13 × font scale × zoom) and its keyboard zoom */
  fontPx?: number;
  zoom?: number;
}

/**
 * host → every NN Lab webview (the walkthrough's too): the panels' font scale changed (setting
 * nnlab.panel.fontScale or editor.fontSize); webview/shared/zoom.ts applies it. The page starts with
 * the scale in its HTML (src/panels/html.ts).
 */
export interface FontScaleMessage {
  type: 'fontScale';
  scale: number;
}

/** host → webview */
export type HostToWebview =
  | { type: 'init'; panel: PanelKind; spec?: SpecView; activation?: ActivationName; restored?: boolean }
  | { type: 'spec'; spec: SpecView }
  | { type: 'train'; message: WorkerToHost }
  /** everything the worker sent for the current run so far (a panel opened or restored mid-run) */
  | { type: 'history'; messages: WorkerToHost[] }
  | { type: 'weights'; layers: LayerWeights[]; step: number }
  | { type: 'data'; sample: DataSample }
  | { type: 'runs'; runs: RunSeries[] }
  | { type: 'select'; activation: ActivationName }
  | { type: 'backend'; report: BackendReport }
  /** what the last Step command did (src/core/train/stepping.ts) */
  | { type: 'step'; report: StepReport }
  | { type: 'lab'; state: LabState }
  | FontScaleMessage
  | ResponseMessage;

/** webview → host (validated by `parseWebviewMessage`) */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'control'; action: ControlAction }
  | { type: 'observe'; state: PanelObservation }
  | { type: 'export'; format: ExportFormat; name: string; data: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  // ---- the graph panel's formula card and weight editing (issue 16 items 1 and 2)
  /** the weights as edited in the panel (null: no edits), for "Write Edited Weights to Spec" */
  | { type: 'editedWeights'; layers: LayerWeights[] | null }
  /** the panel's "Write to spec" button */
  | { type: 'writeWeights' }
  /** a formula card's link: the "This network" walkthrough at the step computing `quantity`, on row `sample` (0-based) of the spec's data set */
  | { type: 'openWalkthrough'; quantity: string; sample: number; weights: 'initial' | 'trained' }
  | { type: 'runLab'; kind: ExperimentKind; alphas?: number[] }
  | RequestMessage<WebviewMethod>;

/** Requests a webview may make of the host, with their params and results. */
export interface WebviewMethods {
  /** earlier runs of this spec from `.nnlab/runs` */
  listRuns: { params: { limit: number }; result: RunSeries[] };
  /**
   * the current weights of the running (or last) model; with no run in this window, the final weights of
   * the spec's latest saved run, named by `run` (its folder name)
   */
  weights: { params: Record<string, never>; result: { layers: LayerWeights[]; step: number; run?: string } | null };
  /** a sample of the spec's data (at most `max` rows) */
  sample: { params: { max: number }; result: DataSample | null };
  /** every row of the current (or latest) run's metrics.csv: the live events are rate-limited */
  runMetrics: { params: Record<string, never>; result: RunSeries | null };
  /** ask the user for a new name of one of the spec's runs (its folder name) and keep it in the run's run.json; the new label ('' = none), or null when cancelled */
  renameRun: { params: { id: string }; result: { label: string } | null };
  /** the spec's initial weights (seeded, src/core/train/init.ts): what an untrained network is edited from */
  initialWeights: { params: Record<string, never>; result: LayerWeights[] | null };
}
export type WebviewMethod = keyof WebviewMethods;
export const WEBVIEW_METHODS: readonly WebviewMethod[] = ['listRuns', 'weights', 'sample', 'runMetrics', 'renameRun', 'initialWeights'];

/** A run folder's name as the runs folder holds them (`20261207-195500-123-xor`, `…-xor-2`): no path, no dots-only name. */
export const RUN_ID = /^\d{8}-\d{6}-\d{3}-[A-Za-z0-9._-]{1,100}$/;

// ---------------------------------------------------------------------------------------------
// Validation of webview → host messages. Webviews run untrusted-ish content: check everything.

const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const MAX_NAME = 200;

function parseObservation(s: unknown): Parsed<PanelObservation> {
  if (!isRecord(s)) return { ok: false, error: 'observe.state: expected an object' };
  if (!PANEL_KINDS.includes(s.panel as PanelKind)) return { ok: false, error: `observe.state.panel: expected one of ${PANEL_KINDS.join(', ')}` };
  const out: PanelObservation = { panel: s.panel as PanelKind };
  for (const k of ['points', 'nodes', 'edges', 'redraws', 'edited'] as const) {
    if (s[k] === undefined) continue;
    const v = s[k];
    if (!finite(v) || v < 0 || !Number.isInteger(v)) return { ok: false, error: `observe.state.${k}: expected a non-negative integer` };
    out[k] = v;
  }
  for (const k of ['fontPx', 'zoom'] as const) {
    if (s[k] === undefined) continue;
    const v = s[k];
    if (!finite(v) || v <= 0 || v > 1000) return { ok: false, error: `observe.state.${k}: expected a positive number` };
    out[k] = v;
  }
  for (const k of ['firstLoss', 'lastLoss', 'alpha', 'dataLoss'] as const) {
    if (s[k] === undefined) continue;
    const v = s[k];
    if (typeof v !== 'number') return { ok: false, error: `observe.state.${k}: expected a number` };
    out[k] = v;
  }
  if (s.activation !== undefined) {
    if (!ACTIVATIONS.includes(s.activation as ActivationName)) return { ok: false, error: `observe.state.activation: unknown activation "${String(s.activation)}"` };
    out.activation = s.activation as ActivationName;
  }
  if (s.view !== undefined) {
    if (typeof s.view !== 'string' || s.view.length > 40) return { ok: false, error: 'observe.state.view: expected a short string' };
    out.view = s.view;
  }
  if (s.weights !== undefined) {
    if (typeof s.weights !== 'string' || s.weights.length > 200) return { ok: false, error: 'observe.state.weights: expected a short string' };
    out.weights = s.weights;
  }
  if (s.card !== undefined) {
    if (typeof s.card !== 'string' || s.card.length > 20_000) return { ok: false, error: 'observe.state.card: expected a string of at most 20000 characters' };
    out.card = s.card;
  }
  if (s.lab !== undefined) {
    const l = s.lab;
    if (!isRecord(l) || !['init', 'sweep'].includes(l.kind as string) || !['running', 'done', 'error'].includes(l.phase as string)) return { ok: false, error: 'observe.state.lab: expected {kind, phase, table?}' };
    const table = l.table;
    if (table !== undefined && (!Array.isArray(table) || table.length > 100 || !table.every((r) => Array.isArray(r) && r.length <= 12 && r.every((c) => typeof c === 'string' && c.length <= 200)))) {
      return { ok: false, error: 'observe.state.lab.table: expected at most 100 rows of short strings' };
    }
    out.lab = { kind: l.kind as ExperimentKind, phase: l.phase as LabState['phase'], ...(table !== undefined ? { table: table as string[][] } : {}) };
  }
  return { ok: true, value: out };
}

/** Checks a message from a webview. Never throws; an invalid message yields a located error. */
export function parseWebviewMessage(m: unknown): Parsed<WebviewToHost> {
  if (!isRecord(m)) return { ok: false, error: 'message: expected an object with a "type"' };
  switch (m.type) {
    case 'ready':
      return { ok: true, value: { type: 'ready' } };
    case 'control':
      if (!CONTROL_ACTIONS.includes(m.action as ControlAction)) return { ok: false, error: `control.action: expected one of ${CONTROL_ACTIONS.join(', ')}` };
      return { ok: true, value: { type: 'control', action: m.action as ControlAction } };
    case 'observe': {
      const s = parseObservation(m.state);
      return s.ok ? { ok: true, value: { type: 'observe', state: s.value } } : s;
    }
    case 'export': {
      if (!EXPORT_FORMATS.includes(m.format as ExportFormat)) return { ok: false, error: `export.format: expected one of ${EXPORT_FORMATS.join(', ')}` };
      if (typeof m.name !== 'string' || m.name.length === 0 || m.name.length > MAX_NAME || /[/\\\0]/.test(m.name)) {
        return { ok: false, error: 'export.name: expected a plain file name (no path separators)' };
      }
      if (typeof m.data !== 'string' || m.data.length > MAX_EXPORT_CHARS) return { ok: false, error: 'export.data: expected a string of at most 64 MiB' };
      if (m.format === 'png' && !m.data.startsWith('data:image/png;base64,')) return { ok: false, error: 'export.data: a PNG export must be a data:image/png;base64 URL' };
      return { ok: true, value: { type: 'export', format: m.format as ExportFormat, name: m.name, data: m.data } };
    }
    case 'log': {
      if (!['info', 'warn', 'error'].includes(m.level as string)) return { ok: false, error: 'log.level: expected info, warn or error' };
      if (typeof m.message !== 'string') return { ok: false, error: 'log.message: expected a string' };
      return { ok: true, value: { type: 'log', level: m.level as 'info' | 'warn' | 'error', message: m.message.slice(0, 2000) } };
    }
    case 'editedWeights':
      if (m.layers === null) return { ok: true, value: { type: 'editedWeights', layers: null } };
      if (!Array.isArray(m.layers) || m.layers.length > 1000 || !m.layers.every(isLayerWeights)) return { ok: false, error: 'editedWeights.layers: expected null or a list of { layer, name, W, b? }' };
      return { ok: true, value: { type: 'editedWeights', layers: m.layers } };
    case 'writeWeights':
      return { ok: true, value: { type: 'writeWeights' } };
    case 'openWalkthrough':
      if (typeof m.quantity !== 'string' || m.quantity.length === 0 || m.quantity.length > 40) return { ok: false, error: 'openWalkthrough.quantity: expected a short string' };
      if (!finite(m.sample) || !Number.isInteger(m.sample) || m.sample < 0) return { ok: false, error: 'openWalkthrough.sample: expected a non-negative integer' };
      if (m.weights !== 'initial' && m.weights !== 'trained') return { ok: false, error: 'openWalkthrough.weights: expected "initial" or "trained"' };
      return { ok: true, value: { type: 'openWalkthrough', quantity: m.quantity, sample: m.sample, weights: m.weights } };
    case 'runLab':
      return parseRunLab(m);
    case 'request': {
      if (!finite(m.id) || !Number.isInteger(m.id) || m.id < 1) return { ok: false, error: 'request.id: expected a positive integer' };
      if (!WEBVIEW_METHODS.includes(m.method as WebviewMethod)) return { ok: false, error: `request.method: expected one of ${WEBVIEW_METHODS.join(', ')}` };
      const p = m.params;
      if (!isRecord(p)) return { ok: false, error: 'request.params: expected an object' };
      if (m.method === 'listRuns' || m.method === 'sample') {
        const key = m.method === 'listRuns' ? 'limit' : 'max';
        const v = p[key];
        if (!finite(v) || !Number.isInteger(v) || v < 1 || v > 10_000) return { ok: false, error: `request.params.${key}: expected an integer from 1 to 10000` };
        return { ok: true, value: { type: 'request', id: m.id, method: m.method, params: { [key]: v } } };
      }
      if (m.method === 'renameRun') {
        if (typeof p.id !== 'string' || !RUN_ID.test(p.id)) return { ok: false, error: 'request.params.id: expected a run folder name such as 20261207-195500-123-xor' };
        return { ok: true, value: { type: 'request', id: m.id, method: 'renameRun', params: { id: p.id } } };
      }
      return { ok: true, value: { type: 'request', id: m.id, method: m.method as 'weights' | 'runMetrics' | 'initialWeights', params: {} } };
    }
    default:
      return { ok: false, error: `message.type: unknown type ${JSON.stringify(m.type)}` };
  }
}

/** Parses the activation name a hover link or command argument gives (case-insensitive, "leaky_relu" too). */
export function parseActivationName(x: unknown): ActivationName | undefined {
  if (typeof x !== 'string') return undefined;
  const k = x.replace(/[\s_-]/g, '').toLowerCase();
  return ACTIVATIONS.find((a) => a.toLowerCase() === k);
}
