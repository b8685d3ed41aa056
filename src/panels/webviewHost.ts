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
// Only a restored webview is reloaded. A panel NN Lab has just created does start, but its first start
// in a session can take several seconds (the webview's service worker is installed, the bundle, 1.6 MB
// for the graph, comes through the remote connection, a busy 2-core machine): reloading it after 3 s
// threw that start away, and the replacement panel (a new webview origin) started cold again, so a
// slow start became a panel that reported nothing for 15 s or more (the graph panel's rare in-host
// time-out; the walkthrough's log showed reload, recreate, reload, "did not start"). A created panel is
// only logged if it has not started after `patienceMs`.
//
// Only types from vscode: the watch is unit-tested under plain Node (test/unit/panels/webviewHost.test.ts).
import type * as vscode from 'vscode';

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
   * 'restored' (default): a webview VS Code restored after a reload, reloaded and recreated as above.
   * 'created': a panel just created with createWebviewPanel, never reloaded (its start is slow, not
   * stuck); a warning is logged once if it has not said `ready` after `patienceMs` visible.
   */
  start?: 'restored' | 'created';
  /** 'created' panels: how long a visible panel may take to start before the log says so (ms) */
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
  if (o.start === 'created') return watchCreated(o);
  const first = o.firstCheckMs ?? 3000;
  const retry = o.retryCheckMs ?? 5000;
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
    if (reloads >= 1) {
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

/** A created panel: nothing is reloaded; one warning if it stays silent for `patienceMs` while visible. */
function watchCreated(o: WebviewStartWatch): vscode.Disposable {
  const patience = o.patienceMs ?? 15_000;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, patience);
  };
  const check = (): void => {
    timer = undefined;
    if (done || o.isReady() || !o.isCurrent()) return;
    if (!o.panel.visible) return; // checked again when it is shown
    done = true;
    o.log.warn(`${o.label}: the webview has not started after ${Math.round(patience / 1000)} s (a new panel is left to start, not reloaded)`);
  };
  schedule();
  const sub = o.panel.onDidChangeViewState((e) => {
    if (!done && e.webviewPanel.visible && !o.isReady()) schedule();
  });
  return {
    dispose: () => {
      done = true;
      if (timer) clearTimeout(timer);
      sub.dispose();
    },
  };
}
