// What an export starts from, read from disk (Node only): a spec file (analysed as the editor does; any
// error refuses the export, with its located problems) or a run folder (its spec.nn.json, trained
// weights and preprocessing). The data is loaded exactly as training loads it. Writing the files is
// here too, so the CLI and the extension share both ends.
import { parseSpec } from '../spec/parse';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { analyzeSpec } from '../spec';
import type { NetworkSpec } from '../spec/types';
import { loadData } from '../data';
import { readTextOrUndefined } from '../data/read';
import { initialWeights } from '../train/init';
import { readRunPreprocessing, readRunWeights } from '../train/runs';
import { ExportError, type ExportFile, type ExportInput } from './types';

export interface LoadOptions {
  memoryLimitBytes?: number;
  /** the spec's text when it differs from the file (an editor's unsaved contents) */
  text?: string;
}

/** Is `path` a run folder (spec.nn.json plus summary.json or model.json)? */
export function isRunDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory() && existsSync(join(path, 'spec.nn.json')) && (existsSync(join(path, 'summary.json')) || existsSync(join(path, 'model.json')));
}

/**
 * The folder of the spec a run was trained from: runs live in `<spec folder>/.nnlab/runs/<run>`, and a
 * CSV path in the run's spec is relative to that folder.
 */
function specFolderOfRun(runDir: string): string {
  const runs = dirname(runDir);
  return basename(runs) === 'runs' && basename(dirname(runs)) === '.nnlab' ? dirname(dirname(runs)) : runDir;
}

/** Reads a spec file or a run folder into an ExportInput; refuses (ExportError) a spec with errors. */
export async function loadExportInput(path: string, opts: LoadOptions = {}): Promise<ExportInput> {
  const abs = resolve(path);
  const run = isRunDir(abs);
  const specFile = run ? join(abs, 'spec.nn.json') : abs;
  // a run's spec reads its CSV from the original spec's folder
  const specPath = run ? join(specFolderOfRun(abs), 'spec.nn.json') : abs;
  let text: string;
  try {
    text = opts.text ?? readFileSync(specFile, 'utf8');
  } catch (e) {
    throw new ExportError(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}): give a .nn.json spec or a run folder`);
  }
  let spec: NetworkSpec;
  if (run) {
    // the spec the run trained, written in the .nn.json format (RunWriter; checked when it was trained)
    const parsed = parseSpec(text);
    if (!parsed.spec) throw new ExportError(`${specFile} is not a valid spec: ${parsed.problems.find((p) => p.severity === 'error')?.message ?? 'unreadable'}`);
    spec = parsed.spec;
  } else {
    const a = analyzeSpec(text, { specPath, readFile: readTextOrUndefined, ...(opts.memoryLimitBytes !== undefined ? { memoryLimitBytes: opts.memoryLimitBytes } : {}) });
    const errors = a.problems.filter((p) => p.severity === 'error');
    if (errors.length || !a.spec) {
      throw new ExportError(`${path} has ${errors.length || 'a'} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (nothing was exported)`, [], { file: specFile, problems: errors });
    }
    spec = a.spec;
  }
  const data = spec.data ? await loadData(spec, specPath) : undefined;
  return {
    spec,
    specFile: run ? `${basename(abs)}/spec.nn.json` : basename(abs),
    source: { kind: run ? 'run' : 'spec', path: basename(abs) },
    ...(data ? { data } : {}),
    initial: initialWeights(spec),
    ...(run ? { trained: readRunWeights(abs, spec) } : {}),
    ...(run ? optional('preprocessing', readRunPreprocessing(abs)) : optional('preprocessing', data?.preprocessing)),
  };
}

const optional = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : ({ [key]: v } as Record<K, V>));

/** The default output folder: `<spec folder>/<spec name>-<target>` for a spec, `<run>/<target>` for a run. */
export function defaultOutDir(path: string, target: string): string {
  const abs = resolve(path);
  if (isRunDir(abs)) return join(abs, target);
  return join(dirname(abs), `${basename(abs).replace(/\.nn\.json$/i, '').replace(/\.json$/i, '')}-${target}`);
}

/** Writes the files below `outDir` (created as needed); returns their absolute paths. */
export function writeExportFiles(outDir: string, files: readonly ExportFile[]): string[] {
  return files.map((f) => {
    const p = join(outDir, ...f.path.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.data);
    return p;
  });
}
