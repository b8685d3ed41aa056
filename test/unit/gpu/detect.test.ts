// Plain-words failure reasons, from the exact texts the dynamic loader, TensorFlow and Dawn produce.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  childProcessOptions,
  explainLoadError,
  explainTfLog,
  externalBufferReason,
  findNodeExecutable,
  findSharedLibrary,
  missingLibrariesIn,
  missingLibrariesReason,
  noAdapterReason,
  resolveOptionalPackage,
  softwareAdapterReason,
  trainingIsolation,
  vulkanStatus,
} from '../../../src/core/train/detect';

const CUDA_ADVICE =
  'tfjs-node-gpu needs CUDA 11.2 and cuDNN 8.1: install the CUDA 11.2 toolkit libraries (NVIDIA CUDA repository: cuda-libraries-11-2) and cuDNN 8.1 (libcudnn8=8.1.*), or put the folder that holds them on LD_LIBRARY_PATH';

function dlopenError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_DLOPEN_FAILED' });
}

test('load error: a missing CUDA runtime is named exactly, with what to install', () => {
  const e = dlopenError('libcudart.so.11.0: cannot open shared object file: No such file or directory');
  assert.equal(explainLoadError('@tensorflow/tfjs-node-gpu', e), `CUDA/cuDNN library missing: libcudart.so.11.0 (the CUDA 11 runtime) — ${CUDA_ADVICE}`);
});

test('load error: cuDNN with a full path in the message', () => {
  const e = dlopenError('/opt/x/lib/libcudnn.so.8: cannot open shared object file: No such file or directory');
  assert.equal(explainLoadError('@tensorflow/tfjs-node-gpu', e), `CUDA/cuDNN library missing: libcudnn.so.8 (cuDNN 8) — ${CUDA_ADVICE}`);
});

test('load error: libtensorflow missing says the install download did not happen', () => {
  const e = dlopenError('libtensorflow.so.2: cannot open shared object file: No such file or directory');
  assert.equal(
    explainLoadError('@tensorflow/tfjs-node-gpu', e),
    'native TensorFlow library missing: libtensorflow.so.2 (native TensorFlow, which the tfjs-node package downloads while it installs) — reinstall it where network access to storage.googleapis.com is allowed (npm rebuild @tensorflow/tfjs-node-gpu)',
  );
});

test('load error: the package itself absent → not installed; a binding file absent → install script', () => {
  const absent = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node-gpu'\nRequire stack:\n- /x.js"), { code: 'MODULE_NOT_FOUND' });
  assert.equal(explainLoadError('@tensorflow/tfjs-node-gpu', absent), 'not installed (@tensorflow/tfjs-node-gpu)');
  const binding = Object.assign(new Error("Cannot find module '/p/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node'"), { code: 'MODULE_NOT_FOUND' });
  assert.match(explainLoadError('@tensorflow/tfjs-node-gpu', binding), /^@tensorflow\/tfjs-node-gpu is installed without its native binding \(lib\/napi-v\*\/tfjs_binding\.node\): its install script/);
});

test('load error: ABI mismatch, old glibc, anything else keeps its first line', () => {
  const abi = new Error(
    "The module '/p/tfjs_binding.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 123.",
  );
  assert.equal(
    explainLoadError('webgpu', abi),
    "its native binding was built for another Node.js/Electron version: The module '/p/tfjs_binding.node' — run npm rebuild webgpu with the Node.js that runs NN Lab",
  );
  assert.equal(
    explainLoadError('@tensorflow/tfjs-node-gpu', new Error('Module did not self-register: \'/p/lib/napi-v8/tfjs_binding.node\'.')),
    'its native binding could not be initialised in this thread (Node: "Module did not self-register"): it was already loaded by another worker thread of this process, or built for another Node.js version — restart the training, or run npm rebuild @tensorflow/tfjs-node-gpu',
  );
  const glibc = dlopenError("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /p/dawn.node)");
  assert.equal(
    explainLoadError('webgpu', glibc),
    "this system's C library is too old for its native binding (needs GLIBC_2.34): /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found (required by /p/dawn.node)",
  );
  assert.equal(explainLoadError('webgpu', new Error('boom\n    at x')), 'failed to load: boom');
});

test('missingLibrariesIn: dlopen, TensorFlow log and dyld texts, deduplicated in order', () => {
  const text = [
    "W dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory",
    "W dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file",
    'dyld: Library not loaded: @rpath/libtensorflow.2.dylib',
  ].join('\n');
  assert.deepEqual(missingLibrariesIn(text), ['libcudart.so.11.0', 'libcudnn.so.8', 'libtensorflow.2.dylib']);
  assert.deepEqual(missingLibrariesIn('all fine'), []);
});

test('missingLibrariesReason: driver and Vulkan headings; unknown libraries listed bare', () => {
  assert.equal(missingLibrariesReason(['libcuda.so.1']), 'NVIDIA driver missing: libcuda.so.1 (the NVIDIA driver library) — install the NVIDIA GPU driver (nvidia-smi must work)');
  assert.match(missingLibrariesReason(['libvulkan.so.1']), /^Vulkan loader missing: libvulkan\.so\.1 \(the Vulkan loader\) — install it \(Debian\/Ubuntu: sudo apt install libvulkan1\)/);
  assert.equal(missingLibrariesReason(['libfoo.so.3']), 'shared library missing: libfoo.so.3');
  assert.equal(missingLibrariesReason(['libcudart.so.11.0', 'libcudnn.so.8', 'libcudart.so.11.0']), `CUDA/cuDNN library missing: libcudart.so.11.0 (the CUDA 11 runtime), libcudnn.so.8 (cuDNN 8) — ${CUDA_ADVICE}`);
});

// TensorFlow 2.9 log lines, as tfjs-node-gpu 4.x prints them with TF_CPP_MIN_LOG_LEVEL=0.
const CREATED =
  '2026-11-25 21:00:00.000001: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1532] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 78912 MB memory:  -> device: 0, name: NVIDIA H100 80GB HBM3, pci bus id: 0000:00:05.0, compute capability: 9.0';

test('TensorFlow log: a created GPU device is accepted and named', () => {
  assert.deepEqual(explainTfLog(`noise\n${CREATED}\nmore`), { gpu: true, device: 'NVIDIA H100 80GB HBM3, compute capability 9.0' });
});

test('TensorFlow log: each no-GPU reason', () => {
  assert.deepEqual(explainTfLog("W x] Could not load dynamic library 'libcublas.so.11'; dlerror: libcublas.so.11: cannot open shared object file"), {
    gpu: false,
    reason: `CUDA/cuDNN library missing: libcublas.so.11 (cuBLAS (CUDA 11)) — ${CUDA_ADVICE}`,
  });
  assert.deepEqual(explainTfLog('E cuda_driver.cc:271] failed call to cuInit: CUDA_ERROR_NO_DEVICE: no CUDA-capable device is detected'), {
    gpu: false,
    reason: 'no device: the CUDA driver is installed but reports no CUDA-capable GPU (check nvidia-smi and CUDA_VISIBLE_DEVICES)',
  });
  assert.deepEqual(explainTfLog('E cuda_driver.cc:271] failed call to cuInit: UNKNOWN ERROR (303)\nI cuda_diagnostics.cc:156] kernel driver does not appear to be running on this host (h): /proc/driver/nvidia/version does not exist'), {
    gpu: false,
    reason: 'no device: CUDA could not start (failed call to cuInit: UNKNOWN ERROR (303)) — check that the NVIDIA kernel driver is loaded (nvidia-smi)',
  });
  assert.equal(explainTfLog("W x] Could not load dynamic library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file").reason, 'NVIDIA driver missing: libcuda.so.1 (the NVIDIA driver library) — install the NVIDIA GPU driver (nvidia-smi must work)');
  assert.equal(explainTfLog('').gpu, false);
  assert.match(explainTfLog('').reason ?? '', /^no device: TensorFlow registered no GPU/);
});

test('software adapters: lavapipe, SwiftShader, WARP and fallback adapters rejected; real GPUs accepted', () => {
  assert.equal(
    softwareAdapterReason({ vendor: 'mesa', architecture: '', device: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }),
    "software adapter rejected: the only WebGPU adapter is llvmpipe (LLVM 15.0.6, 256 bits) (Mesa lavapipe, a Vulkan driver that runs on the CPU), slower than the CPU backends — install your GPU's Vulkan/Metal/D3D12 driver",
  );
  assert.match(softwareAdapterReason({ vendor: 'google', description: 'SwiftShader Device (Subzero)' }) ?? '', /SwiftShader Device \(Subzero\) \(a software renderer that runs on the CPU\)/);
  assert.match(softwareAdapterReason({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }) ?? '', /software adapter rejected/);
  assert.match(softwareAdapterReason({ vendor: 'x', description: 'Some GPU' }, true) ?? '', /^software adapter rejected: the only WebGPU adapter is Some GPU/);
  assert.equal(softwareAdapterReason({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }), undefined);
  assert.equal(softwareAdapterReason({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' }), undefined);
  assert.equal(softwareAdapterReason({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) Xe Graphics' }), undefined);
});

test('no adapter: the reason depends on the Vulkan loader and drivers present', () => {
  assert.match(noAdapterReason('linux', { loader: undefined, drivers: [] }), /^Vulkan loader missing: libvulkan\.so\.1/);
  assert.match(noAdapterReason('linux', undefined), /^Vulkan loader missing/);
  assert.match(noAdapterReason('linux', { loader: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', drivers: [] }), /^no GPU adapter: the Vulkan loader is installed but no Vulkan driver is/);
  assert.equal(
    noAdapterReason('linux', { loader: '/etc/ld.so.cache', drivers: ['lvp_icd.x86_64.json'] }),
    "no GPU adapter: the only Vulkan driver is lvp_icd.x86_64.json (Mesa lavapipe, a CPU software driver that Dawn rejects) — install your GPU's Vulkan driver",
  );
  assert.equal(
    noAdapterReason('linux', { loader: '/etc/ld.so.cache', drivers: ['lvp_icd.x86_64.json', 'nvidia_icd.json'] }),
    'no GPU adapter: Dawn found no usable GPU through Vulkan (drivers: lvp_icd.x86_64.json, nvidia_icd.json) — check that vulkaninfo lists your GPU',
  );
  assert.equal(noAdapterReason('darwin'), 'no GPU adapter: Dawn found no Metal GPU');
  assert.equal(noAdapterReason('win32'), 'no GPU adapter: Dawn found no D3D12 or Vulkan GPU (update the GPU driver)');
});

test('findSharedLibrary and vulkanStatus read LD_LIBRARY_PATH, folders, the ld.so cache and ICD folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnlab-gpu-'));
  try {
    const lib = join(root, 'lib');
    const icd = join(root, 'icd.d');
    mkdirSync(lib);
    mkdirSync(icd);
    const none = { env: {}, dirs: [join(root, 'empty')], ldCache: join(root, 'no-cache') };
    assert.equal(findSharedLibrary('libvulkan.so.1', none), undefined);
    writeFileSync(join(lib, 'libvulkan.so.1'), '');
    assert.equal(findSharedLibrary('libvulkan.so.1', { ...none, env: { LD_LIBRARY_PATH: `/nowhere:${lib}` } }), join(lib, 'libvulkan.so.1'));
    assert.equal(findSharedLibrary('libvulkan.so.1', { ...none, dirs: [lib] }), join(lib, 'libvulkan.so.1'));
    // the cache stores names NUL-terminated: "libvulkan.so.10" must not count as "libvulkan.so.1"
    const cache = join(root, 'ld.so.cache');
    writeFileSync(cache, Buffer.from('glibc-ld.so.cache1.1\0libvulkan.so.10\0'));
    assert.equal(findSharedLibrary('libvulkan.so.1', { ...none, ldCache: cache }), undefined);
    writeFileSync(cache, Buffer.from('glibc-ld.so.cache1.1\0libvulkan.so.1\0/usr/lib/x86_64-linux-gnu/libvulkan.so.1\0'));
    assert.equal(findSharedLibrary('libvulkan.so.1', { ...none, ldCache: cache }), cache);

    writeFileSync(join(icd, 'nvidia_icd.json'), '{}');
    writeFileSync(join(icd, 'lvp_icd.x86_64.json'), '{}');
    writeFileSync(join(icd, 'README'), '');
    assert.deepEqual(vulkanStatus({ env: {}, libDirs: [lib], ldCache: join(root, 'no-cache'), icdDirs: [icd, join(root, 'missing')] }), {
      loader: join(lib, 'libvulkan.so.1'),
      drivers: ['lvp_icd.x86_64.json', 'nvidia_icd.json'],
    });
    assert.deepEqual(vulkanStatus({ env: { VK_ICD_FILENAMES: '/x/radeon_icd.x86_64.json' }, libDirs: [], ldCache: join(root, 'no-cache'), icdDirs: [icd] }), {
      loader: undefined,
      drivers: ['radeon_icd.x86_64.json'],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('resolveOptionalPackage: a folder holding node_modules, a node_modules-like folder, or nothing', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnlab-gpu-'));
  try {
    const pkg = join(root, 'node_modules', '@tensorflow', 'tfjs-node-gpu');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{ "name": "@tensorflow/tfjs-node-gpu", "main": "dist/index.js" }');
    writeFileSync(join(pkg, 'dist', 'index.js'), '');
    assert.equal(resolveOptionalPackage('@tensorflow/tfjs-node-gpu', [join(root, 'nope'), root], false), join(pkg, 'dist', 'index.js'));
    assert.equal(resolveOptionalPackage('@tensorflow/tfjs-node-gpu', [join(root, 'node_modules')], false), join(pkg, 'dist', 'index.js'));
    assert.equal(resolveOptionalPackage('@tensorflow/tfjs-node-gpu', [join(root, 'nope')], false), undefined);
    // "main" without extension, as many packages write it
    writeFileSync(join(pkg, 'package.json'), '{ "name": "@tensorflow/tfjs-node-gpu", "main": "dist/index" }');
    assert.equal(resolveOptionalPackage('@tensorflow/tfjs-node-gpu', [root], false), join(pkg, 'dist', 'index.js'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('training isolation: every choice that may load a native addon runs in a child process, in any host', () => {
  for (const c of ['auto', 'webgpu', 'tfjs-node-gpu', 'tfjs-node'] as const) assert.equal(trainingIsolation(c, {}), 'child-process');
  assert.equal(trainingIsolation('wasm', {}), 'worker-thread');
  assert.equal(trainingIsolation('cpu', {}), 'worker-thread');
  // NNLAB_TRAINING_ISOLATION overrides either way; any other value is ignored
  assert.equal(trainingIsolation('cpu', { NNLAB_TRAINING_ISOLATION: 'child-process' }), 'child-process');
  assert.equal(trainingIsolation('webgpu', { NNLAB_TRAINING_ISOLATION: 'worker-thread' }), 'worker-thread');
  assert.equal(trainingIsolation('webgpu', { NNLAB_TRAINING_ISOLATION: 'process' }), 'child-process');
});

test('child process: this Node outside Electron; inside, a real Node from PATH, else Electron as Node', () => {
  const node = { ...process.versions } as NodeJS.ProcessVersions;
  const electron = { ...process.versions, electron: '29.4.0' } as NodeJS.ProcessVersions;
  assert.deepEqual(childProcessOptions({ PATH: '/bin' }, node), { execPath: process.execPath, env: { PATH: '/bin' }, serialization: 'advanced', runtime: 'node' });
  assert.deepEqual(childProcessOptions({ PATH: '/bin' }, electron, () => '/usr/local/bin/node'), {
    execPath: '/usr/local/bin/node',
    env: { PATH: '/bin' },
    serialization: 'advanced',
    runtime: 'node',
  });
  assert.deepEqual(childProcessOptions({ PATH: '/bin' }, electron, () => undefined), {
    execPath: process.execPath,
    env: { PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' },
    serialization: 'advanced',
    runtime: 'electron-as-node',
  });
});

test('findNodeExecutable: the first Node.js ≥ 20 on PATH, never the running binary', () => {
  const root = mkdtempSync(join(tmpdir(), 'nnlab-gpu-'));
  try {
    const a = join(root, 'a');
    const b = join(root, 'b');
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, 'node'), '');
    writeFileSync(join(b, 'node'), '');
    const versions: Record<string, string | undefined> = { [join(a, 'node')]: 'v18.19.1', [join(b, 'node')]: 'v22.11.0' };
    const v = (p: string) => versions[p];
    assert.equal(findNodeExecutable({ PATH: `${a}:${b}` }, 'linux', '/opt/electron/code', v), join(b, 'node'));
    assert.equal(findNodeExecutable({ PATH: `${a}:${b}` }, 'linux', join(b, 'node'), v), undefined);
    assert.equal(findNodeExecutable({ PATH: join(root, 'none') }, 'linux', '/x', v), undefined);
    writeFileSync(join(a, 'node.exe'), '');
    assert.equal(findNodeExecutable({ Path: `${a};${b}` }, 'win32', 'C:/code.exe', () => 'v20.0.0'), join(a, 'node.exe'));
    // the real version check runs the binary: this Node qualifies (engines: node >= 20)
    assert.equal(findNodeExecutable({ PATH: dirname(process.execPath) }, process.platform, '/not/this'), process.execPath);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("Electron's refusal of external buffers becomes a plain reason", () => {
  const want =
    'this runtime (Electron) refuses the off-heap buffers dawn.node reads GPU results through ("External buffers are not allowed") — install Node.js 20 or later on PATH: NN Lab then trains on the GPU in a separate Node.js process';
  assert.equal(explainLoadError('webgpu', new Error('External buffers are not allowed')), want);
  assert.equal(externalBufferReason('failed a 2×2 matrix product: External buffers are not allowed'), want);
  assert.equal(externalBufferReason('failed a 2×2 matrix product: out of memory'), undefined);
});
