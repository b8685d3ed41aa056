// The one small interface every TensorFlow.js backend sits behind. The trainer never names a backend:
// it asks `selectBackend` (src/core/train/select.ts) for one and uses the `tf` namespace it returns.
import type * as tfc from '@tensorflow/tfjs-core';
import type { StepSize } from './size';

export const BACKEND_NAMES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** `auto` or one named backend (setting `nnlab.backend`, CLI `--backend`). */
export type BackendChoice = 'auto' | BackendName;

/** For settings and CLI flags; here (not in select.ts) so the extension host can check without loading tfjs. */
export function isBackendChoice(s: string): s is BackendChoice {
  return s === 'auto' || (BACKEND_NAMES as readonly string[]).includes(s);
}

export type TfCore = typeof tfc;

export interface LoadOptions {
  /** extra folders to resolve optional native packages from (the extension's, the workspace's, a setting's) */
  modulePaths: string[];
  /** where the wasm binaries live (dist/wasm in the bundle) */
  wasmDir?: string;
  /** forward multiply-adds per training step (per-sample MACs × batch size); absent = "large" */
  networkMacs?: number;
  /** rows per training step (the batch size; wasm's thread choice depends on it); absent = large */
  networkBatch?: number;
  /** wasm: this many XNNPACK threads instead of the size-based choice (also NNLAB_WASM_THREADS) */
  wasmThreads?: number;
}

export interface LoadedBackend {
  name: BackendName;
  /** the tfjs-core instance the backend registered into: a native package brings its own copy */
  tf: TfCore;
  /** human-readable device, e.g. "CPU (pure JS)", "WebAssembly SIMD", "NVIDIA H100 via Vulkan (WebGPU)" */
  device: string;
}

/** Thrown by a candidate that cannot load; `reason` is one plain sentence for the user. */
export class BackendUnavailable extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`${backend}: ${reason}`);
    this.name = 'BackendUnavailable';
  }
}

export interface BackendCandidate {
  name: BackendName;
  /** GPU backends are preferred by `auto` over CPU ones whatever the network size */
  gpu: boolean;
  /** load, register and activate; throws BackendUnavailable with the reason otherwise */
  load(opts: LoadOptions): Promise<LoadedBackend>;
}

/** A step's size as LoadOptions carry it (src/core/train/size.ts). */
export function sizeOptions(size: StepSize): Pick<LoadOptions, 'networkMacs' | 'networkBatch'> {
  return { ...(size.macs !== undefined ? { networkMacs: size.macs } : {}), ...(size.batch !== undefined ? { networkBatch: size.batch } : {}) };
}
