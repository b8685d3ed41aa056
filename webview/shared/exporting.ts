// Export helpers: an SVG document → PNG data URL, a drawing's SVG cropped to its content, sent to the
// host, which shows a save dialog.
import type { Connection } from './host';

export function exportCanvasPng(conn: Connection, canvas: HTMLCanvasElement, name: string): void {
  conn.post({ type: 'export', format: 'png', name, data: canvas.toDataURL('image/png') });
}

/** An SVG document (text, `width`×`height` user units) drawn at `scale`× into a PNG export, e.g. the loss picture of src/core/view/plot.ts; `background` fills behind it. */
export async function exportSvgTextPng(conn: Connection, text: string, width: number, height: number, name: string, scale = 2, background?: string): Promise<void> {
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((res, rej) => {
      img.onload = () => res();
      img.onerror = () => rej(new Error('could not render the SVG'));
      img.src = url;
    });
    const c = document.createElement('canvas');
    c.width = Math.ceil(width * scale);
    c.height = Math.ceil(height * scale);
    const ctx = c.getContext('2d')!;
    if (background) {
      ctx.fillStyle = background;
      ctx.fillRect(0, 0, c.width, c.height);
    }
    ctx.drawImage(img, 0, 0, c.width, c.height);
    exportCanvasPng(conn, c, name);
  } finally {
    URL.revokeObjectURL(url);
  }
}

// ---- drawings exported cropped to their content (issue 13 item 17: the graph panel's neuron graph and
// computational graph), on the theme's background or a light one for print and slides; PNG at 2×.

export type ExportBackground = 'theme' | 'print';

/** The colours a print export uses instead of the theme's (VS Code's Light Modern). */
export const PRINT_THEME: Readonly<Record<string, string>> = {
  '--vscode-editor-background': '#ffffff',
  '--vscode-editorWidget-background': '#f8f8f8',
  '--vscode-foreground': '#1f1f1f',
  '--vscode-descriptionForeground': '#3b3b3b',
  '--vscode-editorLineNumber-foreground': '#6e7681',
  '--vscode-widget-border': '#c8c8c8',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-editor-selectionBackground': '#add6ff',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-charts-orange': '#c25e00',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-purple': '#652d90',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-yellow': '#bf8803',
};

const EXPORT_PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-family', 'font-size', 'font-weight', 'opacity', 'paint-order'];

/**
 * The SVG text of `svg` cropped to the drawing `content` (an element whose children are in drawing
 * coordinates: the panel's zoom transform on it is dropped) plus `margin`, over a background rectangle;
 * computed colours inlined (with `print`, those of PRINT_THEME).
 */
export function croppedSvg(svg: SVGSVGElement, content: SVGGraphicsElement, background: ExportBackground, margin = 16): { text: string; width: number; height: number } {
  const vars = background === 'print' ? Object.entries(PRINT_THEME) : [];
  for (const [k, v] of vars) svg.style.setProperty(k, v);
  try {
    const b = content.getBBox();
    const [x, y, width, height] = [b.x - margin, b.y - margin, Math.ceil(b.width + 2 * margin), Math.ceil(b.height + 2 * margin)];
    const clone = svg.cloneNode(true) as SVGSVGElement;
    const src = svg.querySelectorAll('*');
    const dst = clone.querySelectorAll('*');
    src.forEach((el, i) => {
      const cs = getComputedStyle(el);
      const d = dst[i] as SVGElement;
      for (const p of EXPORT_PROPS) {
        const v = cs.getPropertyValue(p);
        if (v) d.style.setProperty(p, v);
      }
      // the panel's zoom and pan
      if (el === content && el !== svg) d.removeAttribute('transform');
    });
    const bg = background === 'print' ? '#ffffff' : getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#1e1e1e';
    clone.removeAttribute('style');
    clone.removeAttribute('class');
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.setAttribute('viewBox', `${x} ${y} ${width} ${height}`);
    clone.setAttribute('width', String(width));
    clone.setAttribute('height', String(height));
    clone.style.setProperty('font-family', getComputedStyle(svg).fontFamily);
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    for (const [k, v] of Object.entries({ x, y, width, height, fill: bg })) rect.setAttribute(k, String(v));
    clone.prepend(rect);
    return { text: new XMLSerializer().serializeToString(clone), width, height };
  } finally {
    for (const [k] of vars) svg.style.removeProperty(k);
  }
}

export function exportCroppedSvg(conn: Connection, svg: SVGSVGElement, content: SVGGraphicsElement, name: string, background: ExportBackground): void {
  conn.post({ type: 'export', format: 'svg', name, data: croppedSvg(svg, content, background).text });
}

/** The cropped SVG rendered at `scale`× (2: sharp on slides and high-density screens) to a PNG. */
export async function exportCroppedPng(conn: Connection, svg: SVGSVGElement, content: SVGGraphicsElement, name: string, background: ExportBackground, scale = 2): Promise<void> {
  const { text, width, height } = croppedSvg(svg, content, background);
  await exportSvgTextPng(conn, text, width, height, name, scale);
}
