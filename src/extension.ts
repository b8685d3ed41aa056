// NN Lab extension entry. Each feature folder exports `register(context, services)` and pushes its
// own disposables onto `context.subscriptions`. Activation must stay cheap: nothing here may import
// TensorFlow.js (training runs in a worker that loads it).
import * as vscode from 'vscode';
import * as training from './training';
import * as language from './language';
import * as panels from './panels';
import * as walkthrough from './walkthrough';
import * as commands from './commands';
import * as status from './status';
import * as exporting from './export';
import * as lab from './lab';
import { config } from './config';
import { SpecResolver } from './commands/spec';
import { isActive, type Services } from './training/api';

export function activate(context: vscode.ExtensionContext): { services: Services } {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('NN Lab', { log: true });
  context.subscriptions.push(log);
  const host = training.register(context, log, config);
  const services: Services = { log, config, training: host, specs: new SpecResolver((uri) => isActive(host.state(uri))) };
  language.register(context, services);
  const panelManager = panels.register(context, services);
  const walkthroughs = walkthrough.register(services, panelManager);
  commands.register(context, services, { panels: panelManager, walkthroughs, lab: lab.register(context, services, panelManager) });
  status.register(context, services);
  exporting.register(context, services);
  log.info(`NN Lab activated in ${(performance.now() - t0).toFixed(1)} ms`);
  // Returned for the extension-host test suite (vscode.extensions.getExtension('nnlab.nnlab').exports).
  return { services };
}

export function deactivate(): void {
  // Disposables registered on the context are disposed by VS Code.
}
