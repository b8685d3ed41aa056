// `nnlab lab init|sweep <spec>`: the initialisation lab (zeros, normal σ 0.4, He, Glorot) or the
// learning-rate / batch-size sweep, each variant trained in turn by the one trainer on the CPU backend
// (same data, same seed), then the results table the lab panel shows (experimentTable in
// src/core/train/experiment.ts). --json prints the experiment (curves, outcomes, table; histograms with
// --snapshots). Exit 0 when every variant ran, 1 on a spec/data error, 2 on bad usage.
import { resolve } from 'node:path';
import { loadData } from '../../core/data';
import { selectBackend } from '../../core/train/select';
import { EXPERIMENT_KINDS, experimentTable, runExperiment, tableText, GROUP_TEXT, type ExperimentKind, type ExperimentResult } from '../../core/train/experiment';
import { analyzeOrReport, formatProblem, MEMORY_LIMIT_OPTION, memoryLimitFrom, processIo, type Io } from './validate';
import { jsonText } from '../format';
import { intOption, stringOption, UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';

export const command: CommandSpec = {
  name: 'lab',
  args: 'init|sweep <spec.nn.json>',
  summary:
    "Compare initialisations (init: zeros, normal σ 0.4, He, Glorot) or sweep the learning rate and batch size (sweep) of a spec: each variant trained on the CPU backend with the same data and seed, then a table of final loss, best loss, epochs to ε, time and outcome (diverged: loss NaN/∞ or growing).",
  options: {
    epochs: { type: 'string', value: 'N', help: 'override training.epochs for every variant (a whole number ≥ 1)' },
    alphas: { type: 'string', value: 'A,B,…', help: "sweep: the learning rates (default α/10, α/3, α, 3α, 10α of the spec's α)" },
    'batch-sizes': { type: 'string', value: 'B,…', help: 'sweep: the batch sizes, whole numbers or full (default 1, powers of two below the samples, full)' },
    json: { type: 'boolean', help: 'print the experiment as JSON (format nnlab.experiment)' },
    snapshots: { type: 'boolean', help: 'with --json: include the per-layer histograms of weights, z and gradients' },
    'memory-limit-mb': MEMORY_LIMIT_OPTION,
  },
  positionals: { min: 2, max: 2 },
  more: 'Examples:\n  nnlab lab init samples/xor.nn.json\n  nnlab lab sweep samples/exercises/learning-rate.nn.json --alphas 0.3,0.9,1,1.1',
};

function numberList(values: OptionValues, name: string): number[] | undefined {
  const v = stringOption(values, name);
  if (v === undefined) return undefined;
  const out = v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (!out.length || out.some((x) => !Number.isFinite(x) || x <= 0)) throw new UsageError(`--${name} must be positive numbers separated by commas, got ${v}`);
  return out;
}

function batchList(values: OptionValues): (number | 'full')[] | undefined {
  const v = stringOption(values, 'batch-sizes');
  if (v === undefined) return undefined;
  return v.split(',').map((s) => {
    const t = s.trim();
    if (t === 'full') return 'full';
    const n = t === '' ? NaN : Number(t);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--batch-sizes must be whole numbers ≥ 1 or full, separated by commas, got ${v}`);
    return n;
  });
}

/** The table and one line per diverged variant saying why. */
export function experimentText(r: ExperimentResult): string {
  const t = experimentTable(r);
  const lines = [`${r.kind === 'init' ? 'Initialisation lab' : 'Learning-rate / batch-size sweep'}: ${r.spec}, seed ${r.seed}, ${r.epochs} epochs at most, backend ${r.backend}`, ''];
  const groups = [...new Set(r.variants.map((v) => v.group))];
  if (groups.length > 1) {
    // one table per group, so each compares one change
    for (const g of groups) {
      const idx = r.variants.map((v, i) => (v.group === g ? i : -1)).filter((i) => i >= 0);
      lines.push(`${GROUP_TEXT[g]}:`, tableText({ headers: t.headers, rows: idx.map((i) => t.rows[i]!) }), '');
    }
  } else lines.push(tableText(t), '');
  for (const v of r.variants) if (v.divergence.diverged) lines.push(`${v.label}: diverged — ${v.divergence.why}`);
  return lines.join('\n').trimEnd() + '\n';
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, async (values, positional) => {
    const kind = positional[0]!;
    if (!EXPERIMENT_KINDS.includes(kind as ExperimentKind)) throw new UsageError(`the experiment must be init or sweep, got ${kind}`, true);
    return lab(values, kind as ExperimentKind, positional[1]!, io);
  });
}

async function lab(values: OptionValues, kind: ExperimentKind, file: string, io: Io): Promise<number> {
  const epochs = values.epochs === undefined ? undefined : intOption(values, 'epochs', 0, 1);
  const alphas = numberList(values, 'alphas');
  const batchSizes = batchList(values);
  if (kind === 'init' && (alphas || batchSizes)) throw new UsageError('--alphas and --batch-sizes belong to the sweep (nnlab lab sweep)');
  if (values.snapshots === true && values.json !== true) throw new UsageError('--snapshots needs --json');
  const limit = memoryLimitFrom(values);
  const a = await analyzeOrReport(file, limit, io);
  if (!a) return 1;
  const errors = a.problems.filter((p) => p.severity === 'error');
  for (const p of a.problems) if (p.severity !== 'info') io.err(formatProblem(file, p) + '\n');
  if (errors.length || !a.spec) {
    io.err(`nnlab lab: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (nothing was trained)\n`);
    return 1;
  }
  const spec = a.spec;
  let result: ExperimentResult;
  try {
    const data = await loadData(spec, resolve(file));
    const { backend } = await selectBackend('cpu', { modulePaths: [] });
    result = await runExperiment({ backend, spec, specName: file, data, kind, alphas, batchSizes, epochs, ...(limit !== undefined ? { memoryLimitMB: limit / 2 ** 20 } : {}) });
  } catch (e) {
    io.err(`nnlab lab: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (values.json === true) {
    const doc = values.snapshots === true ? result : { ...result, variants: result.variants.map(({ snapshots: _s, ranges: _r, ...v }) => v) };
    io.out(jsonText({ ...doc, table: experimentTable(result) }) + '\n');
  } else io.out(experimentText(result));
  return 0;
}
