// Teaching hovers: what is under the cursor (a layer, its activation or init, batchSize, loss,
// learning rate, input shape), explained with this spec's numbers. Text from src/core/explain.
import * as vscode from 'vscode';
import {
  ACTIVATION_COMMAND,
  activationHover,
  batchSizeHover,
  initHover,
  inputHover,
  layerHover,
  learningRateHover,
  lossHover,
  sampleCount,
  trainingHover,
} from '../core/explain';
import type { JsonPath } from '../core/spec/types';
import { analyze, toRange, type Analysis } from './analysis';

/** The Markdown for `path` in an analysed spec, or undefined when there is nothing to teach there. */
export function hoverMarkdown(a: Analysis, path: JsonPath): string | undefined {
  const { spec, shapes } = a;
  if (!spec) return undefined;
  const [head, i, key] = path;
  if (head === 'layers' && typeof i === 'number') {
    const layer = spec.layers[i];
    const s = shapes?.layers[i];
    if (!layer || !s) return undefined;
    if (key === 'activation' && layer.type === 'dense') return activationHover(layer.activation);
    if ((key === 'init' || key === 'biasInit') && layer.type === 'dense') return initHover(key === 'init' ? layer.init : layer.biasInit, key === 'init' ? 'W' : 'b', s);
    return layerHover(layer, s);
  }
  if (head === 'training' && i === 'batchSize') return batchSizeHover(spec.training, a.dataInfo?.samples ?? sampleCount(spec.data), spec.input.shape);
  if (head === 'loss') return lossHover(spec.loss);
  if (head === 'training' && (i === 'epochs' || i === 'stopWhenLossBelow' || i === 'validationSplit')) {
    return trainingHover(i, spec.training, a.dataInfo?.samples ?? sampleCount(spec.data));
  }
  if (head === 'optimizer') return learningRateHover(spec.optimizer);
  if (head === 'input') return inputHover(spec);
  return undefined;
}

export class SpecHoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const a = analyze(doc);
    const at = a.pathAt(doc.offsetAt(pos));
    if (!at) return undefined;
    const md = hoverMarkdown(a, at.path);
    if (!md) return undefined;
    const m = new vscode.MarkdownString(md, true);
    // the only command a hover may run: open the activation explorer on a function
    m.isTrusted = { enabledCommands: [ACTIVATION_COMMAND] };
    const r = at.onKey ? a.keyRangeOf(at.path) : a.rangeOf(at.path);
    return new vscode.Hover(m, r ? toRange(r) : undefined);
  }
}
