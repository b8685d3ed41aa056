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
