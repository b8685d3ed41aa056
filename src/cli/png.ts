// SVG → PNG for `nnlab plot --out loss.png`, headless, with @resvg/resvg-js (resvg, a maintained Rust SVG
// renderer; prebuilt binaries come as npm optional platform packages, no install script). It is an
// optionalDependency: where no binary exists for the platform, or it was installed with
// --omit=optional, PNG output fails with PngUnavailable and says to write SVG instead. Text is drawn
// with the system's fonts (the SVG names Helvetica/Arial, then Liberation Sans and DejaVu Sans).
import { createRequire } from 'node:module';

export const RESVG = '@resvg/resvg-js';

export class PngUnavailable extends Error {}

interface ResvgModule {
  Resvg: new (svg: string, options: { fitTo: { mode: 'zoom'; value: number }; font: { loadSystemFonts: boolean } }) => { render(): { asPng(): Uint8Array; width: number; height: number } };
}

let loaded: ResvgModule | undefined;
function resvg(): ResvgModule {
  if (loaded) return loaded;
  try {
    loaded = createRequire(__filename)(RESVG) as ResvgModule;
    return loaded;
  } catch (e) {
    throw new PngUnavailable(
      `PNG output needs the optional package ${RESVG} (prebuilt for Linux, macOS and Windows), which did not load here (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); install it with \`npm install ${RESVG}\`, or write an SVG (--out loss.svg), which slides and documents show at any size`,
    );
  }
}

/** The SVG drawn at `scale` × its size (default 2: a 1200×675 plot becomes 2400×1350 pixels). */
export function svgToPng(svg: string, scale = 2): { png: Uint8Array; width: number; height: number } {
  const img = new (resvg().Resvg)(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true } }).render();
  return { png: img.asPng(), width: img.width, height: img.height };
}
