// Projector size in every NN Lab webview (issue 13 item 18). The page's text, controls, charts and
// labels follow one CSS variable, --nnlab-font-scale (applied in base.css), which is
//   the host's panel font scale (src/core/view/fontScale.ts: nnlab.panel.fontScale, or editor.fontSize
//   over its default), written into the page's HTML and updated by a `fontScale` message,
//   × this panel's keyboard zoom: Ctrl/Cmd + = / - / 0 while the panel has the focus, kept in the
//   webview's state (so per panel, and across a reload).
// Charts drawn on a canvas (uPlot) read `fontScale()` / `chartAxisFonts()` and redraw on `onFontScaleChange`.
import { nextZoom, savedZoom, zoomKeyOf, type ZoomKey } from '../../src/core/view/fontScale';

const VAR = '--nnlab-font-scale';
/** the window event fired after the effective scale changed */
export const FONT_SCALE_EVENT = 'nnlab-font-scale';
/** the key the zoom is kept under in the webview's state (next to the panel's own keys) */
export const ZOOM_STATE_KEY = 'fontZoom';

/** the host's scale: the HTML's value (src/panels/html.ts) until a `fontScale` message */
let hostScale = readHostScale();
let zoom = 1;
let badge: HTMLElement | undefined;
let badgeTimer: ReturnType<typeof setTimeout> | undefined;

function readHostScale(): number {
  const v = Number.parseFloat(getComputedStyle(document.documentElement).getPropertyValue(VAR));
  return Number.isFinite(v) && v > 0 ? v : 1;
}

/** The effective scale of this page: the host's scale × the panel's zoom. */
export function fontScale(): number {
  return Math.round(hostScale * zoom * 1000) / 1000;
}
export function panelZoom(): number {
  return zoom;
}

function apply(): void {
  document.documentElement.style.setProperty(VAR, String(fontScale()));
  window.dispatchEvent(new Event(FONT_SCALE_EVENT));
}

/** Runs `fn` after the effective scale changed (the charts rebuild with the new fonts). */
export function onFontScaleChange(fn: () => void): void {
  window.addEventListener(FONT_SCALE_EVENT, () => fn());
}

/** A `fontScale` message from the host. */
export function setHostScale(scale: unknown): void {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale === hostScale) return;
  hostScale = scale;
  apply();
}

function showBadge(): void {
  badge ??= Object.assign(document.createElement('div'), { className: 'nnlab-zoom-badge' });
  badge.setAttribute('role', 'status');
  badge.textContent = `Zoom ${Math.round(zoom * 100)} %${zoom === 1 ? '' : ' (Ctrl+0: 100 %)'}`;
  if (!badge.isConnected) document.body.append(badge);
  if (badgeTimer) clearTimeout(badgeTimer);
  badgeTimer = setTimeout(() => badge?.remove(), 1500);
}

/**
 * Starts the keyboard zoom with the zoom read from the webview's state; `persist(z)` saves a new one.
 * The keys are taken before VS Code sees them (it would zoom the whole window otherwise).
 */
export function installZoom(state: unknown, persist: (zoom: number) => void): void {
  zoom = savedZoom(typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[ZOOM_STATE_KEY] : undefined);
  if (zoom !== 1) apply();
  window.addEventListener(
    'keydown',
    (e) => {
      const key: ZoomKey | undefined = zoomKeyOf(e);
      if (!key) return;
      e.preventDefault();
      e.stopPropagation();
      const next = nextZoom(zoom, key);
      if (next !== zoom) {
        zoom = next;
        persist(zoom);
        apply();
      }
      showBadge();
    },
    true,
  );
}

/**
 * Fonts and sizes for a uPlot axis at the current scale (uPlot draws its axes on a canvas, where CSS
 * does not reach): 12 px × scale in the panel's font, and room for the larger tick labels.
 */
export function chartAxisFonts(): { font: string; labelFont: string; size: number; labelSize: number } {
  const s = fontScale();
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  const px = Math.round(12 * s * 10) / 10;
  return { font: `${px}px ${family}`, labelFont: `600 ${px}px ${family}`, size: Math.round(50 * s), labelSize: Math.round(30 * s) };
}
