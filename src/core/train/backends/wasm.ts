// WebAssembly backend (XNNPACK, SIMD). Three changes over the stock package, all measured (docs/benchmarks.md):
//  - its BatchMatMul/_FusedMatMul take XNNPACK's fast path only when neither operand is transposed and
//    otherwise run a scalar loop; backprop through a dense layer needs xᵀ·δ and δ·Wᵀ, so we re-register
//    both kernels to transpose the operand first (wasm Transpose kernel) and then call the fast path;
//  - under Node its binaries are read from disk: dist/wasm in the bundle, or the package's own dist;
//  - threads: the package never uses its threaded-SIMD binary under Node (its WASM_HAS_MULTITHREAD_SUPPORT
//    flag answers false for Node, tensorflow/tfjs#3830), and its loader hands Emscripten's pthread worker
//    a blob: URL that Node's worker_threads cannot start. For networks large enough to gain from threads
//    we register our own factory for the threaded binary (threadedFactory below) with file paths instead.
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BackendUnavailable, type BackendCandidate, type LoadOptions } from '../backend';
import { macsCount, WASM_THREADS_MIN_BATCH, wasmThreadsMinMacs } from '../size';

const BINARY = 'tfjs-backend-wasm-simd.wasm';
/** The threaded build: its binary, Emscripten's JS glue (run again inside every pthread worker) and the pthread worker script. */
export const THREADED = {
  binary: 'tfjs-backend-wasm-threaded-simd.wasm',
  glue: 'tfjs-backend-wasm-threaded-simd.js',
  worker: 'tfjs-backend-wasm-threaded-simd.worker.js',
} as const;

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

/**
 * The threaded build's three files. dist/wasm holds all three (scripts/build.mjs writes the worker
 * script out of the package's JS string); from source the glue is the package's wasm-out file and the
 * worker script is written once to the temp folder.
 */
function findThreadedFiles(dir: string): { binary: string; glue: string; worker: string } | string {
  const binary = join(dir, THREADED.binary);
  if (!existsSync(binary)) return `${THREADED.binary} is missing in ${dir}`;
  if (existsSync(join(dir, THREADED.glue)) && existsSync(join(dir, THREADED.worker))) return { binary, glue: join(dir, THREADED.glue), worker: join(dir, THREADED.worker) };
  let wasmOut: string;
  try {
    wasmOut = dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/wasm-out/${THREADED.glue}`));
  } catch {
    return `${THREADED.glue} and ${THREADED.worker} are missing in ${dir}`;
  }
  const version = (JSON.parse(readFileSync(join(wasmOut, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const worker = join(tmpdir(), `nnlab-tfjs-wasm-${version}`, THREADED.worker);
  if (!existsSync(worker)) {
    mkdirSync(dirname(worker), { recursive: true });
    writeFileSync(worker, pthreadWorkerScript((loadScript(join(wasmOut, THREADED.worker)) as { wasmWorkerContents: string }).wasmWorkerContents));
  }
  return { binary, glue: join(wasmOut, THREADED.glue), worker };
}

/** A CommonJS file by absolute path, at run time (never bundled: it must be the very file the pthread workers load). */
const loadScript = (path: string): unknown => createRequire(__filename)(path);

/** The package keeps the worker script as a JS string whose "\n" escapes became newlines; tfjs escapes them back the same way. */
export function pthreadWorkerScript(contents: string): string {
  return contents.replace(/\n/g, '\\n');
}

export { WASM_THREADS_MIN_BATCH, WASM_THREADS_MIN_STEP_MACS, WASM_THREADS_SMALL_BATCH_MIN_STEP_MACS } from '../size';
/** The cap: more threads than 4 gain little for these sizes and take cores from the editor. */
export const WASM_MAX_THREADS = 4;

export interface ThreadPlan {
  threads: number;
  /** why this many, for the device line ("2 threads", "1 thread: small network …") */
  reason: string;
}

/**
 * How many threads the wasm backend uses: `min(cores, 4)` for steps of at least wasmThreadsMinMacs(batch)
 * forward MACs (unknown size counts as large), else 1; an explicit count (NNLAB_WASM_THREADS,
 * LoadOptions.wasmThreads) wins. Pure, so the policy is tested directly.
 */
export function planWasmThreads(o: { macs?: number; batch?: number; cores: number; requested?: number; sharedMemory: boolean }): ThreadPlan {
  const single = (why: string): ThreadPlan => ({ threads: 1, reason: `1 thread: ${why}` });
  if (o.requested !== undefined && Number.isInteger(o.requested) && o.requested >= 1) {
    if (o.requested === 1) return single('requested');
    if (!o.sharedMemory) return single('SharedArrayBuffer is not available here');
    return { threads: o.requested, reason: `${o.requested} threads: requested` };
  }
  if (!o.sharedMemory) return single('SharedArrayBuffer is not available here');
  if (o.cores < 2) return single('one CPU core');
  const min = wasmThreadsMinMacs(o.batch);
  if (o.macs !== undefined && o.macs < min) {
    const rows = o.batch !== undefined && o.batch < WASM_THREADS_MIN_BATCH ? ` at ${o.batch} rows per step` : '';
    return single(`small network (${macsCount(o.macs)} MACs per step < ${macsCount(min)}${rows}), threads cost more than they save`);
  }
  const n = Math.min(o.cores, WASM_MAX_THREADS);
  return { threads: n, reason: `${n} threads` };
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

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  tfjs?: Record<string, (...a: number[]) => number>;
  then?: unknown;
}
/** The global WebAssembly API (src/core compiles without the DOM library, which declares it). */
const webAssembly = (globalThis as unknown as { WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: unknown; module: unknown }> } }).WebAssembly;
type WasmFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/**
 * A backend factory for the threaded-SIMD binary under Node, in place of the package's `init()`:
 * Emscripten starts its pthread workers (a pool of 8, started up front) from `locateFile(worker)` and
 * has each of them load `mainScriptUrlOrBlob`; both are real files here. XNNPACK caps its pool at
 * navigator.hardwareConcurrency / 2 (it assumes 2 hyper-threads per core), which under Node is
 * os.cpus().length / 2 = 1 on a 2-vCPU machine, so the core count the binary asks for is answered
 * with 2 × threads; the pool size itself is `setThreadsCount(threads)`.
 */
function threadedFactory(files: { binary: string; glue: string; worker: string }, threads: number): () => Promise<tf.KernelBackend> {
  return async () => {
    threadedError = undefined;
    const factory = loadScript(files.glue) as WasmFactory;
    const binary = readFileSync(files.binary);
    const module = await new Promise<EmscriptenModule>((resolveModule, rejectModule) => {
      const resolve = resolveModule;
      // a module that failed must not leave its pthread workers (ref'd until they load) holding the process
      const reject = (e: unknown): void => {
        const p = config.PThread as { unusedWorkers: { terminate(): unknown }[]; runningWorkers: { terminate(): unknown }[] } | undefined;
        for (const w of [...(p?.unusedWorkers ?? []), ...(p?.runningWorkers ?? [])]) void w.terminate();
        threadedError = e instanceof Error ? e.message : String(e);
        rejectModule(e);
      };
      const config: Record<string, unknown> = {
        // Emscripten has already started its fixed pool of 8 pthread workers when preInit runs (each
        // a Node worker thread with its own V8 heap, loading the glue and the module); XNNPACK's pool
        // needs threads − 1 of them. Keep `threads`, end the rest before they load the module.
        preInit: () => {
          const pool = (config.PThread as { unusedWorkers: { terminate(): unknown }[] } | undefined)?.unusedWorkers;
          if (pool && pool.length > threads) for (const w of pool.splice(threads)) void w.terminate();
        },
        locateFile: (path: string, prefix: string) => (path.endsWith('.worker.js') ? files.worker : path.endsWith('.wasm') ? files.binary : prefix + path),
        mainScriptUrlOrBlob: files.glue,
        instantiateWasm: (info: { env: Record<string, unknown> }, receive: (instance: unknown, module: unknown) => void) => {
          info.env.emscripten_num_logical_cores = () => 2 * threads;
          webAssembly.instantiate(binary, info).then((r) => receive(r.instance, r.module), reject);
          return {};
        },
        onAbort: (what: unknown) => reject(new Error(`the threaded wasm module aborted: ${String(what)}`)),
      };
      factory(config).then((m) => {
        // the module is a thenable: resolving the promise with it directly would loop
        const api = (name: string, ret: string | null, args: string[]): ((...a: number[]) => number) => m.cwrap(name, ret, args);
        m.tfjs = {
          init: api('init', null, []),
          initWithThreadsCount: api('init_with_threads_count', null, ['number']),
          getThreadsCount: api('get_threads_count', 'number', []),
          registerTensor: api('register_tensor', null, ['number', 'number', 'number']),
          disposeData: api('dispose_data', null, ['number']),
          dispose: api('dispose', null, []),
        };
        delete m.then;
        resolve(m);
      }, reject);
    });
    setThreadsCount(threads);
    // BackendWasm's constructor calls init_with_threads_count(threads) and reads the count back.
    const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    // XNNPACK's threads now wait for work for the module's lifetime, and Emscripten ref()s a worker
    // that runs a pthread: the process (or worker thread) would never end by itself. They only ever
    // work while the main thread waits for them inside a kernel, so they need not keep it alive.
    for (const w of (module as unknown as { PThread: { runningWorkers: { unref(): void }[] } }).PThread.runningWorkers) w.unref();
    return backend;
  };
}

/** Why the last threaded module failed (tfjs's setBackend only answers false). */
let threadedError: string | undefined;

/** What this process's wasm backend was initialised with: threads can only change with a fresh module. */
let active: { threads: number; reason: string; dir: string } | undefined;
/** The package's own factory (single-thread SIMD binary), kept to restore it after a threaded one. */
let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;

function requestedThreads(opts: LoadOptions): number | undefined {
  if (opts.wasmThreads !== undefined) return opts.wasmThreads;
  const env = process.env.NNLAB_WASM_THREADS;
  return env ? Number(env) : undefined;
}

export const wasmBackend: BackendCandidate = {
  name: 'wasm',
  gpu: false,
  async load(opts) {
    const dir = findWasmDir(opts);
    if (!dir) throw new BackendUnavailable('wasm', `${BINARY} not found (looked in dist/wasm and node_modules/@tensorflow/tfjs-backend-wasm/dist)`);
    let plan = planWasmThreads({ macs: opts.networkMacs, batch: opts.networkBatch, cores: cpus().length, requested: requestedThreads(opts), sharedMemory: typeof SharedArrayBuffer === 'function' });
    const files = plan.threads > 1 ? findThreadedFiles(dir) : undefined;
    if (typeof files === 'string') plan = { threads: 1, reason: `1 thread: ${files}` };
    const message = (e: unknown): string => (e instanceof Error ? e.message : String((e as { message?: string })?.message ?? e));
    const start = async (p: ThreadPlan): Promise<ThreadPlan> => {
      tf.enableProdMode();
      setWasmPaths(dir.endsWith('/') ? dir : dir + '/');
      if (!patched) {
        patchMatMul('BatchMatMul');
        patchMatMul('_FusedMatMul');
        patched = true;
        stockFactory = tf.findBackendFactory('wasm') ?? undefined;
      }
      if (!active || active.threads !== p.threads || active.dir !== dir) {
        active = undefined;
        // a module's thread pool is fixed when it starts: another count needs a fresh module
        if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
        const factory = p.threads > 1 && files && typeof files !== 'string' ? threadedFactory(files, p.threads) : stockFactory;
        if (!factory) throw new Error('the wasm backend is not registered');
        tf.registerBackend('wasm', factory, 2);
      }
      if (!(await tf.setBackend('wasm'))) throw new Error(p.threads > 1 && threadedError ? threadedError : 'setBackend returned false');
      await tf.ready();
      const started = p.threads > 1 && getThreadsCount() !== p.threads ? { threads: getThreadsCount(), reason: `${getThreadsCount()} of ${p.threads} threads started` } : p;
      active = { ...started, dir };
      return started;
    };
    try {
      plan = await start(plan);
    } catch (e) {
      if (plan.threads === 1) {
        active = undefined;
        throw new BackendUnavailable('wasm', `failed to initialise: ${message(e)}`);
      }
      // the single-thread build is the fallback, and the device line says why
      try {
        plan = await start({ threads: 1, reason: `1 thread: the threaded build did not start (${message(e)})` });
      } catch (e2) {
        active = undefined;
        throw new BackendUnavailable('wasm', `failed to initialise: ${message(e2)} (the threaded build: ${message(e)})`);
      }
    }
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    return { name: 'wasm', tf, device: `${simd ? 'WebAssembly SIMD' : 'WebAssembly'} (XNNPACK, ${plan.reason})` };
  },
};
