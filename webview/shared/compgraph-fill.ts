// Layout of the computational-graph component when it fills a zoomable panel (the graph panel, issue 13
// item 2): every text at 12 px (× the panel's font scale, item 18), boxes and texts sized so that no two labels overlap, left to right or top
// down (the panel takes the one Fit shows larger). Pure (no DOM): unit-tested in
// test/unit/panels/compgraph-fill.test.ts; drawn by CompGraph (compgraph.ts) with `fill: true`.
import { layoutGraph, type CompGraphModel, type CompGraphNode } from './compgraph';
import { bestFit, fitScale, type Size } from '../../src/core/view/graphState';

export type FillDirection = 'right' | 'down';

/** Every text in the filled graph is drawn at this size (CSS px at zoom 1). */
export const FILL_FONT_PX = 12;
/** Advance of one character of the editor's monospace font at 12 px (0.6 em), a little generous. */
export const FILL_CHAR_W = 7.4;
export const FILL_NODE_H = 34;
const LINE = 15;
const PAD = 16;

export interface FilledText {
  text: string;
  /** left edge (start anchor) and baseline, relative to the node's box */
  x: number;
  y: number;
  cls: 'cg-shape' | 'cg-value' | 'cg-grad';
}
export interface FilledNode {
  node: CompGraphNode;
  x: number;
  y: number;
  w: number;
  texts: FilledText[];
}
export interface FilledGraph {
  direction: FillDirection;
  /** the panel's font scale the drawing was laid out for: every length below is FILL_* × scale */
  scale: number;
  nodes: Map<string, FilledNode>;
  width: number;
  height: number;
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
export const textWidth = (s: string): number => s.length * FILL_CHAR_W;
export const boxWidth = (n: Pick<CompGraphNode, 'label' | 'op'>): number => Math.max(44, textWidth(n.op ? `${n.label} ${n.op}` : n.label) + 22);

function lines(n: CompGraphNode, maxChars: number): { shape?: string; value?: string; grad?: string } {
  return { shape: n.shape || undefined, value: n.value ? cut(n.value, maxChars) : undefined, grad: n.grad ? `∂ ${cut(n.grad, maxChars)}` : undefined };
}

/** The size of the filled graph's labels at the panel's font scale (issue 13 item 18): 12 px × scale. */
export const fillFontPx = (scale = 1): number => FILL_FONT_PX * scale;

/** `g` with every length (positions, widths, the drawing's size) multiplied by `scale`. */
function scaled(g: FilledGraph, scale: number): FilledGraph {
  if (scale === 1) return g;
  const nodes = new Map<string, FilledNode>();
  for (const [id, p] of g.nodes)
    nodes.set(id, { node: p.node, x: p.x * scale, y: p.y * scale, w: p.w * scale, texts: p.texts.map((t) => ({ ...t, x: t.x * scale, y: t.y * scale })) });
  return { direction: g.direction, scale, nodes, width: g.width * scale, height: g.height * scale };
}

/**
 * The filled graph with its labels at 12 px × `scale` (the panel's font scale, fontScale.ts): the layout
 * at 12 px, every length × scale, so the labels keep their room and never overlap.
 */
export function fillLayout(model: Pick<CompGraphModel, 'nodes' | 'edges'>, direction: FillDirection, maxChars = 22, scale = 1): FilledGraph {
  return scaled(fillLayoutAt12(model, direction, maxChars), scale > 0 && Number.isFinite(scale) ? scale : 1);
}

/**
 * right: the value above each box, ∂ below, the shape to its upper right; columns as wide as their widest
 * text. down: ranks top to bottom, the shape, value and ∂ as three lines to the right of each box.
 */
function fillLayoutAt12(model: Pick<CompGraphModel, 'nodes' | 'edges'>, direction: FillDirection, maxChars: number): FilledGraph {
  const lay = layoutGraph(model);
  const nodes = new Map<string, FilledNode>();
  const info = model.nodes.map((n) => ({ n, p: lay.get(n.id) ?? { col: 0, row: 0 }, w: boxWidth(n), t: lines(n, maxChars) }));
  if (direction === 'right') {
    // half-width of each node's cell around its box's centre, then each column's width
    const half = info.map(({ w, t }) => Math.max(w / 2, textWidth(t.value ?? '') / 2, textWidth(t.grad ?? '') / 2, w / 2 + 4 + textWidth(t.shape ?? '')));
    const cols = Math.max(0, ...info.map((i) => i.p.col)) + 1;
    const colW = Array.from({ length: cols }, () => 0);
    info.forEach((i, k) => (colW[i.p.col] = Math.max(colW[i.p.col]!, 2 * half[k]!)));
    const GAP = 36;
    const colX: number[] = [];
    let x = PAD;
    for (const w of colW) {
      colX.push(x);
      x += w + GAP;
    }
    // above the box: a value line (12 px text, 4 px clear); below it: the ∂ line; then a gap
    const ABOVE = LINE + 6;
    const BELOW = LINE + 8;
    const ROW = ABOVE + FILL_NODE_H + BELOW + 14;
    let maxY = 0;
    info.forEach(({ n, p, w, t }) => {
      const cx = colX[p.col]! + colW[p.col]! / 2;
      const y = PAD + ABOVE + p.row * ROW;
      const texts: FilledText[] = [];
      if (t.value) texts.push({ text: t.value, x: w / 2 - textWidth(t.value) / 2, y: -6, cls: 'cg-value' });
      if (t.grad) texts.push({ text: t.grad, x: w / 2 - textWidth(t.grad) / 2, y: FILL_NODE_H + LINE + 1, cls: 'cg-grad' });
      if (t.shape) texts.push({ text: t.shape, x: w + 4, y: 11, cls: 'cg-shape' });
      nodes.set(n.id, { node: n, x: cx - w / 2, y, w, texts });
      maxY = Math.max(maxY, y + FILL_NODE_H + BELOW);
    });
    return { direction, scale: 1, nodes, width: x - GAP + PAD, height: maxY + PAD };
  }
  // down: ranks are layoutGraph's columns, slots within a rank its rows
  const cellW = info.map(({ w, t }) => w + 8 + Math.max(textWidth(t.shape ?? ''), textWidth(t.value ?? ''), textWidth(t.grad ?? '')));
  const slotW = Math.max(...cellW, 60) + 28;
  const CELL_H = Math.max(FILL_NODE_H, 3 * LINE + 2);
  const RANK = CELL_H + 36;
  let maxX = 0;
  let maxY = 0;
  info.forEach(({ n, p, w, t }, i) => {
    const x = PAD + p.row * slotW;
    const y = PAD + p.col * RANK;
    const texts: FilledText[] = [];
    const lx = w + 8;
    let ly = 12;
    for (const [s, cls] of [[t.shape, 'cg-shape'], [t.value, 'cg-value'], [t.grad, 'cg-grad']] as const) {
      if (!s) continue;
      texts.push({ text: s, x: lx, y: ly, cls });
      ly += LINE;
    }
    nodes.set(n.id, { node: n, x, y, w, texts });
    maxX = Math.max(maxX, x + cellW[i]!);
    maxY = Math.max(maxY, y + CELL_H);
  });
  return { direction, scale: 1, nodes, width: maxX + PAD, height: maxY + PAD };
}

/** Rectangles of every label (box names included), in drawing coordinates: for the no-overlap test. */
export function labelBoxes(g: FilledGraph): { id: string; x0: number; y0: number; x1: number; y1: number }[] {
  const out: { id: string; x0: number; y0: number; x1: number; y1: number }[] = [];
  const s = g.scale;
  for (const [id, p] of g.nodes) {
    out.push({ id: `${id}:box`, x0: p.x, y0: p.y, x1: p.x + p.w, y1: p.y + FILL_NODE_H * s });
    for (const t of p.texts) out.push({ id: `${id}:${t.cls}`, x0: p.x + t.x, y0: p.y + t.y - fillFontPx(s), x1: p.x + t.x + textWidth(t.text) * s, y1: p.y + t.y + 3 * s });
  }
  return out;
}

/** Pairs of overlapping rectangles (touching is not overlapping, nor a float's rounding at a font scale). */
const EPS = 1e-6;
export function overlaps(boxes: readonly { id: string; x0: number; y0: number; x1: number; y1: number }[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.x0 < b.x1 - EPS && b.x0 < a.x1 - EPS && a.y0 < b.y1 - EPS && b.y0 < a.y1 - EPS) out.push([a.id, b.id]);
    }
  return out;
}

/** The longest value and gradient texts tried, longest first (the full text is in the hover). */
export const FILL_CHARS = [24, 20, 16, 13, 10] as const;

/**
 * The direction and text length that show the graph's labels at 12 px × `scale` (the panel's font
 * scale) or more at Fit in `stage`: the longest texts that allow it, in the direction Fit shows larger;
 * if none does, the largest labels.
 */
export function chooseFill(model: Pick<CompGraphModel, 'nodes' | 'edges'>, stage: Size, scale = 1): { direction: FillDirection; maxChars: number; labelPx: number } {
  let best: { direction: FillDirection; maxChars: number; labelPx: number } | undefined;
  for (const maxChars of FILL_CHARS) {
    const layouts = (['right', 'down'] as const).map((d) => fillLayout(model, d, maxChars, scale));
    const sizes = layouts.map((g) => ({ w: g.width, h: g.height }));
    const i = bestFit(sizes, stage);
    const pick = { direction: layouts[i]!.direction, maxChars, labelPx: fillFontPx(scale) * fitScale(sizes[i]!, stage) };
    if (pick.labelPx >= fillFontPx(scale) - 1e-9) return pick;
    if (!best || pick.labelPx > best.labelPx) best = pick;
  }
  return best!;
}
