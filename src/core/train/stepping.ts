// Stepping a paused run at three granularities (issue 16 item 3), the course's training loop
// (forward path → backward path → update weights) one piece at a time. The Trainer executes the steps
// (`Trainer.requestStep`); this file holds what a step report is made of.
//
// The semantics, exactly:
// - The run is paused before a batch (the next one the loop would train: same epoch, same shuffled
//   rows, same dropout seed as an unpaused run).
// - Step SAMPLE computes, for the next sample i of that batch (1-based in the report), its forward pass,
//   its loss Lᵢ and its share of the batch gradient, (1/B)·∂Lᵢ/∂θ (the batch loss is the MEAN of the
//   samples' losses, L = (1/B)·Σᵢ Lᵢ, for every loss NN Lab has: MSE and binary cross-entropy also
//   average over the outputs, inside Lᵢ). The share is added to the batch's accumulated gradient.
//   Nothing is updated: the weights stay as they were, so every sample of the batch sees the same θ.
// - When the batch's last sample has been stepped, the update is applied at once, as part of that
//   sample step (its report carries the batch report in `update`).
// - Step BATCH applies the update of the batch (the samples already stepped one by one included: the
//   whole batch's gradient is used, they are not counted twice), and reports θ before, ∂L/∂θ, θ after.
// - Step EPOCH runs the batches left in the epoch in progress (all of them when paused at its start).
// - The update is ALWAYS computed as training computes it (Model.gradients over the whole batch, then
//   the optimiser), never from the accumulated shares: stepping changes no number of the run, so a
//   stepped run and `nnlab train` with the same seed agree exactly. The accumulated shares equal that
//   batch gradient up to float32 rounding (test/unit/train/stepping.test.ts checks both).
// - Each share is computed by the trainer's own backward pass (Model.gradients with a row mask: the
//   batch's forward pass and dropout mask, ∂L/∂out kept for row i only); the forward pass shown is the
//   pure-JS one (src/core/nn/dense.ts, dropout as the identity), which the tests check agrees with it.
import type { LayerStep, LayerWeights } from '../../protocol/training';
import { STEP_REPORT_MAX_PARAMS } from '../../protocol/training';

/** One dense layer's variables as the model orders them: W (nIn×nOut), then b when it has one. */
export interface DenseShape {
  layer: number;
  name: string;
  nIn: number;
  nOut: number;
  bias: boolean;
}

/** Whether reports of a network with `params` parameters carry the matrices (else norms only). */
export function reportsMatrices(params: number): boolean {
  return params <= STEP_REPORT_MAX_PARAMS;
}

/** Rows × cols of a row-major array as nested arrays (the course's W: rows are inputs). */
export function toMatrix(flat: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Array<number>(cols);
    for (let c = 0; c < cols; c++) row[c] = flat[r * cols + c];
    out.push(row);
  }
  return out;
}

function sumSquares(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

/**
 * Per dense layer, the gradient numbers of one step from the variables' gradients in the model's order
 * (W, b, W, b, …): the matrices when `matrices`, and always ‖(∂L/∂W, ∂L/∂b)‖₂.
 */
export function layerSteps(shapes: readonly DenseShape[], grads: readonly ArrayLike<number>[], matrices: boolean): LayerStep[] {
  let k = 0;
  return shapes.map((d) => {
    const gW = grads[k++];
    const gb = d.bias ? grads[k++] : undefined;
    const out: LayerStep = { layer: d.layer, name: d.name, gradNorm: Math.sqrt(sumSquares(gW) + (gb ? sumSquares(gb) : 0)) };
    if (matrices) {
      out.dW = toMatrix(gW, d.nIn, d.nOut);
      if (gb) out.db = Array.from(gb);
    }
    return out;
  });
}

/** ‖θ_after − θ_before‖₂ of one layer's W and b. */
export function changeNorm(before: LayerWeights, after: LayerWeights): number {
  let s = 0;
  before.W.forEach((row, i) => row.forEach((w, j) => (s += (after.W[i][j] - w) ** 2)));
  (before.b ?? []).forEach((b, j) => (s += ((after.b ?? [])[j] - b) ** 2));
  return Math.sqrt(s);
}

/** The running sum of the samples' shares, one Float64Array per variable (model order). */
export class GradientSum {
  readonly sums: Float64Array[];
  constructor(sizes: readonly number[]) {
    this.sums = sizes.map((n) => new Float64Array(n));
  }
  add(grads: readonly ArrayLike<number>[]): void {
    grads.forEach((g, v) => {
      const s = this.sums[v];
      for (let i = 0; i < s.length; i++) s[i] += g[i];
    });
  }
}
