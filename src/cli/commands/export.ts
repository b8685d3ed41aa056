// `nnlab export <spec|run> --to pytorch|keras [--out DIR]`: code and files other engines run, from a
// spec (initial weights) or a run folder (also its trained weights). The exporters are in
// src/core/export; this reads the input, writes the files and says what it wrote. Exit 0 written,
// 1 refused (the spec's errors, located; or what the target does not support), 2 usage.
import { join, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { EXPORT_TARGETS, ExportError, exportFiles } from '../../core/export';
import { defaultOutDir, loadExportInput, writeExportFiles } from '../../core/export/load';
import { resolveRunDir } from '../../core/train/runs';
import { parseArgs } from '../format';
import { formatProblem, memoryLimitFrom, processIo, type Io } from './validate';

const USAGE = `Usage: nnlab export <spec.nn.json|run> --to ${EXPORT_TARGETS.join('|')} [--out DIR] [--runs DIR]\n`;

export async function run(args: string[], io: Io = processIo): Promise<number> {
  const { positional, flags } = parseArgs(args, ['to', 'out', 'runs', 'memory-limit-mb']);
  const target = flags.get('to');
  if (positional.length !== 1 || typeof target !== 'string' || flags.has('help')) {
    io.err(USAGE);
    return 2;
  }
  if (!(EXPORT_TARGETS as string[]).includes(target)) {
    io.err(`nnlab export: unknown target "${target}" (${EXPORT_TARGETS.join(', ')})\n`);
    return 2;
  }
  const limit = memoryLimitFrom(flags, io);
  if (limit === null) return 2;
  let from = positional[0]!;
  if (!existsSync(resolve(from))) {
    // a run name or "latest" in ./.nnlab/runs (or --runs DIR), as `nnlab predict` takes it
    const runs = flags.get('runs');
    try {
      from = resolveRunDir(from, typeof runs === 'string' ? resolve(runs) : join(process.cwd(), '.nnlab', 'runs'));
    } catch (e) {
      io.err(`nnlab export: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  try {
    const input = await loadExportInput(from, limit !== undefined ? { memoryLimitBytes: limit } : {});
    const files = exportFiles(target, input);
    const out = typeof flags.get('out') === 'string' ? resolve(flags.get('out') as string) : defaultOutDir(from, target);
    const written = writeExportFiles(out, files);
    const shown = relative(process.cwd(), out);
    io.out(`${input.source.kind === 'run' ? 'run' : 'spec'} ${input.source.path} → ${target}: ${written.length} files in ${shown.startsWith('..') ? out : shown || '.'}\n`);
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
