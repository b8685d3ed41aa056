// Code lens titles for `.nn.json` files, in the course's notation. Pure text builders: the editor
// (src/language) decides where they go and which command a click runs.
import type { Layer, LayerShapes, NetworkShapes, RunSummary } from './types';
import { dims, duration, featureDims, params } from './format';
import { formatBytes, type MemoryEstimate } from '../spec/shapes';
import { epochText, lossText, stopReasonText } from './progress';

export type LensDetail = 'full' | 'compact' | 'off';

/**
 * The lens above one layer.
 * - dense, full: `x (B×2) · W (2×4) + b (1×4) → relu → (B×4) · 12 params`
 * - flatten, full: `(B×3×3) → (B×9)`
 * - dropout, full: `(B×4) → dropout rate 0.5 (training only) → (B×4)`
 * - compact: the output shape only, `→ (B×4)`
 */
export function layerLens(layer: Layer, s: LayerShapes, detail: Exclude<LensDetail, 'off'>): string {
  const out = dims(s.outputShape);
  if (detail === 'compact') return `→ ${out}`;
  switch (layer.type) {
    case 'dense': {
      const w = s.weightShape ? ` · W ${dims(s.weightShape)}` : '';
      const b = s.biasShape ? ` + b ${dims(s.biasShape)}` : '';
      const f = s.activation?.name ?? layer.activation.name;
      return `x ${dims(s.inputShape)}${w}${b} → ${f} → ${out} · ${params(s.params)}`;
    }
    case 'flatten':
      return `${dims(s.inputShape)} → ${out}`;
    case 'dropout':
      return `${dims(s.inputShape)} → dropout rate ${layer.rate} (training only) → ${out}`;
  }
}

/** The chain of feature sizes through the network: `2 → 4 → 1`, `3×3 → 9 → 4` (dropout adds no step). */
export function networkChain(inputShape: readonly number[], shapes: NetworkShapes): string {
  const parts = [inputShape.length ? inputShape.join('×') : '1'];
  for (const l of shapes.layers) if (l.type !== 'dropout') parts.push(featureDims(l.outputShape));
  return parts.join(' → ');
}

/**
 * The summary lens above the spec: the chain of sizes, total parameters and the training-memory
 * estimate the memory limit is checked against (parameters, gradients, optimizer state, activations).
 * - full: `2 → 4 → 1 · 17 params (68 B) · training memory ≈ 704 B at batch 4` (xor.nn.json)
 * - compact: `17 params · 704 B`
 */
export function specLens(inputShape: readonly number[], shapes: NetworkShapes, memory: MemoryEstimate, detail: Exclude<LensDetail, 'off'>): string {
  const t = shapes.totals;
  if (detail === 'compact') return `${params(t.params)} · ${formatBytes(memory.total)}`;
  return `${networkChain(inputShape, shapes)} · ${params(t.params)} (${formatBytes(t.paramBytes)}) · training memory ≈ ${formatBytes(memory.total)} at batch ${memory.batchSize}`;
}

/** What the lens needs to know about a run (a structural subset of the training host's RunState). */
export interface RunView {
  phase: 'starting' | 'running' | 'paused' | 'finished' | 'failed';
  /** completed epochs (src/core/explain/progress.ts) */
  epoch: number;
  epochs: number;
  /** epoch-mean training loss of the last completed epoch */
  loss?: number;
  /** the last batch's loss */
  batchLoss?: number;
  summary?: RunSummary;
  error?: string;
}

/**
 * The live lens while a run is going: `Training… epoch 37/500 · loss 0.0213` (completed epochs, the
 * last completed epoch's mean loss; `batch loss …` before the first epoch ends).
 */
export function liveRunLens(run: RunView): string {
  const lt = lossText(run);
  const l = lt ? ` · ${lt}` : '';
  switch (run.phase) {
    case 'starting':
      return 'Starting training…';
    case 'paused':
      return `Paused at ${epochText(run.epoch, run.epochs)}${l}`;
    default:
      return `Training… ${epochText(run.epoch, run.epochs)}${l}`;
  }
}

/**
 * After a run: `Last run: loss 0.0008 in 4.1 s (wasm)`; a run that did not complete says why,
 * `Last run (stopped after epoch 12/500): loss 0.1234 in 1.0 s (cpu)`; a failure `Last run failed: …`.
 */
export function lastRunLens(run: RunView): string | undefined {
  if (run.phase === 'failed') return `Last run failed: ${clip(run.error ?? run.summary?.message ?? 'unknown error', 80)}`;
  const s = run.summary;
  if (run.phase !== 'finished' || !s) return undefined;
  if (s.stopReason === 'nan' || s.stopReason === 'error') {
    return `Last run failed: ${clip(s.message ?? stopReasonText(s), 80)}`;
  }
  const why = s.stopReason === 'completed' ? '' : ` (${stopReasonText(s)} after ${epochText(s.epochs, run.epochs)})`;
  return `Last run${why}: ${lossText({ loss: s.finalLoss })} in ${duration(s.elapsedMs)} (${s.backend.active})`;
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
