// Why a GPU backend cannot be used, in plain words with what to install. Most of this file is pure
// text analysis (load errors, TensorFlow's own log, WebGPU adapter info) so that every failure reason
// is unit-tested without a GPU; the few functions that look at the machine (shared-library search,
// Vulkan driver manifests, package resolution) take their inputs as arguments with real defaults.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import type { BackendChoice } from './backend';

// ---------------------------------------------------------------------------------------------------
// Shared libraries: which package provides each one the GPU backends need.

interface LibraryInfo {
  /** what it is, in words */
  what: string;
  /** what to install */
  install: string;
  kind: 'cuda' | 'cudnn' | 'driver' | 'tensorflow' | 'vulkan';
}

const CUDA_INSTALL = 'tfjs-node-gpu needs CUDA 11.2 and cuDNN 8.1: install the CUDA 11.2 toolkit libraries (NVIDIA CUDA repository: cuda-libraries-11-2) and cuDNN 8.1 (libcudnn8=8.1.*), or put the folder that holds them on LD_LIBRARY_PATH';

/** Exact file names (Linux .so and Windows .dll) the CUDA build of TensorFlow 2.x opens at start. */
const LIBRARIES: Record<string, LibraryInfo> = {
  'libcudart.so.11.0': { what: 'the CUDA 11 runtime', install: CUDA_INSTALL, kind: 'cuda' },
  'libcublas.so.11': { what: 'cuBLAS (CUDA 11)', install: CUDA_INSTALL, kind: 'cuda' },
  'libcublasLt.so.11': { what: 'cuBLASLt (CUDA 11)', install: CUDA_INSTALL, kind: 'cuda' },
  'libcufft.so.10': { what: 'cuFFT (CUDA 11)', install: CUDA_INSTALL, kind: 'cuda' },
  'libcurand.so.10': { what: 'cuRAND (CUDA 11)', install: CUDA_INSTALL, kind: 'cuda' },
  'libcusolver.so.11': { what: 'cuSOLVER (CUDA 11)', install: CUDA_INSTALL, kind: 'cuda' },
  'libcusparse.so.11': { what: 'cuSPARSE (CUDA 11)', install: CUDA_INSTALL, kind: 'cuda' },
  'libcudnn.so.8': { what: 'cuDNN 8', install: CUDA_INSTALL, kind: 'cudnn' },
  'cudart64_110.dll': { what: 'the CUDA 11 runtime', install: CUDA_INSTALL.replace('LD_LIBRARY_PATH', 'PATH'), kind: 'cuda' },
  'cublas64_11.dll': { what: 'cuBLAS (CUDA 11)', install: CUDA_INSTALL.replace('LD_LIBRARY_PATH', 'PATH'), kind: 'cuda' },
  'cudnn64_8.dll': { what: 'cuDNN 8', install: CUDA_INSTALL.replace('LD_LIBRARY_PATH', 'PATH'), kind: 'cudnn' },
  'libcuda.so.1': { what: 'the NVIDIA driver library', install: 'install the NVIDIA GPU driver (nvidia-smi must work)', kind: 'driver' },
  'nvcuda.dll': { what: 'the NVIDIA driver library', install: 'install the NVIDIA GPU driver', kind: 'driver' },
  'libtensorflow.so.2': {
    what: 'native TensorFlow, which the tfjs-node package downloads while it installs',
    install: 'reinstall it where network access to storage.googleapis.com is allowed (npm rebuild @tensorflow/tfjs-node-gpu)',
    kind: 'tensorflow',
  },
  'libtensorflow_framework.so.2': {
    what: 'native TensorFlow, which the tfjs-node package downloads while it installs',
    install: 'reinstall it where network access to storage.googleapis.com is allowed (npm rebuild @tensorflow/tfjs-node-gpu)',
    kind: 'tensorflow',
  },
  'libvulkan.so.1': {
    what: 'the Vulkan loader',
    install: "install it (Debian/Ubuntu: sudo apt install libvulkan1) together with your GPU's Vulkan driver (NVIDIA: part of the proprietary driver; AMD/Intel: mesa-vulkan-drivers)",
    kind: 'vulkan',
  },
};

export function libraryInfo(file: string): LibraryInfo | undefined {
  return LIBRARIES[file];
}

/** "CUDA/cuDNN library missing: libcudart.so.11.0 (the CUDA 11 runtime), libcudnn.so.8 (cuDNN 8) — <install>" */
export function missingLibrariesReason(files: readonly string[]): string {
  const unique = [...new Set(files)];
  const infos = unique.map((f) => ({ f, i: libraryInfo(f) }));
  const kinds = new Set(infos.map((x) => x.i?.kind));
  const list = infos.map((x) => (x.i ? `${x.f} (${x.i.what})` : x.f)).join(', ');
  const install = [...new Set(infos.map((x) => x.i?.install).filter((s): s is string => !!s))].join('; ');
  let head = 'shared library missing';
  if (kinds.size === 1 && kinds.has('tensorflow')) head = 'native TensorFlow library missing';
  else if (kinds.size === 1 && kinds.has('driver')) head = 'NVIDIA driver missing';
  else if (kinds.size === 1 && kinds.has('vulkan')) head = 'Vulkan loader missing';
  else if ([...kinds].every((k) => k === 'cuda' || k === 'cudnn')) head = 'CUDA/cuDNN library missing';
  return `${head}: ${list}${install ? ` — ${install}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------
// Load errors (what `require` of a native package throws) and TensorFlow's start-up log.

/** Library file names in dlopen / LoadLibrary messages, in order of appearance, without duplicates. */
export function missingLibrariesIn(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    // glibc dlopen, as Node reports it: "libcudart.so.11.0: cannot open shared object file: No such file or directory"
    /([A-Za-z0-9_.+-]+\.so(?:\.[0-9]+)*): cannot open shared object file/g,
    // TensorFlow's own log: "Could not load dynamic library 'libcudnn.so.8'; dlerror: …"
    /Could not load dynamic library '([^']+)'/g,
    // macOS dyld: "Library not loaded: @rpath/libtensorflow.2.dylib"
    /Library not loaded: (?:@rpath\/)?([^\s]+\.dylib)/g,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const file = m[1].split(/[\\/]/).pop() ?? m[1];
      if (!found.includes(file)) found.push(file);
    }
  }
  return found;
}

function errorText(e: unknown): { message: string; code?: string } {
  if (e instanceof Error) return { message: e.message, code: (e as NodeJS.ErrnoException).code };
  return { message: String(e) };
}

/** First non-empty line of a message: what the user needs to read, without stack or paths below. */
export function firstLine(message: string): string {
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? message;
}

/**
 * The plain reason for an exception thrown while requiring a native tfjs package (tfjs-node-gpu).
 * `pkg` is the package name, used to tell "the package itself is absent" from "a file inside it is".
 */
export function explainLoadError(pkg: string, e: unknown): string {
  const { message, code } = errorText(e);
  const electron = externalBufferReason(message);
  if (electron) return electron;
  const libs = missingLibrariesIn(message);
  if (libs.length) return missingLibrariesReason(libs);
  if (/tfjs_binding\.node/.test(message) && (code === 'MODULE_NOT_FOUND' || /Cannot find module/.test(message))) {
    return `${pkg} is installed without its native binding (lib/napi-v*/tfjs_binding.node): its install script, which downloads libtensorflow, did not run or failed — run npm rebuild ${pkg} with network access`;
  }
  if ((code === 'MODULE_NOT_FOUND' || /Cannot find module/.test(message)) && message.includes(`'${pkg}'`)) {
    return `not installed (${pkg})`;
  }
  if (/did not self-register/.test(message)) {
    return `its native binding could not be initialised in this thread (Node: "Module did not self-register"): it was already loaded by another worker thread of this process, or built for another Node.js version — restart the training, or run npm rebuild ${pkg}`;
  }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return `its native binding was built for another Node.js/Electron version: ${firstLine(message)} — run npm rebuild ${pkg} with the Node.js that runs NN Lab`;
  }
  const glibc = /version `(GLIBC(?:XX)?_[0-9.]+)' not found/.exec(message);
  if (glibc) return `this system's C library is too old for its native binding (needs ${glibc[1]}): ${firstLine(message)}`;
  if (/wrong ELF class|invalid ELF header|not a valid Win32 application|incompatible architecture/.test(message)) {
    return `its native binding is for another CPU architecture or operating system: ${firstLine(message)}`;
  }
  return `failed to load: ${firstLine(message)}`;
}

export interface TfLogVerdict {
  /** a CUDA GPU was registered by TensorFlow */
  gpu: boolean;
  /** "NVIDIA H100 80GB HBM3, compute capability 9.0" when TensorFlow printed it */
  device?: string;
  /** the plain reason when no GPU was registered */
  reason?: string;
}

/**
 * Reads TensorFlow's start-up log (stderr of a process that loaded tfjs-node-gpu with
 * TF_CPP_MIN_LOG_LEVEL=0 and ran one op). TensorFlow does not fail when CUDA is missing: it logs and
 * silently runs on the CPU, so the log is the only place the reason is told.
 */
export function explainTfLog(log: string): TfLogVerdict {
  const created = /Created device [^\n]*device:GPU:\d+[^\n]*?name: ([^,\n]+)(?:,[^\n]*?compute capability: ([0-9.]+))?/.exec(log);
  if (created) {
    const name = created[1].trim();
    return { gpu: true, device: created[2] ? `${name}, compute capability ${created[2]}` : name };
  }
  const libs = missingLibrariesIn(log);
  if (libs.length) return { gpu: false, reason: missingLibrariesReason(libs) };
  if (/CUDA_ERROR_NO_DEVICE|no CUDA-capable device is detected/.test(log)) {
    return { gpu: false, reason: 'no device: the CUDA driver is installed but reports no CUDA-capable GPU (check nvidia-smi and CUDA_VISIBLE_DEVICES)' };
  }
  if (/kernel driver does not appear to be running on this host|CUDA_ERROR_UNKNOWN|UNKNOWN ERROR \(\d+\)|failed call to cuInit/.test(log)) {
    const line = /failed call to cuInit[^\n]*/.exec(log)?.[0];
    return { gpu: false, reason: `no device: CUDA could not start${line ? ` (${line.trim()})` : ''} — check that the NVIDIA kernel driver is loaded (nvidia-smi)` };
  }
  if (/Ignoring visible gpu device .*compute capability/.test(log)) {
    const line = /Ignoring visible gpu device[^\n]*/.exec(log)?.[0] ?? '';
    return { gpu: false, reason: `no device: TensorFlow ignored the GPU as too old: ${line.trim()}` };
  }
  return { gpu: false, reason: 'no device: TensorFlow registered no GPU (it printed no CUDA error; is this the CPU-only @tensorflow/tfjs-node package renamed, or is CUDA_VISIBLE_DEVICES empty?)' };
}

// ---------------------------------------------------------------------------------------------------
// WebGPU adapters.

/** The GPUAdapterInfo fields the checks read (Dawn fills all of them; browsers some). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Software rasterisers that present themselves as GPUs: slower than the CPU backends, so rejected. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render driver|\bwarp\b/i;

/** The plain rejection reason when the adapter is a CPU software renderer, else undefined. */
export function softwareAdapterReason(info: AdapterInfoLike, isFallbackAdapter = false): string | undefined {
  const text = [info.description, info.device, info.vendor, info.architecture].filter(Boolean).join(' ');
  const soft = SOFTWARE_ADAPTER.exec(text);
  if (!soft && !isFallbackAdapter && !info.isFallbackAdapter) return undefined;
  const name = adapterName(info) || 'unnamed adapter';
  const which =
    soft && /llvmpipe|lavapipe/i.test(soft[0])
      ? /opengl/i.test(text)
        ? ' (Mesa llvmpipe, an OpenGL driver that runs on the CPU)'
        : ' (Mesa lavapipe, a Vulkan driver that runs on the CPU)'
      : ' (a software renderer that runs on the CPU)';
  return `software adapter rejected: the only WebGPU adapter is ${name}${which}, slower than the CPU backends — install your GPU's Vulkan/Metal/D3D12 driver`;
}

/** "NVIDIA H100 80GB HBM3" from the adapter's description or vendor/device. */
export function adapterName(info: AdapterInfoLike): string {
  const d = info.description?.trim();
  const dev = info.device?.trim();
  if (d) return dev && !d.toLowerCase().includes(dev.toLowerCase()) && /[a-z]/i.test(dev) ? `${d} (${dev})` : d;
  return [info.vendor, info.architecture, info.device].filter((s) => s && s.trim()).join(' ').trim();
}

export interface VulkanStatus {
  /** where libvulkan.so.1 was found, or undefined */
  loader?: string;
  /** Vulkan driver manifests (ICDs) found, e.g. ["nvidia_icd.json"] */
  drivers: string[];
}

const LIB_DIRS = ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib'];
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/**
 * Where the dynamic loader would find `file`: LD_LIBRARY_PATH, then the ld.so cache, then the usual
 * folders. Returns the path (or "ld.so.cache") or undefined.
 */
export function findSharedLibrary(
  file: string,
  where: { env?: NodeJS.ProcessEnv; dirs?: readonly string[]; ldCache?: string } = {},
): string | undefined {
  const env = where.env ?? process.env;
  const fromEnv = (env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean);
  for (const d of [...fromEnv, ...(where.dirs ?? LIB_DIRS)]) {
    const p = join(d, file);
    if (existsSync(p)) return p;
  }
  const cache = where.ldCache ?? '/etc/ld.so.cache';
  try {
    // The cache holds each library's name as a NUL-terminated string.
    if (readFileSync(cache).includes(Buffer.from(`${file}\0`))) return cache;
  } catch {
    /* no cache: not found */
  }
  return undefined;
}

/** Vulkan loader and driver manifests on this Linux machine (VK_ICD_FILENAMES/VK_DRIVER_FILES honoured). */
export function vulkanStatus(where: { env?: NodeJS.ProcessEnv; libDirs?: readonly string[]; ldCache?: string; icdDirs?: readonly string[] } = {}): VulkanStatus {
  const env = where.env ?? process.env;
  const loader = findSharedLibrary('libvulkan.so.1', { env, dirs: where.libDirs, ldCache: where.ldCache });
  const explicit = (env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES ?? '').split(delimiter).filter(Boolean);
  const drivers = explicit.length
    ? explicit.map((p) => p.split(/[\\/]/).pop() ?? p)
    : (where.icdDirs ?? ICD_DIRS).flatMap((d) => {
        try {
          return readdirSync(d).filter((f) => f.endsWith('.json'));
        } catch {
          return [];
        }
      });
  return { loader, drivers: [...new Set(drivers)].sort() };
}

/** The reason when Dawn's requestAdapter() answered null. */
export function noAdapterReason(platform: NodeJS.Platform, vulkan?: VulkanStatus): string {
  if (platform === 'darwin') return 'no GPU adapter: Dawn found no Metal GPU';
  if (platform === 'win32') return 'no GPU adapter: Dawn found no D3D12 or Vulkan GPU (update the GPU driver)';
  if (!vulkan || !vulkan.loader) return missingLibrariesReason(['libvulkan.so.1']);
  if (vulkan.drivers.length === 0) {
    return "no GPU adapter: the Vulkan loader is installed but no Vulkan driver is (no *.json in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d) — install your GPU's Vulkan driver (NVIDIA: the proprietary driver; AMD/Intel: mesa-vulkan-drivers)";
  }
  const software = vulkan.drivers.filter((d) => /^lvp_|lavapipe|swiftshader/i.test(d));
  if (software.length === vulkan.drivers.length) {
    return `no GPU adapter: the only Vulkan driver is ${software.join(', ')} (Mesa lavapipe, a CPU software driver that Dawn rejects) — install your GPU's Vulkan driver`;
  }
  return `no GPU adapter: Dawn found no usable GPU through Vulkan (drivers: ${vulkan.drivers.join(', ')}) — check that vulkaninfo lists your GPU`;
}

// ---------------------------------------------------------------------------------------------------
// Optional packages and where training runs.

/**
 * The entry file (package.json "main") of an optional package installed outside the bundle: looked up
 * in each of `modulePaths` (a folder holding node_modules, or a node_modules folder itself), then — unless
 * `fallback` is false — wherever Node would find it from this file (the extension's own node_modules).
 */
export function resolveOptionalPackage(pkg: string, modulePaths: readonly string[], fallback = true): string | undefined {
  for (const dir of modulePaths) {
    for (const root of [join(dir, 'node_modules'), dir]) {
      const pkgDir = join(root, ...pkg.split('/'));
      const manifest = join(pkgDir, 'package.json');
      if (!existsSync(manifest)) continue;
      let main = 'index.js';
      try {
        const m = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: unknown }).main;
        if (typeof m === 'string' && m) main = m;
      } catch {
        /* unreadable manifest: try the default entry */
      }
      const base = join(pkgDir, main);
      const entry = [base, `${base}.js`, join(base, 'index.js')].find((p) => existsSync(p) && !statSync(p).isDirectory());
      if (entry) return entry;
    }
  }
  if (!fallback) return undefined;
  try {
    return createRequire(__filename).resolve(pkg);
  } catch {
    return undefined;
  }
}

export type TrainingIsolation = 'worker-thread' | 'child-process';

/**
 * Where a run with this backend choice should execute: a forked child process for every choice that
 * may load a native addon (`auto`, `webgpu`, `tfjs-node-gpu`, `tfjs-node`), in every host; a worker
 * thread for the pure-JS/wasm backends.
 *  - A crash in native GPU code (a driver, CUDA, Dawn) in a worker thread would take the whole
 *    extension host down with it (desktop, code-server and a Remote-SSH host alike, where GPU
 *    training often happens); in a child process it ends one run, and the training host then falls
 *    back to the CPU backends (src/training/host.ts).
 *  - Inside Electron (desktop VS Code) the child also escapes Electron's V8 memory cage: dawn.node is a
 *    pure Node-API addon (exports napi_register_module_v1, imports no V8 C++ symbols), so it links
 *    against Electron's Node; but it imports napi_create_external_arraybuffer, which Electron ≥ 21
 *    refuses under the cage ("External buffers are not allowed", electron/electron#35801,
 *    dawn-gpu/node-webgpu#5). VS Code ships its own Electron builds; whether they keep the cage is
 *    unverified here (no Electron, no GPU). The child runs a real Node.js from PATH when there is one
 *    (childProcessOptions), else Electron as Node.
 * NNLAB_TRAINING_ISOLATION=child-process|worker-thread overrides the choice (a way out if one of them
 * misbehaves on a machine; tests use it to run both paths).
 */
export function trainingIsolation(choice: BackendChoice, env: NodeJS.ProcessEnv = process.env): TrainingIsolation {
  const forced = env.NNLAB_TRAINING_ISOLATION;
  if (forced === 'child-process' || forced === 'worker-thread') return forced;
  return NATIVE_CHOICES.includes(choice) ? 'child-process' : 'worker-thread';
}

/** The backend choices that may load a native addon, so run in a child process. */
export const NATIVE_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'tfjs-node-gpu', 'tfjs-node'];

/** `node --version` of an executable, e.g. "v20.20.2", or undefined if it does not run. */
function nodeVersionOf(path: string): string | undefined {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 5000, windowsHide: true, env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } }).trim();
  } catch {
    return undefined;
  }
}

/** The first Node.js ≥ 20 on PATH other than `self` (Electron), or undefined. */
export function findNodeExecutable(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  self: string = process.execPath,
  versionOf: (path: string) => string | undefined = nodeVersionOf,
): string | undefined {
  const names = platform === 'win32' ? ['node.exe'] : ['node'];
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  for (const d of dirs) {
    for (const n of names) {
      const p = join(d, n);
      try {
        if (p === self || !statSync(p).isFile()) continue;
      } catch {
        continue;
      }
      const major = Number(/^v(\d+)\./.exec(versionOf(p) ?? '')?.[1]);
      if (major >= 20) return p;
    }
  }
  return undefined;
}

/**
 * Options for `child_process.fork(script, args, childProcessOptions())`. Outside Electron: this Node.
 * Inside Electron: a real Node.js from PATH if there is one, else Electron's own binary acting as Node
 * (ELECTRON_RUN_AS_NODE=1: crash-isolated, but with the same V8 as the extension host).
 */
export function childProcessOptions(
  env: NodeJS.ProcessEnv = process.env,
  versions: NodeJS.ProcessVersions = process.versions,
  nodeOnPath: () => string | undefined = () => findNodeExecutable(env),
): { execPath: string; env: NodeJS.ProcessEnv; serialization: 'advanced'; runtime: 'node' | 'electron-as-node' } {
  const electron = typeof (versions as NodeJS.ProcessVersions & { electron?: string }).electron === 'string';
  if (!electron) return { execPath: process.execPath, env: { ...env }, serialization: 'advanced', runtime: 'node' };
  const node = nodeOnPath();
  if (node) return { execPath: node, env: { ...env }, serialization: 'advanced', runtime: 'node' };
  return { execPath: process.execPath, env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, serialization: 'advanced', runtime: 'electron-as-node' };
}

/** Electron's V8 memory cage refusing an addon's off-heap ArrayBuffer, in plain words; else undefined. */
export function externalBufferReason(message: string): string | undefined {
  if (!/External buffers are not allowed|napi_no_external_buffers_allowed/i.test(message)) return undefined;
  return 'this runtime (Electron) refuses the off-heap buffers dawn.node reads GPU results through ("External buffers are not allowed") — install Node.js 20 or later on PATH: NN Lab then trains on the GPU in a separate Node.js process';
}
