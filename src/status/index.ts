// Status bar item while a `.nn.json` is the active editor: the training backend (`$(chip) wasm`) and
// the run's state; its tooltip lists the backend report (why chosen, what was skipped and why).
// A click opens the loss panel (nnlab.showLoss), or the "NN Lab" output channel if no panel exists.
import * as vscode from 'vscode';
import { statusText, statusTooltip } from '../core/explain/status';
import type { BackendReport } from '../protocol/training';
import type { RunState, Services } from '../training/api';

const CLICK = 'nnlab.statusBar.click';

function isSpecEditor(e: vscode.TextEditor | undefined): e is vscode.TextEditor {
  return !!e && e.document.uri.path.toLowerCase().endsWith('.nn.json');
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const item = vscode.window.createStatusBarItem('nnlab.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'NN Lab';
  item.command = CLICK;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const backendSetting = (): string => vscode.workspace.getConfiguration('nnlab').get<string>('backend', 'auto');

  // The backend a run of this spec would get, asked of the training host once per spec and setting
  // (it decides in a worker; nothing is loaded here). Untrusted workspaces do not train, so no probe.
  const probed = new Map<string, BackendReport>();
  const asked = new Set<string>();
  const probe = (uri: vscode.Uri, key: string): void => {
    const fn = services.training.probe?.bind(services.training);
    if (!fn || !vscode.workspace.isTrusted || uri.scheme !== 'file' || asked.has(key)) return;
    asked.add(key);
    fn(uri).then(
      (r) => {
        if (!r) return;
        probed.set(key, r);
        update();
      },
      (err: unknown) => services.log.debug(`backend probe for ${uri.fsPath}: ${String(err)}`),
    );
  };

  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!isSpecEditor(editor)) {
      item.hide();
      return;
    }
    const uri = editor.document.uri;
    const run: RunState | undefined = services.training.state(uri);
    const key = `${backendSetting()} ${uri.toString()}`;
    const report = run?.backend ?? probed.get(key);
    if (!report) probe(uri, key);
    item.text = statusText(report?.active ?? backendSetting(), run);
    const md = new vscode.MarkdownString(statusTooltip(report, backendSetting(), run, 'Click to show the loss curves.'), true);
    item.tooltip = md;
    item.accessibilityInformation = { label: `NN Lab backend ${report?.active ?? backendSetting()}${run ? `, ${run.phase}` : ''}` };
    item.show();
  };
  let last = 0;
  /** at most 5 updates a second, the first at once */
  const updateSoon = (): void => {
    if (timer) return;
    const wait = last + 200 - Date.now();
    if (wait <= 0) {
      last = Date.now();
      update();
      return;
    }
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      update();
    }, wait);
  };

  context.subscriptions.push(
    item,
    { dispose: () => timer && clearTimeout(timer) },
    vscode.commands.registerCommand(CLICK, async () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      try {
        await vscode.commands.executeCommand('nnlab.showLoss', uri);
      } catch (err) {
        // the loss panel is not available (yet): the output channel has the runs
        services.log.debug(`nnlab.showLoss unavailable: ${String(err)}`);
        services.log.show(true);
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nnlab.backend') || e.affectsConfiguration('nnlab.backendModulePath')) {
        probed.clear();
        asked.clear();
        update();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(update),
    services.training.onDidChangeState(updateSoon),
  );
  update();
}
