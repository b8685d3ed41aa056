// Text helpers for the spec parser: offset ↔ line/column, JSON paths for messages, and
// "did you mean" suggestions. Pure: no `vscode`, no DOM.
import type { JsonPath, Range } from './types';

/** Maps character offsets to zero-based line/character positions. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    // a native search for line ends (\r\n, \n or \r): a 6.8 MB spec is scanned in a few ms
    const eol = /\r\n?|\n/g;
    for (let m = eol.exec(text); m; m = eol.exec(text)) this.starts.push(m.index + m[0].length);
  }
  position(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! };
  }
  range(offset: number, length: number): Range {
    const start = Math.max(0, Math.min(offset, this.text.length));
    const end = Math.max(start, Math.min(offset + length, this.text.length));
    return { start: this.position(start), end: this.position(end), offset: start, length: end - start };
  }
  /** the whitespace that starts the line containing `offset` */
  indentAt(offset: number): string {
    const line = this.position(offset).line;
    const s = this.starts[line]!;
    let e = s;
    while (e < this.text.length && (this.text[e] === ' ' || this.text[e] === '\t')) e++;
    return this.text.slice(s, e);
  }
}

/** `layers[0].units` for ['layers', 0, 'units']; `(root)` for []. */
export function pathToString(path: JsonPath): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else s += s ? `.${p}` : p;
  }
  return s || '(root)';
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

const squash = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');

/**
 * The one candidate `word` most likely meant, or undefined when none is close or two are equally close.
 * Case, `_`, `-` and spaces are ignored first (leaky_relu → leakyRelu); then up to 1 edit for words of
 * ≤ 4 letters, 2 for ≤ 8, 3 beyond. `aliases` maps other well-known spellings (xavier → glorot).
 */
export function suggest(word: string, candidates: readonly string[], aliases: Record<string, string> = {}): string | undefined {
  const w = squash(word);
  if (!w) return undefined;
  for (const c of candidates) if (squash(c) === w) return c;
  for (const [alias, target] of Object.entries(aliases)) if (squash(alias) === w && candidates.includes(target)) return target;
  const limit = w.length <= 4 ? 1 : w.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const c of candidates) {
    const dist = editDistance(w, squash(c));
    if (dist < bestD) {
      best = c;
      bestD = dist;
      tie = false;
    } else if (dist === bestD) tie = true;
  }
  return best !== undefined && bestD <= limit && !tie ? best : undefined;
}

/** "3×4" */
export function dims(shape: readonly number[]): string {
  return shape.join('×');
}

/**
 * A list for a one-line message: every item when there are at most `max + 1`, else the first `max` and
 * how many more ("a, b, c, d, e and 995 more"), so 1,000 class names do not make an 11 KB line.
 */
export function fewOf(items: readonly string[], max = 5): string {
  if (items.length <= max + 1) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** true when the text starts with a UTF-8 byte order mark (U+FEFF), as some editors write it */
export const hasBom = (text: string): boolean => text.charCodeAt(0) === 0xfeff;

/** The text without a leading byte order mark: positions then count as an editor shows them. */
export const withoutBom = (text: string): string => (hasBom(text) ? text.slice(1) : text);
