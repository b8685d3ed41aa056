// Reading a text file next to a spec (its CSV data) for the analyser, which is synchronous and
// treats a file it cannot read as missing. Node only (node:fs); no `vscode`.
import { readFileSync } from 'node:fs';

/** The file's UTF-8 text, or undefined when it cannot be read. */
export function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
