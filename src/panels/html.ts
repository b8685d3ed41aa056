// The HTML shell of every NN Lab panel. Pure (no vscode import) so the Chromium screenshot harness
// builds exactly the same page with the same Content-Security-Policy.
import type { PanelKind } from '../protocol/webview';

export interface PanelHtmlOptions {
  kind: PanelKind;
  title: string;
  /** webview.cspSource (the only origin allowed for styles, fonts and images besides data:/blob:) */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** JSON-serialisable boot data (spec uri, selected activation); none for the walkthrough */
  boot?: unknown;
  /**
   * The panels' font scale (src/core/view/fontScale.ts), written into the page as the CSS variable
   * --nnlab-font-scale that webview/shared/base.css applies (default 1); later changes come as a
   * `fontScale` message.
   */
  fontScale?: number;
}

/** 32 random alphanumerics (the caller passes a random source: crypto in the host). */
export function makeNonce(random: () => number = Math.random): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(random() * chars.length)];
  return s;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    // the nonce admits the one <style> the host writes (the font scale), nothing inline else
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelHtml(o: PanelHtmlOptions): string {
  // the boot data goes into a JSON <script> block (not executed; read by the bundle); `<` escaped
  const boot = JSON.stringify(o.boot ?? {}).replace(/</g, '\\u003c');
  const scale = o.fontScale !== undefined && Number.isFinite(o.fontScale) && o.fontScale > 0 ? o.fontScale : 1;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(o.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${esc(o.styleUri)}">
<style nonce="${o.nonce}">:root { --nnlab-font-scale: ${scale}; }</style>
<title>${esc(o.title)}</title>
</head>
<body data-panel="${o.kind}">
<div id="app"></div>
<script type="application/json" id="boot" nonce="${o.nonce}">${boot}</script>
<script nonce="${o.nonce}" src="${esc(o.scriptUri)}"></script>
</body>
</html>`;
}
