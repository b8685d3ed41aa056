// A backend proves itself before it is accepted: a tiny computation with a known answer, run on that
// backend and read back. A GPU stack can load and still compute garbage (Dawn's `backend=null`
// adapter returns ~1e-30 for a 2×2 matmul; a broken driver can return zeros or NaN), and training on
// it would look like a bug in the network. Three checks, each covering ops every training step uses:
//   1. matMul [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]]
//   2. sum(relu(that − 30))               = 13 + 20 = 33        (elementwise, activation, reduction)
//   3. [[1,2],[3,4]]·[[5,6],[7,8]]ᵀ        = [[17,23],[39,53]]   (transposed operand, as in backprop's δ·Wᵀ)
// Forward ops only: gradients are registered by tfjs-layers, which the caller may not have loaded yet.
import type { BackendName, TfCore } from './backend';
import { BackendUnavailable } from './backend';

export const PROOF_A = [
  [1, 2],
  [3, 4],
];
export const PROOF_B = [
  [5, 6],
  [7, 8],
];
export const PROOF_MATMUL = [19, 22, 43, 50];
export const PROOF_RELU_SUM = 33;
export const PROOF_MATMUL_BT = [17, 23, 39, 53];

export interface ProofResult {
  ok: boolean;
  /** the tfjs backend the numbers came from (tf.getBackend() during the check) */
  ranOn?: string;
  matMul?: number[];
  reluSum?: number;
  matMulBT?: number[];
  ms: number;
  /** plain reason when !ok */
  reason?: string;
}

export interface ProofOptions {
  /** give up after this long (a hung GPU queue never answers); default 30 s */
  timeoutMs?: number;
  /** absolute tolerance per number; default 1e-3 (float16/TF32 paths stay well inside it) */
  tolerance?: number;
}

function close(got: readonly number[], want: readonly number[], tol: number): boolean {
  return got.length === want.length && got.every((g, i) => Number.isFinite(g) && Math.abs(g - want[i]) <= tol);
}

function fmt(xs: readonly number[]): string {
  return `[${xs.map((x) => (Number.isInteger(x) ? String(x) : x.toPrecision(4))).join(', ')}]`;
}

async function compute(tf: TfCore): Promise<{ matMul: number[]; reluSum: number; matMulBT: number[] }> {
  const a = tf.tensor2d(PROOF_A);
  const b = tf.tensor2d(PROOF_B);
  const c = tf.matMul(a, b);
  const r = tf.sum(tf.relu(tf.sub(c, tf.scalar(30))));
  const t = tf.matMul(a, b, false, true);
  try {
    const [cm, rs, tm] = await Promise.all([c.data(), r.data(), t.data()]);
    return { matMul: Array.from(cm), reluSum: rs[0], matMulBT: Array.from(tm) };
  } finally {
    tf.dispose([a, b, c, r, t]);
  }
}

/**
 * Activates the tfjs backend `tfName` (already registered in `tf`) and runs the known computation on it.
 * Never throws: the result says what was computed and why it is rejected.
 */
export async function proveBackend(tf: TfCore, tfName: string, opts: ProofOptions = {}): Promise<ProofResult> {
  const t0 = Date.now();
  const tol = opts.tolerance ?? 1e-3;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const done = (r: Omit<ProofResult, 'ms'>): ProofResult => ({ ...r, ms: Date.now() - t0 });
  try {
    if (!(await tf.setBackend(tfName))) return done({ ok: false, reason: `could not be initialised (tfjs setBackend("${tfName}") failed)` });
    await tf.ready();
  } catch (e) {
    return done({ ok: false, reason: `could not be initialised: ${e instanceof Error ? e.message : String(e)}` });
  }
  const ranOn = tf.getBackend();
  if (ranOn !== tfName) return done({ ok: false, ranOn, reason: `tfjs fell back to "${ranOn}" instead of "${tfName}"` });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let got: Awaited<ReturnType<typeof compute>>;
  try {
    const r = await Promise.race([compute(tf), timeout]);
    if (r === 'timeout') return done({ ok: false, ranOn, reason: `did not answer a 2×2 matrix product within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}` });
    got = r;
  } catch (e) {
    return done({ ok: false, ranOn, reason: `failed a 2×2 matrix product: ${e instanceof Error ? e.message : String(e)}` });
  } finally {
    clearTimeout(timer);
  }
  const wrong: string[] = [];
  if (!close(got.matMul, PROOF_MATMUL, tol)) wrong.push(`[[1,2],[3,4]]·[[5,6],[7,8]] gave ${fmt(got.matMul)} instead of ${fmt(PROOF_MATMUL)}`);
  if (!close([got.reluSum], [PROOF_RELU_SUM], tol)) wrong.push(`sum(relu(product − 30)) gave ${fmt([got.reluSum])} instead of ${PROOF_RELU_SUM}`);
  if (!close(got.matMulBT, PROOF_MATMUL_BT, tol)) wrong.push(`[[1,2],[3,4]]·[[5,6],[7,8]]ᵀ gave ${fmt(got.matMulBT)} instead of ${fmt(PROOF_MATMUL_BT)}`);
  const result = { ranOn, matMul: got.matMul, reluSum: got.reluSum, matMulBT: got.matMulBT };
  if (wrong.length) return done({ ok: false, ...result, reason: `computation gave wrong numbers: ${wrong.join('; ')}` });
  return done({ ok: true, ...result });
}

/** proveBackend, throwing BackendUnavailable(name, reason) when the backend fails its proof. */
export async function requireProof(tf: TfCore, tfName: string, name: BackendName, opts?: ProofOptions): Promise<ProofResult> {
  const r = await proveBackend(tf, tfName, opts);
  if (!r.ok) throw new BackendUnavailable(name, r.reason ?? 'failed its check');
  return r;
}
