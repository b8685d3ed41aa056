// Status bar item while a `.nn.json` is the active editor: the training backend (`$(chip) wasm`) and
// the run's state; its tooltip lists the backend report (why chosen, what was skipped and why).
// Before a run the backend comes from TrainingHost.probe (decided in a worker). In an untrusted
// workspace it says "training disabled (untrusted workspace)" instead.
// A click opens the loss panel (nnlab.showLoss), or the "NN Lab" output channel if no panel exists.
import * as vscode from 'vscode';
import { statusText, statusTooltip } from '../core/explain/status';
import type { BackendReport } from '../protocol/training';
import type { RunState, Services } from '../training/api';
import { BackendUnavailableError, UNTRUSTED_TEXT } from '../training/probe';
import { isSpecUri } from '../language/analysis';

const CLICK = 'nnlab.statusBar.click';

function isSpecEditor(e: vscode.TextEditor | undefined): e is vscode.TextEditor {
  return !!e && isSpecUri(e.document.uri);
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const item = vscode.window.createStatusBarItem('nnlab.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'NN Lab';
  item.command = CLICK;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const backendSetting = (uri?: vscode.Uri): string => services.config.backend(uri);

  // The backend a run of this spec would get, asked of the training host once per spec and setting,
  // again after the spec is saved (its size may have changed `auto`'s choice). The host decides in a
  // worker and caches per size class; nothing is loaded here. Untrusted workspaces do not train.
  const probed = new Map<string, { report: BackendReport } | { error: string }>();
  const asked = new Set<string>();
  const keyOf = (uri: vscode.Uri): string => `${backendSetting(uri)} ${uri.toString()}`;
  const probe = (uri: vscode.Uri, key: string): void => {
    const fn = services.training.probe?.bind(services.training);
    if (!fn || !vscode.workspace.isTrusted || uri.scheme !== 'file' || asked.has(key)) return;
    asked.add(key);
    fn(uri).then(
      (r) => {
        if (!r || !asked.has(key)) return;
        probed.set(key, { report: r });
        updateSoon();
      },
      (err: unknown) => {
        if (!asked.has(key)) return;
        if (err instanceof BackendUnavailableError) {
          probed.set(key, { error: err.message });
          updateSoon();
        } else services.log.debug(`backend probe for ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  };
  const forget = (uri: vscode.Uri): void => {
    for (const k of [...asked]) if (k.endsWith(` ${uri.toString()}`)) asked.delete(k);
    for (const k of [...probed.keys()]) if (k.endsWith(` ${uri.toString()}`)) probed.delete(k);
  };

  const update = (): void => {
    const editor = vscode.window.activeTextEditor;
    if (!isSpecEditor(editor)) {
      item.hide();
      return;
    }
    const uri = editor.document.uri;
    const setting = backendSetting(uri);
    if (!vscode.workspace.isTrusted) {
      item.text = `$(workspace-untrusted) ${UNTRUSTED_TEXT}`;
      item.tooltip = new vscode.MarkdownString(
        `**NN Lab: ${UNTRUSTED_TEXT}**\n\nTraining runs code and reads data files, so it waits until you trust this folder. Lenses, hovers and diagnostics work.\n\nClick to manage workspace trust.`,
        true,
      );
      item.command = 'workbench.trust.manage';
      item.accessibilityInformation = { label: `NN Lab: ${UNTRUSTED_TEXT}` };
      item.show();
      return;
    }
    item.command = CLICK;
    const run: RunState | undefined = services.training.state(uri);
    const key = keyOf(uri);
    const answer = probed.get(key);
    const report = run?.backend ?? (answer && 'report' in answer ? answer.report : undefined);
    if (!run?.backend && !answer) probe(uri, key);
    const unavailable = !report && answer && 'error' in answer ? answer.error : undefined;
    if (unavailable) {
      item.text = `${statusText(setting, run)} $(warning)`;
      item.tooltip = new vscode.MarkdownString(
        `**NN Lab backend: ${setting}: cannot be used**\n\n${unavailable}\n\nChange the setting \`nnlab.backend\` (\`auto\` picks one that loads).`,
        true,
      );
      item.accessibilityInformation = { label: `NN Lab backend ${setting} cannot be used: ${unavailable}` };
      item.show();
      return;
    }
    item.text = statusText(report?.active ?? setting, run);
    const md = new vscode.MarkdownString(statusTooltip(report, setting, run, 'Click to show the loss curves.'), true);
    item.tooltip = md;
    const skipped = report?.skipped.length ? `; skipped ${report.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}` : '';
    item.accessibilityInformation = { label: `NN Lab backend ${report?.active ?? setting}${run ? `, ${run.phase}` : ''}${skipped}` };
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
    // the host says when its answers no longer hold: another backend setting, or a native crash
    ...(services.training.onDidResetBackends
      ? [
          services.training.onDidResetBackends(() => {
            probed.clear();
            asked.clear();
            update();
          }),
        ]
      : []),
    vscode.workspace.onDidGrantWorkspaceTrust(update),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (!isSpecUri(d.uri)) return;
      forget(d.uri);
      if (vscode.window.activeTextEditor?.document.uri.toString() === d.uri.toString()) update();
    }),
    services.training.onDidChangeState(updateSoon),
  );
  update();
}
