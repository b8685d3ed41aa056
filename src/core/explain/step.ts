// What a step report says (issue 16 item 3; the steps: src/core/train/stepping.ts), in one place for the
// loss panel's step area and the output channel: the title, labelled number rows and the matrices, each
// number kept with its value (the panel writes it in `data-value`, the end-to-end test reads it back).
// "epoch" and "loss" wording comes from progress.ts; indices a person reads are 1-based (indices.ts).
// Numbers are written as the walkthrough writes them (autodiff/format.ts: six decimals, a real minus).
// Pure: no `vscode`, no DOM.
import type { BatchStepReport, EpochStepReport, LayerStep, SampleStepReport, StepReport } from '../../protocol/training';
import { fmt } from '../autodiff/format';
import { batchLossText, epochsDoneAfterBatch, epochsDoneAtBatch, epochText, lossText } from './progress';
import { humanIndex, sampleName } from './indices';
import { loss as formatLoss } from './format';

/** A labelled row of numbers. */
export interface StepRow {
  /** stable id (the panel's element id: `step-<id>`) */
  id: string;
  label: string;
  values: number[];
}

/** A matrix (the course's W: a row per input, a column per unit), with 1-based row and column names. */
export interface StepMatrix {
  id: string;
  caption: string;
  values: number[][];
}

export interface StepView {
  title: string;
  /** the update rule with its learning rate, for batch steps (and the sample step that completed a batch) */
  rule?: string;
  rows: StepRow[];
  matrices: StepMatrix[];
  /** the view of the update a sample step applied (its batch was complete) */
  update?: StepView;
}

/** One number as the step area writes it. */
export const stepNumber = (v: number): string => fmt(v);

/** W¹, b² …: the dense layer's 1-based number among the dense layers, as the course writes it. */
function sup(n: number): string {
  const map: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
  return String(n)
    .split('')
    .map((c) => map[c] ?? c)
    .join('');
}

/** `sample 2 of 4 (data row 2), batch 1/1 of epoch 1`: where a step is, 1-based. */
function where(r: StepReport): string {
  return `batch ${r.batch}/${r.stepsPerEpoch} of epoch ${r.epoch}`;
}

/** The update rule of the run's optimiser, with its learning rate. */
export function updateRule(o: BatchStepReport['optimizer']): string {
  const alpha = `α = ${o.learningRate}`;
  if (o.type === 'sgd') return `W ← W − α·∂L/∂W, ${alpha} (SGD)`;
  if (o.type === 'momentum') return `v ← μ·v + ∂L/∂W, W ← W − α·v, ${alpha} (momentum)`;
  return `W ← W − α·m̂/(√v̂ + ε), m̂ and v̂ running means of ∂L/∂W and its square, ${alpha} (Adam)`;
}

function gradMatrices(prefix: string, what: string, k: number, l: LayerStep): StepMatrix[] {
  const out: StepMatrix[] = [];
  if (l.dW) out.push({ id: `${prefix}-dW${k}`, caption: `${what}/∂W${sup(k)}`, values: l.dW });
  if (l.db) out.push({ id: `${prefix}-db${k}`, caption: `${what}/∂b${sup(k)}`, values: [l.db] });
  return out;
}

function sampleView(r: SampleStepReport): StepView {
  const B = r.batchSize;
  const rows: StepRow[] = [
    { id: 'x', label: 'x (input)', values: r.x },
    { id: 'target', label: 'y (target)', values: r.target },
  ];
  r.forward.forEach((f, i) => {
    const k = humanIndex(i);
    rows.push({ id: `z${k}`, label: `z${sup(k)} = a·W${sup(k)} + b${sup(k)}`, values: f.z });
    rows.push({ id: `a${k}`, label: `a${sup(k)} = f(z${sup(k)})`, values: f.a });
  });
  rows.push({ id: 'output', label: 'ŷ (output)', values: r.output });
  rows.push({ id: 'loss', label: `Lᵢ (this sample's loss)`, values: [r.loss] });
  rows.push({ id: 'mean-loss', label: `batch loss so far (mean of ${r.sample} of ${B})`, values: [r.meanLoss] });
  const matrices: StepMatrix[] = [];
  r.grads.forEach((g, i) => matrices.push(...gradMatrices('share', `(1/${B})·∂Lᵢ`, humanIndex(i), g)));
  r.accumulated.forEach((g, i) => matrices.push(...gradMatrices('sum', `Σ so far ∂L`, humanIndex(i), g)));
  r.grads.forEach((g, i) => rows.push({ id: `share-norm${humanIndex(i)}`, label: `‖(1/${B})·∂Lᵢ/∂θ${sup(humanIndex(i))}‖ (layer ${humanIndex(g.layer)})`, values: [g.gradNorm] }));
  r.accumulated.forEach((g, i) => rows.push({ id: `sum-norm${humanIndex(i)}`, label: `‖Σ so far‖ (layer ${humanIndex(g.layer)})`, values: [g.gradNorm] }));
  return {
    title: `${sampleName(r.sample - 1, B)} (data row ${r.row}), ${where(r)}: gradient added, ${r.update ? 'batch complete: update applied' : 'no update yet'} · ${epochText(r.update ? epochsDoneAfterBatch(r.epoch, r.batch, r.stepsPerEpoch) : epochsDoneAtBatch(r.epoch), r.epochs)}`,
    rows,
    matrices,
    ...(r.update ? { update: batchView(r.update) } : {}),
  };
}

function batchView(r: BatchStepReport): StepView {
  const rows: StepRow[] = [{ id: 'batch-loss', label: 'batch loss (before the update)', values: [r.loss] }];
  const matrices: StepMatrix[] = [];
  r.layers.forEach((l, i) => {
    const k = humanIndex(i);
    rows.push({ id: `grad-norm${k}`, label: `‖∂L/∂θ${sup(k)}‖ (layer ${humanIndex(l.layer)})`, values: [l.gradNorm] });
    rows.push({ id: `change-norm${k}`, label: `‖Δθ${sup(k)}‖ (layer ${humanIndex(l.layer)})`, values: [l.changeNorm] });
    if (l.W) matrices.push({ id: `W${k}`, caption: `W${sup(k)} before`, values: l.W });
    if (l.dW) matrices.push({ id: `dW${k}`, caption: `∂L/∂W${sup(k)}`, values: l.dW });
    if (l.WAfter) matrices.push({ id: `Wafter${k}`, caption: `W${sup(k)} after`, values: l.WAfter });
    if (l.b) matrices.push({ id: `b${k}`, caption: `b${sup(k)} before`, values: [l.b] });
    if (l.db) matrices.push({ id: `db${k}`, caption: `∂L/∂b${sup(k)}`, values: [l.db] });
    if (l.bAfter) matrices.push({ id: `bafter${k}`, caption: `b${sup(k)} after`, values: [l.bAfter] });
  });
  const stepped = r.samplesStepped > 0 ? `, ${r.samplesStepped} of its ${r.batchSize} samples stepped first` : '';
  return {
    title: `${where(r).replace(/^b/, 'B')} (${r.batchSize} samples${stepped}): update ${r.step} applied · ${epochText(epochsDoneAfterBatch(r.epoch, r.batch, r.stepsPerEpoch), r.epochs)}`,
    rule: updateRule(r.optimizer),
    rows,
    matrices,
  };
}

function epochView(r: EpochStepReport): StepView {
  const rows: StepRow[] = [{ id: 'epoch-loss', label: 'loss (epoch mean)', values: [r.loss] }];
  if (r.valLoss !== undefined) rows.push({ id: 'val-loss', label: 'validation loss', values: [r.valLoss] });
  if (r.accuracy !== undefined) rows.push({ id: 'accuracy', label: 'accuracy', values: [r.accuracy] });
  r.layers.forEach((l, i) => rows.push({ id: `change-norm${humanIndex(i)}`, label: `‖Δθ${sup(humanIndex(i))}‖ over the epoch (layer ${humanIndex(l.layer)})`, values: [l.changeNorm] }));
  return {
    title: `Epoch ${r.epoch} done (${r.batches} batch${r.batches === 1 ? '' : 'es'}, updates ${r.step - r.batches + 1}–${r.step}) · ${epochText(r.epochsDone, r.epochs)}`,
    rows,
    matrices: [],
  };
}

/** The step area's content for a report. */
export function stepView(r: StepReport): StepView {
  return r.unit === 'sample' ? sampleView(r) : r.unit === 'batch' ? batchView(r) : epochView(r);
}

/** One line for the output channel and notifications: what the step did. */
export function stepDoneText(r: StepReport): string {
  if (r.unit === 'sample') {
    const base = `stepped ${sampleName(r.sample - 1, r.batchSize)} of ${where(r)}: Lᵢ ${formatLoss(r.loss)}`;
    return r.update ? `${base}; batch complete, update ${r.update.step} applied (${batchLossText(r.update.loss)})` : `${base}; gradient added, no update yet`;
  }
  if (r.unit === 'batch') return `stepped ${where(r)}: update ${r.step} applied (${batchLossText(r.loss)})`;
  return `stepped epoch ${r.epoch}: ${epochText(r.epochsDone, r.epochs)}, ${lossText({ loss: r.loss })}`;
}
