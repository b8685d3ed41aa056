// Element builders every webview uses: `h` for HTML (and the @vscode-elements tags), `svgEl` for SVG,
// `button` for a vscode-button. No component registrations here, so a panel bundles only the
// @vscode-elements it imports itself (the walkthrough imports these and not dom.ts).

export type Attrs = Record<string, string | number | boolean | undefined>;

/** An HTML element: attributes set as strings (`true` → present and empty; false/undefined → absent). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: (Node | string)[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) el.append(c);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes and optional text. */
export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A vscode-button with a codicon (the caller's bundle registers vscode-button). */
export function button(label: string, icon: string, onClick: () => void, opts: { secondary?: boolean; title?: string; id?: string } = {}): HTMLElement {
  const b = h('vscode-button', { icon, secondary: opts.secondary, title: opts.title ?? label, id: opts.id }, label);
  b.addEventListener('click', onClick);
  return b;
}
