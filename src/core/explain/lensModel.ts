// What the dimension lenses say, decided from the same analysis the diagnostics come from, so the two
// never disagree: every layer's dimensions up to the first error, the failing layer marked with that
// error's short text, and one lens per layer even then (the later ones say they wait for it), so the
// lines do not jump while the user types a typo such as "tanhh". Pure: no `vscode`.
import { DEFAULTS, type PartialSpec } from '../spec/parse';
import { inferShapes } from '../spec/shapes';
import type { Layer, LayerShapes, NetworkShapes, NetworkSpec, Problem, Range } from '../spec/types';
import { layerLens, type LensDetail } from './lens';
import { layerName } from './indices';

export interface LayerLens {
  /** index into "layers" (0-based, the JSON path) */
  index: number;
  title: string;
  /** ok: its dimensions; error: this layer has the first error; waiting: after an error, no dimensions */
  state: 'ok' | 'error' | 'waiting';
  /** the error's code when state is 'error' */
  code?: string;
}

/** What the lens model reads: a structural subset of analyzeSpec's result. */
export interface LensInput {
  spec?: NetworkSpec;
  partial?: PartialSpec;
  shapes?: NetworkShapes;
  problems: readonly Problem[];
  rangeOf?: (path: (string | number)[]) => Range | undefined;
}

/** The first sentence part of a problem message, for a lens: `NN105 Unknown activation "tanhh"`. */
export function shortProblem(p: Pick<Problem, 'code' | 'message'>, max = 90): string {
  const first = p.message.split(/;\s/)[0]!.replace(/\.$/, '').replace(/\s+/g, ' ').trim();
  const text = `${p.code} ${first}`;
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space).replace(/[,;:]$/, '') : cut}…`;
}

const within = (r: Range, outer: Range): boolean => r.offset >= outer.offset && r.offset < outer.offset + Math.max(1, outer.length);

/** The first error located in layer i: by its JSON path, or (syntax errors) by its position. */
function layerError(a: LensInput, i: number): Problem | undefined {
  const outer = a.rangeOf?.(['layers', i]);
  return a.problems.find(
    (p) => p.severity === 'error' && ((p.path[0] === 'layers' && p.path[1] === i) || (p.path.length === 0 && outer !== undefined && within(p.range, outer))),
  );
}

/** Shapes of the layers that read, up to (not including) the first that did not. */
function prefixShapes(inputShape: number[], layers: readonly (Layer | undefined)[]): LayerShapes[] {
  const ok: Layer[] = [];
  for (const l of layers) {
    if (!l) break;
    ok.push(l);
  }
  const spec: NetworkSpec = { version: 1, name: '', input: { shape: inputShape }, layers: ok, loss: DEFAULTS.loss, optimizer: DEFAULTS.optimizer, training: DEFAULTS.training };
  return inferShapes(spec).layers;
}

/** One lens per layer written in the text. */
export function layerLenses(a: LensInput, detail: Exclude<LensDetail, 'off'>): LayerLens[] {
  const layers: readonly (Layer | undefined)[] = a.spec?.layers ?? a.partial?.layers ?? [];
  const inputShape = a.spec?.input.shape ?? a.partial?.inputShape;
  const shapes = a.spec && a.shapes ? a.shapes.layers : inputShape ? prefixShapes(inputShape, layers) : [];
  const inputError = a.problems.find((p) => p.severity === 'error' && p.path[0] === 'input');
  const out: LayerLens[] = [];
  let failed: number | undefined;
  layers.forEach((layer, i) => {
    if (!inputShape || inputError) {
      out.push({ index: i, title: '… (dimensions wait for input.shape\'s error)', state: 'waiting' });
      return;
    }
    if (failed !== undefined) {
      out.push({ index: i, title: `… (dimensions wait for the error in ${layerName(failed)})`, state: 'waiting' });
      return;
    }
    const err = layerError(a, i);
    const s = shapes[i];
    if (err || !layer || !s) {
      failed = i;
      const p = err ?? a.problems.find((q) => q.severity === 'error');
      out.push({ index: i, title: `$(error) ${p ? shortProblem(p) : 'this layer has an error'}`, state: 'error', ...(p ? { code: p.code } : {}) });
      return;
    }
    out.push({ index: i, title: layerLens(layer, s, detail), state: 'ok' });
  });
  return out;
}

/** The summary lens when the spec has errors: `$(error) 2 errors · NN105 Unknown activation "tanhh"`. */
export function errorsLens(problems: readonly Problem[]): string | undefined {
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) return undefined;
  return `$(error) ${errors.length} error${errors.length === 1 ? '' : 's'} · ${shortProblem(errors[0]!, 70)}`;
}
