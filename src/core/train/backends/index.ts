// Backend candidates in the order `auto` prefers them. Each file owns one backend.
import type { BackendCandidate, BackendName } from '../backend';
import { nodeGpuBackend } from './nodeGpu';
import { webgpuBackend } from './webgpu';
import { nodeBackend } from './node';
import { wasmBackend } from './wasm';
import { cpuBackend } from './cpu';

export const CANDIDATES: readonly BackendCandidate[] = [nodeGpuBackend, webgpuBackend, nodeBackend, wasmBackend, cpuBackend];

export function candidate(name: BackendName): BackendCandidate {
  const c = CANDIDATES.find((b) => b.name === name);
  if (!c) throw new Error(`unknown backend ${name}`);
  return c;
}
