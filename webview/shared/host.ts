// The webview side of the panel protocol: one channel per panel (the walkthrough's too), typed
// messages, the shared Requester for request/response, throttled observations for the end-to-end tests.
import { vscodeApi } from './vscodeApi';
import { Requester } from '../../src/protocol/rpc';
import { installZoom, onFontScaleChange, panelZoom, setHostScale, ZOOM_STATE_KEY } from './zoom';
import type { HostToWebview, PanelKind, PanelObservation, WebviewMethods, WebviewToHost } from '../../src/protocol/webview';


export interface Boot {
  panel: PanelKind;
  specUri?: string;
  activation?: string;
  restored?: boolean;
  /** the state a restored webview had saved, when the host had to recreate the panel (a new webview starts with none) */
  state?: unknown;
}

/**
 * A panel's typed channel to the host (every NN Lab webview, the walkthrough's included): the boot data,
 * posting, the host's messages, and the webview's saved state. `connect()` adds requests and observations.
 */
export interface Channel<In extends { type: string }, Out> {
  boot: Boot;
  post(msg: Out): void;
  onMessage(handler: (msg: In) => void): void;
  getState<T>(): T | undefined;
  setState(s: unknown): void;
}

/** Opens the channel; `filter` sees every message first and may claim it (responses to requests). */
export function openChannel<In extends { type: string }, Out>(filter?: (msg: unknown) => boolean): Channel<In, Out> {
  const api = vscodeApi();
  const bootEl = document.getElementById('boot');
  const boot = JSON.parse(bootEl?.textContent || '{}') as Boot;
  const handlers: ((msg: In) => void)[] = [];
  // the panel's keyboard zoom lives in its webview state beside the panel's own keys (webview/shared/zoom.ts)
  const stored = (): Record<string, unknown> => {
    const s = api.getState() ?? boot.state;
    return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
  };
  installZoom(stored(), (zoom) => api.setState({ ...stored(), [ZOOM_STATE_KEY]: zoom }));
  window.addEventListener('message', (ev: MessageEvent) => {
    const msg: unknown = ev.data;
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
    // every webview's font scale (src/protocol/webview.ts FontScaleMessage): handled here for all panels
    if ((msg as { type: string }).type === 'fontScale') return setHostScale((msg as { scale?: unknown }).scale);
    if (filter?.(msg)) return;
    for (const h of handlers) h(msg as In);
  });
  return {
    boot,
    post: (m) => api.postMessage(m),
    onMessage: (h) => void handlers.push(h),
    getState: <T>() => (api.getState() ?? boot.state ?? undefined) as T | undefined,
    // a panel saves its whole state: the zoom is kept in it
    setState: (s) => api.setState(typeof s === 'object' && s !== null ? { ...s, [ZOOM_STATE_KEY]: panelZoom() } : s),
  };
}

export interface Connection extends Channel<HostToWebview, WebviewToHost> {
  request: Requester<WebviewMethods>['request'];
  /** reports panel state for `nnlab._panelState` (coalesced, at most ~5 per second) */
  observe(state: PanelObservation): void;
}

/** The loss, graph and activation panels' connection: the channel, requests and observations. */
export function connect(): Connection {
  const api = vscodeApi();
  const requester = new Requester<WebviewMethods>((m) => api.postMessage(m), 30_000);
  const channel = openChannel<HostToWebview, WebviewToHost>((msg) => requester.handle(msg));
  const post = channel.post;
  let pending: PanelObservation | undefined;
  let last: PanelObservation | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // every observation carries the size the page's text is drawn at (the in-host tests read it)
  const withFont = (state: PanelObservation): PanelObservation => ({
    ...state,
    fontPx: Math.round(Number.parseFloat(getComputedStyle(document.body).fontSize) * 100) / 100 || undefined,
    zoom: panelZoom(),
  });
  const conn: Connection = {
    ...channel,
    request: (method, params) => requester.request(method, params),
    observe(state) {
      pending = state;
      last = state;
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (pending) post({ type: 'observe', state: withFont(pending) });
      }, 200);
    },
  };
  // a new scale: the last report again, with the new size (after the page has applied it)
  onFontScaleChange(() => requestAnimationFrame(() => last && conn.observe(last)));
  window.addEventListener('error', (e) => post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
  return conn;
}
