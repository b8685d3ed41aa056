// Teaching hovers: what is under the cursor (a layer, its activation or init, batchSize, loss,
// learning rate, input shape…), explained with this spec's numbers. Text from src/core/explain.
import * as vscode from 'vscode';
import { ACTIVATION_COMMAND, hoverFor } from '../core/explain';
import { analyze, toRange } from './analysis';

export class SpecHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const a = analyze(doc);
    if (!a.spec) return undefined;
    const at = a.pathAt(doc.offsetAt(pos));
    if (!at) return undefined;
    const md = hoverFor(a.spec, a.shapes, a.dataInfo?.samples, at.path);
    if (!md) return undefined;
    const m = new vscode.MarkdownString(md, true);
    // the only command a hover may run: open the activation explorer on a function
    m.isTrusted = { enabledCommands: [ACTIVATION_COMMAND] };
    const r = at.onKey ? a.keyRangeOf(at.path) : a.rangeOf(at.path);
    return new vscode.Hover(m, r ? toRange(r) : undefined);
  }
}
