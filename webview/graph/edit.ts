// Edit and watch (issue 16 item 2), the graph panel's side: the selected weight's or bias's value as a
// number field and a slider (drag), allowed while no run is going (untrained, paused or finished); every
// edit recomputes the loss on the data and the decision regions (src/core/view/edit.ts) and redraws the
// graph and the formula card. "Write to spec" runs `nnlab.writeWeightsToSpec` in the host; the edited
// weights are reported to the host on every edit for it.
import { button, h } from '../shared/elements';
import { paintRegions } from '../shared/regions';
import { WeightEdits, editView, hasRegions, paramValue, type EditTarget, type EditView } from '../../src/core/view/edit';
import { num } from '../../src/core/explain/formula';
import type { FormulaTarget } from '../../src/core/explain/formula';
import type { LayerWeights } from '../../src/protocol/training';
import type { DataSample, SpecView } from '../../src/protocol/webview';

export interface EditHooks {
  /** the weights to draw changed (an edit or a reset) */
  onWeights(weights: LayerWeights[] | undefined): void;
  /** tell the host (null: no edits) */
  post(layers: LayerWeights[] | null): void;
  /** the Write button */
  write(): void;
}

export const editTarget = (t: FormulaTarget | undefined): EditTarget | undefined => (t?.kind === 'weight' || t?.kind === 'bias' ? t : undefined);

export class WeightEditor {
  readonly edits = new WeightEdits();
  /** whether a run is going (edits are refused then: the worker owns the weights) */
  running = false;
  /** loss on the data at the base weights (to show what the edit changed) */
  private baseLoss: number | undefined;
  view: EditView | undefined;
  private data: DataSample | undefined;
  /** ms the last recompute took */
  lastMs = 0;
  readonly el = h('div', { class: 'fc-edit', id: 'fc-edit' });
  private readonly canvas = h('canvas', { width: 220, height: 220, class: 'fc-regions', id: 'fc-regions' });

  constructor(private readonly hooks: EditHooks) {}

  /** New weights from the run or the spec: edits dropped. */
  setBase(weights: LayerWeights[] | undefined): void {
    const had = this.edits.hasEdits;
    this.edits.setBase(weights);
    this.baseLoss = undefined;
    if (had) this.hooks.post(null);
  }

  /** Recomputes loss and regions for `weights` (the drawn ones); returns the ms it took. */
  recompute(spec: SpecView | undefined, weights: readonly LayerWeights[] | undefined, data: DataSample | undefined): void {
    const t0 = performance.now();
    this.data = data;
    this.view = spec && weights && data?.x.length && spec.errors.length === 0 ? safe(() => editView(spec, weights, data)) : undefined;
    if (this.view && !this.edits.hasEdits) this.baseLoss = this.view.loss;
    this.lastMs = performance.now() - t0;
  }

  /** The edit box for the card's target (empty for neurons, inputs and nodes). */
  render(spec: SpecView | undefined, target: FormulaTarget | undefined): void {
    const t = editTarget(target);
    const weights = this.edits.current;
    if (!t || !weights || !spec) {
      this.el.replaceChildren();
      return;
    }
    const value = paramValue(weights, t);
    if (value === undefined) {
      this.el.replaceChildren();
      return;
    }
    const field = h('input', { type: 'number', step: 0.01, value: String(+value.toPrecision(6)), id: 'fc-value', class: 'fc-value', 'aria-label': 'value', disabled: this.running });
    const range = Math.max(2, Math.ceil(Math.abs(value) * 2));
    const slider = h('input', { type: 'range', min: -range, max: range, step: 0.01, value: String(value), id: 'fc-slider', class: 'slider', 'aria-label': 'drag the value', disabled: this.running });
    const apply = (v: number, from: 'field' | 'slider'): void => {
      if (!Number.isFinite(v) || this.running) return;
      try {
        const next = this.edits.set(t, v);
        if (from === 'field') slider.value = String(v);
        else field.value = String(v);
        this.hooks.post(this.edits.hasEdits ? next : null);
        this.hooks.onWeights(next);
      } catch {
        // a value float32 cannot hold: leave the weights as they are
      }
    };
    field.addEventListener('input', () => field.value.trim() !== '' && apply(Number(field.value), 'field'));
    slider.addEventListener('input', () => apply(Number(slider.value), 'slider'));
    const note = this.running
      ? h('div', { class: 'muted' }, 'Training is running: pause it (or let it finish) to edit this value.')
      : h('div', { class: 'muted' }, 'Type or drag: the graph, the loss on the data and the decision regions follow. Training does not see edits until they are written to the spec.');
    this.el.replaceChildren(
      h('div', { class: 'fc-edit-row' }, h('label', { for: 'fc-value' }, t.kind === 'weight' ? 'Edit w' : 'Edit b'), field, slider),
      note,
      h('div', { class: 'fc-loss', id: 'fc-loss' }),
      this.canvas,
      h(
        'div',
        { class: 'fc-edit-row' },
        button('Write to spec', 'save-as', () => this.hooks.write(), { id: 'fc-write', title: 'NN Lab: Write Edited Weights to Spec (an undoable edit of the spec, not saved)' }),
        button('Reset edits', 'discard', () => this.reset(), { id: 'fc-reset', secondary: true }),
      ),
    );
    this.refresh(spec);
  }

  /** Redraws the loss line and the regions from the last recompute (no new DOM for the controls). */
  refresh(spec: SpecView | undefined): void {
    const lossEl = this.el.querySelector<HTMLElement>('#fc-loss');
    if (lossEl) {
      const v = this.view;
      const edited = this.edits.changed;
      lossEl.textContent = v
        ? `Loss on the data: ${num(v.loss)}${edited && this.baseLoss !== undefined ? ` (before the edits ${num(this.baseLoss)}; ${edited} value${edited === 1 ? '' : 's'} edited)` : ''}`
        : 'Loss on the data: loading…';
    }
    this.canvas.hidden = !(spec && hasRegions(spec) && this.view?.regions);
    if (!this.canvas.hidden) paintRegions(this.canvas, this.view!.regions, this.data);
  }

  private reset(): void {
    this.edits.reset();
    this.hooks.post(null);
    this.hooks.onWeights(this.edits.current);
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
