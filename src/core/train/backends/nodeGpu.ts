// CUDA through @tensorflow/tfjs-node-gpu (native TensorFlow 2.x built for CUDA 11.2 + cuDNN 8.1).
// Optional and never bundled: its install downloads libtensorflow from outside npm, so it is resolved at
// run time from LoadOptions.modulePaths (nnlab.backendModulePath, the workspace, the extension).
//
// TensorFlow does not fail when CUDA is unusable: it logs "Could not load dynamic library
// 'libcudart.so.11.0'" to the process's stderr and silently computes on the CPU. That log cannot be
// read from inside the process, so the package is first loaded in a short-lived child Node process
// (which also keeps a crashing native library away from the extension host); its stderr is read with
// explainTfLog. Only when it registered a GPU is the package loaded here and proven on a 2×2 matmul.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BackendUnavailable, type BackendCandidate, type LoadOptions, type TfCore } from '../backend';
import { explainLoadError, explainTfLog, firstLine, resolveOptionalPackage } from '../detect';
import { requireProof, type ProofOptions } from '../prove';

const PKG = '@tensorflow/tfjs-node-gpu';
const INSTALL = `npm install ${PKG} (Linux x64 or Windows with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1; the install downloads libtensorflow) in a folder and set nnlab.backendModulePath to it`;

/** What the probe child prints on stdout, after TensorFlow's log has gone to stderr. */
const MARK = 'NNLAB_PROBE ';

// Runs in the child: load the package, run one matmul so TensorFlow initialises its devices, report.
const PROBE_SCRIPT = `
const entry = process.argv[process.argv.length - 1];
let tf;
try { tf = require(entry); } catch (e) {
  process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ loadError: { message: String(e && e.message || e), code: e && e.code } }) + '\\n');
  process.exit(0);
}
const c = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]]));
process.stdout.write(${JSON.stringify(MARK)} + JSON.stringify({ backend: tf.getBackend(), matMul: Array.from(c.dataSync()) }) + '\\n');
`;

export interface ProbeOutput {
  /** exit code, or null when killed (signal / time-out) */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

interface ProbeReport {
  loadError?: { message: string; code?: string };
  backend?: string;
  matMul?: number[];
}

/** Loads `entry` in a child Node process with TensorFlow's full log on; never throws. */
export function runProbe(entry: string, timeoutMs: number): Promise<ProbeOutput> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, entry], {
      // Inside Electron (VS Code) process.execPath is Electron itself: make it act as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TF_CPP_MIN_LOG_LEVEL: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1_000_000) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}\n${e.message}`, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The verdict on a probe: a GPU device name, or the plain reason. Pure. */
export function explainProbe(p: ProbeOutput, timeoutMs: number): { ok: true; device: string } | { ok: false; reason: string } {
  const line = p.stdout.split('\n').find((l) => l.startsWith(MARK));
  let report: ProbeReport | undefined;
  if (line) {
    try {
      report = JSON.parse(line.slice(MARK.length)) as ProbeReport;
    } catch {
      report = undefined;
    }
  }
  if (report?.loadError) {
    const e = Object.assign(new Error(report.loadError.message), { code: report.loadError.code });
    return { ok: false, reason: explainLoadError(PKG, e) };
  }
  if (!report) {
    if (p.timedOut) return { ok: false, reason: `loading it took longer than ${Math.round(timeoutMs / 1000)} s (a first run on a new GPU compiles CUDA kernels; try again, or choose another backend)` };
    // Crashed while loading: a missing library is usually in the log, else say how it died.
    const verdict = explainTfLog(p.stderr);
    if (verdict.reason && !verdict.reason.startsWith('no device: TensorFlow registered no GPU')) return { ok: false, reason: verdict.reason };
    const last = p.stderr.trim().split('\n').filter(Boolean).pop();
    return { ok: false, reason: `crashed while loading (${p.signal ? `signal ${p.signal}` : `exit code ${p.code}`})${last ? `: ${firstLine(last)}` : ''}` };
  }
  const verdict = explainTfLog(p.stderr);
  if (!verdict.gpu) return { ok: false, reason: verdict.reason ?? 'no device' };
  return { ok: true, device: verdict.device ?? 'NVIDIA GPU' };
}

const probeCache = new Map<string, ReturnType<typeof explainProbe>>();

export interface NodeGpuCandidateOptions {
  /** time allowed for the child to load TensorFlow and CUDA; default 120 s (first run JIT-compiles PTX) */
  probeTimeoutMs?: number;
  platform?: NodeJS.Platform;
  proof?: ProofOptions;
}

export function createNodeGpuCandidate(o: NodeGpuCandidateOptions = {}): BackendCandidate {
  const platform = o.platform ?? process.platform;
  const timeoutMs = o.probeTimeoutMs ?? 120_000;
  return {
    name: 'tfjs-node-gpu',
    gpu: true,
    async load(opts: LoadOptions) {
      const fail = (reason: string): never => {
        throw new BackendUnavailable('tfjs-node-gpu', reason);
      };
      if (platform === 'darwin') return fail('CUDA is not available on macOS (the webgpu backend uses the Mac GPU through Metal)');
      const entry = resolveOptionalPackage(PKG, opts.modulePaths);
      if (!entry) return fail(`not installed (${INSTALL})`);
      // A GPU found once per installed package per process stays found (a probe can take a minute on a
      // first CUDA run); a failure is probed again next time, so installing CUDA needs no restart.
      const stamp = `${entry}@${statSync(entry).mtimeMs}`;
      let verdict = probeCache.get(stamp);
      if (!verdict) {
        verdict = explainProbe(await runProbe(entry, timeoutMs), timeoutMs);
        if (verdict.ok) probeCache.set(stamp, verdict);
      }
      if (!verdict.ok) return fail(verdict.reason);
      let tf: TfCore;
      try {
        // The package brings its own tfjs-core copy, with the "tensorflow" backend registered into it.
        tf = createRequire(entry)(entry) as TfCore;
      } catch (e) {
        return fail(explainLoadError(PKG, e));
      }
      await requireProof(tf, 'tensorflow', 'tfjs-node-gpu', o.proof);
      return { name: 'tfjs-node-gpu', tf, device: `${verdict.device} (CUDA, native TensorFlow)` };
    },
  };
}

export const nodeGpuBackend: BackendCandidate = createNodeGpuCandidate();
