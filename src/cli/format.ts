// Small, dependency-free helpers for the `nnlab` CLI's plain-text output (shared by subcommands).

/** 101770 → "101,770" (locale-independent, so output is the same on every machine) */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export type Align = 'left' | 'right';

/**
 * A plain text table: columns padded to their widest cell, separated by two spaces, a dashed rule
 * under the header, no trailing spaces. Width counts code points (so "×" and "—" count as one).
 */
export function renderTable(header: string[], rows: string[][], align: Align[] = []): string[] {
  const width = (s: string) => [...s].length;
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - width(cell));
        return align[c] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .replace(/\s+$/, '');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

// ESC sequences: CSI (ESC [ … final byte), OSC / DCS / SOS / PM / APC strings (up to BEL or ESC \),
// and two-byte ESC x (a string ends at the end of its line at the latest); then any other C0 control but tab and line feed, DEL and the C1 controls.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|[ -/]*[0-~]?)|\u009b[0-?]*[ -/]*[@-~]?|[\u0090\u009d\u0098\u009e\u009f][^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * The one sanitiser of the CLI's human-readable output: removes terminal escape sequences and
 * control characters (C0 but tab and line feed, DEL, C1), so text that echoes user content (a spec's
 * name, CSV headers, paths, messages) cannot set the terminal's title, clear the screen or move the
 * cursor. Every command prints through terminalIo, which applies it.
 */
export function terminalText(s: string): string {
  return s.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/**
 * JSON for the CLI's --json output: JSON.stringify, with DEL, the C1 controls and the line/paragraph
 * separators also written as \u escapes (JSON.stringify escapes only C0), so the document passes
 * terminalText unchanged and its values stay exact.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

/** stdout and stderr, unfiltered (wrapped in terminalIo by the command table). */
export const processIo: Io = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

/** `io` with every string passed through terminalText. */
export function terminalIo(io: Io): Io {
  return { out: (s) => io.out(terminalText(s)), err: (s) => io.err(terminalText(s)) };
}
