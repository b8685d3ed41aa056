// `nnlab validate <files…>`: every problem compiler-style, `file:line:col: severity CODE: message`
// (1-based), exit 1 when any file has an error, 2 on bad usage.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeSpec, type Analysis, type Problem } from '../../core/spec';
import { withoutBom } from '../../core/spec/text';
import { readTextOrUndefined } from '../../core/data/read';
import { parseArgs } from '../format';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}
export const processIo: Io = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

/** Reads and analyses a spec file (CSV paths relative to it). Throws only when the file cannot be read. */
export function analyzeFile(file: string, memoryLimitBytes?: number): Analysis {
  const abs = resolve(file);
  // without a byte order mark, so line:column are what an editor shows
  const text = withoutBom(readFileSync(abs, 'utf8'));
  return analyzeSpec(text, {
    specPath: abs,
    readFile: readTextOrUndefined,
    ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
  });
}

/** analyzeFile, or undefined after writing the NN000 "cannot read" line when the file cannot be read. */
export function analyzeOrReport(file: string, memoryLimitBytes: number | undefined, io: Io): Analysis | undefined {
  try {
    return analyzeFile(file, memoryLimitBytes);
  } catch (e) {
    io.err(`${file}:1:1: error NN000: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}).\n`);
    return undefined;
  }
}

/** `samples/x.nn.json:12:7: error NN101: …` */
export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity} ${p.code}: ${p.message}`;
}

/** --memory-limit-mb N (default: the nnlab.memoryLimitMB default, 2048) */
export function memoryLimitFrom(flags: Map<string, string | true>, io: Io): number | undefined | null {
  const v = flags.get('memory-limit-mb');
  if (v === undefined) return undefined;
  const n = typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) {
    io.err('nnlab: --memory-limit-mb needs a positive number of MiB\n');
    return null;
  }
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
  const { positional, flags } = parseArgs(args, ['memory-limit-mb']);
  if (positional.length === 0 || flags.has('help')) {
    io.err('Usage: nnlab validate <files or folders…> [--memory-limit-mb N] [--quiet]\n');
    return 2;
  }
  const limit = memoryLimitFrom(flags, io);
  if (limit === null) return 2;
  let errors = 0;
  let warnings = 0;
  const files = expandSpecArgs(positional);
  for (const file of files) {
    let a: Analysis;
    try {
      a = analyzeFile(file, limit);
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
  if (!flags.has('quiet')) {
    const n = files.length;
    io.err(`${n} file${n === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}
