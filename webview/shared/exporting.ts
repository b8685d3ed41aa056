// Export helpers: canvas/SVG → PNG data URL, SVG text, sent to the host which shows a save dialog.
import type { Connection } from './host';

export function exportCanvasPng(conn: Connection, canvas: HTMLCanvasElement, name: string): void {
  conn.post({ type: 'export', format: 'png', name, data: canvas.toDataURL('image/png') });
}

/** Serialises an SVG element with its computed theme colours inlined, so the file looks the same outside VS Code. */
export function svgText(svg: SVGSVGElement): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = svg.querySelectorAll('*');
  const dst = clone.querySelectorAll('*');
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const d = dst[i] as SVGElement;
    for (const p of ['fill', 'stroke', 'stroke-width', 'font-family', 'font-size', 'opacity']) {
      const v = cs.getPropertyValue(p);
      if (v) d.style.setProperty(p, v);
    }
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return new XMLSerializer().serializeToString(clone);
}

export function exportSvg(conn: Connection, svg: SVGSVGElement, name: string): void {
  conn.post({ type: 'export', format: 'svg', name, data: svgText(svg) });
}

/** Renders an SVG to PNG through an <img> (blob: URL, allowed by the CSP) and a canvas. */
export async function exportSvgPng(conn: Connection, svg: SVGSVGElement, name: string, background: string): Promise<void> {
  const w = svg.viewBox.baseVal?.width || svg.clientWidth;
  const hgt = svg.viewBox.baseVal?.height || svg.clientHeight;
  await exportSvgTextPng(conn, svgText(svg), w, hgt, name, 2, background);
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
