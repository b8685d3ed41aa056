// The e2e scenarios' oracle: what NN Lab's core (src/core/spec) says about a spec file, computed here,
// outside VS Code, so the scenarios can check that the editor shows exactly that.
//   node --import tsx test/e2e/oracle.ts FILE...   → JSON array on stdout
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeSpec } from '../../src/core/spec';

const read = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

const out = process.argv.slice(2).map((f) => {
  const file = resolve(f);
  const text = readFileSync(file, 'utf8');
  const a = analyzeSpec(text, { specPath: file, readFile: read });
  return {
    file,
    problems: a.problems.map((p) => ({
      severity: p.severity,
      code: p.code,
      message: p.message,
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
    })),
    layers: (a.shapes?.layers ?? []).map((l) => ({
      index: l.index,
      type: l.type,
      inputShape: l.inputShape,
      outputShape: l.outputShape,
      weightShape: l.weightShape,
      biasShape: l.biasShape,
      params: l.params,
      activation: l.activation?.name,
      // 1-based line of the layer object in the file (where its lens is drawn)
      line: (a.rangeOf(['layers', l.index])?.start.line ?? -1) + 1,
    })),
    totalParams: a.shapes?.totals.params,
  };
});
process.stdout.write(JSON.stringify(out, null, 2));
