// Large numbers-only arrays are read natively (src/core/spec/numeric.ts; issue 12 item 13): the result
// must be exactly what the tree parser gives — same spec, same problems with the same ranges, the same
// rangeOf and pathAt inside the arrays — for random data, random formatting and broken inputs. The speed
// itself is measured by `npm run bench -- --only analyze`, not here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeSpec, parseSpec, type ParsedSpec } from '../../../src/core/spec';
import { indicesInRegion, locateInRegion, readNumericRegions } from '../../../src/core/spec/numeric';

const NATIVE = { numericRegionMinLength: 0 };
const TREE = { numericRegionMinLength: Infinity };

const spec = (x: string, y: string, inputShape = '[2]') =>
  `{\n  "input": {"shape": ${inputShape}},\n  "layers": [{"type": "dense", "units": 1, "init": {"values": [[0.5], [-1]]}}],\n  "training": {"batchSize": 1},\n  "data": {"type": "inline",\n    "x": ${x},\n    "y": ${y}}\n}`;

/** every path in a nested array value */
function paths(v: unknown, at: number[] = []): number[][] {
  if (!Array.isArray(v)) return [at];
  return [at, ...v.flatMap((e, i) => paths(e, [...at, i]))];
}

function sameParse(text: string): { native: ParsedSpec; tree: ParsedSpec } {
  const native = parseSpec(text, NATIVE);
  const tree = parseSpec(text, TREE);
  assert.deepEqual(native.problems, tree.problems);
  assert.deepEqual(native.spec, tree.spec);
  return { native, tree };
}

const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1e39, 3.4028234663852886e38, 1e-45, -0),
);
const ws = fc.constantFrom('', ' ', '\n', '\r\n      ', '\t', '  ');
/** an array text with random spacing; rows may be ragged, nested one level deeper, or numbers */
const arrayText = (depth: number): fc.Arbitrary<string> =>
  depth === 0
    ? number.map((n) => JSON.stringify(n))
    : fc
        .array(fc.oneof({ weight: 4, arbitrary: arrayText(depth - 1) }, { weight: 1, arbitrary: number.map((n) => JSON.stringify(n)) }), { minLength: 0, maxLength: 5 })
        .chain((items) => fc.tuple(fc.constant(items), fc.array(ws, { minLength: items.length * 2 + 2, maxLength: items.length * 2 + 2 })))
        .map(([items, s]) => `[${s[0]}${items.map((it, i) => `${it}${s[2 * i + 1]}`).join(`,${s[1]}`)}${s[s.length - 1]}]`);

test('property: native and tree reading agree on spec, problems, rangeOf and pathAt for random inline data', () => {
  fc.assert(
    fc.property(arrayText(3), arrayText(2), (x, y) => {
      const text = spec(x, y);
      const { native, tree } = sameParse(text);
      let xv: unknown;
      try {
        xv = JSON.parse(x);
      } catch {
        return;
      }
      for (const p of paths(xv)) assert.deepEqual(native.rangeOf(['data', 'x', ...p]), tree.rangeOf(['data', 'x', ...p]), `x${JSON.stringify(p)}`);
      assert.equal(native.rangeOf(['data', 'x', 99]), undefined);
      const from = text.indexOf('"x"');
      for (let o = from; o < text.length; o += 3) assert.deepEqual(native.pathAt(o), tree.pathAt(o), `pathAt(${o})`);
    }),
    { numRuns: 300, seed: 12 },
  );
});

test('property: a broken character anywhere inside the data gives the same problems both ways', () => {
  fc.assert(
    fc.property(arrayText(2), fc.nat(), fc.constantFrom('x', '"', '{', '}', ']', '[', ':', '..', '01', '-', 'true', '/'), (x, at, bad) => {
      const i = x.length ? at % x.length : 0;
      sameParse(spec(x.slice(0, i) + bad + x.slice(i), '[1]'));
    }),
    { numRuns: 300, seed: 7 },
  );
});

test('property: any character inserted or deleted anywhere in the spec gives the same problems both ways', () => {
  const base = spec('[[0, 1], [1, 0.5e1], [-2, 3]]', '[[0], [1], [1]]');
  fc.assert(
    fc.property(fc.nat(base.length - 1), fc.boolean(), fc.constantFrom('[', ']', '{', '}', ',', ':', '"', '1', ' ', 'x', '-', '/'), (at, insert, c) => {
      sameParse(insert ? base.slice(0, at) + c + base.slice(at) : base.slice(0, at) + base.slice(at + 1));
    }),
    { numRuns: 400, seed: 3 },
  );
});

/** a big inline data text (over the native threshold), one sample per line */
function big(rows: number, width: number, edit?: (r: number, c: number) => string | undefined, widthOf = (_r: number) => width): string {
  const xs = Array.from({ length: rows }, (_, r) => `[${Array.from({ length: widthOf(r) }, (_, c) => edit?.(r, c) ?? String(((r * width + c) % 997) / 1000)).join(', ')}]`);
  return spec(`[\n      ${xs.join(',\n      ')}\n    ]`, `[${Array.from({ length: rows }, (_, r) => r % 2).join(', ')}]`, `[${width}]`).replace('"init": {"values": [[0.5], [-1]]}', '"activation": "sigmoid"');
}

test('large inline data is read natively and every problem is still at its number', () => {
  const ok = big(300, 40);
  assert.ok(ok.length > 40_000);
  const { regions } = readNumericRegions(ok);
  assert.deepEqual(regions.map((r) => ok.slice(r.offset, r.offset + 2)), ['[\n'], 'x is one region (y is short)');
  const a = analyzeSpec(ok);
  assert.deepEqual(a.problems, []);
  assert.equal(a.dataInfo?.samples, 300);
  assert.deepEqual(a.dataInfo?.features, [40]);
  const xs = a.spec?.data?.type === 'inline' ? a.spec.data.x : [];
  assert.equal((xs[123] as number[])[7], ((123 * 40 + 7) % 997) / 1000);

  // a value float32 cannot hold, deep inside: NN104 covers exactly that number
  const huge = big(300, 40, (r, c) => (r === 211 && c === 33 ? '-2.5e38' : r === 250 && c === 1 ? '4e38' : undefined));
  const h = analyzeSpec(huge).problems;
  assert.deepEqual(h.map((p) => [p.code, huge.slice(p.range.offset, p.range.offset + p.range.length), p.range.start.line, p.message]), [
    ['NN104', '4e38', 256, 'data.x[250][1] must be a number float32 can hold (magnitude at most 3.4028235e38), got 4e+38.'],
  ]);
  // a short row: NN307 points at that row
  const ragged = big(300, 40, undefined, (row) => (row === 100 ? 39 : 40));
  const r = analyzeSpec(ragged).problems;
  assert.deepEqual(r.map((p) => p.code), ['NN307']);
  assert.equal(r[0]!.message, 'Sample 101 of x has shape 39, but sample 1 has 40; every sample needs the same rectangular shape.');
  const covered = ragged.slice(r[0]!.range.offset, r[0]!.range.offset + r[0]!.range.length);
  assert.ok(covered.startsWith('[0.') && covered.endsWith(']') && covered.split(',').length === 39, covered);
  assert.equal(r[0]!.range.start.line, 6 + 100);
  // hovering a number inside the data gives its path
  const p = parseSpec(ok);
  const row5 = ok.indexOf('[', ok.split('\n').slice(0, 6 + 5).join('\n').length + 1);
  assert.equal(parseSpec(ok).rangeOf(['data', 'x', 5])?.start.line, 6 + 5);
  assert.equal(row5, parseSpec(ok).rangeOf(['data', 'x', 5])?.offset);
  assert.deepEqual(p.pathAt(row5 + 1)?.path, ['data', 'x', 5, 0]);
});

test('locateInRegion and indicesInRegion on a small text', () => {
  const text = '{"x": [ [1, 2.5 ], [ -3e2,4],[[5]] ]}';
  const { regions } = readNumericRegions(text, 0);
  assert.equal(regions.length, 1);
  const r = regions[0]!;
  assert.deepEqual(r.value, [[1, 2.5], [-300, 4], [[5]]]);
  const at = (ix: number[]) => {
    const s = locateInRegion(text, r, ix);
    return s && text.slice(s.offset, s.offset + s.length);
  };
  assert.equal(at([]), '[ [1, 2.5 ], [ -3e2,4],[[5]] ]');
  assert.equal(at([0, 1]), '2.5');
  assert.equal(at([1, 0]), '-3e2');
  assert.equal(at([1]), '[ -3e2,4]');
  assert.equal(at([2, 0, 0]), '5');
  assert.equal(at([3]), undefined);
  assert.equal(at([0, 0, 0]), undefined);
  assert.deepEqual(indicesInRegion(text, r, text.indexOf('2.5') + 1), [0, 1]);
  assert.deepEqual(indicesInRegion(text, r, text.indexOf('-3e2')), [1, 0]);
  assert.deepEqual(indicesInRegion(text, r, text.indexOf('[[5]]') + 2), [2, 0, 0]);
  assert.deepEqual(indicesInRegion(text, r, text.indexOf(' ]}')), [2], 'the end of an element is still on it (as findNodeAtOffset)');
  assert.deepEqual(indicesInRegion(text, r, text.indexOf(' ]}') + 1), []);
  // strings, objects and literals make an array not numeric (its numeric parts still are); brackets in strings do not count
  assert.deepEqual(readNumericRegions('{"a": [1, "[2]"], "b": [[1], [true]], "c": [{"d": [3, 4]}], "e": "]["}', 0).regions.map((x) => x.value), [[1], [3, 4]]);
  // only where a value belongs: not as the root, not in a key's place, not right after another value
  assert.deepEqual(readNumericRegions('[1, 2]', 0).regions, []);
  assert.deepEqual(readNumericRegions('{"a": 1, [1, 2]}', 0).regions, []);
  assert.deepEqual(readNumericRegions('{"a": [1] [2]}', 0).regions.map((x) => x.value), [[1]]);
});
