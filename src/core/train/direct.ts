// One training step on the pure-JS cpu backend without TensorFlow.js's engine: the same kernels the
// tfjs path runs (Model.gradients and the tfjs optimizers), called directly with the same inputs and
// attributes, in the same order, so every number is the same bit for bit — but without what the engine
// adds around each of them (Tensor objects, scope tracking and tidy, op wrappers' argument checks,
// kernel-registry lookups, a Map of gradients). For tiny nets that bookkeeping was ~2.5× the kernels'
// own time (bench/cpuprofile.mjs on a CLI train of samples/xor.nn.json), so these nets train 2–3×
// faster; larger nets never come here (`auto` gives them wasm).
//
// Covered: dense layers (flatten before the first one), activations linear/relu/sigmoid/tanh, MSE on
// any of those outputs, binary cross-entropy on a sigmoid output and categorical cross-entropy on a
// softmax output (both from the logits, as Model does), SGD, momentum and Adam. Anything else (dropout,
// other activations, other backends) keeps the tfjs path: `directStepSupport` says why.
// Held to the tfjs path by test/unit/train/direct.test.ts (the same losses and weights, bit for bit) and
// to the code before it by test/unit/train/trajectory-golden.test.ts.
import type * as tfc from '@tensorflow/tfjs-core';
import type { NetworkSpec } from '../spec/types';
import type { TfCore } from './backend';
import type { Model } from './model';

type Info = tfc.TensorInfo;
type Kernel = (args: { inputs: Record<string, Info>; backend: unknown; attrs?: Record<string, unknown> }) => Info;

/** What the cpu backend (MathBackendCPU) offers that this file uses; tfjs types it as a bare KernelBackend. */
interface CpuBackend {
  data: { get(id: tfc.DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): Info;
  disposeData(id: tfc.DataId, force?: boolean): boolean;
}

const KERNELS = ['_FusedMatMul', 'BatchMatMul', 'Sigmoid', 'Tanh', 'Relu', 'Step', 'Sub', 'Multiply', 'Add', 'Square', 'Mean', 'Sum', 'RealDiv', 'Sqrt', 'Abs', 'Neg', 'Exp', 'Log1p', 'Log', 'Max', 'Cast'] as const;
type KernelName = (typeof KERNELS)[number];

const ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'sigmoid', 'tanh']);

// Element-wise kernels written out: each is the cpu kernel's own formula (tfjs-backend-cpu 4.22,
// kernels/<Name>.js), evaluated in double and stored into a Float32Array as the kernel stores it, so
// the values are the kernel's; what goes is the kernel's generic machinery (broadcast strides, dtype
// checks) around one line of arithmetic. Binary ops take this way only for equal shapes or a scalar
// operand (the kernel's own non-broadcasting loop); other broadcasts run the kernel.
const UNARY: Partial<Record<KernelName, (x: number) => number>> = {
  Tanh: (x) => Math.tanh(x),
  Sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  Square: (x) => x * x,
  Sqrt: (x) => Math.sqrt(x),
  Exp: (x) => Math.exp(x),
  Abs: (x) => Math.abs(x),
  Log1p: (x) => Math.log1p(x),
  Log: (x) => Math.log(x),
  Neg: (x) => -1 * x, // negImpl: multiplyImpl with the scalar −1 first
  Relu: (x) => Math.max(0, x),
  Step: (x) => (isNaN(x) ? NaN : x > 0 ? 1 : 0), // alpha 0, the only one used here
};
const BINARY: ReadonlySet<string> = new Set(['Sub', 'Multiply', 'Add', 'RealDiv']);
/** r[i] = a[i·sa] op b[i·sb] (a stride of 0 repeats a scalar), one loop per op so each stays monomorphic */
function binary(name: string, r: Float32Array, a: Float32Array, sa: number, b: Float32Array, sb: number): void {
  const n = r.length;
  switch (name) {
    case 'Sub':
      for (let i = 0; i < n; i++) r[i] = a[i * sa] - b[i * sb];
      return;
    case 'Multiply':
      for (let i = 0; i < n; i++) r[i] = a[i * sa] * b[i * sb];
      return;
    case 'Add':
      for (let i = 0; i < n; i++) r[i] = a[i * sa] + b[i * sb];
      return;
    default:
      for (let i = 0; i < n; i++) r[i] = a[i * sa] / b[i * sb];
  }
}
const sameShape = (a: number[], b: number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
const sizeOf = (shape: number[]): number => shape.reduce((x, y) => x * y, 1);

/** Why a run cannot take the direct step (undefined: it can). */
export function directStepSupport(spec: NetworkSpec, backendName: string, logitLoss: boolean): string | undefined {
  if (backendName !== 'cpu') return 'only the cpu backend';
  let seenDense = false;
  for (const l of spec.layers) {
    if (l.type === 'dropout') return 'dropout';
    if (l.type === 'flatten') {
      if (seenDense) return 'flatten after a dense layer';
      continue;
    }
    if (l.type !== 'dense') return `layer ${(l as { type: string }).type}`;
    seenDense = true;
    if (!ACTIVATIONS.has(l.activation.name) && !(logitLoss && l === spec.layers.filter((x) => x.type === 'dense').at(-1))) return `activation ${l.activation.name}`;
  }
  if (!seenDense) return 'no dense layer';
  const rank = spec.input.shape.length;
  if (rank !== 1 && spec.layers[0]?.type !== 'flatten') return 'dense layer on a rank > 1 input';
  if (spec.loss !== 'mse' && !logitLoss) return `${spec.loss} without its output activation folded in`;
  return undefined;
}

interface Slot {
  /** the variable (W or b) */
  v: tfc.Variable;
  /** optimizer state: momentum's accumulation, Adam's first and second moments */
  m?: Info;
  s?: Info;
}

export class DirectStep {
  private readonly k: Record<KernelName, Kernel>;
  private readonly backend: CpuBackend;
  /** every tensor a step makes, disposed when it ends */
  private temps: Info[] = [];
  private readonly slots: Slot[];
  private readonly consts = new Map<number, Info>();
  private readonly opt: NetworkSpec['optimizer'];
  private accBeta1?: Info;
  private accBeta2?: Info;

  constructor(
    tf: TfCore,
    private readonly model: Model,
    private readonly spec: NetworkSpec,
    private readonly inSize: number,
  ) {
    const k: Partial<Record<KernelName, Kernel>> = {};
    for (const name of KERNELS) k[name] = tf.getKernel(name, 'cpu').kernelFunc as unknown as Kernel; // kernelFunc's declared type is the engine's, with a union return
    this.k = k as Record<KernelName, Kernel>;
    this.backend = tf.backend() as unknown as CpuBackend; // the cpu backend's data store, typed by tfjs as a bare KernelBackend
    this.slots = model.variables().map((v) => ({ v }));
    this.opt = spec.optimizer;
    if (this.opt.type === 'momentum') for (const s of this.slots) s.m = this.zeros(s.v.shape);
    if (this.opt.type === 'adam') {
      for (const s of this.slots) {
        s.m = this.zeros(s.v.shape);
        s.s = this.zeros(s.v.shape);
      }
      this.accBeta1 = this.backend.makeTensorInfo([], 'float32', Float32Array.of(this.opt.beta1));
      this.accBeta2 = this.backend.makeTensorInfo([], 'float32', Float32Array.of(this.opt.beta2));
    }
  }

  private zeros(shape: number[]): Info {
    return this.backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1)));
  }
  /** a float32 scalar, as tfjs makes one from a JS number in an op (kept for the whole run) */
  private c(v: number): Info {
    let t = this.consts.get(v);
    if (!t) this.consts.set(v, (t = this.backend.makeTensorInfo([], 'float32', Float32Array.of(v))));
    return t;
  }
  private run(name: KernelName, inputs: Record<string, Info>, attrs?: Record<string, unknown>): Info {
    const u = UNARY[name];
    if (u && (name !== 'Step' || attrs?.alpha === 0)) {
      const x = this.values(inputs.x);
      const r = new Float32Array(sizeOf(inputs.x.shape));
      for (let i = 0; i < r.length; i++) r[i] = u(x[i]);
      return this.keep(inputs.x.shape, r);
    }
    if (BINARY.has(name)) {
      const { a, b } = inputs;
      const same = sameShape(a.shape, b.shape);
      if (same || a.shape.length === 0 || b.shape.length === 0) {
        const shape = same || b.shape.length === 0 ? a.shape : b.shape;
        const r = new Float32Array(sizeOf(shape));
        binary(name, r, this.values(a), same || b.shape.length === 0 ? 1 : 0, this.values(b), same || a.shape.length === 0 ? 1 : 0);
        return this.keep(shape, r);
      }
    }
    const out = this.k[name]({ inputs, backend: this.backend, attrs });
    this.temps.push(out);
    return out;
  }
  private keep(shape: number[], values: Float32Array): Info {
    const out = this.backend.makeTensorInfo(shape, 'float32', values);
    this.temps.push(out);
    return out;
  }
  private values(t: Info): Float32Array {
    return this.backend.data.get(t.dataId).values;
  }
  /** copy a step's result into a variable's (or optimizer state's) own storage */
  private assign(to: Info, from: Info): void {
    this.values(to).set(this.values(from));
  }

  private activate(z: Info, name: string): Info {
    if (name === 'sigmoid') return this.run('Sigmoid', { x: z });
    if (name === 'tanh') return this.run('Tanh', { x: z });
    return z; // linear; relu is fused into the matmul
  }

  /**
   * One optimiser step on rows x (size × inSize) with targets y (size × outputs): what
   * Model.step + optimizer.applyGradients compute, and the loss. `out` gets the (logit) output's
   * values for the accuracy count; valid until the next call.
   */
  step(x: Float32Array, y: Float32Array, size: number, outSize: number): { loss: number; out: Float32Array; yv: Float32Array } {
    const dense = this.model.dense;
    const logitLoss = this.model.isLogitLoss();
    const xb = this.backend.makeTensorInfo([size, this.inSize], 'float32', x);
    const yb = this.backend.makeTensorInfo([size, outSize], 'float32', y);
    this.temps.push(xb, yb);
    try {
      // forward (Model.gradients)
      const caches: { a: Info; y: Info; act: boolean; relu: boolean; name: string }[] = [];
      let h = xb;
      for (let i = 0; i < dense.length; i++) {
        const s = dense[i];
        const act = !(logitLoss && i === dense.length - 1);
        const relu = act && s.layer.activation.name === 'relu';
        const z = this.run('_FusedMatMul', s.b ? { a: h, b: s.W, bias: s.b } : { a: h, b: s.W }, { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear' });
        const out = act && !relu ? this.activate(z, s.layer.activation.name) : z;
        caches.push({ a: h, y: out, act, relu, name: s.layer.activation.name });
        h = out;
      }
      const out = h;
      // loss and ∂L/∂out (Model.lossAndGrad, lossFrom, lossGrad)
      let loss: Info;
      let g: Info;
      const size2 = out.shape.reduce((a, b) => a * b, 1);
      if (this.spec.loss === 'mse') {
        const diff = this.run('Sub', { a: out, b: yb });
        loss = this.run('Mean', { x: this.run('Square', { x: diff }, {}) }, { axis: null, keepDims: false });
        g = this.run('Multiply', { a: diff, b: this.c(2 / size2) });
      } else if (this.spec.loss === 'binaryCrossentropy') {
        // mean(relu(z) − z·y + log1p(exp(−|z|))); ∂ = (σ(z) − y) / size
        const t1 = this.run('Sub', { a: this.run('Relu', { x: out }), b: this.run('Multiply', { a: out, b: yb }) });
        const t2 = this.run('Log1p', { x: this.run('Exp', { x: this.run('Neg', { x: this.run('Abs', { x: out }) }) }) });
        loss = this.run('Mean', { x: this.run('Add', { a: t1, b: t2 }) }, { axis: null, keepDims: false });
        g = this.run('Multiply', { a: this.run('Sub', { a: this.run('Sigmoid', { x: out }), b: yb }), b: this.c(1 / size2) });
      } else {
        // categorical cross-entropy from the logits: tf.logSoftmax's own kernels, then the shared terms
        const axis = out.shape.length - 1;
        const shifted = this.run('Sub', { a: out, b: this.run('Max', { x: out }, { reductionIndices: axis, keepDims: true }) });
        const logp = this.run('Sub', { a: this.run('Cast', { x: shifted }, { dtype: 'float32' }), b: this.run('Log', { x: this.run('Sum', { x: this.run('Exp', { x: shifted }) }, { axis, keepDims: true }) }) });
        loss = this.run('Neg', { x: this.run('Mean', { x: this.run('Sum', { x: this.run('Multiply', { a: yb, b: logp }) }, { axis: -1, keepDims: false }) }, { axis: null, keepDims: false }) });
        const p = this.run('Multiply', { a: this.run('Exp', { x: logp }), b: this.run('Sum', { x: yb }, { axis: -1, keepDims: true }) });
        g = this.run('Multiply', { a: this.run('Sub', { a: p, b: yb }), b: this.c(1 / out.shape[0]) });
      }
      // backward: δ, ∂L/∂W = aᵀ·δ, ∂L/∂b = Σδ, ∂L/∂a = δ·Wᵀ
      const grads: Info[] = new Array(this.slots.length);
      let slot = this.slots.length;
      let gg: Info | undefined = g;
      for (let i = caches.length - 1; i >= 0 && gg; i--) {
        const c = caches[i];
        const s = dense[i];
        const delta: Info = c.act ? this.activationGrad(gg, c.y, c.name) : gg;
        if (s.b) grads[--slot] = this.run('Sum', { x: delta }, { axis: 0, keepDims: false });
        grads[--slot] = this.run('BatchMatMul', { a: c.a, b: delta }, { transposeA: true, transposeB: false });
        // order as Model: W's gradient is made before b's; only the values matter, both are kept until the update
        gg = i === 0 ? undefined : this.run('BatchMatMul', { a: delta, b: s.W }, { transposeA: false, transposeB: true });
      }
      this.update(grads);
      const lossValue = this.values(loss)[0];
      return { loss: lossValue, out: this.values(out), yv: y };
    } finally {
      // the loss and output values were read above; `out` stays readable until the arrays are reused
      for (const t of this.temps) this.backend.disposeData(t.dataId);
      this.temps = [];
    }
  }

  /** δ = ∂L/∂z from ∂L/∂y (Model.activationGrad) */
  private activationGrad(dy: Info, y: Info, name: string): Info {
    switch (name) {
      case 'sigmoid':
        return this.run('Multiply', { a: dy, b: this.run('Multiply', { a: y, b: this.run('Sub', { a: this.c(1), b: y }) }) });
      case 'tanh':
        return this.run('Multiply', { a: dy, b: this.run('Sub', { a: this.c(1), b: this.run('Square', { x: y }, {}) }) });
      case 'relu':
        return this.run('Multiply', { a: dy, b: this.run('Step', { x: y }, { alpha: 0 }) });
      default:
        return dy;
    }
  }

  /** The optimizer's update, kernel for kernel as tfjs 4.22's SGD, momentum and Adam optimizers do it. */
  private update(grads: Info[]): void {
    const o = this.opt;
    if (o.type === 'sgd') {
      const c = this.c(-o.learningRate);
      this.slots.forEach((s, i) => this.assign(s.v, this.run('Add', { a: this.run('Multiply', { a: c, b: grads[i] }), b: s.v })));
    } else if (o.type === 'momentum') {
      const c = this.c(-o.learningRate);
      const m = this.c(o.momentum);
      this.slots.forEach((s, i) => {
        const acc = s.m as Info;
        const newAcc = this.run('Add', { a: this.run('Multiply', { a: m, b: acc }), b: grads[i] });
        const nv = this.run('Add', { a: this.run('Multiply', { a: c, b: newAcc }), b: s.v });
        this.assign(acc, newAcc);
        this.assign(s.v, nv);
      });
    } else {
      const b1 = this.c(o.beta1);
      const b2 = this.c(o.beta2);
      const ab1 = this.accBeta1 as Info;
      const ab2 = this.accBeta2 as Info;
      const oneMinusAccBeta1 = this.run('Sub', { a: this.c(1), b: ab1 });
      const oneMinusAccBeta2 = this.run('Sub', { a: this.c(1), b: ab2 });
      this.slots.forEach((s, i) => {
        const g = grads[i];
        const m = s.m as Info;
        const v = s.s as Info;
        const newM = this.run('Add', { a: this.run('Multiply', { a: m, b: b1 }), b: this.run('Multiply', { a: g, b: this.c(1 - o.beta1) }) });
        const newS = this.run('Add', { a: this.run('Multiply', { a: v, b: b2 }), b: this.run('Multiply', { a: this.run('Square', { x: g }, {}), b: this.c(1 - o.beta2) }) });
        const mHat = this.run('RealDiv', { a: newM, b: oneMinusAccBeta1 });
        const sHat = this.run('RealDiv', { a: newS, b: oneMinusAccBeta2 });
        this.assign(m, newM);
        this.assign(v, newS);
        const ratio = this.run('RealDiv', { a: mHat, b: this.run('Add', { a: this.run('Sqrt', { x: sHat }), b: this.c(o.epsilon) }) });
        this.assign(s.v, this.run('Add', { a: this.run('Multiply', { a: ratio, b: this.c(-o.learningRate) }), b: s.v }));
      });
      this.assign(ab1, this.run('Multiply', { a: ab1, b: b1 }));
      this.assign(ab2, this.run('Multiply', { a: ab2, b: b2 }));
    }
  }

  dispose(): void {
    for (const s of this.slots) {
      if (s.m) this.backend.disposeData(s.m.dataId);
      if (s.s) this.backend.disposeData(s.s.dataId);
    }
    for (const t of this.consts.values()) this.backend.disposeData(t.dataId);
    if (this.accBeta1) this.backend.disposeData(this.accBeta1.dataId);
    if (this.accBeta2) this.backend.disposeData(this.accBeta2.dataId);
    this.consts.clear();
  }
}
