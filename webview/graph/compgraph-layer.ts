// The computational graph of one dense layer for the graph panel (x → ·W → +b → f → … → L), with the
// forward values and the gradients of the selected sample, drawn by the shared component webview/shared/compgraph.ts.
// Pure (no DOM): builds the component's model, unit-tested in test/unit/panels.
import type { CompGraphModel } from '../shared/compgraph';
import type { SpecView, DataSample } from '../../src/protocol/webview';
import type { LayerWeights } from '../../src/protocol/training';
import { forwardOne, gradients, type ForwardLayer } from '../../src/core/nn/dense';
import { ACTIVATION_TEXT } from '../../src/core/explain/activations';

const LOSS: Record<string, string> = { mse: 'MSE', binaryCrossentropy: 'BCE', categoricalCrossentropy: 'CCE' };

export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4)) return v.toExponential(2);
  return String(+v.toFixed(3));
}
/** [a, b, c, …] with at most `max` entries shown */
export function vec(v: readonly number[], max = 3): string {
  const shown = v.slice(0, max).map(num).join(', ');
  return v.length > max ? `[${shown}, …] (${v.length})` : `[${shown}]`;
}
function mat(m: readonly (readonly number[])[]): string {
  if (m.length * (m[0]?.length ?? 0) <= 4) return `[${m.map((r) => vec(r, 4)).join(', ')}]`;
  let s = 0;
  for (const r of m) for (const x of r) s += x * x;
  return `‖·‖=${num(Math.sqrt(s))}`;
}

/** Every entry of a vector, as a row: [a, b, c] (at most `max`, then "… (n entries)"). */
export function fullVec(v: readonly number[], max = 64): string {
  return `[${v.slice(0, max).map(num).join(', ')}${v.length > max ? `, … (${v.length} entries)` : ''}]`;
}
/** Every entry of a matrix, one row a line (at most `maxRows` × `maxCols`, then what was left out). */
export function fullMat(m: readonly (readonly number[])[], maxRows = 16, maxCols = 16): string {
  const rows = m.slice(0, maxRows).map((r) => `  ${fullVec(r, maxCols)}`);
  if (m.length > maxRows) rows.push(`  … (${m.length} rows)`);
  return `[\n${rows.join('\n')}\n]`;
}

export interface LayerCompGraph {
  model: CompGraphModel;
  caption: string;
}

/**
 * Nodes: x (the layer input), W, ·W, b, +b (= z), f (= a), and L (the loss, through the rest of the
 * network for a hidden layer; with the target y for the output layer). Values and gradients are
 * the chosen sample's (row `sampleIndex` of `sample`, numbered `sampleNumber` for people), by the forward and backward path; without weights only the structure is shown.
 */
export function layerCompGraph(spec: SpecView, layerIndex: number, weights: readonly LayerWeights[] | undefined, sample: DataSample | undefined, sampleIndex = 0, sampleNumber = sampleIndex + 1): LayerCompGraph {
  const l = spec.layers[layerIndex];
  if (!l || l.type !== 'dense' || !l.weightShape) return { model: { nodes: [], edges: [] }, caption: 'Choose a dense layer.' };
  const [nIn, nOut] = l.weightShape;
  const act = spec.activations[layerIndex] ?? { name: 'linear' as const };
  const isLast = !spec.layers.slice(layerIndex + 1).some((q) => q.type === 'dense');
  const layers: ForwardLayer[] = spec.layers.map((q, i) => ({ type: q.type, activation: spec.activations[i] }));
  const w = weights?.find((q) => q.layer === layerIndex);
  let v: Record<string, string> = {};
  let g: Record<string, string> = {};
  let d: Record<string, string> = {};
  let caption = `Layer ${layerIndex + 1} (${l.name}): z = x·W + b, a = ${act.name}(z). Values and gradients appear once weights and data are available.`;
  if (w && weights && sample?.x.length) {
    const x0 = sample.x[sampleIndex] ?? sample.x[0];
    const y0 = sample.y[sampleIndex] ?? sample.y[0];
    const t = forwardOne(layers, weights, x0);
    const xin = layerIndex > 0 ? t.a[layerIndex - 1] : x0.flat();
    const z = t.z[layerIndex]!;
    const xw = z.map((zi, o) => zi - (w.b?.[o] ?? 0));
    const gr = gradients(layers, weights, spec.loss, [x0], [y0]);
    const gl = gr.layers.find((q) => q.layer === layerIndex)!;
    v = { x: vec(xin), W: mat(w.W), mm: vec(xw), b: vec(w.b ?? []), z: vec(z), a: vec(t.a[layerIndex]), L: num(gr.loss), y: vec(y0) };
    g = { x: vec(gl.dIn), W: mat(gl.dW), mm: vec(gl.db), b: vec(gl.db), z: vec(gl.db), a: vec(gl.da), L: '1' };
    const both = (value: string, grad: string): string => `value ${value}\n∂L/∂· ${grad}`;
    d = {
      x: both(fullVec(xin), fullVec(gl.dIn)),
      W: both(fullMat(w.W), fullMat(gl.dW)),
      mm: both(fullVec(xw), fullVec(gl.db)),
      b: both(fullVec(w.b ?? []), fullVec(gl.db)),
      z: both(fullVec(z), fullVec(gl.db)),
      a: both(fullVec(t.a[layerIndex]), fullVec(gl.da)),
      L: `value ${num(gr.loss)} (${spec.loss})\n∂L/∂L 1`,
      y: `value ${fullVec(y0)} (the target)`,
    };
    caption = `Layer ${layerIndex + 1} (${l.name}) for sample ${sampleNumber}: values (forward path) in blue, ∂L/∂· (backward path) in orange; hover a node for every entry. Loss ${spec.loss} = ${num(gr.loss)}.`;
  }
  const nodes: CompGraphModel['nodes'] = [
    { id: 'x', label: layerIndex === 0 ? 'x' : 'a_prev', kind: 'input', shape: `1×${nIn}`, value: v.x, grad: g.x },
    { id: 'W', label: 'W', kind: 'param', shape: `${nIn}×${nOut}`, value: v.W, grad: g.W },
    { id: 'mm', label: 'xW', op: '·', kind: 'op', shape: `1×${nOut}`, value: v.mm, grad: g.mm },
    { id: 'b', label: 'b', kind: 'param', shape: `1×${nOut}`, value: v.b, grad: g.b },
    { id: 'z', label: 'z', op: '+', kind: 'op', shape: `1×${nOut}`, value: v.z, grad: g.z },
    { id: 'a', label: 'a', op: ACTIVATION_TEXT[act.name].op, kind: 'op', shape: `1×${nOut}`, value: v.a, grad: g.a },
    { id: 'L', label: 'L', op: isLast ? LOSS[spec.loss] : `… ${LOSS[spec.loss]}`, kind: 'loss', value: v.L, grad: g.L },
  ];
  const names: Record<string, string> = { x: 'x (the layer input)', W: 'W', mm: 'x·W', b: 'b', z: 'z = x·W + b', a: `a = ${act.name}(z)`, L: 'L', y: 'y' };
  for (const n of nodes) n.detail = `${names[n.id] ?? n.label} ${n.shape ?? ''}`.trim() + (d[n.id] ? `, sample ${sampleNumber}\n${d[n.id]}` : '');
  const edges: CompGraphModel['edges'] = [
    { id: 'x>mm', from: 'x', to: 'mm', grad: g.x },
    { id: 'W>mm', from: 'W', to: 'mm', grad: g.W },
    { id: 'mm>z', from: 'mm', to: 'z', grad: g.mm },
    { id: 'b>z', from: 'b', to: 'z', grad: g.b },
    { id: 'z>a', from: 'z', to: 'a', grad: g.z },
    { id: 'a>L', from: 'a', to: 'L', grad: g.a },
  ];
  if (isLast) {
    nodes.push({ id: 'y', label: 'y', kind: 'input', shape: `1×${nOut}`, value: v.y, detail: `y (the target) 1×${nOut}${d.y ? `, sample ${sampleNumber}\n${d.y}` : ''}` });
    edges.push({ id: 'y>L', from: 'y', to: 'L' });
  }
  return { model: { nodes, edges }, caption };
}
