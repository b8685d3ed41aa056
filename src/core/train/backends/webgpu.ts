// WebGPU through Dawn's Node binding (the optional `webgpu` npm package, prebuilt dawn.node) under
// @tensorflow/tfjs-backend-webgpu: any GPU with a Vulkan (Linux, Windows), Metal (macOS) or D3D12
// (Windows) driver. The `webgpu` package is loaded at run time from LoadOptions.modulePaths or the
// extension's node_modules (never bundled); tfjs-backend-webgpu is bundled and registers into the same
// tfjs-core as the cpu and wasm backends.
//
// Order of checks, each with its own plain reason: package installed → dawn.node loads → (Linux) the
// Vulkan loader exists → an adapter exists (else: Vulkan driver missing or software-only) → the adapter is a real GPU (lavapipe & co. rejected)
// → a device opens → the backend proves itself on a 2×2 matmul (Dawn's null backend computes garbage).
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailable, type BackendCandidate, type LoadOptions } from '../backend';
import { adapterName, explainLoadError, externalBufferReason, noAdapterReason, resolveOptionalPackage, softwareAdapterReason, vulkanStatus, type AdapterInfoLike, type VulkanStatus } from '../detect';
import { requireProof, type ProofOptions } from '../prove';

// The slice of Dawn's API used here (src/core compiles without DOM/@webgpu types).
interface DawnAdapter {
  readonly info?: AdapterInfoLike;
  readonly isFallbackAdapter?: boolean;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(desc?: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<DawnDevice>;
}
interface DawnDevice {
  destroy(): void;
}
interface DawnGpu {
  requestAdapter(opts?: Record<string, unknown>): Promise<DawnAdapter | null>;
}
export interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

export interface WebgpuCandidateOptions {
  /** Dawn toggles passed to create(), e.g. ['backend=null'] (tests) or ['adapter=NVIDIA'] */
  dawnFlags?: string[];
  /** also look in the extension's own node_modules (default true; tests of "not installed" turn it off) */
  ownNodeModules?: boolean;
  /** the Vulkan loader/driver facts of this machine (default: looked up) */
  vulkan?: () => VulkanStatus;
  platform?: NodeJS.Platform;
  proof?: ProofOptions;
  /** passed to requestAdapter, e.g. { featureLevel: 'compatibility' } for Dawn's OpenGL ES backend */
  adapterOptions?: Record<string, unknown>;
  /**
   * Accept a software adapter (llvmpipe, lavapipe, SwiftShader). Never for users: a software rasteriser
   * is slower than the CPU backends. Tests use it to run the real WebGPU path on a machine without a GPU.
   */
  allowSoftwareAdapter?: boolean;
  /**
   * Where NNLAB_DAWN_FLAGS and NNLAB_WEBGPU_ALLOW_SOFTWARE are read from (see webgpuEnvOptions); options
   * given here win. Default process.env; false reads none (tests that must not see the caller's).
   */
  env?: NodeJS.ProcessEnv | false;
}

/**
 * Two environment variables, read when the backend loads (so they reach the worker and the CLI alike):
 * - NNLAB_DAWN_FLAGS: comma-separated Dawn toggles for create(), e.g. `adapter=NVIDIA` to pick one of
 *   several GPUs, `backend=vulkan`; `backend=opengles` (Dawn's OpenGL ES backend) also asks for a
 *   WebGPU compatibility-mode adapter, which is all that backend offers.
 * - NNLAB_WEBGPU_ALLOW_SOFTWARE=1: accept a software adapter (Mesa llvmpipe through
 *   `backend=opengles`, lavapipe, SwiftShader). Slower than the CPU backends: it exists to run and
 *   rehearse the whole WebGPU path (training, the benchmark, the GPU check) on a machine without a GPU.
 */
export function webgpuEnvOptions(env: NodeJS.ProcessEnv): WebgpuCandidateOptions {
  const o: WebgpuCandidateOptions = {};
  const flags = (env.NNLAB_DAWN_FLAGS ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (flags.length) o.dawnFlags = flags;
  if (flags.some((f) => f === 'backend=opengles' || f === 'backend=opengl')) o.adapterOptions = { featureLevel: 'compatibility' };
  if (env.NNLAB_WEBGPU_ALLOW_SOFTWARE === '1') o.allowSoftwareAdapter = true;
  return o;
}

const LIMITS = ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup'];

const INSTALL = 'npm install webgpu (Dawn for Node: prebuilt for Linux x64/arm64, Windows and macOS, nothing downloaded at install) in the extension folder or in the folder set in nnlab.backendModulePath';

/** What a caller of dataSync()/arraySync() on the webgpu backend is told. */
export const SYNC_READ =
  'the webgpu backend cannot read a tensor synchronously in Node (dataSync/arraySync need OffscreenCanvas): read results with await tensor.data() / tensor.array()';

let accepted: { key: string; factory: () => tf.KernelBackend; device: string } | undefined;

let dawnCache: { entry: string; mod: DawnModule } | undefined;

async function loadDawn(entry: string): Promise<DawnModule> {
  if (dawnCache?.entry === entry) return dawnCache.mod;
  // A run-time import of a path the bundler cannot see: the package is ESM and never bundled.
  const mod = (await import(pathToFileURL(entry).href)) as Partial<DawnModule>;
  if (typeof mod.create !== 'function' || typeof mod.globals !== 'object' || mod.globals === null) {
    throw new Error(`${entry} does not export create() and globals: not Dawn's webgpu package`);
  }
  dawnCache = { entry, mod: mod as DawnModule };
  return dawnCache.mod;
}

/**
 * Dawn's GPU* classes and GPUBufferUsage/GPUMapMode constants become globals (tfjs-backend-webgpu uses
 * them bare), and `navigator.gpu` is set: WebGPUBackend's constructor refuses to run without it.
 * Node 20 has no `navigator`; Node 21+ has one without `gpu`.
 */
function installGlobals(dawn: DawnModule, gpu: DawnGpu): void {
  const g = globalThis as typeof globalThis & { navigator?: { gpu?: unknown } };
  for (const [k, v] of Object.entries(dawn.globals)) {
    if (!(k in g)) Object.defineProperty(g, k, { value: v, writable: true, configurable: true });
  }
  if (g.navigator === undefined) Object.defineProperty(g, 'navigator', { value: { gpu }, writable: true, configurable: true });
  else Object.defineProperty(g.navigator, 'gpu', { value: gpu, writable: true, configurable: true });
}

export function createWebgpuCandidate(given: WebgpuCandidateOptions = {}): BackendCandidate {
  const platform = given.platform ?? process.platform;
  return {
    name: 'webgpu',
    gpu: true,
    async load(opts: LoadOptions) {
      const env = given.env === false ? {} : webgpuEnvOptions(given.env ?? process.env);
      const o: WebgpuCandidateOptions = { ...env, ...given };
      const fail = (reason: string): never => {
        throw new BackendUnavailable('webgpu', reason);
      };
      const entry = resolveOptionalPackage('webgpu', opts.modulePaths, o.ownNodeModules ?? true);
      if (!entry) return fail(`not installed (the webgpu package: ${INSTALL})`);
      // Already accepted in this process with the same settings: reuse it (one GPU device per process).
      const key = JSON.stringify([entry, o.dawnFlags ?? [], o.adapterOptions ?? {}, o.allowSoftwareAdapter ?? false]);
      if (accepted?.key === key && tf.findBackendFactory('webgpu') === accepted.factory) {
        if (await tf.setBackend('webgpu')) return { name: 'webgpu', tf, device: accepted.device };
      }
      const flags = o.dawnFlags ?? [];
      // On Linux Dawn reaches GPUs only through Vulkan: without the loader there can be no adapter, so
      // say so before loading 20 MB of dawn.node, and before Dawn prints its own "Couldn't load Vulkan"
      // warning on stderr.
      const vulkan = platform === 'linux' ? (o.vulkan ?? vulkanStatus)() : undefined;
      if (vulkan && !vulkan.loader && !flags.some((f) => f.startsWith('backend='))) return fail(noAdapterReason(platform, vulkan));
      let dawn: DawnModule;
      try {
        dawn = await loadDawn(entry);
      } catch (e) {
        return fail(explainLoadError('webgpu', e));
      }
      const gpu = dawn.create(flags);
      let adapter: DawnAdapter | null;
      try {
        adapter = await gpu.requestAdapter({ powerPreference: 'high-performance', ...o.adapterOptions });
      } catch (e) {
        return fail(`no GPU adapter: requestAdapter failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!adapter) return fail(noAdapterReason(platform, vulkan));
      const info: AdapterInfoLike = adapter.info ?? {};
      const soft = softwareAdapterReason(info, adapter.isFallbackAdapter === true);
      if (soft && !o.allowSoftwareAdapter) return fail(soft);
      // accepted only because NNLAB_WEBGPU_ALLOW_SOFTWARE asked for it: say so wherever the device is shown
      const softNote = soft && env.allowSoftwareAdapter && given.allowSoftwareAdapter === undefined ? ', software, allowed by NNLAB_WEBGPU_ALLOW_SOFTWARE' : '';

      // As tfjs-backend-webgpu's own factory does: the adapter's full limits, timestamps if offered.
      const requiredLimits: Record<string, number> = {};
      for (const k of LIMITS) if (typeof adapter.limits[k] === 'number') requiredLimits[k] = adapter.limits[k];
      let device: DawnDevice;
      try {
        device = await adapter.requestDevice({ requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [], requiredLimits });
      } catch (e) {
        return fail(`the GPU adapter ${adapterName(info)} refused to open a device: ${e instanceof Error ? e.message : String(e)}`);
      }

      installGlobals(dawn, gpu);
      const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
      // Register our factory (with the adapter checked above) under the name the webgpu kernels use;
      // the package's own registration, made only when navigator.gpu existed at import, is replaced.
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
      // The constructor's parameter types are DOM WebGPU types that src/core does not compile against;
      // the objects are Dawn's real GPUDevice/GPUAdapterInfo.
      type Ctor = new (device: unknown, info?: unknown) => tf.KernelBackend;
      const Base = WebGPUBackend as unknown as Ctor;
      // WebGPU has no synchronous read-back; in browsers tfjs fakes one through OffscreenCanvas, which
      // Node lacks ("OffscreenCanvas is not defined"). Say what to do instead.
      class NodeWebGPUBackend extends Base {
        override readSync(dataId: object): tf.BackendValues {
          try {
            return super.readSync(dataId);
          } catch (e) {
            if (e instanceof ReferenceError && /OffscreenCanvas/.test(e.message)) throw new Error(SYNC_READ);
            throw e;
          }
        }
      }
      const factory = () => new NodeWebGPUBackend(device, adapter.info);
      tf.registerBackend('webgpu', factory, 0);
      try {
        await requireProof(tf, 'webgpu', 'webgpu', o.proof);
      } catch (e) {
        tf.removeBackend('webgpu');
        device.destroy();
        const electron = e instanceof BackendUnavailable ? externalBufferReason(e.reason) : undefined;
        throw electron ? new BackendUnavailable('webgpu', electron) : e;
      }
      const forced = flags.find((f) => f.startsWith('backend='))?.slice('backend='.length);
      const via = forced === 'opengles' || forced === 'opengl' ? 'OpenGL' : forced === 'null' ? "Dawn's null backend" : platform === 'darwin' ? 'Metal' : platform === 'win32' ? 'D3D12/Vulkan' : 'Vulkan';
      const name = `${adapterName(info) || 'GPU'} via ${via} (WebGPU, Dawn${softNote})`;
      accepted = { key, factory, device: name };
      return { name: 'webgpu', tf, device: name };
    },
  };
}

export const webgpuBackend: BackendCandidate = createWebgpuCandidate();
