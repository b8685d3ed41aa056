// "Write Edited Weights to Spec" (issue 16 item 2): the text edits that put a network's weights into
// its spec as explicit initial values, `"init": {"values": W}` and `"biasInit": {"values": b}` on every
// dense layer, so that training starts from exactly these numbers (src/core/train/init.ts reads them).
// Every dense layer gets its values, not only the edited ones: the seeded initialisers draw from one
// random stream layer by layer, so a layer that stopped drawing would change the next layer's numbers.
// Edits come from jsonc-parser's `modify` (the rest of the text, its formatting and comments, stays as
// it is); the host applies them as one editor edit the user can undo. Numbers are written as the
// shortest decimal that gives the same float32 (training computes in float32). Pure: no `vscode`.
import { applyEdits, findNodeAtLocation, modify, parseTree, type Edit, type Node as JsonNode } from 'jsonc-parser';
import type { LayerWeights } from '../../protocol/training';
import { parseSpec } from './parse';
import { denseFanIns } from '../train/init';
import { layerName } from '../explain/indices';

export class WriteWeightsError extends Error {}

/** The shortest decimal whose float32 is v's float32 (0.30000001192092896 → 0.3). */
export function float32Shortest(v: number): number {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const s = Number(f.toPrecision(p));
    if (Math.fround(s) === f) return s;
  }
  return f;
}

const PLACEHOLDER = '__nnlab-values-';

const numText = (v: number): string => JSON.stringify(float32Shortest(v) === 0 ? 0 : float32Shortest(v));
const rowText = (r: readonly number[]): string => `[${r.map(numText).join(', ')}]`;

/** `{ "values": [[0.5, -1], [0.25, 2]] }`; a big matrix one row per line, below the line's `indent`. */
function valuesText(v: readonly number[] | readonly (readonly number[])[], indent: string): string {
  if (!Array.isArray(v[0])) return `{ "values": ${rowText(v as number[])} }`;
  const m = v as readonly (readonly number[])[];
  if (m.length * (m[0]?.length ?? 0) <= 16) return `{ "values": [${m.map(rowText).join(', ')}] }`;
  return `{ "values": [\n${m.map((r) => `${indent}    ${rowText(r)}`).join(',\n')}\n${indent}  ] }`;
}

/** Indentation of the line `offset` is on. */
function indentAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Whether a JSON node is written on one line. */
const oneLine = (text: string, n: JsonNode): boolean => !text.slice(n.offset, n.offset + n.length).includes('\n');

/**
 * `text` with `weights` (one entry per dense layer, by spec layer index) written in as explicit initial
 * values. Throws WriteWeightsError when the spec cannot be read or the weights do not fit it (a dense
 * layer without weights, a wrong shape, a number that is not finite in float32).
 */
export function writeWeights(text: string, weights: readonly LayerWeights[]): string {
  const parsed = parseSpec(text);
  if (!parsed.spec || !parseTree(text)) throw new WriteWeightsError('the spec cannot be read: fix its errors first');
  const tab = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const formattingOptions = { insertSpaces: !tab.startsWith('\t'), tabSize: tab.startsWith('\t') ? 1 : tab.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  let cur = text;
  const values: { ph: string; value: readonly number[] | readonly (readonly number[])[] }[] = [];
  for (const { index, layer, nIn } of denseFanIns(parsed.spec)) {
    const w = weights.find((q) => q.layer === index);
    const where = `${layerName(index)} (${layer.name ?? `layers[${index}]`})`;
    if (!w) throw new WriteWeightsError(`no weights for ${where}`);
    if (w.W.length !== nIn || w.W.some((r) => r.length !== layer.units)) throw new WriteWeightsError(`${where}: W must be ${nIn}×${layer.units}, got ${w.W.length}×${w.W[0]?.length ?? 0}`);
    const bad = [...w.W.flat(), ...(w.b ?? [])].find((v) => !Number.isFinite(Math.fround(v)));
    if (bad !== undefined) throw new WriteWeightsError(`${where}: ${bad} is not a finite float32 number`);
    if (layer.useBias && (!w.b || w.b.length !== layer.units)) throw new WriteWeightsError(`${where}: b must have ${layer.units} numbers`);
    const put = (key: 'init' | 'biasInit', value: readonly number[] | readonly (readonly number[])[]): void => {
      const node = findNodeAtLocation(parseTree(cur)!, ['layers', index]);
      if (!node) throw new WriteWeightsError(`${where}: not found in the text`);
      const single = oneLine(cur, node);
      const existing = findNodeAtLocation(node, [key]);
      // a string placeholder first: jsonc-parser's formatting would spread a matrix over one line per number
      const ph = `${PLACEHOLDER}${key}-${index}`;
      const es = modify(cur, ['layers', index, key], ph, single && !existing ? {} : { formattingOptions });
      // inserted into a one-line object without formatting: `,"init": ` → `, "init": `
      cur = applyEdits(cur, single && !existing ? es.map((e) => ({ ...e, content: e.content.replace(/^,"/, ', "') })) : es);
      values.push({ ph: JSON.stringify(ph), value });
    };
    put('init', w.W);
    if (layer.useBias && w.b) put('biasInit', w.b);
  }
  for (const { ph, value } of values) {
    const at = cur.indexOf(ph);
    cur = cur.slice(0, at) + valuesText(value, indentAt(cur, at)) + cur.slice(at + ph.length);
  }
  return cur;
}

/**
 * The same as one text edit of the span that changed (common prefix and suffix kept), for the host's
 * editor edit: one undo step, nothing outside the layers touched.
 */
export function weightsEdits(text: string, weights: readonly LayerWeights[]): Edit[] {
  const after = writeWeights(text, weights);
  if (after === text) return [];
  let start = 0;
  while (start < text.length && start < after.length && text[start] === after[start]) start++;
  let end = 0;
  while (end < text.length - start && end < after.length - start && text[text.length - 1 - end] === after[after.length - 1 - end]) end++;
  return [{ offset: start, length: text.length - start - end, content: after.slice(start, after.length - end) }];
}
