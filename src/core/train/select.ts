// Picks the backend for a run and says why, out loud: the active one, the reason, and every preferred
// one that was skipped with its reason. A named backend that cannot load is an error, never a silent
// fallback. `auto` walks CANDIDATES in order: GPU backends first whatever the size, then native CPU
// (tfjs-node), then wasm or cpu by network size (measured crossover, see docs/benchmarks.md).
import type { BackendReport, SkippedBackend } from '../../protocol/training';
import { BackendUnavailable, isBackendChoice, type BackendChoice, type BackendName, type LoadedBackend, type LoadOptions } from './backend';
import { CANDIDATES, candidate } from './backends';
import { AUTO_WASM_MIN_STEP_MACS, macsCount } from './size';

export { AUTO_WASM_MIN_STEP_MACS } from './size';

export interface SelectOptions extends LoadOptions {
  /**
   * `auto` does not try these, and lists them as skipped with the reason given: the training host
   * passes the native backends here after one of them crashed a training process while loading.
   */
  skip?: readonly SkippedBackend[];
}

export { isBackendChoice };

export class BackendLoadError extends Error {
  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(`backend ${backend} cannot be used: ${reason}`);
    this.name = 'BackendLoadError';
  }
}

function reasonOf(name: BackendName, e: unknown): string {
  if (e instanceof BackendUnavailable) return e.reason;
  return `failed to load: ${e instanceof Error ? e.message : String(e)}`;
}

export async function selectBackend(choice: BackendChoice, opts: SelectOptions): Promise<{ backend: LoadedBackend; report: BackendReport }> {
  if (choice !== 'auto') {
    let backend: LoadedBackend;
    try {
      backend = await candidate(choice).load(opts);
    } catch (e) {
      throw new BackendLoadError(choice, reasonOf(choice, e));
    }
    return { backend, report: { active: backend.name, device: backend.device, skipped: [], reason: `requested: ${choice}` } };
  }
  const skipped: BackendReport['skipped'] = [];
  const macs = opts.networkMacs;
  const small = macs !== undefined && macs < AUTO_WASM_MIN_STEP_MACS;
  for (const c of CANDIDATES) {
    const told = opts.skip?.find((s) => s.backend === c.name);
    if (told) {
      skipped.push({ backend: c.name, reason: told.reason });
      continue;
    }
    if (c.name === 'wasm' && small) {
      skipped.push({ backend: 'wasm', reason: `small network (${macsCount(macs)} MACs per step < ${macsCount(AUTO_WASM_MIN_STEP_MACS)}): pure JS has less per-operation overhead` });
      continue;
    }
    try {
      const backend = await c.load(opts);
      const why = c.gpu
        ? 'GPU available'
        : c.name === 'tfjs-node'
          ? 'native TensorFlow available'
          : c.name === 'wasm'
            ? `network of ${macs === undefined ? 'unknown' : macsCount(macs)} MACs per step ≥ ${macsCount(AUTO_WASM_MIN_STEP_MACS)}`
            : small
              ? `small network (${macsCount(macs)} MACs per step)`
              : 'no faster backend loaded';
      return { backend, report: { active: backend.name, device: backend.device, skipped, reason: `auto: ${why} → ${backend.name}` } };
    } catch (e) {
      skipped.push({ backend: c.name, reason: reasonOf(c.name, e) });
    }
  }
  throw new BackendLoadError('cpu', `no backend could be loaded: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
}

/** "backend: wasm (WebAssembly SIMD) — auto: … ; skipped: tfjs-node-gpu: not installed, …" as lines. */
export function formatBackendReport(r: BackendReport, verbose = true): string[] {
  const head = `backend: ${r.active} — ${r.device} (${r.reason})`;
  if (!r.skipped.length) return [head];
  if (!verbose) return [head, `  skipped ${r.skipped.map((s) => s.backend).join(', ')} (--verbose says why)`];
  return [head, ...r.skipped.map((s) => `  skipped ${s.backend}: ${s.reason}`)];
}
