// Colour scales for weights and decision regions. Colours come from the VS Code theme (CSS variables
// read in the webview); this module only parses and mixes them.

export type Rgba = [number, number, number, number];

/** Parses #rgb, #rrggbb, #rrggbbaa, rgb(...) and rgba(...); undefined for anything else. */
export function parseColor(s: string): Rgba | undefined {
  const t = s.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,8})$/.exec(t);
  if (m) {
    const h = m[1];
    if (h.length === 3 || h.length === 4) {
      const v = [...h].map((c) => parseInt(c + c, 16));
      return [v[0], v[1], v[2], h.length === 4 ? v[3] / 255 : 1];
    }
    if (h.length === 6 || h.length === 8) {
      const v = [0, 2, 4, 6].map((i) => parseInt(h.slice(i, i + 2), 16));
      return [v[0], v[1], v[2], h.length === 8 ? v[3] / 255 : 1];
    }
    return undefined;
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(t);
  if (m) {
    const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return [+m[1], +m[2], +m[3], a];
  }
  return undefined;
}

export function mix(a: Rgba, b: Rgba, t: number): Rgba {
  const u = Math.min(1, Math.max(0, t));
  return [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u, a[2] + (b[2] - a[2]) * u, a[3] + (b[3] - a[3]) * u];
}

export function toCss(c: Rgba): string {
  return `rgba(${Math.round(c[0])}, ${Math.round(c[1])}, ${Math.round(c[2])}, ${+c[3].toFixed(3)})`;
}

/** Diverging scale: v = −maxAbs → neg, 0 → mid, +maxAbs → pos (clamped). */
export function diverging(v: number, maxAbs: number, neg: Rgba, mid: Rgba, pos: Rgba): Rgba {
  if (!(maxAbs > 0) || !Number.isFinite(v)) return mid;
  const t = Math.max(-1, Math.min(1, v / maxAbs));
  return t < 0 ? mix(mid, neg, -t) : mix(mid, pos, t);
}

/** Edge width for a weight: 0.5 px at 0 up to `max` px at |w| = maxAbs, by √ so small weights stay visible. */
export function edgeWidth(w: number, maxAbs: number, max = 6): number {
  if (!(maxAbs > 0) || !Number.isFinite(w)) return 0.5;
  return 0.5 + (max - 0.5) * Math.sqrt(Math.min(1, Math.abs(w) / maxAbs));
}

export function maxAbs(values: Iterable<number>): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}
