// How large NN Lab's panels draw their text (issue 13 item 18, "projector size"). One factor, the
// panel font scale, multiplies every panel's text: HTML, the controls, the charts' axes and the SVG
// labels (webview/shared/base.css reads it as the CSS variable --nnlab-font-scale). It is
//   setting `nnlab.panel.fontScale` > 0: that number (0.5 … 4), or
//   0 (the default): the editor's font size over VS Code's default editor font size (14 px on Windows
//   and Linux, 12 on macOS), so `editor.fontSize: 22` on Linux gives 22/14 ≈ 1.57 and the panels'
//   13 px text becomes 20.4 px;
// times the panel's own keyboard zoom (Ctrl/Cmd + = / - / 0 in a focused panel, kept per panel).
// Pure: no `vscode`, no DOM (the host computes the scale, the webviews the zoom).

export const MIN_FONT_SCALE = 0.5;
export const MAX_FONT_SCALE = 4;

/** The editor font size VS Code ships with, when the host cannot ask (14; macOS: 12). */
export const DEFAULT_EDITOR_FONT_SIZE = 14;

const clampScale = (s: number): number => Math.min(MAX_FONT_SCALE, Math.max(MIN_FONT_SCALE, s));
/** two decimals are plenty for a font size, and keep the CSS and the reports readable */
const round2 = (s: number): number => Math.round(s * 100) / 100;

/**
 * The panels' font scale from the setting and the editor's font size.
 * `setting`: nnlab.panel.fontScale (0 = follow the editor); `editorFontSize`: editor.fontSize;
 * `editorDefault`: editor.fontSize's default on this platform.
 */
export function panelFontScale(setting: unknown, editorFontSize: unknown, editorDefault: unknown = DEFAULT_EDITOR_FONT_SIZE): number {
  if (typeof setting === 'number' && Number.isFinite(setting) && setting > 0) return round2(clampScale(setting));
  const base = typeof editorDefault === 'number' && Number.isFinite(editorDefault) && editorDefault > 0 ? editorDefault : DEFAULT_EDITOR_FONT_SIZE;
  const size = typeof editorFontSize === 'number' && Number.isFinite(editorFontSize) && editorFontSize > 0 ? editorFontSize : base;
  return round2(clampScale(size / base));
}

/** The keyboard zoom levels of a panel (as a browser's): 50 % … 300 %. */
export const ZOOM_LEVELS: readonly number[] = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];

export type ZoomKey = 'in' | 'out' | 'reset';

/** The next zoom level: one level up or down from `zoom` (an off-level value goes to its neighbour), or 1. */
export function nextZoom(zoom: number, key: ZoomKey): number {
  if (key === 'reset' || !Number.isFinite(zoom)) return 1;
  if (key === 'in') return ZOOM_LEVELS.find((z) => z > zoom + 1e-9) ?? ZOOM_LEVELS[ZOOM_LEVELS.length - 1];
  return [...ZOOM_LEVELS].reverse().find((z) => z < zoom - 1e-9) ?? ZOOM_LEVELS[0];
}

/** A saved zoom read back from webview state: one of ZOOM_LEVELS' range, else 1. */
export function savedZoom(z: unknown): number {
  return typeof z === 'number' && Number.isFinite(z) && z >= ZOOM_LEVELS[0] && z <= ZOOM_LEVELS[ZOOM_LEVELS.length - 1] ? z : 1;
}

/**
 * Which zoom a key press asks for: Ctrl (Cmd on macOS) with `=`/`+` (in), `-` (out) or `0` (reset),
 * the numeric keypad's too; Alt must be up (Ctrl+Alt+… are other shortcuts).
 */
export function zoomKeyOf(e: { key: string; code?: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): ZoomKey | undefined {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return undefined;
  if (e.key === '=' || e.key === '+' || e.code === 'NumpadAdd') return 'in';
  if (e.key === '-' || e.key === '_' || e.code === 'NumpadSubtract') return 'out';
  if (e.key === '0' || e.code === 'Numpad0') return 'reset';
  return undefined;
}
