// Arrays written for Python: NumPy's .npy format (version 1.0) for the data, safetensors for weights.
// Both are a small header plus raw little-endian float32, so the numbers Python reads are bit for bit
// the float32 values NN Lab trains on. Pure: no fs.
import type { LayerWeights } from '../../protocol/training';

const encoder = new TextEncoder();

function float32LE(values: ArrayLike<number>, out: Uint8Array, offset: number): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, values.length * 4);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
}

/**
 * A .npy file (NumPy format 1.0): magic, header length, a Python dict literal padded with spaces to a
 * multiple of 64 bytes and ending in "\n", then the C-order float32 data. `np.load` reads it.
 */
export function npyFloat32(values: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) throw new Error(`npy: ${values.length} values do not fill shape ${shape.join('×')}`);
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
  const pre = 10; // magic (6) + version (2) + header length (2)
  header += ' '.repeat((64 - ((pre + header.length + 1) % 64)) % 64) + '\n';
  const h = encoder.encode(header);
  const out = new Uint8Array(pre + h.length + size * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY 1.0
  new DataView(out.buffer).setUint16(8, h.length, true);
  out.set(h, pre);
  float32LE(values, out, pre + h.length);
  return out;
}

export interface NamedTensor {
  name: string;
  shape: number[];
  values: ArrayLike<number>;
}

/**
 * A safetensors file: 8-byte little-endian header length, a JSON header (name → dtype, shape, byte
 * offsets; padded with spaces to 8 bytes), then the tensors' bytes. `safetensors.torch.load_file`
 * reads it, and so does the ten-line reader the exported model.py carries when the package is absent.
 */
export function safetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.values.length * 4;
    if (t.shape.reduce((a, b) => a * b, 1) !== t.values.length) throw new Error(`safetensors: ${t.name} has ${t.values.length} values for shape ${t.shape.join('×')}`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const h = encoder.encode(json);
  const out = new Uint8Array(8 + h.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  let at = 8 + h.length;
  for (const t of tensors) {
    float32LE(t.values, out, at);
    at += t.values.length * 4;
  }
  return out;
}

/**
 * Dense weights in PyTorch's layout under `<module>.weight` / `<module>.bias`: nn.Linear keeps weight as
 * nₒ×nᵢ (y = x·weightᵀ + bias), the transpose of the course's W (nᵢ×nₒ); biases are the same.
 */
export function torchTensors(weights: readonly LayerWeights[], moduleNames: readonly string[]): NamedTensor[] {
  return weights.flatMap((w, i) => {
    const nIn = w.W.length;
    const nOut = w.W[0]?.length ?? 0;
    const t = new Float32Array(nIn * nOut);
    for (let r = 0; r < nIn; r++) for (let c = 0; c < nOut; c++) t[c * nIn + r] = w.W[r]![c]!;
    const name = moduleNames[i]!;
    const out: NamedTensor[] = [{ name: `${name}.weight`, shape: [nOut, nIn], values: t }];
    if (w.b) out.push({ name: `${name}.bias`, shape: [nOut], values: w.b });
    return out;
  });
}
