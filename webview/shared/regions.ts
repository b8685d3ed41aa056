// The decision-region heatmap both panels draw (the loss panel's regions, the graph panel's formula
// card while editing): each cell between class 0's colour (orange) and class 1's (blue) by
// src/core/view/forward.ts regionShade, over the editor background; the data points on top.
import { mix, type Rgba } from '../../src/core/view/color';
import { regionShade, type Grid, type RegionMap } from '../../src/core/view/forward';
import type { DataSample } from '../../src/protocol/webview';
import { palette, themeRgba } from './dom';

/** Paints `map` into the whole canvas (nothing where it is undefined), then the points of `data` and a frame. */
export function paintRegions(canvas: HTMLCanvasElement, map: RegionMap | undefined, data: DataSample | undefined, grid: Grid | undefined = map?.grid): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  if (map) {
    const g = map.grid;
    const c0 = themeRgba('--vscode-charts-orange', '#d18616');
    const c1 = themeRgba('--vscode-charts-blue', '#3794ff');
    const bg = themeRgba('--vscode-editor-background', '#1e1e1e');
    const [a, b] = [mix(bg, c0, 0.55), mix(bg, c1, 0.55)];
    const img = ctx.createImageData(g.nx, g.ny);
    for (let i = 0; i < g.nx * g.ny; i++) {
      const col: Rgba = mix(a, b, regionShade(map.p[i], map.cls[i], map.singleOutput));
      img.data.set([col[0], col[1], col[2], 255], i * 4);
    }
    const off = new OffscreenCanvas(g.nx, g.ny);
    off.getContext('2d')!.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, W, H);
  }
  const pal = palette();
  if (data && grid) {
    const g = grid;
    data.x.forEach((x, i) => {
      const y = data.y[i];
      const label = y.length === 1 ? (y[0] >= 0.5 ? 1 : 0) : y.indexOf(Math.max(...y));
      ctx.beginPath();
      ctx.arc(((x[0] - g.x0) / (g.x1 - g.x0)) * W, ((g.y1 - x[1]) / (g.y1 - g.y0)) * H, 3.5, 0, Math.PI * 2);
      ctx.fillStyle = label === 0 ? pal.orange : pal.blue;
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = pal.fg;
      ctx.stroke();
    });
  }
  ctx.strokeStyle = pal.muted;
  ctx.strokeRect(0.5, 0.5, W - 1, H - 1);
}
