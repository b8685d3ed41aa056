// The graph panel's sample picker (issue 13 item 2): which data sample the neuron fills, the hovers, the
// computational graph and the flatten card show, numbered from 1 as the course, the CLI's --sample and
// the README count (the numbers are the spec's data rows; a large data set offers every k-th row).
import { h, select } from '../shared/dom';

/** A labelled dropdown of `choices` ([row of the sample, "sample N"]); empty without a sample. */
export function samplePicker(choices: [number, string][], selected: number, onPick: (row: number) => void): HTMLElement[] {
  if (!choices.length) return [];
  return [
    h('label', { for: 'sample-select' }, 'Sample'),
    select(
      choices.map(([i, label]) => [String(i), label]),
      String(selected),
      (v) => onPick(Number(v)),
      'sample-select',
    ),
    h('span', { class: 'muted', id: 'sample-count' }, `of ${choices.length}`),
  ];
}
