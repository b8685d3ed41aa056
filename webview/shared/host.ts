// The webview side of the panel protocol: one connection per panel, typed messages, the shared
// Requester for request/response, throttled observations for the end-to-end tests.
import { vscodeApi } from './vscodeApi';
import { Requester } from '../../src/protocol/rpc';
import type { HostToWebview, PanelKind, PanelObservation, WebviewMethods, WebviewToHost } from '../../src/protocol/webview';


export interface Boot {
  panel: PanelKind;
  specUri?: string;
  activation?: string;
  restored?: boolean;
  /** the state a restored webview had saved, when the host had to recreate the panel (a new webview starts with none) */
  state?: unknown;
}

export interface Connection {
  boot: Boot;
  post(msg: WebviewToHost): void;
  request: Requester<WebviewMethods>['request'];
  onMessage(handler: (msg: HostToWebview) => void): void;
  /** reports panel state for `nnlab._panelState` (coalesced, at most ~5 per second) */
  observe(state: PanelObservation): void;
  getState<T>(): T | undefined;
  setState(s: unknown): void;
}

export function connect(): Connection {
  const api = vscodeApi();
  const bootEl = document.getElementById('boot');
  const boot = JSON.parse(bootEl?.textContent || '{}') as Boot;
  const requester = new Requester<WebviewMethods>((m) => api.postMessage(m), 30_000);
  const handlers: ((msg: HostToWebview) => void)[] = [];
  window.addEventListener('message', (ev: MessageEvent) => {
    const msg = ev.data as HostToWebview;
    if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
    if (requester.handle(msg)) return;
    for (const h of handlers) h(msg);
  });
  let pending: PanelObservation | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const post = (m: WebviewToHost): void => api.postMessage(m);
  const conn: Connection = {
    boot,
    post,
    request: (method, params) => requester.request(method, params),
    onMessage: (h) => void handlers.push(h),
    observe(state) {
      pending = state;
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (pending) post({ type: 'observe', state: pending });
      }, 200);
    },
    getState: <T>() => (api.getState() ?? boot.state ?? undefined) as T | undefined,
    setState: (s) => api.setState(s),
  };
  window.addEventListener('error', (e) => post({ type: 'log', level: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));
  return conn;
}
