// One analysis per document version, shared by lenses, hovers, diagnostics, quick fixes and commands.
// analyzeSpec is pure and cheap; reading data files (CSV) only happens in trusted workspaces.
import * as vscode from 'vscode';
import { readTextOrUndefined } from '../core/data/read';
import { config } from '../config';
import { analyzeSpec } from '../core/spec/analyze';
import type { Analysis as SpecAnalysis, DataInfo } from '../core/spec/analyze';
import type { MemoryEstimate } from '../core/spec/shapes';
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

/** Analyses `text` for `uri` (no caching): what the train command checks before it starts. */
export function analyzeText(text: string, uri: vscode.Uri, version = -1): Analysis {
  const trusted = vscode.workspace.isTrusted;
  const specPath = uri.scheme === 'file' || uri.scheme === 'untitled' ? uri.fsPath : uri.path;
  const a = analyzeSpec(text, {
    specPath,
    // untrusted workspaces: no data files are read, and NN310 (info, at the CSV path) says so
    readFile: trusted && uri.scheme === 'file' ? readTextOrUndefined : undefined,
    ...(trusted ? {} : { dataNotRead: 'this workspace is not trusted (Restricted Mode: trust it to check the data and to train)' }),
    memoryLimitBytes: memoryLimitBytes(),
  });
  const parses = a.spec !== undefined && a.shapes !== undefined && !a.problems.some((p) => p.code === 'NN001' || p.code === 'NN002');
  return {
    version,
    spec: a.spec,
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

/** Settings or trust changed: every cached analysis is stale. */
export function forgetAll(): void {
  cache.clear();
}
