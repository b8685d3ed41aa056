// The graph panel's formula card (issue 16 item 1): click a neuron, a weight, a bias or a node of the
// computational graph, and a card beside the graph shows its formula typeset with KaTeX and the current
// numbers of one sample plugged in (src/core/explain/formula.ts computes it), a link to the walkthrough
// step that computes the same quantity, and (weights and biases) the edit box (./edit.ts). It is
// redrawn from the panel's weights on every update, so it follows training and stepping live.
import katex from 'katex';
import 'katex/dist/katex.min.css';
import './formula.css';
import { button, h } from '../shared/elements';
import { formulaCard, type FormulaCard, type FormulaTarget } from '../../src/core/explain/formula';
import type { LayerWeights } from '../../src/protocol/training';
import type { DataSample, SpecView } from '../../src/protocol/webview';
import { formulaSampleAt } from '../../src/core/view/graphState';

export interface FormulaCardHooks {
  /** the card's walkthrough link: the quantity and the 0-based sample row */
  onWalkthrough(quantity: string, sample: number): void;
  /** the card was closed or opened (the panel re-reports its state) */
  onChange(): void;
}

function typeset(target: HTMLElement, tex: string): void {
  try {
    katex.render(tex, target, { displayMode: true, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml' });
  } catch {
    target.textContent = tex;
  }
}

export class FormulaCardView {
  readonly el: HTMLElement;
  target: FormulaTarget | undefined;
  /** row of the panel's data sample the card shows */
  sample = 0;
  card: FormulaCard | undefined;
  private readonly head = h('div', { class: 'fc-head' });
  private readonly body = h('div', { class: 'fc-body' });
  /** where the edit box goes (weights and biases) */
  readonly extra = h('div', { class: 'fc-extra' });
  private lastKey = '';

  constructor(private readonly hooks: FormulaCardHooks) {
    this.el = h('aside', { class: 'formula-card', id: 'formula-card', hidden: true, 'aria-live': 'polite' }, this.head, this.body, this.extra);
  }

  open(target: FormulaTarget): void {
    this.target = target;
    this.el.hidden = false;
    this.hooks.onChange();
  }

  close(): void {
    this.target = undefined;
    this.card = undefined;
    this.lastKey = '';
    this.el.hidden = true;
    this.hooks.onChange();
  }

  /** The card's plain text (what the e2e test compares with the core's), empty when closed. */
  text(): string {
    return this.card?.text ?? '';
  }

  /** Redraws the card from the current weights; only what changed is typeset again. */
  update(spec: SpecView | undefined, weights: readonly LayerWeights[] | undefined, data: DataSample | undefined): void {
    if (!this.target) return;
    if (!spec || !weights || !data?.x.length) {
      this.card = undefined;
      this.head.replaceChildren(h('div', { class: 'muted' }, 'The formula appears once the weights and the data are loaded.'), this.closeButton());
      this.body.replaceChildren();
      return;
    }
    this.sample = Math.min(Math.max(0, this.sample), data.x.length - 1);
    try {
      this.card = formulaCard(spec, weights, formulaSampleAt(data, this.sample), this.target);
    } catch (e) {
      this.card = undefined;
      this.head.replaceChildren(h('div', { class: 'error' }, e instanceof Error ? e.message : String(e)), this.closeButton());
      this.body.replaceChildren();
      this.lastKey = '';
      return;
    }
    const c = this.card;
    const key = c.text;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const nav = h(
      'div',
      { class: 'fc-nav' },
      button('', 'chevron-left', () => this.step(-1, data.x.length), { id: 'fc-prev', secondary: true, title: 'Previous sample' }),
      h('span', { class: 'muted', id: 'fc-sample' }, c.subtitle),
      button('', 'chevron-right', () => this.step(1, data.x.length), { id: 'fc-next', secondary: true, title: 'Next sample' }),
    );
    const link = c.walkthrough
      ? button(`Walkthrough: ${c.walkthrough}`, 'debug-alt', () => this.hooks.onWalkthrough(c.walkthrough!, this.sample), { id: 'fc-walkthrough', secondary: true, title: `Open "This network" in the backpropagation walkthrough at the step that computes ${c.walkthrough}` })
      : h('span');
    this.head.replaceChildren(h('div', { class: 'fc-title-row' }, h('h3', { id: 'fc-title' }, c.title), this.closeButton()), nav);
    const eqs = c.lines.map((l, i) => {
      const eq = h('div', { class: 'fc-eq', 'data-index': i });
      typeset(eq, l.tex);
      // the same equation in plain text for screen readers and copying
      eq.setAttribute('title', l.text);
      return eq;
    });
    this.body.replaceChildren(...eqs, h('div', { class: 'fc-links' }, link));
  }

  private step(d: number, n: number): void {
    this.sample = (this.sample + d + n) % n;
    this.hooks.onChange();
  }

  private closeButton(): HTMLElement {
    return button('', 'close', () => this.close(), { id: 'fc-close', secondary: true, title: 'Close the formula card' });
  }
}
