// Initial weights straight from the spec, pure and seeded. Training, `nnlab grad` and the
// backpropagation walkthrough all start from these exact numbers (the trainer builds its variables
// from them), so the same spec and seed always mean the same starting network.
//
// Convention (the course's): W ∈ ℝ^{nᵢ×nₒ} as rows of nₒ, b ∈ ℝ^{nₒ}. One entry per dense layer.
// The random stream: one PRNG seeded with `seed`, consumed layer by layer, W row-major, then b.
import type { DenseLayer, Initializer, NetworkSpec } from '../spec/types';
import type { LayerWeights } from '../../protocol/training';
import { gaussian, mulberry32, type Rng } from './random';

/** Input width of every dense layer, following flatten (product of dims) and dense (last dim). */
export function denseFanIns(spec: NetworkSpec): { index: number; layer: DenseLayer; nIn: number; name: string }[] {
  let shape = [...spec.input.shape];
  const out: { index: number; layer: DenseLayer; nIn: number; name: string }[] = [];
  spec.layers.forEach((layer, index) => {
    if (layer.type === 'flatten') shape = [shape.reduce((a, b) => a * b, 1)];
    else if (layer.type === 'dense') {
      const nIn = shape[shape.length - 1];
      out.push({ index, layer, nIn, name: layer.name ?? `dense_${out.length + 1}` });
      shape = [...shape.slice(0, -1), layer.units];
    }
  });
  return out;
}

function fill(init: Initializer, rows: number, cols: number, nIn: number, nOut: number, rng: Rng, what: string): number[][] {
  const m: number[][] = [];
  const gen = (): number => {
    switch (init.type) {
      case 'zeros':
        return 0;
      case 'constant':
        return init.value;
      case 'normal':
        return gaussian(rng, init.mean, init.std);
      case 'uniform':
        return init.min + (init.max - init.min) * rng();
      case 'he':
        return gaussian(rng, 0, Math.sqrt(2 / nIn));
      case 'glorot': {
        const limit = Math.sqrt(6 / (nIn + nOut));
        return -limit + 2 * limit * rng();
      }
      case 'values':
        throw new Error('unreachable');
    }
  };
  if (init.type === 'values') {
    const v = init.values;
    const flat: number[] = Array.isArray(v[0]) ? (v as number[][]).flat() : (v as number[]);
    const shapeOk = Array.isArray(v[0]) ? v.length === rows && (v as number[][]).every((r) => r.length === cols) : flat.length === rows * cols;
    if (!shapeOk || flat.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw new Error(`${what}: explicit values must be ${rows}×${cols} finite numbers`);
    }
    for (let r = 0; r < rows; r++) m.push(flat.slice(r * cols, (r + 1) * cols));
    return m;
  }
  for (let r = 0; r < rows; r++) {
    const row: number[] = new Array<number>(cols);
    for (let c = 0; c < cols; c++) row[c] = gen();
    m.push(row);
  }
  return m;
}

export function initialWeights(spec: NetworkSpec, seed: number = spec.training.seed): LayerWeights[] {
  const rng = mulberry32(seed);
  return denseFanIns(spec).map(({ index, layer, nIn, name }) => {
    const nOut = layer.units;
    const W = fill(layer.init, nIn, nOut, nIn, nOut, rng, `layers[${index}].init`);
    const lw: LayerWeights = { layer: index, name, W };
    if (layer.useBias) lw.b = fill(layer.biasInit, 1, nOut, nIn, nOut, rng, `layers[${index}].biasInit`)[0];
    return lw;
  });
}
