// WebAssembly backend (XNNPACK, SIMD). Two fixes over the stock package, both measured (docs/benchmarks.md):
//  - its BatchMatMul/_FusedMatMul take XNNPACK's fast path only when neither operand is transposed and
//    otherwise run a scalar loop; backprop through a dense layer needs xᵀ·δ and δ·Wᵀ, so we re-register
//    both kernels to transpose the operand first (wasm Transpose kernel) and then call the fast path;
//  - under Node its binaries are read from disk: dist/wasm in the bundle, or the package's own dist.
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BackendUnavailable, type BackendCandidate, type LoadOptions } from '../backend';

const BINARY = 'tfjs-backend-wasm-simd.wasm';

/** Where the .wasm files are: the option, dist/wasm next to the bundle, or the npm package. */
export function findWasmDir(opts: LoadOptions): string | undefined {
  const candidates: string[] = [];
  if (opts.wasmDir) candidates.push(opts.wasmDir);
  // In the bundle __dirname is dist/ or dist/worker/.
  candidates.push(join(__dirname, 'wasm'), join(__dirname, '..', 'wasm'));
  try {
    candidates.push(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/' + BINARY)));
  } catch {
    /* not resolvable from here (bundled without node_modules) */
  }
  for (const p of opts.modulePaths) candidates.push(join(p, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'));
  return candidates.find((d) => existsSync(join(d, BINARY)));
}

type KernelArgs = Parameters<tf.KernelFunc>[0];
interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

let patched = false;

/**
 * For a·bᵀ (a: …×M×K, b: …×N×K, no batch broadcasting): whether (b·aᵀ)ᵀ moves fewer elements than
 * copying b transposed. The wasm Transpose kernel is much slower per element on large square
 * power-of-two matrices (1024×1024: ~15 ms against ~0.6 ms for 256×1024 on the bench machine), so b's
 * copy is weighted double.
 */
function preferSwapped(aShape: number[], bShape: number[]): boolean {
  const r = aShape.length;
  if (r !== bShape.length || aShape.slice(0, r - 2).some((d, i) => d !== bShape[i])) return false;
  const [m, k] = aShape.slice(r - 2);
  const n = bShape[r - 2];
  return m * k + m * n < 2 * n * k;
}

/** Wrap a matmul kernel so transposed operands are materialised first (fast XNNPACK path). */
function patchMatMul(kernelName: string): void {
  const original = tf.getKernel(kernelName, 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) throw new Error(`wasm kernel ${kernelName} or Transpose is not registered`);
  const swapLast = (t: tf.TensorInfo, backend: KernelArgs['backend']): tf.TensorInfo => {
    const perm = t.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as tf.TensorInfo;
  };
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args: KernelArgs) => {
      const attrs = args.attrs as unknown as MatMulAttrs;
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
      const inputs = { ...args.inputs } as Record<string, tf.TensorInfo>;
      const temps: tf.TensorInfo[] = [];
      // a·bᵀ (backprop's δ·Wᵀ) with a wide b: (b·aᵀ)ᵀ copies a and the result instead of b. Each output
      // element is the same dot product, summed over k in the same order, so the values are identical.
      if (kernelName === 'BatchMatMul' && !attrs.transposeA && preferSwapped(inputs.a.shape, inputs.b.shape)) {
        const aT = swapLast(inputs.a, args.backend);
        const bd = args.backend as tf.KernelBackend;
        try {
          const ba = original.kernelFunc({ ...args, inputs: { a: inputs.b, b: aT }, attrs: { ...args.attrs, transposeA: false, transposeB: false } }) as tf.TensorInfo;
          try {
            return swapLast(ba, args.backend);
          } finally {
            bd.disposeData(ba.dataId);
          }
        } finally {
          bd.disposeData(aT.dataId);
        }
      }
      if (attrs.transposeA) temps.push((inputs.a = swapLast(inputs.a, args.backend)));
      if (attrs.transposeB) temps.push((inputs.b = swapLast(inputs.b, args.backend)));
      try {
        return original.kernelFunc({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
      } finally {
        // KernelBackend is typed as `{}` in KernelFunc's arguments; the wasm backend has disposeData.
        for (const t of temps) (args.backend as tf.KernelBackend).disposeData(t.dataId);
      }
    },
  });
}

export const wasmBackend: BackendCandidate = {
  name: 'wasm',
  gpu: false,
  async load(opts) {
    const dir = findWasmDir(opts);
    if (!dir) throw new BackendUnavailable('wasm', `${BINARY} not found (looked in dist/wasm and node_modules/@tensorflow/tfjs-backend-wasm/dist)`);
    try {
      tf.enableProdMode();
      setWasmPaths(dir.endsWith('/') ? dir : dir + '/');
      if (!patched) {
        patchMatMul('BatchMatMul');
        patchMatMul('_FusedMatMul');
        patched = true;
      }
      if (!(await tf.setBackend('wasm'))) throw new Error('setBackend returned false');
      await tf.ready();
    } catch (e) {
      throw new BackendUnavailable('wasm', `failed to initialise: ${e instanceof Error ? e.message : String((e as { message?: string })?.message ?? e)}`);
    }
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return { name: 'wasm', tf, device: simd ? 'WebAssembly SIMD (XNNPACK, 1 thread)' : 'WebAssembly (XNNPACK, 1 thread)' };
  },
};
