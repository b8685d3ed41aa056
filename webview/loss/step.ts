// The loss panel's step area (issue 16 item 3): what the last Step (sample / batch / epoch) did, as
// src/core/explain/step.ts words it: a title, the update rule, labelled rows of numbers and small
// matrices. Every number cell carries its exact value in `data-value` (the end-to-end test compares
// them with the core's). The panel gives it a box and calls `show` with each report.
import './step.css';
import { h } from '../shared/dom';
import { stepNumber, stepView, type StepMatrix, type StepRow, type StepView } from '../../src/core/explain/step';
import type { StepReport } from '../../src/protocol/training';

function numberCell(tag: 'td' | 'span', v: number): HTMLElement {
  return h(tag, { class: 'num', 'data-value': String(v) }, stepNumber(v));
}

function rowEl(prefix: string, r: StepRow): HTMLElement {
  const values = h('span', { class: 'values' });
  r.values.forEach((v, i) => {
    if (i > 0) values.append(' ');
    values.append(numberCell('span', v));
  });
  return h('div', { class: 'step-row', id: `step-${prefix}${r.id}` }, h('span', { class: 'label' }, r.label), values);
}

function matrixEl(prefix: string, m: StepMatrix): HTMLElement {
  const table = h('table', { class: 'step-matrix', id: `step-${prefix}${m.id}` });
  table.append(h('caption', {}, m.caption));
  for (const row of m.values) {
    const tr = h('tr', {});
    for (const v of row) tr.append(numberCell('td', v));
    table.append(tr);
  }
  return table;
}

function viewEl(v: StepView, prefix = ''): HTMLElement[] {
  const out: HTMLElement[] = [h('div', { class: 'step-title', id: `step-${prefix}title` }, v.title)];
  if (v.rule) out.push(h('div', { class: 'step-rule', id: `step-${prefix}rule` }, v.rule));
  out.push(h('div', { class: 'step-rows' }, ...v.rows.map((r) => rowEl(prefix, r))));
  if (v.matrices.length) out.push(h('div', { class: 'step-matrices' }, ...v.matrices.map((m) => matrixEl(prefix, m))));
  return out;
}

/** The step area inside `box` (hidden until the first report). */
export function stepArea(box: HTMLElement): { show(r: StepReport): void; clear(): void } {
  box.hidden = true;
  return {
    show(r) {
      const v = stepView(r);
      const parts = viewEl(v);
      // a sample that completed its batch also applied the update: its numbers follow, prefixed `update-`
      if (v.update) parts.push(h('div', { class: 'step-update', id: 'step-update' }, ...viewEl(v.update, 'update-')));
      box.replaceChildren(h('h3', {}, 'Step'), ...parts);
      box.dataset.unit = r.unit;
      box.dataset.step = String(r.step);
      box.hidden = false;
    },
    clear() {
      box.replaceChildren();
      box.hidden = true;
    },
  };
}
