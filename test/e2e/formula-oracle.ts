// The formula card's oracle for the e2e scenario: what NN Lab's core (src/core/explain/formula.ts)
// says the graph panel's card must read, computed outside VS Code on the weights the panel draws (the
// spec's latest saved run, else its seeded initial weights), optionally with one weight edited.
//   node --import tsx test/e2e/formula-oracle.ts SPEC '{"kind":"weight","layer":0,"from":1,"to":0}' SAMPLE [EDITED_VALUE]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSpec } from '../../src/core/spec';
import { buildSpecView } from '../../src/core/view/specView';
import { initialWeights } from '../../src/core/train/init';
import { latestRunWeights } from '../../src/core/train/runs';
import { loadData } from '../../src/core/data';
import { formulaCard, type FormulaTarget } from '../../src/core/explain/formula';
import { dataLoss } from '../../src/core/view/edit';

const [file, targetJson, sampleArg, editedArg] = process.argv.slice(2);
const path = resolve(file);
const text = readFileSync(path, 'utf8');
const spec = parseSpec(text).spec!;
const view = buildSpecView(path, text);
const target = JSON.parse(targetJson) as FormulaTarget;
const saved = latestRunWeights(path, spec);
const weights = saved?.layers ?? initialWeights(spec);
if (editedArg !== undefined && target.kind === 'weight') weights.find((w) => w.layer === target.layer)!.W[target.from][target.to] = Number(editedArg);
void loadData(spec, path).then((d) => {
  const n = d.xShape[0];
  const per = d.x.length / n;
  const k = d.yShape[1];
  const x = Array.from({ length: n }, (_, i) => Array.from(d.x.subarray(i * per, (i + 1) * per)));
  const y = Array.from({ length: n }, (_, i) => Array.from(d.y.subarray(i * k, (i + 1) * k)));
  const s = Number(sampleArg ?? 0);
  const card = formulaCard(view, weights, { x: x[s], y: y[s], index: s, count: n }, target);
  process.stdout.write(JSON.stringify({ text: card.text, weights: saved ? `run ${saved.run}` : 'initial', loss: dataLoss(view, weights, { x, y }) }));
});
