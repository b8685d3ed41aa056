// Number formatting shared by the walkthrough text, LaTeX and the panel: six decimals, trailing zeros
// dropped, a real minus sign (U+2212). Pure.

export const MINUS = '\u2212';

/** 0.6224593 → "0.622459", −6.75 → "−6.75", 4 → "4", 1e-9 → "0.000000001"-free: tiny values use exponents. */
export function fmt(v: number, digits = 6): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : `${MINUS}∞`;
  const a = Math.abs(v);
  let s: string;
  if (a !== 0 && (a < 10 ** -digits || a >= 1e12)) {
    s = a.toExponential(digits - 1 > 0 ? digits - 1 : 0).replace(/\.?0+e/, 'e');
  } else {
    s = a.toFixed(digits);
    if (s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  if (s === '0') return '0';
  return v < 0 ? MINUS + s : s;
}

/** A factor in plain text: negative numbers in parentheses, "(−2)". */
export function fmtP(v: number): string {
  return v < 0 ? `(${fmt(v)})` : fmt(v);
}

/** The same with an ASCII minus, for JSON-ish or machine-facing text. */
export function fmtAscii(v: number, digits = 6): string {
  return fmt(v, digits).replace(MINUS, '-');
}

/** LaTeX: a negative number in parentheses when it is a factor. */
export function tex(v: number, paren = false): string {
  const s = fmt(v).replace(MINUS, '-').replace(/e([+-]?\d+)$/, '\\times 10^{$1}').replace('∞', '\\infty');
  return paren && v < 0 ? `(${s})` : s;
}

/** Large vectors and matrices are cut to their corners: first 3, …, last 2. */
const LIMIT = 6;
function cut<T>(xs: readonly T[], gap: T): T[] {
  return xs.length <= LIMIT ? xs.slice() : [...xs.slice(0, 3), gap, ...xs.slice(-2)];
}

export function fmtVec(v: readonly number[]): string {
  return `[${cut(v.map((x) => fmt(x, 4)), '…').join(', ')}]`;
}

export function fmtMat(m: readonly (readonly number[])[]): string {
  if (m.length === 1) return fmtVec(m[0]);
  return `[${cut(m.map((r) => fmtVec(r)), '…').join(', ')}]`;
}

export function texMat(m: readonly (readonly number[])[]): string {
  const rows = cut(
    m.map((r) => cut(r.map((x) => tex(x)), '\\cdots')),
    null,
  ).map((r) => (r === null ? cut(m[0].map(() => '\\vdots'), '\\ddots') : r));
  return `\\begin{pmatrix} ${rows.map((r) => r.join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
}

const SUB: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉' };
const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
export function subscript(n: number | string): string {
  return String(n).replace(/[0-9]/g, (d) => SUB[d]);
}
export function superscript(n: number | string): string {
  return String(n).replace(/[0-9]/g, (d) => SUP[d]);
}
