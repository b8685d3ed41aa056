// Large arrays of plain numbers (inline data, explicit weights) read natively: a 6.8 MB spec of
// inline data is a million numbers, and a JSON tree node per number (jsonc-parser's parseTree) costs
// seconds and hundreds of MB on every edit. parseSpec finds the maximal arrays that hold only numbers
// and nested arrays, reads each with JSON.parse, and hands the tree parser the same text with each
// of them replaced by a string literal of the same length (same offsets; a string is one token). Positions inside such an array are found on demand by scanning its
// text: only for a located problem or a hover, never for the analysis itself. Pure: no `vscode`, no DOM.

/** An array in the text that holds only numbers and arrays, and its value. */
export interface NumericRegion {
  /** offset of its `[` */
  offset: number;
  /** up to and including its `]` */
  length: number;
  value: unknown[];
}

/** Arrays shorter than this (in characters) are left to the tree parser: no gain below a few KB. */
export const NUMERIC_REGION_MIN_LENGTH = 4096;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;
// digits, - + . e E
const isNumberChar = (c: number): boolean => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

interface Frame {
  start: number;
  array: boolean;
  pure: boolean;
  found: { offset: number; length: number }[];
}

/** what the scan stops at: brackets, braces, quotes, and anything that cannot be in a numbers-only array */
const STOP = /[[\]{}"]|[^[\]{}"0-9\s,.eE+-]/g;

/** The offset just after the string whose opening quote is at `open` (the text's end if unterminated). */
export function stringEnd(text: string, open: number): number {
  let i = open;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return i + 1;
  }
}

/**
 * The maximal numbers-only arrays of at least `minLength` characters whose text is valid JSON (so
 * JSON.parse reads them exactly as the tree parser would), and the text with each of them replaced by
 * a string literal of the same length (which the tree parser scans without building anything; parseSpec
 * turns its node back into an empty array). Anything malformed inside an array makes it not a region:
 * the tree parser then reports it where it is.
 */
export function readNumericRegions(text: string, minLength = NUMERIC_REGION_MIN_LENGTH): { regions: NumericRegion[]; masked: string } {
  if (text.length < minLength) return { regions: [], masked: text };
  const stack: Frame[] = [];
  const top: { offset: number; length: number }[] = [];
  const stop = new RegExp(STOP.source, 'g');
  for (let m = stop.exec(text); m; m = stop.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    const f = stack[stack.length - 1];
    if (c === 91 /* [ */) {
      stack.push({ start: i, array: true, pure: true, found: [] });
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      stack.pop();
      if (!f) continue;
      // a region must stand where the tree parser expects a value (after "[" or "," in an array, after
      // ":" in an object): there an array and the string literal that replaces it parse the same way
      const whole = f.array && f.pure && c === 93 && valuePosition(text, f.start, stack[stack.length - 1]);
      const mine = whole ? [{ offset: f.start, length: i + 1 - f.start }] : f.found;
      const parent = stack[stack.length - 1];
      if (parent) {
        for (const r of mine) parent.found.push(r);
        if (!whole) parent.pure = false;
      } else for (const r of mine) top.push(r);
    } else if (c === 123 /* { */) {
      if (f) f.pure = false;
      stack.push({ start: i, array: false, pure: false, found: [] });
    } else {
      if (f) f.pure = false;
      if (c === 34 /* " */) stop.lastIndex = stringEnd(text, i);
    }
  }
  // arrays left open by a syntax error keep the regions closed inside them
  for (const f of stack) for (const r of f.found) top.push(r);
  const regions: NumericRegion[] = [];
  for (const r of top) {
    if (r.length < minLength) continue;
    try {
      const value: unknown = JSON.parse(text.slice(r.offset, r.offset + r.length));
      if (Array.isArray(value)) regions.push({ ...r, value });
    } catch {
      // malformed inside (e.g. "1..2", "01"): the tree parser reports it where it is
    }
  }
  regions.sort((a, b) => a.offset - b.offset);
  return { regions, masked: maskRegions(text, regions) };
}

/** The text with each region replaced by a string literal of the same length. */
export function maskRegions(text: string, regions: readonly NumericRegion[]): string {
  if (regions.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const r of regions) {
    parts.push(text.slice(at, r.offset), '"', ' '.repeat(r.length - 2), '"');
    at = r.offset + r.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Is the array opening at `open` where a value belongs, judging by the character before it and its container? */
function valuePosition(text: string, open: number, parent: Frame | undefined): boolean {
  if (!parent) return false;
  let i = open - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  const c = text.charCodeAt(i);
  return parent.array ? c === 91 /* [ */ || c === 44 /* , */ : c === 58 /* : */;
}

/** From `i`, the first offset that is not whitespace. */
function skipSpace(text: string, i: number, end: number): number {
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The end (exclusive) of the element starting at `i`: a number, or an array up to its `]`. */
function elementEnd(text: string, i: number, end: number): number {
  if (text.charCodeAt(i) !== 91) {
    while (i < end && isNumberChar(text.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 91) depth++;
    else if (c === 93 && --depth === 0) return i + 1;
  }
  return end;
}

/** Calls `each(start, end, index)` for the elements of the array whose `[` is at `open`, until it returns true. */
function elements(text: string, open: number, end: number, each: (start: number, stop: number, index: number) => boolean): void {
  let i = skipSpace(text, open + 1, end);
  for (let index = 0; i < end && text.charCodeAt(i) !== 93; index++) {
    const stop = elementEnd(text, i, end);
    if (each(i, stop, index)) return;
    i = skipSpace(text, stop, end);
    if (text.charCodeAt(i) === 44) i = skipSpace(text, i + 1, end);
  }
}

/** The text span of the element at `indices` inside a region (e.g. [5, 2]: row 5, column 2). */
export function locateInRegion(text: string, region: NumericRegion, indices: readonly number[]): { offset: number; length: number } | undefined {
  const end = region.offset + region.length;
  let span: { offset: number; length: number } | undefined = { offset: region.offset, length: region.length };
  for (const k of indices) {
    if (!span || text.charCodeAt(span.offset) !== 91) return undefined;
    const open: number = span.offset;
    span = undefined;
    elements(text, open, end, (start, stop, index) => {
      if (index !== k) return false;
      span = { offset: start, length: stop - start };
      return true;
    });
  }
  return span;
}

/** The indices of the innermost element of a region that contains `offset`, its end included ([] between elements). */
export function indicesInRegion(text: string, region: NumericRegion, offset: number): number[] {
  const end = region.offset + region.length;
  const path: number[] = [];
  let open = region.offset;
  for (;;) {
    let next = -1;
    elements(text, open, end, (start, stop, index) => {
      if (offset < start) return true;
      // right bounds included, as jsonc-parser's findNodeAtOffset(…, true): the first element wins
      if (offset > stop) return false;
      path.push(index);
      if (text.charCodeAt(start) === 91) next = start;
      return true;
    });
    if (next < 0) return path;
    open = next;
  }
}
