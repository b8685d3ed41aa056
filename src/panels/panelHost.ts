// The ONE way an NN Lab webview panel is hosted (issue 15 item 2). A panel is a `PanelContent` (what
// one panel shows and answers: the kind's own part) that PanelManager (index.ts) puts in a webview
// panel through a `PanelHost`. The host sets the webview options and the HTML shell (panelHtml: CSP,
// nonce, the kind's bundle and CSS, the boot data), watches the start (webviewHost.ts: HTML again,
// then the panel recreated once), validates every message with the content's parser before the
// content sees it, notes `ready`, and posts only to a ready webview.
import * as vscode from 'vscode';
import type { Parsed } from '../protocol/rpc';
import type { PanelKind } from '../protocol/webview';
import { Disposable } from '../dispose';
import { panelHtml } from './html';
import { panelNonce, watchWebviewStart, webviewOptions } from './webviewHost';
import { config } from '../config';
import type { FontScaleMessage } from '../protocol/webview';

/** The view type of a kind's webview panel (its serializer and `onWebviewPanel:` activation event name it). */
export const viewType = (kind: PanelKind): string => `nnlab.${kind}`;

/**
 * What one panel shows and answers. PanelManager hosts it: opens or reveals its webview in the one NN Lab
 * column, validates its messages with `parse`, restores it after a reload, moves it to a fresh webview if
 * the first never starts (the content, with its state and whoever waits on it, stays), and disposes it
 * when its panel is closed. The loss, graph and activation panels share one (`SpecPanel` in index.ts);
 * a panel with its own host logic extends this class in its feature folder (src/walkthrough/).
 */
export abstract class PanelContent<In extends { type: string } = { type: string }, Out = unknown> extends Disposable {
  /** the webview it is shown in: set by PanelManager (a recreated webview gets a new one) */
  host: PanelHost<In> | undefined;
  /** the page's <title> (default: the tab title) */
  readonly htmlTitle?: string;

  constructor(
    readonly kind: PanelKind,
    /** the spec it is opened for: one panel of a kind per spec (none: one panel of the kind) */
    readonly specUri?: vscode.Uri,
  ) {
    super();
  }

  /** checks a message from the webview; only valid ones reach `onMessage` (invalid ones are logged) */
  abstract parse(raw: unknown): Parsed<In>;
  /** every valid message, `ready` included */
  abstract onMessage(msg: In): void | Promise<void>;
  /** the tab title */
  abstract title(): string;

  /** the boot data put in the page each time its HTML is set (`restored`: a webview VS Code restored) */
  boot(_restored: boolean): unknown {
    return undefined;
  }

  /** the spec the commands act on while this panel has the focus */
  specInView(): vscode.Uri | undefined {
    return this.specUri;
  }

  get panel(): vscode.WebviewPanel | undefined {
    return this.host?.panel;
  }

  /** Posts to the webview once it is ready (earlier messages would be lost; it sends `ready` when it listens). */
  post(msg: Out): void {
    this.host?.post(msg);
  }
}

export interface PanelHostOptions<In extends { type: string }> {
  kind: PanelKind;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** a webview VS Code restored after a reload, not one created here (the start watch differs) */
  restored: boolean;
  /** 1 for a panel that replaced one whose webview never started (replaced at most once) */
  generation: number;
  /** the page's <title> (default: the panel's title) */
  htmlTitle?: string;
  /** the boot data put in the page each time its HTML is set (spec, selection, a restored state) */
  boot?: () => unknown;
  /** checks a webview message; invalid ones are logged and dropped */
  parse(raw: unknown): Parsed<In>;
  /** every valid message, `ready` included (after `ready` is noted) */
  onMessage(msg: In): void | Promise<void>;
  /** false once the owner has replaced or dropped this panel */
  isCurrent(): boolean;
  /** attach a fresh panel (same view type, title and column) in place of this stuck one, which is then disposed */
  replace(fresh: vscode.WebviewPanel): void;
}

/** NN Lab's webview view types all start with `nnlab.`; VS Code's tab API may prefix them (`mainThreadWebview-nnlab.loss`). */
export function isNnLabViewType(viewType: string): boolean {
  return /(^|-)nnlab\./.test(viewType);
}

/**
 * The ONE column every NN Lab panel opens in (issue 13 item 19): the column of an NN Lab panel already
 * open (loss, graph, activations, walkthrough), so the panels become tabs of one group beside the spec;
 * else Beside. A group that holds the active text editor is not reused: the spec keeps its column.
 */
export function panelColumn(): vscode.ViewColumn {
  const editorColumn = vscode.window.activeTextEditor?.viewColumn;
  const groups = [...vscode.window.tabGroups.all].sort((a, b) => Number(b.isActive) - Number(a.isActive));
  for (const group of groups) {
    if (group.viewColumn === editorColumn) continue;
    if (group.tabs.some((t) => t.input instanceof vscode.TabInputWebview && isNnLabViewType(t.input.viewType))) return group.viewColumn;
  }
  return vscode.ViewColumn.Beside;
}

/** The webview options of every NN Lab panel: the bundle and media/ are the only resource roots. */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return webviewOptions([vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')]);
}

export class PanelHost<In extends { type: string }> extends Disposable {
  /** true once the webview's bundle has said `ready` */
  ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly o: PanelHostOptions<In>,
  ) {
    super();
    const webview = panel.webview;
    // the same options as a new panel: a restored one comes with whatever it was saved with
    webview.options = panelOptions(o.extensionUri);
    const dist = vscode.Uri.joinPath(o.extensionUri, 'dist');
    const asset = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(dist, ...p)).toString();
    const setHtml = (): void => {
      webview.html = panelHtml({
        kind: o.kind,
        title: o.htmlTitle ?? panel.title,
        cspSource: webview.cspSource,
        nonce: panelNonce(),
        scriptUri: asset('webview', `${o.kind}.js`),
        styleUri: asset('webview', `${o.kind}.css`),
        codiconUri: asset('codicons', 'codicon.css'),
        ...(o.boot ? { boot: o.boot() } : {}),
        fontScale: config.panelFontScale(),
      });
    };
    // projector size (issue 13 item 18): a changed nnlab.panel.fontScale or editor.fontSize reaches the
    // open page at once (a page set up later reads it from its HTML)
    this.register(config.onDidChangePanelFontScale(() => this.post({ type: 'fontScale', scale: config.panelFontScale() } satisfies FontScaleMessage)));
    setHtml();
    const label = `${o.kind} panel`;
    // a restored webview may never start its bundle (see webviewHost.ts): HTML again, then recreated once;
    // a panel created here may be slow to start the first time: it gets 8 s before it is recreated
    this.register(
      watchWebviewStart({
        panel,
        start: o.restored ? 'restored' : 'created',
        label,
        log: o.log,
        setHtml,
        isReady: () => this.ready,
        isCurrent: o.isCurrent,
        recreate:
          o.generation >= 1
            ? undefined
            : (column) => {
                const fresh = vscode.window.createWebviewPanel(viewType(o.kind), panel.title, { viewColumn: column ?? panelColumn(), preserveFocus: true }, panelOptions(o.extensionUri));
                o.replace(fresh);
                panel.dispose();
              },
      }),
    );
    this.register(
      webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = o.parse(raw);
        if (!parsed.ok) {
          o.log.warn(`${label}: ignored an invalid message: ${parsed.error}`);
          return;
        }
        if (parsed.value.type === 'ready') {
          this.ready = true;
          // a scale changed while the page was loading did not reach it
          this.post({ type: 'fontScale', scale: config.panelFontScale() } satisfies FontScaleMessage);
        }
        void Promise.resolve()
          .then(() => o.onMessage(parsed.value))
          .catch((e: unknown) => o.log.error(`${label}: ${e instanceof Error ? e.message : String(e)}`));
      }),
    );
  }

  /** Posts to the webview once it is ready (earlier messages would be lost: it sends `ready` when it listens). */
  post(msg: unknown): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(msg).then(undefined, () => undefined);
  }
}
