// Small DOM helpers and the @vscode-elements controls the panels use.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-container/index.js';
import type { Rgba } from '../../src/core/view/color';
import { parseColor } from '../../src/core/view/color';
import { h } from './elements';
import { onFontScaleChange } from './zoom';

export { chartAxisFonts, fontScale } from './zoom';

export { h, button, svgEl, type Attrs } from './elements';

export function iconButton(icon: string, title: string, onClick: () => void, id?: string): HTMLElement {
  const b = h('vscode-toolbar-button', { icon, label: title, title, id });
  b.addEventListener('click', onClick);
  return b;
}

export function select(options: [string, string][], value: string, onChange: (v: string) => void, id?: string): HTMLElement {
  const s = h('vscode-single-select', { id }, ...options.map(([v, l]) => h('vscode-option', { value: v, selected: v === value }, l)));
  s.addEventListener('change', () => onChange((s as unknown as { value: string }).value));
  return s;
}

export function checkbox(label: string, checked: boolean, onChange: (v: boolean) => void, id?: string): HTMLElement {
  const c = h('vscode-checkbox', { checked, id, label });
  c.addEventListener('change', () => onChange((c as unknown as { checked: boolean }).checked));
  return c;
}

/** A native range input (themed in base.css): vscode-elements has no slider. */
export function slider(min: number, max: number, step: number, value: number, onInput: (v: number) => void, id?: string): HTMLInputElement {
  const s = h('input', { type: 'range', min, max, step, value, id, class: 'slider' });
  s.addEventListener('input', () => onInput(Number(s.value)));
  return s;
}

/** A theme colour from a VS Code CSS variable, with a fallback if the variable is not set. */
export function cssVar(name: string, fallback = '#888888'): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}
export function themeRgba(name: string, fallback: string): Rgba {
  return parseColor(cssVar(name, fallback)) ?? parseColor(fallback) ?? [128, 128, 128, 1];
}

/** Chart palette from the theme (charts.* colours exist in every VS Code theme). */
/** VS Code's High Contrast themes (dark and light) mark the webview's body with these classes. */
export const isHighContrast = (): boolean => document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');

/** A faint line's opacity, raised in High Contrast themes, where a half-transparent line on black or white all but disappears. */
export const lineAlpha = (alpha: number): number => (isHighContrast() ? Math.max(alpha, 0.85) : alpha);

export function palette(): { blue: string; red: string; green: string; orange: string; purple: string; yellow: string; fg: string; muted: string; grid: string; bg: string } {
  return {
    blue: cssVar('--vscode-charts-blue', '#3794ff'),
    red: cssVar('--vscode-charts-red', '#f14c4c'),
    green: cssVar('--vscode-charts-green', '#89d185'),
    orange: cssVar('--vscode-charts-orange', '#d18616'),
    purple: cssVar('--vscode-charts-purple', '#b180d7'),
    yellow: cssVar('--vscode-charts-yellow', '#cca700'),
    fg: cssVar('--vscode-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    grid: cssVar('--vscode-editorWidget-border', '#454545'),
    bg: cssVar('--vscode-editor-background', '#1e1e1e'),
  };
}

export function withAlpha(color: string, a: number): string {
  const c = parseColor(color);
  return c ? `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${a})` : color;
}

/**
 * Redraw charts when the theme changes (VS Code swaps body classes), and when the panel's font scale
 * changes (setting, editor font size, keyboard zoom: webview/shared/zoom.ts), which canvases must redraw for.
 */
export function onThemeChange(fn: () => void): void {
  new MutationObserver(() => fn()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  onFontScaleChange(fn);
}

export function fmt(v: number | undefined, digits = 4): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return String(+v.toFixed(digits));
}

/** the core's duration format (CLI and panels alike): `0.12 s`, `2 min 5 s` */
export { formatDuration as fmtDuration } from '../../src/core/explain/format';
