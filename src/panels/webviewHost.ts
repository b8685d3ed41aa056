// One start-up watchdog for every NN Lab webview (loss, graph, activations, walkthrough).
//
// After a window reload VS Code for the web (code-server) restores several webviews at once; each
// fetches its bundle through a service worker that may not be in control of the new webview yet, and
// such a webview never runs its script: its tab shows the loading bar forever and the panel stays
// blank, with no error anywhere. The host cannot see the failed fetch, only its effect: the bundle's
// first message, `ready`, never arrives. So a visible panel that has not said `ready` in time gets its
// HTML set again (a fresh document, a fresh nonce); if that does not start it either, its webview host
// frame itself is stuck and the panel is recreated in the same column, once.
//
// A panel NN Lab has just created gets more patience than a restored one: its first start in a
// session can take several seconds (the webview's service worker is installed, the bundle, 1.6 MB for
// the graph, comes through the remote connection, a busy 2-core machine), and reloading it after 3 s
// threw that start away, so a slow start became a panel that reported nothing for 15 s or more (the
// walkthrough's log showed reload, recreate, reload, "did not start"). But a created panel can also
// be stuck for good (its frame never loads: seen in CI runs after created panels stopped being
// reloaded at all, and loading its HTML again did not start it), so after `patienceMs` (8 s) silent
// and visible it is recreated at once; a replacement (no `recreate`) is loaded again instead, then
// reported.
//
// Only types from vscode: the watch is unit-tested under plain Node (test/unit/panels/webviewHost.test.ts).
import type * as vscode from 'vscode';
import { randomInt } from 'node:crypto';
import { makeNonce } from './html';

/** A fresh nonce for a panel's script tag, from the crypto RNG (the panels and the walkthrough). */
export const panelNonce = (): string => makeNonce(() => randomInt(0, 1 << 30) / (1 << 30));

export interface WebviewStartWatch {
  panel: Pick<vscode.WebviewPanel, 'visible' | 'viewColumn' | 'onDidChangeViewState'>;
  /** for the log: `loss panel`, `walkthrough panel` */
  label: string;
  log: Pick<vscode.LogOutputChannel, 'warn' | 'error'>;
  /** sets the webview's HTML again (a new document with a new nonce) */
  setHtml(): void;
  /** true once the webview's bundle has said `ready` */
  isReady(): boolean;
  /** false once the owner has replaced or dropped this panel (the watch then does nothing) */
  isCurrent(): boolean;
  /**
   * Replaces the stuck panel: create a fresh panel of the same view type in `column` (the stuck
   * panel's column, or undefined when it has none: the caller picks one), keeping the focus where
   * it is, attach it like the original, and dispose the original. Left out for a panel that is
   * itself such a replacement: a panel is recreated at most once.
   */
  recreate?: (column: vscode.ViewColumn | undefined) => void;
  /**
   * 'restored' (default): a webview VS Code restored after a reload: loaded again after firstCheckMs
   * (3 s) silent, recreated after retryCheckMs (5 s) more. 'created': a panel just created with
   * createWebviewPanel, whose first start may be slow: recreated after `patienceMs` silent (a
   * replacement without `recreate`: loaded again, then reported, `patienceMs` apart).
   */
  start?: 'restored' | 'created';
  /** 'created' panels: how long a visible panel may stay silent before each step (ms, default 8000) */
  patienceMs?: number;
  /** wait before the first check (ms) */
  firstCheckMs?: number;
  /** wait after setting the HTML again (ms) */
  retryCheckMs?: number;
}

/** Webview options every NN Lab panel uses: scripts on, resources only from `roots` (the bundle and media/). */
export function webviewOptions(roots: readonly vscode.Uri[]): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [...roots] };
}

/**
 * Watches a panel whose HTML has just been set until `isReady()` is true. A hidden panel is checked
 * again when it becomes visible (a hidden webview is not loaded, so its silence means nothing).
 * Dispose the returned disposable with the panel.
 */
export function watchWebviewStart(o: WebviewStartWatch): vscode.Disposable {
  const created = o.start === 'created';
  const first = created ? (o.patienceMs ?? 8000) : (o.firstCheckMs ?? 3000);
  const retry = created ? (o.patienceMs ?? 8000) : (o.retryCheckMs ?? 5000);
  let reloads = 0;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (delayMs: number): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, delayMs);
  };
  const check = (): void => {
    timer = undefined;
    if (done || o.isReady() || !o.isCurrent()) return;
    if (!o.panel.visible) return; // checked again when it is shown
    // a created panel silent this long has a stuck frame (loading it again did not help in the runs
    // that showed it): recreate it at once; a restored one is loaded again first
    if (reloads >= 1 || (created && o.recreate)) {
      done = true;
      if (!o.recreate) {
        o.log.error(`${o.label}: the webview did not start (${reloads} reload${reloads === 1 ? '' : 's'}, recreated once)`);
        return;
      }
      o.log.warn(`${o.label}: the webview did not start, recreating the panel`);
      o.recreate(o.panel.viewColumn);
      return;
    }
    reloads++;
    o.log.warn(`${o.label}: the webview did not start in time, loading it again (${reloads})`);
    o.setHtml();
    schedule(retry);
  };
  schedule(first);
  const sub = o.panel.onDidChangeViewState((e) => {
    if (!done && e.webviewPanel.visible && !o.isReady()) schedule(first);
  });
  return {
    dispose: () => {
      done = true;
      if (timer) clearTimeout(timer);
      sub.dispose();
    },
  };
}
