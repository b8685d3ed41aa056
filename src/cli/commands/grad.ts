// `nnlab grad <spec> [--sample i] [--json] [--seed N] [--weights file.json] [--fd-limit N]`:
// every parameter's gradient for one sample — from the tape, with TensorFlow.js's tf.variableGrads
// (the trainer's own model on the CPU backend) and the difference quotient beside it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Analysis } from '../../core/spec';
import { analyzeFile, formatProblem } from './validate';
import { jsonText, processIo, type Io } from '../format';
import { loadData } from '../../core/data';
import { initialWeights } from '../../core/train/init';
import type { NetworkSpec } from '../../core/spec/types';
import type { LayerWeights } from '../../protocol/training';
import { defaultSample, fmt, fmtMat, kinkDerivatives, kinkText, networkGradients, notDifferentiable, sampleAt, type Sample, type SampleSource } from '../../core/autodiff';
import { lossFormula } from '../../core/nn/loss';
import { intOption, withArgs, type CommandSpec, type OptionValues } from '../args';
import { SEED_MAX } from '../../core/spec/parse';
import { humanIndex, sampleName } from '../../core/explain/indices';

export const command: CommandSpec = {
  name: 'grad',
  args: '<spec.nn.json>',
  summary: "Every parameter's gradient for one sample: from the tape, from TensorFlow.js (tf.variableGrads on the trainer's model) and the difference quotient. Exit 1 when the tape and TensorFlow.js disagree.",
  options: {
    sample: { type: 'string', value: 'i', help: 'which sample of the data (default 0)' },
    json: { type: 'boolean', help: 'print the gradients as JSON' },
    seed: { type: 'string', value: 'N', help: 'seed of the initial weights (default training.seed; 0 … 4294967295)' },
    weights: { type: 'string', value: 'FILE', help: 'weights from a JSON file ([{layer, name, W, b}] or {"weights": […]}) instead of the initial ones' },
    'fd-limit': { type: 'string', value: 'N', help: 'check at most N parameters by the difference quotient (default 500)' },
  },
  positionals: { min: 1, max: 1 },
};

export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export interface LoadedNetwork {
  path: string;
  spec: NetworkSpec;
  weights: LayerWeights[];
  weightsSource: string;
  sample: Sample;
  index: number;
  samples: number;
  /** the whole data set (for choosing another sample) */
  data: SampleSource;
}

/** Reads and validates a spec, loads its data and weights, and picks one sample. Throws CliError. */
export async function loadNetwork(file: string, opts: OptionValues): Promise<LoadedNetwork> {
  const path = resolve(file);
  let a: Analysis;
  try {
    a = await analyzeFile(file);
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
    const seed = intOption(opts, 'seed', spec.training.seed, 0, SEED_MAX);
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
    return { path, spec, weights, weightsSource, sample: sampleAt(data, index), index, samples: data.xShape[0], data };
  } catch (e) {
    throw new CliError(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Float32 (tf) against float64 (tape). */
export const tfAgree = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 + 1e-3 * Math.abs(a);

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (opts, positional) => grad(opts, positional[0]!, io));
}

async function grad(opts: OptionValues, file: string, io: Io): Promise<number> {
  try {
    const net = await loadNetwork(file, opts);
    // without --sample: the first sample whose W gradients are not all 0 (XOR's x = [0, 0] shows nothing)
    let choice = '';
    if (opts.sample === undefined) {
      const d = defaultSample(net.spec, net.weights, net.data);
      if (d.index !== net.index) {
        net.index = d.index;
        net.sample = sampleAt(net.data, d.index);
      }
      choice = d.zero.length
        ? `${sampleName(d.index)} is the default: the first whose W gradients are not all 0 (${d.zero.length === 1 ? `${sampleName(d.zero[0]!)}, x = ${fmtMat([sampleAt(net.data, d.zero[0]!).x])}, gives` : `samples ${d.zero.map(humanIndex).join(', ')} give`} every W gradient 0); --sample i (0-based) picks another`
        : `${sampleName(d.index)} is the default (its W gradients are not all 0); --sample i (0-based) picks another`;
    }
    const g = networkGradients(net.spec, net.weights, net.sample, { fdLimit: intOption(opts, 'fd-limit', 500) });
    const { tfGradients } = await import('../../core/autodiff/tfgrads');
    const tfg = await tfGradients(net.spec, net.weights, net.sample);
    const denseIdx = [...new Set(g.params.map((p) => p.layer))];
    const rows = g.params.map((p) => {
      const L = tfg.grads[denseIdx.indexOf(p.layer)];
      const tfv = p.param === 'W' ? L.W[p.i][p.j] : (L.b?.[p.j] ?? NaN);
      return { ...p, tfjs: tfv };
    });
    // at a kink tape and tf.grads may take different one-sided values: find the one-sided derivatives of
    // every parameter where they differ (the difference quotients cover only --fd-limit of them)
    if (g.kinks.length) {
      for (const r of rows) if (!r.oneSided && r.numeric === undefined && !tfAgree(r.tape, r.tfjs)) {
        const s = kinkDerivatives(net.spec, net.weights, net.sample, r);
        if (s) r.oneSided = s;
      }
    }
    const smooth = rows.filter((r) => !r.oneSided);
    const atKink = rows.filter((r) => r.oneSided);
    const maxTf = Math.max(0, ...smooth.map((r) => Math.abs(r.tape - r.tfjs)));
    const withFd = smooth.filter((r) => r.numeric !== undefined);
    const maxFd = Math.max(0, ...withFd.map((r) => Math.abs(r.tape - (r.numeric ?? 0))));
    const tfOk = smooth.every((r) => tfAgree(r.tape, r.tfjs)) && tfAgree(g.loss, tfg.loss);
    const fdOk = withFd.every((r) => Math.abs(r.tape - (r.numeric ?? 0)) <= 1e-3 * Math.max(1, Math.abs(r.tape)));
    const lastDense = [...net.spec.layers].reverse().find((l) => l.type === 'dense');
    const formula = lossFormula(net.spec.loss, lastDense?.type === 'dense' ? lastDense.activation.name : undefined);
    const nOut = net.sample.y.length;
    // the course's walkthroughs (the neural chain) use ½ Σ (y − ŷ)²: the same gradients times n/2
    const half = net.spec.loss === 'mse' ? { factor: nOut / 2, loss: (g.loss * nOut) / 2 } : undefined;
    if (opts.json) {
      const out = {
        spec: net.path,
        name: net.spec.name,
        sample: net.index,
        samples: net.samples,
        sampleChoice: choice || null,
        weights: net.weightsSource,
        loss: { name: net.spec.loss, formula: formula.formula, gradient: formula.gradient, outputs: nOut, tape: g.loss, tfjs: tfg.loss },
        halfSquaredError: half ?? null,
        x: net.sample.x,
        y: net.sample.y,
        output: g.output,
        kinks: g.kinks.map((k) => ({ layer: k.layer, name: k.name, unit: k.unit, z: k.z, activation: k.activation })),
        params: rows.map((r) => ({ name: r.name, layer: r.layer, layerName: r.layerName, param: r.param, i: r.i, j: r.j, value: r.value, tape: r.tape, tfjs: r.tfjs, numeric: r.numeric ?? null, oneSided: r.oneSided ?? null })),
        maxAbsDiff: { tfjs: maxTf, numeric: maxFd },
        numericChecked: g.numericChecked,
        agree: { tfjs: tfOk, numeric: fdOk },
      };
      io.out(jsonText(out, 2) + '\n');
    } else {
      const w = Math.max(9, ...rows.map((r) => r.name.length));
      const quotient = (r: (typeof rows)[number]): string => (r.oneSided ? 'kink' : r.numeric === undefined ? '—' : fmt(r.numeric));
      const lines = [
        `${net.spec.name}: ${sampleName(net.index, net.samples)} (--sample ${net.index}), ${net.weightsSource}`,
        ...(choice ? [choice] : []),
        `loss (${net.spec.loss}) = ${fmt(g.loss)} (tape), ${fmt(tfg.loss)} (tf.grads model)`,
        `loss formula (the trainer's): ${formula.formula} over the n = ${nOut} output${nOut === 1 ? '' : 's'}; ${formula.gradient}`,
      ];
      if (half) {
        const few = rows.length <= 8 ? ` (${rows.map((r) => `${r.name} ${fmt(r.tape * half.factor)}`).join(', ')})` : '';
        lines.push(
          `with the course's L = ½ Σⱼ (yⱼ − ŷⱼ)² (the neural-chain walkthrough): L = ${fmt(half.loss)} and every gradient × n/2 = ${fmt(half.factor)}${few}: the ½ cancels the 2 that differentiating the square brings, while the trainer's mean keeps it and divides by n.`,
        );
      }
      lines.push(
        '',
        `${'parameter'.padEnd(w)}  ${'value'.padStart(12)}  ${'tape'.padStart(12)}  ${'tf.grads'.padStart(12)}  ${'quotient'.padStart(12)}`,
        ...rows.map((r) => `${r.name.padEnd(w)}  ${fmt(r.value).padStart(12)}  ${fmt(r.tape).padStart(12)}  ${fmt(r.tfjs).padStart(12)}  ${quotient(r).padStart(12)}`),
        '',
      );
      if (atKink.length) {
        lines.push(`kink: ${kinkText(g.kinks)}`, ...atKink.map((r) => `${r.name}: ${notDifferentiable(r.oneSided ?? { left: NaN, right: NaN })}; tape ${fmt(r.tape)}, tf.grads ${fmt(r.tfjs)}`), '');
      }
      const kinkNote = atKink.length ? ` (${atKink.length} at a kink left out)` : '';
      lines.push(
        `max |tape − tf.grads| = ${maxTf.toExponential(2)} over ${smooth.length} parameters: ${tfOk ? 'agree' : 'DISAGREE'}${kinkNote}`,
        `max |tape − quotient| = ${maxFd.toExponential(2)} over ${withFd.length} parameters: ${fdOk ? 'agree' : 'DISAGREE'}${kinkNote}`,
      );
      io.out(lines.join('\n') + '\n');
    }
    return tfOk ? 0 : 1;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`nnlab grad: ${e.message}\n`);
      return e.code;
    }
    throw e;
  }
}
