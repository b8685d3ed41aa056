// The two GPU candidates end to end against fixture packages (test/unit/gpu/fixtures, see its README):
// each failure arrives as BackendUnavailable with its plain reason. tfjs-node-gpu fixtures go through
// the real child-process probe; and on this machine `auto` lands on a CPU backend with the reasons listed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailable, type BackendCandidate } from '../../../src/core/train/backend';
import { createNodeGpuCandidate, explainProbe } from '../../../src/core/train/backends/nodeGpu';
import { createWebgpuCandidate, webgpuEnvOptions } from '../../../src/core/train/backends/webgpu';
import { vulkanStatus } from '../../../src/core/train/detect';
import { selectBackend } from '../../../src/core/train/select';

const fixtures = join(__dirname, 'fixtures');
const repo = join(__dirname, '..', '..', '..');
const CUDA_ADVICE =
  'tfjs-node-gpu needs CUDA 11.2 and cuDNN 8.1: install the CUDA 11.2 toolkit libraries (NVIDIA CUDA repository: cuda-libraries-11-2) and cuDNN 8.1 (libcudnn8=8.1.*), or put the folder that holds them on LD_LIBRARY_PATH';

after(async () => {
  if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  await tf.setBackend('cpu');
});

async function reasonOf(c: BackendCandidate, modulePaths: string[]): Promise<string> {
  try {
    await c.load({ modulePaths });
  } catch (e) {
    assert.ok(e instanceof BackendUnavailable, `expected BackendUnavailable, got ${String(e)}`);
    assert.equal(e.backend, c.name);
    assert.equal(e.message, `${c.name}: ${e.reason}`);
    return e.reason;
  }
  assert.fail(`${c.name} loaded from ${modulePaths.join(', ')}`);
}

const nodeGpu = createNodeGpuCandidate({ platform: 'linux', probeTimeoutMs: 30_000 });

test('tfjs-node-gpu: not installed', async () => {
  assert.match(await reasonOf(nodeGpu, [join(fixtures, 'webgpu-null-adapter')]), /^not installed \(npm install @tensorflow\/tfjs-node-gpu \(Linux x64 or Windows with an NVIDIA GPU, CUDA 11\.2 and cuDNN 8\.1/);
});

test('tfjs-node-gpu: CUDA runtime missing (real dlopen failure in the probe process)', async () => {
  assert.equal(await reasonOf(nodeGpu, [join(fixtures, 'nodegpu-dlopen-cudart')]), `CUDA/cuDNN library missing: libcudart.so.11.0 (the CUDA 11 runtime) — ${CUDA_ADVICE}`);
});

test('tfjs-node-gpu: libtensorflow missing, binding never built', async () => {
  assert.match(await reasonOf(nodeGpu, [join(fixtures, 'nodegpu-dlopen-libtensorflow')]), /^native TensorFlow library missing: libtensorflow\.so\.2 /);
  assert.match(await reasonOf(nodeGpu, [join(fixtures, 'nodegpu-no-binding')]), /^@tensorflow\/tfjs-node-gpu is installed without its native binding/);
});

test('tfjs-node-gpu: loads but TensorFlow logs a missing cuDNN (it would silently run on the CPU)', async () => {
  assert.equal(await reasonOf(nodeGpu, [join(fixtures, 'nodegpu-log-cudnn')]), `CUDA/cuDNN library missing: libcudnn.so.8 (cuDNN 8) — ${CUDA_ADVICE}`);
});

test('tfjs-node-gpu: no device', async () => {
  assert.equal(
    await reasonOf(nodeGpu, [join(fixtures, 'nodegpu-log-no-device')]),
    'no device: the CUDA driver is installed but reports no CUDA-capable GPU (check nvidia-smi and CUDA_VISIBLE_DEVICES)',
  );
});

test('tfjs-node-gpu: a GPU in the log whose backend computes wrong numbers is rejected by the proof', async () => {
  assert.match(await reasonOf(nodeGpu, [join(fixtures, 'nodegpu-log-gpu-wrong')]), /^computation gave wrong numbers: \[\[1,2\],\[3,4\]\]·\[\[5,6\],\[7,8\]\] gave \[23, 34, 31, 46\]/);
});

test('tfjs-node-gpu: a GPU in the log and a correct backend is accepted and named from the log (fixture: CPU kernels)', async () => {
  const b = await nodeGpu.load({ modulePaths: [join(fixtures, 'nodegpu-log-gpu')] });
  assert.equal(b.name, 'tfjs-node-gpu');
  assert.equal(b.device, 'NVIDIA H100 80GB HBM3, compute capability 9.0 (CUDA, native TensorFlow)');
  assert.equal(b.tf.getBackend(), 'tensorflow');
  assert.deepEqual(Array.from(await b.tf.matMul(b.tf.tensor2d([[2]]), b.tf.tensor2d([[3]])).data()), [6]);
});

test('tfjs-node-gpu: macOS is told to use webgpu', async () => {
  const mac = createNodeGpuCandidate({ platform: 'darwin' });
  assert.equal(await reasonOf(mac, [join(fixtures, 'nodegpu-log-gpu')]), 'CUDA is not available on macOS (the webgpu backend uses the Mac GPU through Metal)');
});

test('tfjs-node-gpu probe verdicts: time-out and crash', () => {
  assert.deepEqual(explainProbe({ code: null, signal: 'SIGKILL', stdout: '', stderr: '', timedOut: true }, 120_000), {
    ok: false,
    reason: 'loading it took longer than 120 s (a first run on a new GPU compiles CUDA kernels; try again, or choose another backend)',
  });
  assert.deepEqual(explainProbe({ code: null, signal: 'SIGSEGV', stdout: '', stderr: 'F something fatal\nSegmentation fault', timedOut: false }, 1000), {
    ok: false,
    reason: 'crashed while loading (signal SIGSEGV): Segmentation fault',
  });
  assert.deepEqual(
    explainProbe({ code: 134, signal: null, stdout: '', stderr: "W x] Could not load dynamic library 'libcudnn.so.8'; dlerror: x\nAborted", timedOut: false }, 1000),
    { ok: false, reason: `CUDA/cuDNN library missing: libcudnn.so.8 (cuDNN 8) — ${CUDA_ADVICE}` },
  );
});

const noVulkan = () => ({ loader: undefined, drivers: [] });

test('webgpu: not installed', async () => {
  const c = createWebgpuCandidate({ ownNodeModules: false, platform: 'linux', vulkan: noVulkan });
  assert.match(await reasonOf(c, [join(fixtures, 'nodegpu-log-gpu')]), /^not installed \(the webgpu package: npm install webgpu \(Dawn for Node/);
});

test('webgpu: requestAdapter() null → Vulkan loader missing / no driver / lavapipe only / no usable GPU', async () => {
  const paths = [join(fixtures, 'webgpu-null-adapter')];
  const withVulkan = (drivers: string[]) => () => ({ loader: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', drivers });
  const reason = (o: Parameters<typeof createWebgpuCandidate>[0]) => reasonOf(createWebgpuCandidate({ ownNodeModules: false, platform: 'linux', ...o }), paths);
  // without the loader Dawn is not even asked (it would print its own warning): same plain reason
  assert.match(await reason({ vulkan: noVulkan }), /^Vulkan loader missing: libvulkan\.so\.1 \(the Vulkan loader\) — install it \(Debian\/Ubuntu: sudo apt install libvulkan1\)/);
  assert.match(await reason({ vulkan: withVulkan([]) }), /^no GPU adapter: the Vulkan loader is installed but no Vulkan driver is/);
  assert.match(await reason({ vulkan: withVulkan(['lvp_icd.x86_64.json']) }), /^no GPU adapter: the only Vulkan driver is lvp_icd\.x86_64\.json \(Mesa lavapipe/);
  assert.match(await reason({ vulkan: withVulkan(['nvidia_icd.json']) }), /^no GPU adapter: Dawn found no usable GPU through Vulkan \(drivers: nvidia_icd\.json\)/);
  assert.equal(await reason({ platform: 'darwin' }), 'no GPU adapter: Dawn found no Metal GPU');
});

test('webgpu: an adapter reporting lavapipe is rejected before a device is opened', async () => {
  const lavapipeOnly = () => ({ loader: '/usr/lib/x86_64-linux-gnu/libvulkan.so.1', drivers: ['lvp_icd.x86_64.json'] });
  const c = createWebgpuCandidate({ ownNodeModules: false, platform: 'linux', vulkan: lavapipeOnly });
  assert.equal(
    await reasonOf(c, [join(fixtures, 'webgpu-lavapipe')]),
    "software adapter rejected: the only WebGPU adapter is llvmpipe (LLVM 15.0.6, 256 bits) (Mesa lavapipe, a Vulkan driver that runs on the CPU), slower than the CPU backends — install your GPU's Vulkan/Metal/D3D12 driver",
  );
});

// This machine (and CI) has no Vulkan loader: libvulkan.so.1 is absent. A machine with one may hold a GPU.
const hasVulkan = process.platform !== 'linux' || vulkanStatus().loader !== undefined;

test('auto on this machine lands on a CPU backend and lists why each GPU backend was skipped', { skip: hasVulkan ? 'this machine has a Vulkan loader: webgpu may legitimately load here' : false }, async () => {
  const { backend, report } = await selectBackend('auto', { modulePaths: [repo], networkMacs: 32 });
  assert.equal(backend.name, 'cpu');
  assert.equal(report.active, 'cpu');
  assert.match(report.reason, /^auto: .*→ cpu$/);
  const why = new Map(report.skipped.map((s) => [s.backend, s.reason]));
  assert.deepEqual([...why.keys()].slice(0, 2), ['tfjs-node-gpu', 'webgpu']);
  assert.match(why.get('tfjs-node-gpu') ?? '', /^not installed \(/);
  // the real webgpu package is installed (optional dependency); without Vulkan it says so, else "not installed"
  assert.match(why.get('webgpu') ?? '', /^(Vulkan loader missing: libvulkan\.so\.1 |not installed \()/);
  assert.ok(why.has('tfjs-node'), 'tfjs-node skipped with a reason');
  assert.deepEqual(Array.from(await backend.tf.matMul(backend.tf.tensor2d([[1, 2]]), backend.tf.tensor2d([[3], [4]])).data()), [11]);
});

test('a named GPU backend that cannot load is an error with the plain reason, not a fallback', { skip: hasVulkan ? 'this machine has a Vulkan loader' : false }, async () => {
  await assert.rejects(selectBackend('tfjs-node-gpu', { modulePaths: [repo] }), /^BackendLoadError: backend tfjs-node-gpu cannot be used: not installed \(/);
  await assert.rejects(selectBackend('webgpu', { modulePaths: [repo] }), /^BackendLoadError: backend webgpu cannot be used: (Vulkan loader missing|not installed)/);
});

test('NNLAB_DAWN_FLAGS and NNLAB_WEBGPU_ALLOW_SOFTWARE become webgpu options; anything else is ignored', () => {
  assert.deepEqual(webgpuEnvOptions({}), {});
  assert.deepEqual(webgpuEnvOptions({ NNLAB_DAWN_FLAGS: ' adapter=NVIDIA , backend=vulkan,', NNLAB_WEBGPU_ALLOW_SOFTWARE: '0' }), { dawnFlags: ['adapter=NVIDIA', 'backend=vulkan'] });
  // Dawn's OpenGL ES backend offers only compatibility-mode adapters
  assert.deepEqual(webgpuEnvOptions({ NNLAB_DAWN_FLAGS: 'backend=opengles', NNLAB_WEBGPU_ALLOW_SOFTWARE: '1' }), {
    dawnFlags: ['backend=opengles'],
    adapterOptions: { featureLevel: 'compatibility' },
    allowSoftwareAdapter: true,
  });
});

test("webgpu: options given in code win over the environment, and env: false reads none", async () => {
  // the environment asks for Dawn's null backend (garbage numbers); the candidate's own flag is what is used
  const env = { NNLAB_DAWN_FLAGS: 'backend=null', NNLAB_WEBGPU_ALLOW_SOFTWARE: '1' };
  const notInstalled = createWebgpuCandidate({ ownNodeModules: false, env });
  assert.match(await reasonOf(notInstalled, [join(fixtures, 'nodegpu-no-binding')]), /^not installed \(the webgpu package: /);
  const vulkanless = createWebgpuCandidate({ platform: 'linux', vulkan: () => ({ drivers: [] }), env: false });
  assert.match(await reasonOf(vulkanless, [repo]), /^Vulkan loader missing: libvulkan\.so\.1 /);
  // with the environment read, backend=null skips the Vulkan check and reaches the proof, which rejects it
  const viaEnv = createWebgpuCandidate({ platform: 'linux', vulkan: () => ({ drivers: [] }), env });
  assert.match(await reasonOf(viaEnv, [repo]), /^computation gave wrong numbers: /);
});
