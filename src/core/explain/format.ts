// Number and shape formatting shared by the lens and hover text builders. Pure: no `vscode`.
import type { Shape } from '../spec/types';

/** `(B×2)`, `(B×3×3)`, `(2×4)`: the course's dimension notation, batch written B. */
export function dims(shape: readonly (number | 'B')[]): string {
  return `(${shape.join('×')})`;
}

/** The shape of one sample: the batch dimension B replaced by 1, as the course writes x ∈ K^{1×2}. */
export function oneSample(shape: Shape): Shape {
  return shape.map((d) => (d === 'B' ? 1 : d));
}

/** Dimensions without the batch: `2`, `3×3`. */
export function featureDims(shape: Shape): string {
  const rest = shape.filter((d) => d !== 'B');
  return rest.length ? rest.join('×') : '1';
}

/** 101770 → `101,770` (independent of the machine's locale, so tests are exact). */
export function count(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 param`, `12 params`, `101,770 params`. */
export function params(n: number): string {
  return `${count(n)} ${n === 1 ? 'param' : 'params'}`;
}

/**
 * Loss values: four decimals in [0.001, 1) (`0.0213`), up to three significant digits in [1e-4, 0.001)
 * (`0.0008`, `0.000998`: never rounded up to a target such as 0.001 it is below), four significant
 * digits from 1 up, an exponent below 1e-4.
 */
export function loss(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a < 1e-4) return x.toExponential(2);
  if (a < 1e-3) return String(Number(x.toPrecision(3)));
  if (a < 1) return x.toFixed(4);
  if (a < 1e4) return x.toPrecision(4);
  return x.toExponential(3);
}

/** A fraction as a percentage with one decimal: 0.975 → `97.5 %` (accuracy, as summary.json's reader shows it). */
export function percent(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

/** Durations: `850 ms`, `4.1 s`, `2 min 05 s`, `1 h 02 min`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(sec).padStart(2, '0')} s`;
}

/**
 * A derived real number for teaching text: integers keep one decimal (`1.0`, as the course writes
 * σ = 1.0), others three significant digits (`0.707`, `0.0505`).
 */
export function real(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return x.toFixed(1);
  const p = Number(x.toPrecision(3));
  return Number.isInteger(p) ? p.toFixed(1) : String(p);
}

/** A number exactly as the user wrote it in the spec (JSON numbers print back unchanged). */
export function num(x: number): string {
  return String(x);
}

/** Unicode subscripts for small indices in formulas: 12 → ₁₂. */
export function sub(n: number | string): string {
  const map: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉' };
  return String(n)
    .split('')
    .map((c) => map[c] ?? c)
    .join('');
}

/** A duration for people: `0.12 s`, `12.3 s`, `2 min 5 s`, `1 h 3 min`; `—` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - 60 * m)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
