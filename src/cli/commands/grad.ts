// `nnlab grad <spec> [--sample i] [--json] [--seed N] [--weights file.json] [--fd-limit N]`:
// every parameter's gradient for one sample — from the tape, with TensorFlow.js's tf.variableGrads
// (the trainer's own model on the CPU backend) and the difference quotient beside it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Analysis } from '../../core/spec';
import { analyzeFile, formatProblem } from './validate';
import { loadData } from '../../core/data';
import { initialWeights } from '../../core/train/init';
import type { NetworkSpec } from '../../core/spec/types';
import type { LayerWeights } from '../../protocol/training';
import { fmt, networkGradients, sampleAt, type Sample } from '../../core/autodiff';
import { sampleName } from '../../core/explain/indices';

export const USAGE_GRAD = 'usage: nnlab grad <spec.nn.json> [--sample i] [--json] [--seed N] [--weights weights.json] [--fd-limit N]';

export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

/** Parses `--name value` / `--flag` options after positional arguments. */
export function parseOptions(args: string[], flags: string[], valued: string[]): { positional: string[]; opts: Record<string, string | true> } {
  const positional: string[] = [];
  const opts: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (flags.includes(k)) opts[k] = true;
      else if (valued.includes(k)) {
        const v = inline ?? args[++i];
        if (v === undefined) throw new CliError(`option --${k} needs a value`, 2);
        opts[k] = v;
      } else throw new CliError(`unknown option --${k}`, 2);
    } else positional.push(a);
  }
  return { positional, opts };
}

export function intOption(opts: Record<string, string | true>, k: string, dflt: number, min = 0): number {
  const v = opts[k];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < min) throw new CliError(`--${k} must be an integer ≥ ${min}, got ${String(v)}`, 2);
  return n;
}

export interface LoadedNetwork {
  path: string;
  spec: NetworkSpec;
  weights: LayerWeights[];
  weightsSource: string;
  sample: Sample;
  index: number;
  samples: number;
}

/** Reads and validates a spec, loads its data and weights, and picks one sample. Throws CliError. */
export async function loadNetwork(file: string, opts: Record<string, string | true>): Promise<LoadedNetwork> {
  const path = resolve(file);
  let a: Analysis;
  try {
    a = analyzeFile(file);
  } catch (e) {
    throw new CliError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const errors = a.problems.filter((p) => p.severity === 'error');
  if (!a.spec || errors.length) throw new CliError(errors.map((p) => formatProblem(file, p)).join('\n') || `${file}: not a usable spec`);
  const spec = a.spec;
  let weights: LayerWeights[];
  let weightsSource: string;
  if (typeof opts.weights === 'string') {
    try {
      const parsed: unknown = JSON.parse(readFileSync(resolve(opts.weights), 'utf8'));
      const list = Array.isArray(parsed) ? parsed : (parsed as { weights?: unknown })?.weights;
      if (!Array.isArray(list)) throw new Error('expected an array of {layer, name, W, b}');
      weights = list as LayerWeights[];
    } catch (e) {
      throw new CliError(`${opts.weights}: cannot use as weights (${e instanceof Error ? e.message : String(e)})`);
    }
    weightsSource = `weights from ${opts.weights}`;
  } else {
    const seed = intOption(opts, 'seed', spec.training.seed);
    try {
      weights = initialWeights(spec, seed);
    } catch (e) {
      throw new CliError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    weightsSource = `initial weights (seed ${seed})`;
  }
  let data;
  try {
    data = await loadData(spec, path);
  } catch (e) {
    throw new CliError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const index = intOption(opts, 'sample', 0);
  try {
    return { path, spec, weights, weightsSource, sample: sampleAt(data, index), index, samples: data.xShape[0] };
  } catch (e) {
    throw new CliError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Float32 (tf) against float64 (tape). */
export const tfAgree = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 + 1e-3 * Math.abs(a);

export async function run(args: string[]): Promise<number> {
  try {
    const { positional, opts } = parseOptions(args, ['json'], ['sample', 'seed', 'weights', 'fd-limit']);
    if (positional.length !== 1) throw new CliError(USAGE_GRAD, 2);
    const net = await loadNetwork(positional[0], opts);
    const g = networkGradients(net.spec, net.weights, net.sample, { fdLimit: intOption(opts, 'fd-limit', 500) });
    const { tfGradients } = await import('../../core/autodiff/tfgrads');
    const tfg = await tfGradients(net.spec, net.weights, net.sample);
    const denseIdx = [...new Set(g.params.map((p) => p.layer))];
    const rows = g.params.map((p) => {
      const L = tfg.grads[denseIdx.indexOf(p.layer)];
      const tfv = p.param === 'W' ? L.W[p.i][p.j] : (L.b?.[p.j] ?? NaN);
      return { ...p, tfjs: tfv };
    });
    const maxTf = Math.max(0, ...rows.map((r) => Math.abs(r.tape - r.tfjs)));
    const withFd = rows.filter((r) => r.numeric !== undefined);
    const maxFd = Math.max(0, ...withFd.map((r) => Math.abs(r.tape - (r.numeric ?? 0))));
    const tfOk = rows.every((r) => tfAgree(r.tape, r.tfjs)) && tfAgree(g.loss, tfg.loss);
    const fdOk = withFd.every((r) => Math.abs(r.tape - (r.numeric ?? 0)) <= 1e-3 * Math.max(1, Math.abs(r.tape)));
    if (opts.json) {
      const out = {
        spec: net.path,
        name: net.spec.name,
        sample: net.index,
        samples: net.samples,
        weights: net.weightsSource,
        loss: { name: net.spec.loss, tape: g.loss, tfjs: tfg.loss },
        x: net.sample.x,
        y: net.sample.y,
        output: g.output,
        params: rows.map((r) => ({ name: r.name, layer: r.layer, layerName: r.layerName, param: r.param, i: r.i, j: r.j, value: r.value, tape: r.tape, tfjs: r.tfjs, numeric: r.numeric ?? null })),
        maxAbsDiff: { tfjs: maxTf, numeric: maxFd },
        numericChecked: g.numericChecked,
        agree: { tfjs: tfOk, numeric: fdOk },
      };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      const w = Math.max(9, ...rows.map((r) => r.name.length));
      const lines = [
        `${net.spec.name}: ${sampleName(net.index, net.samples)} (--sample ${net.index}), ${net.weightsSource}`,
        `loss (${net.spec.loss}) = ${fmt(g.loss)} (tape), ${fmt(tfg.loss)} (tf.grads model)`,
        '',
        `${'parameter'.padEnd(w)}  ${'value'.padStart(12)}  ${'tape'.padStart(12)}  ${'tf.grads'.padStart(12)}  ${'quotient'.padStart(12)}`,
        ...rows.map((r) => `${r.name.padEnd(w)}  ${fmt(r.value).padStart(12)}  ${fmt(r.tape).padStart(12)}  ${fmt(r.tfjs).padStart(12)}  ${(r.numeric === undefined ? '—' : fmt(r.numeric)).padStart(12)}`),
        '',
        `max |tape − tf.grads| = ${maxTf.toExponential(2)} over ${rows.length} parameters: ${tfOk ? 'agree' : 'DISAGREE'}`,
        `max |tape − quotient| = ${maxFd.toExponential(2)} over ${withFd.length} parameters: ${fdOk ? 'agree' : 'DISAGREE'}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    }
    return tfOk ? 0 : 1;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`nnlab grad: ${e.message}\n`);
      return e.code;
    }
    throw e;
  }
}
