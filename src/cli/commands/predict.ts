// `nnlab predict <run> --input '[[0,1]]'`: loads the run's TensorFlow.js layers model (model.json +
// weights.bin) and prints its output for each input row as JSON. <run> is a run folder, a run name in
// ./.nnlab/runs (or --runs DIR), or "latest". Inputs are in raw units: a run trained on standardised
// CSV features has its training rows' mean and std (preprocessing.json) applied to them first.
import { join, resolve } from 'node:path';
import { resolveRunDir } from '../../core/train/runs';
import { predictRun } from '../../core/train/predict';
import { stringOption, UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';
import { processIo, type Io } from './validate';

export const command: CommandSpec = {
  name: 'predict',
  args: '<run>',
  summary: "Run a trained model on input rows and print its outputs as JSON. <run> is a run folder, a run name in ./.nnlab/runs (or --runs DIR), or latest.",
  options: {
    input: { type: 'string', value: 'JSON', help: "the rows, one sample each, in raw units: '[[0,1],[1,1]]' (required)" },
    runs: { type: 'string', value: 'DIR', help: 'where run names are looked up (default ./.nnlab/runs)' },
  },
  positionals: { min: 1, max: 1 },
};

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (values, positional) => predict(values, positional[0]!, io));
}

async function predict(values: OptionValues, runName: string, io: Io): Promise<number> {
  const input = stringOption(values, 'input');
  if (input === undefined) throw new UsageError("--input is required, e.g. --input '[[0,1],[1,1]]'", true);
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch (e) {
    throw new UsageError(`--input is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const runs = stringOption(values, 'runs');
  try {
    const dir = resolveRunDir(runName, runs !== undefined ? resolve(runs) : join(process.cwd(), '.nnlab', 'runs'));
    const out = await predictRun(dir, Array.isArray(parsed) && parsed.length > 0 && !Array.isArray(parsed[0]) ? [parsed] : parsed);
    io.out(JSON.stringify(out) + '\n');
    return 0;
  } catch (e) {
    io.err(`nnlab predict: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
