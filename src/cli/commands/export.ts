// `nnlab export <spec|run> --to pytorch|keras [--out DIR]`: code and files other engines run, from a
// spec (initial weights) or a run folder (also its trained weights). The exporters are in
// src/core/export; this reads the input, writes the files and says what it wrote. Exit 0 written,
// 1 refused (the spec's errors, located; or what the target does not support), 2 usage.
import { join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { EXPORT_TARGETS, ExportError, exportFiles } from '../../core/export';
import { defaultOutDir, loadExportInput, writeExportFiles } from '../../core/export/load';
import { resolveRunDir } from '../../core/train/runs';
import { stringOption, UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';
import { formatProblem, MEMORY_LIMIT_OPTION, memoryLimitFrom, processIo, type Io } from './validate';

export const command: CommandSpec = {
  name: 'export',
  args: '<spec.nn.json|run>',
  summary: `Code and files another engine runs (${EXPORT_TARGETS.join(', ')}): from a spec (its initial weights) or a run folder (also its trained weights). <run> may be a run name in ./.nnlab/runs (or --runs DIR) or latest.`,
  options: {
    to: { type: 'string', value: EXPORT_TARGETS.join('|'), help: 'the target (required)' },
    out: { type: 'string', value: 'DIR', help: 'where the files go (default: beside the spec or run, export-<target>)' },
    runs: { type: 'string', value: 'DIR', help: 'where run names are looked up (default ./.nnlab/runs)' },
    'memory-limit-mb': MEMORY_LIMIT_OPTION,
  },
  positionals: { min: 1, max: 1 },
};

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (values, positional) => exportTo(values, positional[0]!, io));
}

async function exportTo(values: OptionValues, positional: string, io: Io): Promise<number> {
  const target = stringOption(values, 'to');
  if (target === undefined) throw new UsageError('--to is required', true);
  if (!(EXPORT_TARGETS as string[]).includes(target)) throw new UsageError(`unknown target "${target}" (${EXPORT_TARGETS.join(', ')})`);
  const limit = memoryLimitFrom(values);
  let from = positional;
  if (!existsSync(resolve(from))) {
    // a run name or "latest" in ./.nnlab/runs (or --runs DIR), as `nnlab predict` takes it
    const runs = stringOption(values, 'runs');
    try {
      from = resolveRunDir(from, runs !== undefined ? resolve(runs) : join(process.cwd(), '.nnlab', 'runs'));
    } catch (e) {
      io.err(`nnlab export: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  try {
    const input = await loadExportInput(from, limit !== undefined ? { memoryLimitBytes: limit } : {});
    const files = exportFiles(target, input);
    const outOpt = stringOption(values, 'out');
    const out = outOpt !== undefined ? resolve(outOpt) : defaultOutDir(from, target);
    const written = writeExportFiles(out, files);
    const shown = relative(process.cwd(), out);
    io.out(`${input.source.kind === 'run' ? 'run' : 'spec'} ${input.source.path} → ${target}: ${written.length} file${written.length === 1 ? '' : 's'} in ${shown.startsWith('..') ? out : shown || '.'}\n`);
    for (const p of written) io.out(`  ${relative(out, p)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ExportError) {
      for (const p of e.problems?.problems ?? []) io.err(formatProblem(relative(process.cwd(), e.problems!.file) || e.problems!.file, p) + '\n');
      io.err(`nnlab export: ${e.message}\n`);
      return 1;
    }
    io.err(`nnlab export: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
