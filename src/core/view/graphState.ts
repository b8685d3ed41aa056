// The graph panel's state apart from its DOM (issue 15 item 3): the spec, the run's weights and their
// step, the data sample and what is computed from them (one sample's forward trace, the gradients over
// the sample), which worker events ask for fresh weights, and the zoom/pan transform (fit, zoom about a
// point, pan). Pure (no DOM, no vscode): unit-tested in test/unit/panels/graph-state.test.ts; the panel
// (webview/graph/main.ts) lays out and draws it.
import { forwardOne, gradients, type ForwardLayer, type ForwardTrace, type Gradients } from '../nn/dense';
import type { LayerWeights, WorkerToHost } from '../../protocol/training';
import type { DataSample, SpecView } from '../../protocol/webview';
import type { FormulaSample } from '../explain/formula';

export type GraphView = 'layers' | 'neurons' | 'compgraph';

/** How many rows of the data the graph panel asks for (its formula card's samples, its loss on the data, its gradients). */
export const GRAPH_SAMPLE_ROWS = 256;

/** Parameters × rows the panel's gradients may take per recompute (an edit, new weights): ~25 ms in JS. */
export const GRADIENT_BUDGET = 2_000_000;

/**
 * How many of the sample's rows the panel's ∂L/∂· are averaged over: all of them up to 256, fewer for
 * a large network so that an edit stays interactive (MNIST's 101,770 parameters: 19 rows, not 256 —
 * 365 ms an edit before), never fewer than 8.
 */
export function gradientRows(params: number, rows: number): number {
  return Math.min(rows, GRAPH_SAMPLE_ROWS, Math.max(8, Math.floor(GRADIENT_BUDGET / Math.max(1, params))));
}

/**
 * Row `i` of the panel's sample for the formula card, numbered as the sample picker numbers it: its row
 * in the spec's data, of all the data's rows ("sample 40 of 10000", not "sample 2 of 256").
 */
export function formulaSampleAt(data: DataSample, i: number): FormulaSample {
  return { x: data.x[i], y: data.y[i], index: data.rows?.[i] ?? i, count: data.total ?? data.x.length };
}

/** The SVG viewport's transform: translate (tx, ty), then scale k. */
export interface Transform {
  tx: number;
  ty: number;
  k: number;
}
export interface Size {
  w: number;
  h: number;
}

/** Zoom limits and the margin kept around the drawing when fitting. */
export const ZOOM = { min: 0.1, max: 8, fitMax: 2, fitMargin: 24 } as const;

/** The transform that shows the whole drawing `content`, centred in `stage` (at most ZOOM.fitMax). */
export function fitTransform(content: Size, stage: Size): Transform {
  const k = Math.min(ZOOM.fitMax, Math.min((stage.w - ZOOM.fitMargin) / content.w, (stage.h - ZOOM.fitMargin) / content.h));
  return { k, tx: (stage.w - content.w * k) / 2, ty: (stage.h - content.h * k) / 2 };
}

/** The scale fitTransform would choose. */
export function fitScale(content: Size, stage: Size): number {
  return fitTransform(content, stage).k;
}

/** The on-screen size in px of a `fontPx` label of a drawing shown at Fit in `stage`. */
export function labelPxAtFit(fontPx: number, content: Size, stage: Size): number {
  return fontPx * fitScale(content, stage);
}

/**
 * Of several layouts of the same drawing (e.g. left-to-right and top-down), the index of the one that
 * Fit shows largest in `stage` (the first on a tie).
 */
export function bestFit(contents: readonly Size[], stage: Size): number {
  let best = 0;
  contents.forEach((c, i) => {
    if (fitScale(c, stage) > fitScale(contents[best]!, stage) + 1e-9) best = i;
  });
  return best;
}

/**
 * The SVG viewBox that shows what the transform `t` shows in a stage of size `stage` (for an <svg> that
 * fills the stage and draws in its own user space): world x = (screen x − tx) / k.
 */
export function viewBoxOf(t: Transform, stage: Size): [number, number, number, number] {
  return [-t.tx / t.k, -t.ty / t.k, stage.w / t.k, stage.h / t.k];
}

/**
 * Zoom factor of one wheel event: a mouse-wheel notch (deltaY ±100) zooms by 1.1; a trackpad pinch
 * (Chromium sends wheel events with ctrlKey and small deltas) by e^(−deltaY/100).
 */
export function wheelFactor(deltaY: number, pinch: boolean): number {
  return pinch ? Math.exp(-Math.max(-50, Math.min(50, deltaY)) / 100) : 1.1 ** (-Math.max(-100, Math.min(100, deltaY)) / 100);
}

/** The zoom factor of a key in a focused graph (+/= in, - out), or 'fit' (0); undefined for other keys. */
export function zoomKey(key: string): number | 'fit' | undefined {
  if (key === '+' || key === '=') return 1.25;
  if (key === '-' || key === '_') return 0.8;
  if (key === '0') return 'fit';
  return undefined;
}

/** Zooms by `f` about the stage point (cx, cy), which stays where it is; k within ZOOM.min…ZOOM.max. */
export function zoomAbout(t: Transform, f: number, cx: number, cy: number): Transform {
  const k = Math.min(ZOOM.max, Math.max(ZOOM.min, t.k * f));
  return { k, tx: cx - ((cx - t.tx) * k) / t.k, ty: cy - ((cy - t.ty) * k) / t.k };
}

/** What the panel should do after a worker event. */
export interface GraphEffects {
  /** ask the host for the current weights (rate-limited by the panel) */
  fetchWeights: boolean;
  /** a new run: fetch the data sample again */
  reloadSample: boolean;
}

export class GraphState {
  spec: SpecView | undefined;
  weights: LayerWeights[] | undefined;
  weightsStep = 0;
  /** the saved run the weights were read from (a panel restored with no run in this window) */
  weightsRun: string | undefined;
  /** where the weights come from when not from a run ("initial weights (seed 42)"), for the info line */
  weightsLabel: string | undefined;
  sample: DataSample | undefined;
  /** the row of `sample` the panel shows (0-based here; people read sampleNumber()) */
  sampleIndex = 0;
  /** the selected sample's forward pass (values on the neurons) */
  trace: ForwardTrace | undefined;
  /** the loss gradients over (up to 256 rows of) the sample */
  grads: Gradients | undefined;
  /**
   * the rows of the sample the gradients are averaged over (gradientRows), recorded with them: derived from
   * the current spec and sample it could name another count between a new sample and the next recompute
   */
  gradRows = 0;

  forwardLayers(): ForwardLayer[] {
    const spec = this.spec;
    return spec?.layers.map((l, i) => ({ type: l.type, activation: spec.activations[i] })) ?? [];
  }

  /** the weights drawn before the last change of step (a Step command: what it changed, before → after) */
  previous: { layers: LayerWeights[]; step: number } | undefined;
  private setAt = 0;

  setWeights(layers: LayerWeights[], step: number, run?: string, label?: string): void {
    // (weightsStep follows progress events before the weights arrive: compare with the step they were set at)
    if (this.weights && step !== this.setAt && !run) this.previous = { layers: this.weights, step: this.setAt };
    else if (run) this.previous = undefined;
    this.setAt = step;
    this.weights = layers;
    this.weightsStep = step;
    this.weightsRun = run;
    this.weightsLabel = label;
  }

  /** Keeps the selected row inside the sample (a new, shorter sample resets it). */
  setSample(sample: DataSample | undefined): void {
    this.sample = sample;
    if (!sample || this.sampleIndex >= sample.x.length) this.sampleIndex = 0;
  }

  /** The 1-based number of row `i` of the sample in the spec's data (`nnlab grad` prints "sample N"; its `--sample` is N − 1). */
  sampleNumber(i = this.sampleIndex): number {
    return (this.sample?.rows?.[i] ?? i) + 1;
  }

  /** The sample picker's choices: [row of the sample, "sample N"] (N 1-based, as the CLI and course count). */
  sampleChoices(): [number, string][] {
    return (this.sample?.x ?? []).map((_, i) => [i, `sample ${this.sampleNumber(i)}`]);
  }

  /** Where the drawn weights come from, for the panel's info line. */
  weightsText(): string {
    if (!this.weights) return 'initial view (no run yet)';
    if (this.weightsLabel) return this.weightsLabel;
    return this.weightsRun ? `weights of run ${this.weightsRun} (step ${this.weightsStep})` : `weights at step ${this.weightsStep}`;
  }

  /** Recomputes the trace and gradients; returns why the weights cannot be evaluated, if they cannot. */
  recompute(): string | undefined {
    this.trace = undefined;
    this.grads = undefined;
    this.gradRows = 0;
    const { spec, weights, sample } = this;
    if (!spec || !weights || spec.errors.length || !sample?.x.length) return undefined;
    try {
      this.trace = forwardOne(this.forwardLayers(), weights, sample.x[this.sampleIndex] ?? sample.x[0]);
      const rows = gradientRows(spec.totalParams, sample.x.length);
      this.grads = gradients(this.forwardLayers(), weights, spec.loss, sample.x.slice(0, rows), sample.y.slice(0, rows));
      this.gradRows = rows;
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /**
   * A worker event: epochs, pauses and the end ask for fresh weights (batches too, except in the layers
   * view, which shows no weights); a new run forgets the weights and reloads the sample.
   */
  onTrain(m: WorkerToHost, view: GraphView): GraphEffects {
    const fx: GraphEffects = { fetchWeights: false, reloadSample: false };
    if (m.type === 'epoch' || m.type === 'paused' || m.type === 'done' || (m.type === 'batch' && view !== 'layers')) {
      if (m.type === 'epoch' || m.type === 'batch') this.weightsStep = m.step;
      fx.fetchWeights = true;
    }
    if (m.type === 'started') {
      this.weights = undefined;
      this.previous = undefined;
      fx.reloadSample = true;
    }
    return fx;
  }
}
