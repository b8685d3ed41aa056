// "NN Lab: Inspect Network": the CLI's `nnlab inspect` table for the editor's current contents.
import { inspectText } from '../cli/commands/inspect';
import { formatProblem } from '../cli/commands/validate';
import type { Analysis } from '../language/analysis';

/** The same lines `nnlab inspect <file>` prints (stdout, then the problems it prints to stderr). */
export function inspectReport(file: string, a: Analysis): string {
  const lines = a.raw ? inspectText(file, a.raw) : [];
  if (a.problems.length) {
    if (lines.length) lines.push('');
    lines.push(...a.problems.map((p) => formatProblem(file, p)));
  }
  if (!lines.length) lines.push(`${file}: nothing to inspect (the file does not parse).`);
  return lines.join('\n') + '\n';
}
