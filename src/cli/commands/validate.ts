// `nnlab validate <files…>`: every problem compiler-style, `file:line:col: severity CODE: message`
// (1-based), exit 1 when any file has an error, 2 on bad usage.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Analysis, Problem } from '../../core/spec';
import { analyzeSpecWithData } from '../../core/data/read';
import { processIo, type Io } from '../format';
import { withoutBom } from '../../core/spec/text';
import { UsageError, withArgs, type CommandSpec, type OptionSpec, type OptionValues } from '../args';

export { processIo, type Io } from '../format';

/** --memory-limit-mb, shared by validate, inspect and train */
export const MEMORY_LIMIT_OPTION: OptionSpec = { type: 'string', value: 'N', help: 'estimated training memory limit in MiB (default 2048, the nnlab.memoryLimitMB default)' };

export const command: CommandSpec = {
  name: 'validate',
  args: '<files or folders…>',
  summary: 'Check specs and print every problem as file:line:col: severity CODE: message (a folder stands for every *.nn.json below it). Exit 1 on any error.',
  options: {
    'memory-limit-mb': MEMORY_LIMIT_OPTION,
    quiet: { type: 'boolean', help: 'no count of files, errors and warnings on stderr' },
  },
  positionals: { min: 1, max: Infinity },
};

/**
 * Reads and analyses a spec file; its CSV (relative to it) is read through the data reader (inside the
 * spec's folder, a regular file, at most 256 MiB). Rejects only when the spec file cannot be read.
 */
export async function analyzeFile(file: string, memoryLimitBytes?: number): Promise<Analysis> {
  const abs = resolve(file);
  // without a byte order mark, so line:column are what an editor shows
  const text = withoutBom(readFileSync(abs, 'utf8'));
  return analyzeSpecWithData(text, {
    specPath: abs,
    ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
  });
}

/** analyzeFile, or undefined after writing the NN000 "cannot read" line when the file cannot be read. */
export async function analyzeOrReport(file: string, memoryLimitBytes: number | undefined, io: Io): Promise<Analysis | undefined> {
  try {
    return await analyzeFile(file, memoryLimitBytes);
  } catch (e) {
    io.err(`${file}:1:1: error NN000: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}).\n`);
    return undefined;
  }
}

/** `samples/x.nn.json:12:7: error NN101: …` */
export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.code}: ${p.message}`;
}

/** --memory-limit-mb N in bytes (undefined: the nnlab.memoryLimitMB default, 2048); UsageError when not a positive number */
export function memoryLimitFrom(values: OptionValues): number | undefined {
  const v = values['memory-limit-mb'];
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--memory-limit-mb needs a positive number of MiB, got ${String(v)}`);
  return n * 1024 * 1024;
}

/** A directory argument stands for every *.nn.json below it (sorted; node_modules and dot folders skipped). */
export function expandSpecArgs(args: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.nn.json')) out.push(p);
    }
  };
  for (const a of args) {
    let isDir = false;
    try {
      isDir = statSync(a).isDirectory();
    } catch {
      // not there: reported as unreadable below
    }
    if (isDir) walk(a);
    else out.push(a);
  }
  return out;
}

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (values, positional) => validateFiles(values, positional, io));
}

async function validateFiles(values: OptionValues, positional: string[], io: Io): Promise<number> {
  const limit = memoryLimitFrom(values);
  let errors = 0;
  let warnings = 0;
  const files = expandSpecArgs(positional);
  for (const file of files) {
    let a: Analysis;
    try {
      a = await analyzeFile(file, limit);
    } catch (e) {
      io.out(`${file}:1:1: error NN000: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}).\n`);
      errors++;
      continue;
    }
    for (const p of a.problems) {
      io.out(formatProblem(file, p) + '\n');
      if (p.severity === 'error') errors++;
      else if (p.severity === 'warning') warnings++;
    }
  }
  if (!values.quiet) {
    const n = files.length;
    io.err(`${n} file${n === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}
