// `nnlab predict <run> --input '[[0,1]]'`: loads the run's TensorFlow.js layers model (model.json +
// weights.bin) and prints its output for each input row as JSON. <run> is a run folder, a run name in
// ./.nnlab/runs (or --runs DIR), or "latest". Inputs are in raw units: a run trained on standardised
// CSV features has its training rows' mean and std (preprocessing.json) applied to them first.
import { join, resolve } from 'node:path';
import { resolveRunDir } from '../../core/train/runs';
import { predictRun } from '../../core/train/predict';
import { parseArgs } from '../format';
import { processIo, type Io } from './validate';

const USAGE = "Usage: nnlab predict <run> --input '[[0,1],[1,1]]' [--runs DIR]\n";

export async function run(args: string[], io: Io = processIo): Promise<number> {
  const { positional, flags } = parseArgs(args, ['input', 'runs']);
  const input = flags.get('input');
  if (positional.length !== 1 || typeof input !== 'string' || flags.has('help')) {
    io.err(USAGE);
    return 2;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch (e) {
    io.err(`nnlab predict: --input is not JSON (${e instanceof Error ? e.message : String(e)})\n`);
    return 2;
  }
  const runs = flags.get('runs');
  try {
    const dir = resolveRunDir(positional[0]!, typeof runs === 'string' ? resolve(runs) : join(process.cwd(), '.nnlab', 'runs'));
    const out = await predictRun(dir, Array.isArray(parsed) && parsed.length > 0 && !Array.isArray(parsed[0]) ? [parsed] : parsed);
    io.out(JSON.stringify(out) + '\n');
    return 0;
  } catch (e) {
    io.err(`nnlab predict: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
