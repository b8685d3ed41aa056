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

/** Splits CLI args into positionals and --flags (`--name value` for the names in `valued`). */
export function parseArgs(args: string[], valued: readonly string[] = []): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (valued.includes(a.slice(2)) && i + 1 < args.length) flags.set(a.slice(2), args[++i]!);
      else flags.set(a.slice(2), true);
    } else positional.push(a);
  }
  return { positional, flags };
}
