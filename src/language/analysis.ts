// One analysis per document version, shared by lenses, hovers, diagnostics, quick fixes and commands.
// analyzeSpec is pure and cheap; reading data files (CSV) only happens in trusted workspaces, and never
// on the analysis's synchronous path: the data files are read asynchronously (checked, capped, timed
// out) into a cache the analysis answers from; when a read brings something new, onDidChangeData
// fires and the diagnostics and lenses analyse again.
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { DEFAULT_EDITOR_READ_TIMEOUT_MS, MB, readDataFile, type DataReadOptions } from '../core/data/read';
import type { DataFileRead } from '../core/data/csv';
import { config } from '../config';
import { analyzeSpec } from '../core/spec/analyze';
import { parseSpec } from '../core/spec/parse';
import type { Analysis as SpecAnalysis, DataInfo } from '../core/spec/analyze';
import type { MemoryEstimate } from '../core/spec/shapes';
import type { PartialSpec } from '../core/spec/parse';
import type { JsonPath, NetworkShapes, NetworkSpec, Problem, Range } from '../core/spec/types';

/** The `.nn.json` files NN Lab serves; they stay in VS Code's built-in json language. */
export const SPEC_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/*.nn.json' },
  { language: 'jsonc', pattern: '**/*.nn.json' },
];

export function isSpecDocument(doc: vscode.TextDocument): boolean {
  return (doc.languageId === 'json' || doc.languageId === 'jsonc') && isSpecUri(doc.uri);
}

export function isSpecUri(uri: vscode.Uri): boolean {
  return uri.path.toLowerCase().endsWith('.nn.json');
}

/** What the editor features read; a structural view of analyzeSpec's result. */
export interface Analysis {
  version: number;
  spec?: NetworkSpec;
  /** what could be read of input.shape and the layers even when `spec` is undefined (the lenses) */
  partial?: PartialSpec;
  problems: Problem[];
  shapes?: NetworkShapes;
  dataInfo?: DataInfo;
  memory?: MemoryEstimate;
  rangeOf(path: JsonPath): Range | undefined;
  keyRangeOf(path: JsonPath): Range | undefined;
  pathAt(offset: number): { path: JsonPath; onKey: boolean } | undefined;
  /** true when the text parsed into a spec and no error blocks shape inference */
  parses: boolean;
  /** analyzeSpec's own result (for the CLI's formatters) */
  raw?: SpecAnalysis;
}

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const cache = new Map<string, Analysis>();

function memoryLimitBytes(): number {
  return config.memoryLimitMB() * 1024 * 1024;
}

/**
 * The data reader's limits from the settings: nnlab.data.maxFileMB (what training reads) and, for the
 * editor's live checks (`editor: true`), nnlab.data.editorCheckMB and a time-out.
 */
export function dataReadOptions(scope: vscode.Uri | undefined, editor = false): DataReadOptions {
  const o: DataReadOptions = { maxBytes: config.dataMaxFileMB(scope) * MB, maxBytesSetting: 'the nnlab.data.maxFileMB setting' };
  if (editor) {
    o.checkBytes = Math.min(o.maxBytes!, config.dataEditorCheckMB(scope) * MB);
    o.checkBytesSetting = 'the nnlab.data.editorCheckMB setting';
    o.timeoutMs = DEFAULT_EDITOR_READ_TIMEOUT_MS;
  }
  return o;
}

// ---- the editor's data files

interface DataEntry {
  read: DataFileRead;
  /** when `read` was read (Date.now()); older than DATA_FRESH_MS: read again, answering with this meanwhile */
  at: number;
  /** the read under way, if any */
  reading?: Promise<void>;
}
const DATA_FRESH_MS = 2000;
const dataFiles = new Map<string, DataEntry>();
const dataChanged = new vscode.EventEmitter<void>();
/** A data file read for the editor's checks brought a different outcome: analyses are stale. */
export const onDidChangeData = dataChanged.event;

const sameRead = (a: DataFileRead, b: DataFileRead): boolean =>
  a.ok ? b.ok && a.text === b.text : !b.ok && ('code' in a ? 'code' in b && a.code === b.code && a.message === b.message : !('code' in b));

/**
 * What the analysis knows of the CSV `rel` of the spec in `specDir`, at once: the last outcome (pending
 * before the first read ends). Starts an asynchronous read when there is no fresh one.
 */
function dataFile(specDir: string, rel: string, scope: vscode.Uri): DataFileRead {
  const key = `${specDir}\0${rel}`;
  let e = dataFiles.get(key);
  if (!e) {
    e = { read: { ok: false, pending: true }, at: 0 };
    dataFiles.set(key, e);
  }
  if (!e.reading && Date.now() - e.at > DATA_FRESH_MS) {
    const entry = e;
    entry.reading = readDataFile(specDir, rel, dataReadOptions(scope, true)).then((read) => {
      entry.reading = undefined;
      entry.at = Date.now();
      if (dataFiles.get(key) !== entry || sameRead(entry.read, read)) return;
      entry.read = read;
      cache.clear();
      dataChanged.fire();
    });
  }
  return e.read;
}

/**
 * Resolves once the data file the spec text reads (if any) has been read for the editor's checks (at
 * most the time-out): for commands that show one analysis and cannot wait for onDidChangeData.
 */
export async function dataReady(text: string, uri: vscode.Uri): Promise<void> {
  if (!vscode.workspace.isTrusted || uri.scheme !== 'file' || !text.includes('csv')) return;
  const data = parseSpec(text).spec?.data;
  if (data?.type !== 'csv') return;
  const specDir = dirname(uri.fsPath);
  dataFile(specDir, data.path, uri);
  await dataFiles.get(`${specDir}\0${data.path}`)?.reading;
}

/** Analyses `text` for `uri` (no caching): what the train command checks before it starts. */
export function analyzeText(text: string, uri: vscode.Uri, version = -1): Analysis {
  const trusted = vscode.workspace.isTrusted;
  const specPath = uri.scheme === 'file' || uri.scheme === 'untitled' ? uri.fsPath : uri.path;
  const a = analyzeSpec(text, {
    specPath,
    // untrusted workspaces: no data files are read, and NN310 (info, at the CSV path) says so
    readFile: trusted && uri.scheme === 'file' ? (_abs, rel) => dataFile(dirname(specPath), rel, uri) : undefined,
    ...(trusted ? {} : { dataNotRead: 'this workspace is not trusted (Restricted Mode: trust it to check the data and to train)' }),
    memoryLimitBytes: memoryLimitBytes(),
  });
  const parses = a.spec !== undefined && a.shapes !== undefined && !a.problems.some((p) => p.code === 'NN001' || p.code === 'NN002');
  return {
    version,
    spec: a.spec,
    ...(a.partial ? { partial: a.partial } : {}),
    problems: a.problems,
    shapes: a.shapes,
    dataInfo: a.dataInfo,
    memory: a.memory,
    rangeOf: (p) => a.rangeOf(p),
    keyRangeOf: (p) => a.keyRangeOf(p),
    pathAt: (o) => a.pathAt(o),
    parses,
    raw: a,
  };
}

/** The analysis of the document's current version (computed once per version). Never throws. */
export function analyze(doc: vscode.TextDocument): Analysis {
  const key = doc.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === doc.version) return hit;
  let a: Analysis;
  try {
    a = analyzeText(doc.getText(), doc.uri, doc.version);
  } catch (err) {
    // The analyzer promises never to throw; if it does, show nothing rather than crash the host.
    a = {
      version: doc.version,
      problems: [],
      rangeOf: () => undefined,
      keyRangeOf: () => undefined,
      pathAt: () => undefined,
      parses: false,
    };
    console.error('NN Lab: analyzeSpec threw', err);
  }
  cache.set(key, a);
  return a;
}

export function forget(uri: vscode.Uri): void {
  cache.delete(uri.toString());
}

/** Settings, trust or a data file changed: every cached analysis is stale, and every data file is read again. */
export function forgetAll(): void {
  cache.clear();
  for (const e of dataFiles.values()) e.at = 0;
}
