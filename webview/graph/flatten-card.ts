// The graph panel's flatten card (issue 16 item 6): for an image input, the selected sample's rows × cols
// pixels next to the row vector x ∈ ℝ^{1×(rows·cols)} that flatten makes of them; hovering a pixel marks
// its entry of the vector and the reverse, with the mapping in words (1-based); below, what the network
// predicts for this sample (its output, from the panels' forward pass). The maths: src/core/view/flatten.ts.
import { h } from '../shared/dom';
import { flatIndex, imageShape, mappingText, pixelOf, predict, targetClass } from '../../src/core/view/flatten';
import type { SpecView, DataSample } from '../../src/protocol/webview';
import type { LayerWeights } from '../../src/protocol/training';

const GRID_PX = 168;

export class FlattenCard {
  readonly el: HTMLElement;
  private readonly title = h('h3', { id: 'flatten-title' });
  private readonly grid = h('canvas', { id: 'flatten-grid', class: 'flatten-grid' });
  private readonly gridMark = h('div', { class: 'flatten-mark', hidden: true });
  private readonly strip = h('canvas', { id: 'flatten-vector', class: 'flatten-vector' });
  private readonly stripMark = h('div', { class: 'flatten-mark', hidden: true });
  private readonly mapping = h('div', { id: 'flatten-mapping', class: 'formula' });
  private readonly prediction = h('div', { id: 'flatten-prediction' });
  private shape: [number, number] | undefined;
  private x: number[] = [];

  constructor() {
    this.el = h(
      'div',
      { class: 'card flatten-card', id: 'flatten-card', hidden: true },
      this.title,
      h('div', { class: 'flatten-grid-box' }, this.grid, this.gridMark),
      h('div', { class: 'muted' }, 'flatten: row after row'),
      h('div', { class: 'flatten-vector-box' }, this.strip, this.stripMark),
      this.mapping,
      this.prediction,
    );
    this.grid.addEventListener('mousemove', (e) => {
      if (!this.shape) return;
      const [rows, cols] = this.shape;
      const r = Math.min(rows - 1, Math.floor((e.offsetY / this.grid.clientHeight) * rows));
      const c = Math.min(cols - 1, Math.floor((e.offsetX / this.grid.clientWidth) * cols));
      this.mark(flatIndex(r, c, cols));
    });
    this.strip.addEventListener('mousemove', (e) => {
      if (!this.shape) return;
      const n = this.shape[0] * this.shape[1];
      this.mark(Math.min(n - 1, Math.floor((e.offsetX / this.strip.clientWidth) * n)));
    });
    for (const c of [this.grid, this.strip]) c.addEventListener('mouseleave', () => this.mark(undefined));
  }

  /** The card for `spec` and the sample's row `index` (numbered `number` for people); hidden unless the input is an image. */
  update(spec: SpecView | undefined, sample: DataSample | undefined, index: number, number: number, weights: readonly LayerWeights[] | undefined): void {
    this.shape = spec && !spec.errors.length ? imageShape(spec) : undefined;
    const x = sample?.x[index];
    this.el.hidden = !this.shape;
    if (!this.shape || !spec) return;
    const [rows, cols] = this.shape;
    const n = rows * cols;
    this.title.replaceChildren(`Flatten: ${rows}×${cols} image → x ∈ ℝ`, h('sup', {}, `1×${n}`));
    this.x = x ?? [];
    this.drawGrid(rows, cols);
    this.drawStrip(n);
    this.mark(undefined);
    if (!x) {
      this.prediction.textContent = 'The sample appears once the data is read.';
      return;
    }
    if (!weights) {
      this.prediction.textContent = `Sample ${number}. The prediction appears once a run starts.`;
      return;
    }
    try {
      const digits = rows === 28 && cols === 28;
      const p = predict(spec, weights, x, digits);
      const target = sample?.y[index] ? targetClass(sample.y[index]) : undefined;
      const bars = p.output.map((v, i) => {
        // a style property, not a style attribute: the panels' CSP allows no inline styles
        const fill = h('span', { class: 'flatten-bar-fill' });
        fill.style.width = `${(Math.max(0, Math.min(1, v)) * 100).toFixed(1)}%`;
        return h(
          'div',
          { class: `flatten-bar${i === p.predicted ? ' predicted' : ''}` },
          h('span', { class: 'flatten-bar-label' }, p.labels[i] ?? ''),
          h('span', { class: 'flatten-bar-track' }, fill),
          h('span', { class: 'flatten-bar-value' }, v.toFixed(3)),
        );
      });
      this.prediction.replaceChildren(
        h('div', {}, `Sample ${number}: predicted ${p.labels[p.predicted]}${target !== undefined ? `, target ${p.labels[target]}` : ''}`),
        ...bars,
      );
    } catch (e) {
      this.prediction.textContent = `Cannot evaluate the weights: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private grey(v: number): number {
    let lo = Math.min(0, ...this.x);
    let hi = Math.max(1, ...this.x);
    if (hi - lo < 1e-12) [lo, hi] = [0, 1];
    return Math.round(((v - lo) / (hi - lo)) * 255);
  }

  private drawGrid(rows: number, cols: number): void {
    const cell = Math.max(4, Math.floor(GRID_PX / Math.max(rows, cols)));
    const dpr = window.devicePixelRatio || 1;
    this.grid.width = cols * cell * dpr;
    this.grid.height = rows * cell * dpr;
    this.grid.style.width = `${cols * cell}px`;
    this.grid.style.height = `${rows * cell}px`;
    const ctx = this.grid.getContext('2d')!;
    ctx.scale(dpr, dpr);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const i = flatIndex(r, c, cols);
        const g = this.grey(this.x[i] ?? 0);
        ctx.fillStyle = `rgb(${g},${g},${g})`;
        ctx.fillRect(c * cell, r * cell, cell, cell);
        // small images: each pixel's 1-based index in the vector
        if (cell >= 24) {
          ctx.fillStyle = g > 128 ? '#000' : '#fff';
          ctx.font = '12px sans-serif';
          ctx.textAlign = 'center';
          ctx.fillText(`x${i + 1}`, c * cell + cell / 2, r * cell + cell / 2 + 4);
        }
      }
  }

  private drawStrip(n: number): void {
    const width = Math.max(GRID_PX, Math.min(n * 26, 234));
    const per = width / n;
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.max(n, Math.round(width * dpr));
    this.strip.width = cw;
    this.strip.height = Math.round(24 * dpr);
    this.strip.style.width = `${width}px`;
    this.strip.style.height = '24px';
    const ctx = this.strip.getContext('2d')!;
    const k = cw / n;
    for (let i = 0; i < n; i++) {
      const g = this.grey(this.x[i] ?? 0);
      ctx.fillStyle = `rgb(${g},${g},${g})`;
      ctx.fillRect(Math.floor(i * k), 0, Math.ceil(k), this.strip.height);
    }
    if (per >= 20) {
      ctx.scale(dpr, dpr);
      ctx.font = '12px sans-serif';
      ctx.textAlign = 'center';
      for (let i = 0; i < n; i++) {
        ctx.fillStyle = this.grey(this.x[i] ?? 0) > 128 ? '#000' : '#fff';
        ctx.fillText(`${i + 1}`, i * per + per / 2, 16);
      }
    }
  }

  /** Marks entry `i` (0-based) in both pictures and says the mapping; undefined clears. */
  private mark(i: number | undefined): void {
    if (!this.shape || i === undefined) {
      this.gridMark.hidden = true;
      this.stripMark.hidden = true;
      this.mapping.textContent = this.shape ? `Hover a pixel or an entry: pixel (i, j) ↔ x[(i − 1)·${this.shape[1]} + j]` : '';
      return;
    }
    const [rows, cols] = this.shape;
    const { r, c } = pixelOf(i, cols);
    const cw = this.grid.clientWidth / cols;
    const ch = this.grid.clientHeight / rows;
    Object.assign(this.gridMark.style, { left: `${c * cw}px`, top: `${r * ch}px`, width: `${cw}px`, height: `${ch}px` });
    const per = this.strip.clientWidth / (rows * cols);
    Object.assign(this.stripMark.style, { left: `${i * per - (per < 3 ? 1 : 0)}px`, top: '0px', width: `${Math.max(3, per)}px`, height: `${this.strip.clientHeight}px` });
    this.gridMark.hidden = false;
    this.stripMark.hidden = false;
    const v = this.x[i];
    this.mapping.textContent = `${mappingText(r, c, cols)}${v !== undefined ? ` = ${+v.toFixed(4)}` : ''}`;
  }
}
