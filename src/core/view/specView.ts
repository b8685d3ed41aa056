// The spec as the panels see it (names, shapes, activations), built from the editor text with the
// spec core. Pure: the host reads the text (never writes it) and passes it in.
import { parseSpec, inferShapes } from '../spec';
import type { SpecView } from '../../protocol/webview';

export function buildSpecView(uri: string, text: string): SpecView {
  const base: SpecView = { uri, name: uri.split('/').pop()?.replace(/\.nn\.json$/, '') ?? '', inputShape: [], loss: 'mse', layers: [], activations: [], totalParams: 0, errors: [] };
  const parsed = parseSpec(text);
  const errs = parsed.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${p.code} ${p.message}`);
  if (!parsed.spec) return { ...base, errors: errs.length ? errs : ['the spec could not be read'] };
  const spec = parsed.spec;
  try {
    const shapes = inferShapes(spec);
    return {
      uri,
      name: spec.name,
      inputShape: spec.input.shape,
      loss: spec.loss,
      layers: shapes.layers,
      activations: spec.layers.map((l) => (l.type === 'dense' ? l.activation : undefined)),
      totalParams: shapes.totals.params,
      errors: errs,
    };
  } catch (e) {
    return { ...base, name: spec.name, errors: [...errs, e instanceof Error ? e.message : String(e)] };
  }
}
