// The step scenario's oracle: the same steps of a spec, taken by NN Lab's core outside VS Code (the
// session `nnlab train` runs, paused before its first step), their reports as JSON.
//   node --import tsx test/e2e/step-oracle.ts FILE UNIT...   (UNIT: sample | batch | epoch)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSpec } from '../../src/core/spec';
import { startSession } from '../../src/core/train/session';
import { STEP_UNITS, type StepReport, type StepUnit } from '../../src/protocol/training';

async function main(): Promise<void> {
  const [f, ...units] = process.argv.slice(2);
  const file = resolve(f);
  const spec = parseSpec(readFileSync(file, 'utf8')).spec;
  if (!spec) throw new Error(`${file} does not parse`);
  const s = await startSession({ spec, specPath: file, backend: 'cpu', writeRun: false, startPaused: true, onMessage: () => undefined });
  const reports: StepReport[] = [];
  for (const u of units) {
    if (!STEP_UNITS.includes(u as StepUnit)) throw new Error(`unknown step unit ${u}`);
    reports.push(await s.step(u as StepUnit));
  }
  s.trainer.stop();
  await s.done;
  process.stdout.write(JSON.stringify(reports));
}
main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
