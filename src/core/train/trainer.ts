// The training loop: our own loop over optimizer.minimize (3–7× less per-step overhead than
// model.fit on small nets), driven from the spec: loss, optimizer, learning rate, batch size
// ("full" = all training samples, 1 = stochastic), epochs, shuffling, validation split,
// stopWhenLossBelow and seed. Controllable between steps: pause, resume, step one batch or one
// epoch (the course's forward path → backward path → update weights loop, made visible), stop, and
// read the weights at any moment. Progress events are rate-limited; every step and epoch also goes
// to `onRow` (metrics.csv) unthrottled. On the cpu backend the nets direct.ts covers take its step
// (tfjs's kernels without the engine: the same numbers, 2–3× less per-step overhead on tiny nets).
import type * as tfc from '@tensorflow/tfjs-core';
import { DEFAULT_MEMORY_LIMIT_MB, type NetworkSpec } from '../spec/types';
import type { BatchProgress, BatchStepReport, EpochProgress, EpochStepReport, LayerWeights, RunSummary, SampleStepReport, StepReport, StepUnit, StopReason, WorkerToHost } from '../../protocol/training';
import type { LoadedBackend } from './backend';
import { initialWeights, denseFanIns } from './init';
import { Model } from './model';
import { DirectStep, directStepSupport } from './direct';
import { mulberry32, permutation, type Rng } from './random';
import type { Dataset } from '../data/dataset';
import { splitRows } from '../data/preprocess';
import { estimateMemory, memoryLimitMessage, runBatchSize } from '../spec/shapes';
import { epochText } from '../explain/progress';
import { changeNorm, GradientSum, layerSteps, reportsMatrices, type DenseShape } from './stepping';
import { forwardOne, type ForwardLayer } from '../nn/dense';

/** The data a run trains on: the spec core's Dataset (x is n × input.shape, y is n × k). */
export type TrainData = Dataset;

export type MetricsRow =
  | { kind: 'step'; step: number; epoch: number; batch: number; loss: number; elapsedMs: number }
  | { kind: 'epoch'; step: number; epoch: number; loss: number; valLoss?: number; accuracy?: number; valAccuracy?: number; elapsedMs: number };

export interface TrainerOptions {
  backend: LoadedBackend;
  spec: NetworkSpec;
  data: TrainData;
  /** starting weights (a saved run's); default initialWeights(spec) */
  initial?: LayerWeights[];
  /** overrides spec.training.epochs (CLI --epochs) */
  epochs?: number;
  /** bound on progress events per second (batch and epoch events share it); default 30 */
  maxEventsPerSec?: number;
  /** progress, paused, resumed events, rate-limited */
  onEvent?: (m: WorkerToHost) => void;
  /** every step and every epoch, unthrottled */
  onRow?: (r: MetricsRow) => void;
  /** refuse to start above this estimate (MiB), default DEFAULT_MEMORY_LIMIT_MB */
  memoryLimitMB?: number;
  /** how often the loop yields to the event loop so control messages get through; default 10 ms */
  yieldEveryMs?: number;
  /**
   * false: always the tfjs path, never the cpu backend's direct step (src/core/train/direct.ts), which
   * computes the same numbers; for the tests that hold the two to each other. Default true.
   */
  directStep?: boolean;
}

/** What a finished run returns: the run summary's fields (less the backend and folder the session adds). */
export interface TrainResult extends Omit<RunSummary, 'backend' | 'runDir'> {
  samplesPerSec: number;
  /** the NaN/Inf step, when stopReason is "nan" */
  failedStep?: number;
}

/** A located, user-facing refusal before training starts (bad data shape, memory, …). */
export class TrainingError extends Error {
  constructor(
    message: string,
    readonly code: 'data' | 'memory' | 'weights',
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

type Accuracy = 'argmax' | 'threshold' | undefined;

/** A Step command waiting for (or being executed by) the loop. */
interface StepRequest {
  unit: StepUnit;
  resolve(r: StepReport): void;
  reject(e: Error): void;
}

/** The batch the loop is paused before: what sample steps work on (src/core/train/stepping.ts). */
interface PendingBatch {
  epoch: number;
  /** 0-based within the epoch */
  index: number;
  order: Int32Array | undefined;
  start: number;
  size: number;
  dropoutSeed: number;
  /** samples stepped one by one so far */
  stepped: number;
  sum?: GradientSum;
  lossSum: number;
}

/**
 * The accuracy a run reports: argmax over classes for categorical cross-entropy with several outputs,
 * output ≥ 0.5 for binary cross-entropy (per output), none for MSE (treated as regression).
 */
export function accuracyKind(spec: NetworkSpec): Accuracy {
  const outSize = denseFanIns(spec).at(-1)?.layer.units ?? 0;
  return spec.loss === 'categoricalCrossentropy' && outSize > 1 ? 'argmax' : spec.loss === 'binaryCrossentropy' ? 'threshold' : undefined;
}

/** The seed of the trainer's own stream (each epoch's shuffle permutation, then one dropout seed per step). */
export function shuffleSeed(seed: number): number {
  return (seed ^ 0x5bd1e995) >>> 0;
}

export class Trainer {
  readonly model: Model;
  readonly epochs: number;
  readonly batchSize: number;
  readonly stepsPerEpoch: number;
  readonly nTrain: number;
  readonly nVal: number;
  private readonly tf: LoadedBackend['tf'];
  private readonly optimizer: tfc.Optimizer;
  // Data stays in JS; each batch is uploaded as its own tensor. (Slicing a big tensor costs a copy of
  // the whole tensor on the wasm backend, whose Slice kernel reads all of x back first.)
  private readonly trainX: Float32Array;
  private readonly trainY: Float32Array;
  private readonly valX?: Float32Array;
  private readonly valY?: Float32Array;
  private readonly inSize: number;
  private readonly outSize: number;
  /** the whole training set, kept on the device, when one batch is the whole set (tfjs path) */
  private full?: { x: tfc.Tensor; y: tfc.Tensor };
  /** the step without tfjs's engine, on the cpu backend for the nets it covers (direct.ts) */
  private readonly direct?: DirectStep;
  /** why the run takes the tfjs path on cpu (direct.ts covers only some nets) */
  readonly directStepUnsupported?: string;
  /**
   * One batch's rows, reused every step (allocating two fresh arrays per batch was most of the batching
   * time: zero-filled, then garbage). Safe where a batch tensor never outlives its step: wasm copies the
   * rows into its heap, and on cpu every tensor made from them is disposed at the end of the step.
   * Other backends (GPU, native) get fresh arrays, as before.
   */
  private batchBuf?: { x: Float32Array; y: Float32Array };
  private readonly reuseBatch: boolean;
  private readonly accuracy: Accuracy;
  private readonly rng: Rng;
  private readonly minEventGapMs: number;
  private readonly dataMaxAbs: number;

  private paused = false;
  private stopReq: StopReason | undefined;
  private untilEpochEnd = false;
  /** Step commands not started yet, first first */
  private readonly steps: StepRequest[] = [];
  /** the batch or epoch step in progress; a sample step whose batch is complete waits here for the update */
  private active: { req: StepRequest; before?: LayerWeights[]; batches: number; sample?: SampleStepReport } | undefined;
  private wake: (() => void) | undefined;
  private step = 0;
  private epoch = 0;
  private lastEvent = { batch: 0, epoch: 0 };
  private pausedAnnounced = false;
  private pausedMs = 0;

  constructor(private readonly opts: TrainerOptions) {
    const { backend, spec, data } = opts;
    this.tf = backend.tf;
    const tf = this.tf;
    const n = data.xShape[0];
    const inSize = spec.input.shape.reduce((a, b) => a * b, 1);
    const outSize = denseFanIns(spec).at(-1)?.layer.units;
    if (outSize === undefined) throw new TrainingError('the network has no dense layer to train', 'data');
    if (n < 1 || data.x.length !== n * inSize) throw new TrainingError(`data: x has ${data.x.length} values, expected ${n} samples × ${inSize} inputs (input.shape [${spec.input.shape.join(', ')}])`, 'data');
    if (data.yShape[0] !== n || data.yShape[1] !== outSize || data.y.length !== n * outSize) {
      throw new TrainingError(`data: y is ${data.yShape.join('×')}, but the network outputs ${outSize} values per sample for ${n} samples`, 'data');
    }
    this.epochs = opts.epochs ?? spec.training.epochs;
    const split = splitRows(n, spec.training.validationSplit, spec.training.seed);
    this.nVal = split.nVal;
    this.nTrain = split.nTrain;
    const fitted = data.preprocessing?.standardize?.fittedOn;
    if (fitted && (fitted.of !== n || fitted.rows !== this.nTrain || (this.nVal > 0 && (fitted.validationSplit !== spec.training.validationSplit || fitted.seed !== spec.training.seed)))) {
      // the statistics must come from exactly the rows this run trains on, or validation rows leak into them
      throw new TrainingError(`data: the features were standardised with statistics of ${fitted.rows} of ${fitted.of} rows (validationSplit ${fitted.validationSplit}, seed ${fitted.seed}), but this run trains on ${this.nTrain} of ${n} (validationSplit ${spec.training.validationSplit}, seed ${spec.training.seed}); load the data with this spec`, 'data');
    }
    const bs = spec.training.batchSize;
    this.batchSize = runBatchSize(bs, this.nTrain);
    this.stepsPerEpoch = Math.ceil(this.nTrain / this.batchSize);
    const limit = (opts.memoryLimitMB ?? DEFAULT_MEMORY_LIMIT_MB) * 2 ** 20;
    const est = estimateMemory(spec, { batchSize: this.batchSize, samples: n });
    if (est.total > limit) throw new TrainingError(memoryLimitMessage(est, limit), 'memory');
    let maxAbs = 0;
    for (let i = 0; i < data.x.length; i++) maxAbs = Math.max(maxAbs, Math.abs(data.x[i]));
    this.dataMaxAbs = maxAbs;

    // Accuracy is reported for the classification losses (argmax over classes for categorical
    // cross-entropy, output ≥ 0.5 for binary); MSE is treated as regression (no per-step extra ops).
    this.accuracy = accuracyKind(spec);
    this.rng = mulberry32(shuffleSeed(spec.training.seed));
    this.minEventGapMs = 1000 / Math.max(0.001, opts.maxEventsPerSec ?? 30);

    // Validation split (splitRows, shared with the CSV reader's standardisation): a seeded
    // permutation, the last nVal samples held out (deterministic, and robust to files sorted by class).
    this.inSize = inSize;
    this.outSize = outSize;
    if (split.order) {
      const order = split.order;
      const pick = (src: Float32Array, w: number, from: number, to: number): Float32Array => {
        const out = new Float32Array((to - from) * w);
        for (let i = from; i < to; i++) out.set(src.subarray(order[i] * w, order[i] * w + w), (i - from) * w);
        return out;
      };
      this.trainX = pick(data.x, inSize, 0, this.nTrain);
      this.trainY = pick(data.y, outSize, 0, this.nTrain);
      this.valX = pick(data.x, inSize, this.nTrain, n);
      this.valY = pick(data.y, outSize, this.nTrain, n);
    } else {
      this.trainX = data.x;
      this.trainY = data.y;
    }
    this.model = new Model(tf, spec, opts.initial ?? initialWeights(spec));
    this.reuseBatch = backend.name === 'cpu' || backend.name === 'wasm';
    this.directStepUnsupported = opts.directStep === false ? 'turned off' : directStepSupport(spec, backend.name, this.model.isLogitLoss());
    if (!this.directStepUnsupported) this.direct = new DirectStep(tf, this.model, spec, inSize);
    if (this.batchSize >= this.nTrain && !this.direct) {
      this.full = { x: tf.tensor(this.trainX, [this.nTrain, ...spec.input.shape], 'float32'), y: tf.tensor2d(this.trainY, [this.nTrain, outSize], 'float32') };
    }
    const o = spec.optimizer;
    this.optimizer = o.type === 'sgd' ? tf.train.sgd(o.learningRate) : o.type === 'momentum' ? tf.train.momentum(o.learningRate, o.momentum) : tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
  }

  // ---- control (called between steps, from message handlers) -----------------------------------

  pause(): void {
    this.paused = true;
    if (this.untilEpochEnd) {
      // an epoch step cut short by Pause: it ends here, paused before the next batch
      this.untilEpochEnd = false;
      this.active?.req.reject(new Error('paused before the epoch ended'));
      this.active = undefined;
    }
  }
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pausedAnnounced = false;
    this.dropSteps('training resumed');
    this.opts.onEvent?.({ type: 'resumed' });
    this.wake?.();
  }
  /** Run one sample, one batch, or up to the end of the epoch, then pause (pauses first when running). */
  stepOnce(unit: StepUnit): void {
    this.requestStep(unit).catch(() => undefined);
  }
  /**
   * Pauses (when running), then executes exactly one sample, one batch or the rest of the epoch in
   * progress, and stays paused; resolves with what the step did. Requests queue in order. Rejects when
   * the run ends, is resumed or is paused (an epoch step) before the step is done. Semantics:
   * src/core/train/stepping.ts.
   */
  requestStep(unit: StepUnit): Promise<StepReport> {
    return new Promise<StepReport>((resolve, reject) => {
      if (this.finished) {
        reject(new Error('the run has ended'));
        return;
      }
      this.steps.push({ unit, resolve, reject });
      this.paused = true;
      this.wake?.();
    });
  }
  private finished = false;
  private dropSteps(why: string): void {
    for (const r of this.steps.splice(0)) r.reject(new Error(why));
  }
  stop(reason: 'stopped' | 'interrupted' = 'stopped'): void {
    this.stopReq ??= reason;
    this.wake?.();
  }
  /** Current weights, read synchronously (cpu, wasm, tfjs-node); see weightsAsync for GPU backends. */
  weights(): LayerWeights[] {
    return this.model.weights();
  }
  /** Current weights on any backend (webgpu cannot read synchronously). */
  async weightsAsync(): Promise<LayerWeights[]> {
    return this.syncReads ? this.model.weights() : this.model.weightsAsync();
  }
  /** cpu, wasm and native TensorFlow read tensors synchronously (cheaper per step); webgpu only async */
  private get syncReads(): boolean {
    return this.opts.backend.name !== 'webgpu';
  }
  private async read(t: tfc.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
    return this.syncReads ? t.dataSync() : await t.data();
  }
  currentStep(): number {
    return this.step;
  }
  numTensors(): number {
    return this.tf.memory().numTensors;
  }

  /** Whether a progress event of this kind goes out now (then it counts as sent); checked before one is built. */
  private due(key: 'batch' | 'epoch', force: boolean): boolean {
    if (!this.opts.onEvent) return false;
    const now = performance.now();
    // batch and epoch events each get half the budget, so neither starves the other
    if (!force && now - this.lastEvent[key] < 2 * this.minEventGapMs) return false;
    this.lastEvent[key] = now;
    return true;
  }
  private emit(m: BatchProgress | EpochProgress, force: boolean): void {
    if (this.due(m.type, force)) this.opts.onEvent?.(m);
  }

  /** Between steps: honour pause/step/stop, and yield so control messages are processed. */
  private async gate(state: { lastYield: number }, pending: PendingBatch): Promise<void> {
    for (;;) {
      if (this.stopReq) return;
      if (!this.paused) break;
      if (this.untilEpochEnd) return; // cleared at the end of the epoch
      const next = this.steps.shift();
      if (next) {
        this.pausedAnnounced = false;
        if (next.unit === 'sample') {
          try {
            const r = await this.sampleStep(pending);
            // the batch's last sample: the update follows at once, and completes this step's report
            if (pending.stepped === pending.size) {
              this.active = { req: next, batches: 0, sample: r };
              return;
            }
            next.resolve(r);
          } catch (e) {
            next.reject(e instanceof Error ? e : new Error(String(e)));
          }
          continue;
        }
        this.active = { req: next, batches: 0, ...(next.unit === 'epoch' ? { before: await this.weightsAsync() } : {}) };
        if (next.unit === 'epoch') this.untilEpochEnd = true;
        return;
      }
      if (!this.pausedAnnounced) {
        this.pausedAnnounced = true;
        this.opts.onEvent?.({ type: 'paused', step: this.step });
      }
      const t0 = performance.now();
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
      this.pausedMs += performance.now() - t0;
      state.lastYield = performance.now();
    }
    const now = performance.now();
    if (now - state.lastYield >= (this.opts.yieldEveryMs ?? 10)) {
      await new Promise<void>((r) => setImmediate(r));
      state.lastYield = performance.now();
    }
  }

  private nanMessage(where: string, loss: number): string {
    const lr = this.opts.spec.optimizer.learningRate;
    const causes: string[] = [];
    if (this.dataMaxAbs > 10) causes.push(`the input data is not standardised (values up to ${this.dataMaxAbs.toPrecision(3)}; set "standardize": true or scale features to mean 0, std 1)`);
    causes.push(`the learning rate ${lr} is too high (try ${lr / 10})`);
    return `loss became ${Number.isNaN(loss) ? 'NaN' : 'Infinity'} at ${where}: training stopped. Likely cause: ${causes.join(', or ')}.`;
  }

  async run(): Promise<TrainResult> {
    try {
      return await this.loop();
    } finally {
      // a step still waiting when the run ends (completed, stopped, NaN, an error) is answered
      this.finished = true;
      this.active?.req.reject(new Error('the run has ended'));
      this.active = undefined;
      this.dropSteps('the run has ended');
    }
  }

  private async loop(): Promise<TrainResult> {
    const tf = this.tf;
    const startedAt = new Date();
    const t0 = performance.now();
    const elapsed = (): number => performance.now() - t0 - this.pausedMs;
    const lossHistory = { final: NaN, best: Infinity, finalVal: undefined as number | undefined, acc: undefined as number | undefined, valAcc: undefined as number | undefined };
    let stopReason: StopReason = 'completed';
    let message: string | undefined;
    let lossTarget: number | undefined;
    let failedStep: number | undefined;
    const order = new Int32Array(this.nTrain);
    const shuffle = this.opts.spec.training.shuffle && this.batchSize < this.nTrain;
    const gateState = { lastYield: performance.now() };
    let samplesSeen = 0;
    /** completed epochs: summary.json's `epochs` (src/core/explain/progress.ts) */
    let epochsDone = 0;
    const epochTimes: number[] = [];

    this.opts.onEvent?.({ type: 'started', epochs: this.epochs, stepsPerEpoch: this.stepsPerEpoch });

    outer: for (let e = 1; e <= this.epochs; e++) {
      this.epoch = e;
      const te = elapsed();
      if (shuffle) permutation(this.rng, this.nTrain, order);
      let lossSum = 0;
      let correct = 0;
      let counted = 0;
      let batchesDone = 0;
      let epochSamples = 0;
      {
        for (let b = 0; b < this.stepsPerEpoch; b++) {
          const start = b * this.batchSize;
          const size = Math.min(this.batchSize, this.nTrain - start);
          const dropoutSeed = Math.floor(this.rng() * 2 ** 31);
          const pending: PendingBatch = { epoch: e, index: b, order: shuffle ? order : undefined, start, size, dropoutSeed, stepped: 0, lossSum: 0 };
          await this.gate(gateState, pending);
          if (this.stopReq) {
            stopReason = this.stopReq;
            // stopped part-way through an epoch: "loss" stays the last completed epoch's mean (one
            // definition, src/core/explain/progress.ts); only before the first epoch ends is the
            // mean of the batches so far all there is
            if (batchesDone > 0 && epochsDone === 0) lossHistory.final = lossSum / epochSamples;
            break outer;
          }
          // a batch or sample step reports the update: θ before, the gradient, θ after
          const reporting = this.active && this.active.req.unit !== 'epoch' ? await this.reportedBatch(shuffle ? order : undefined, start, size, dropoutSeed) : undefined;
          let loss: number;
          if (reporting) {
            loss = reporting.loss;
            if (this.accuracy) correct += reporting.correct;
          } else if (this.direct) {
            const [bx, by] = this.batchRows(shuffle ? order : undefined, start, size);
            const r = this.direct.step(bx, by, size, this.outSize);
            loss = r.loss;
            if (this.accuracy) correct += this.countCorrectRows(r.out, by, size);
          } else {
            // one tensor to read back per step: the loss, and the correct count for classifiers
            const stats = tf.tidy(() => {
              const [xb, yb] = this.full ? [this.full.x, this.full.y] : this.batch(shuffle ? order : undefined, start, size);
              const { loss, out } = this.model.step(this.optimizer, xb, yb, dropoutSeed);
              return this.accuracy ? tf.stack([loss, this.countCorrect(out, yb)]) : loss;
            });
            const values = this.syncReads ? stats.dataSync() : await stats.data(); // no promise per step on cpu/wasm
            stats.dispose();
            loss = values[0];
            if (this.accuracy) correct += values[1];
          }
          if (this.accuracy) counted += size * (this.accuracy === 'threshold' ? this.outSize : 1);
          this.step++;
          batchesDone++;
          samplesSeen += size;
          if (this.active) this.active.batches++;
          if (reporting && this.active) {
            const report = await this.batchReport(reporting, { epoch: e, batch: b + 1, batchSize: size, loss, samplesStepped: pending.stepped });
            const { req, sample } = this.active;
            this.active = undefined;
            req.resolve(sample ? { ...sample, step: this.step, update: report } : report);
          }
          const el = elapsed();
          this.opts.onRow?.({ kind: 'step', step: this.step, epoch: e, batch: b + 1, loss, elapsedMs: el });
          if (!Number.isFinite(loss)) {
            stopReason = 'nan';
            failedStep = this.step;
            message = this.nanMessage(`step ${this.step} (epoch ${e}, batch ${b + 1})`, loss);
            this.emit({ type: 'batch', step: this.step, epoch: e, batch: b + 1, loss, elapsedMs: el }, true);
            lossHistory.final = loss;
            break outer;
          }
          lossSum += loss * size;
          epochSamples += size;
          // the event is built only when it goes out (30 a second by default, not one per step)
          if (this.due('batch', this.paused)) this.opts.onEvent?.({ type: 'batch', step: this.step, epoch: e, batch: b + 1, loss, elapsedMs: el });
        }
      }
      // epoch end
      this.untilEpochEnd = false;
      const epLoss = lossSum / Math.max(1, batchesDone === this.stepsPerEpoch ? this.nTrain : batchesDone * this.batchSize);
      lossHistory.final = epLoss;
      epochsDone = e;
      lossHistory.best = Math.min(lossHistory.best, epLoss);
      lossHistory.acc = this.accuracy ? correct / Math.max(1, counted) : undefined;
      if (this.valX && this.valY) {
        const v = await this.evaluate(this.valX, this.valY, this.nVal);
        lossHistory.finalVal = v.loss;
        lossHistory.valAcc = v.accuracy;
      }
      const el = elapsed();
      epochTimes.push(el - te);
      const recent = epochTimes.slice(-10);
      const perEpoch = recent.reduce((a, b) => a + b, 0) / recent.length;
      const ev: EpochProgress = {
        type: 'epoch',
        step: this.step,
        epoch: e,
        epochs: this.epochs,
        loss: epLoss,
        samplesPerSec: this.nTrain / Math.max(1e-9, (el - te) / 1000),
        elapsedMs: el,
        etaMs: perEpoch * (this.epochs - e),
      };
      if (lossHistory.finalVal !== undefined) ev.valLoss = lossHistory.finalVal;
      if (lossHistory.acc !== undefined) ev.accuracy = lossHistory.acc;
      if (lossHistory.valAcc !== undefined) ev.valAccuracy = lossHistory.valAcc;
      this.opts.onRow?.({ kind: 'epoch', step: this.step, epoch: e, loss: epLoss, valLoss: ev.valLoss, accuracy: ev.accuracy, valAccuracy: ev.valAccuracy, elapsedMs: el });
      const target = this.opts.spec.training.stopWhenLossBelow;
      const done = e === this.epochs || (target !== undefined && epLoss < target);
      this.emit(ev, done || this.paused);
      if (this.active?.req.unit === 'epoch') {
        const { req, before, batches } = this.active;
        this.active = undefined;
        const after = await this.weightsAsync();
        const report: EpochStepReport = {
          unit: 'epoch',
          ...this.position(e, this.stepsPerEpoch, Math.min(this.batchSize, this.nTrain - (this.stepsPerEpoch - 1) * this.batchSize)),
          batches,
          epochsDone: e,
          loss: epLoss,
          ...(ev.valLoss !== undefined ? { valLoss: ev.valLoss } : {}),
          ...(ev.accuracy !== undefined ? { accuracy: ev.accuracy } : {}),
          layers: after.map((w, i) => ({ layer: w.layer, name: w.name, changeNorm: before ? changeNorm(before[i], w) : 0 })),
        };
        req.resolve(report);
      }
      if (target !== undefined && epLoss < target) {
        stopReason = 'lossBelowTarget';
        lossTarget = target;
        message = `epoch ${e}: training loss ${epLoss.toPrecision(4)} < stopWhenLossBelow ${target}`;
        break;
      }
    }
    this.finished = true;
    const why = `the run has ended (${stopReason})`;
    this.active?.req.reject(new Error(why));
    this.active = undefined;
    this.dropSteps(why);
    const finishedAt = new Date();
    const el = elapsed();
    if (stopReason === 'stopped' || stopReason === 'interrupted') message ??= `${stopReason} at step ${this.step}, after ${epochText(epochsDone, this.epochs)}`;
    return {
      stopReason,
      ...(lossTarget !== undefined ? { lossTarget } : {}),
      message,
      epochs: epochsDone,
      steps: this.step,
      finalLoss: lossHistory.final,
      bestLoss: Number.isFinite(lossHistory.best) ? lossHistory.best : lossHistory.final,
      finalValLoss: lossHistory.finalVal,
      accuracy: lossHistory.acc,
      valAccuracy: lossHistory.valAcc,
      elapsedMs: el,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      samplesPerSec: samplesSeen / Math.max(1e-9, el / 1000),
      failedStep,
    };
  }

  // ---- stepping (src/core/train/stepping.ts) ------------------------------------------------------

  private denseShapes(): DenseShape[] {
    return this.model.dense.map((d) => ({ layer: d.index, name: d.name, nIn: d.nIn, nOut: d.layer.units, bias: !!d.b }));
  }
  private get reportMatrices(): boolean {
    return reportsMatrices(this.model.variables().reduce((n, v) => n + v.size, 0));
  }
  private position(epoch: number, batch: number, batchSize: number): Omit<BatchStepReport, 'unit' | 'loss' | 'optimizer' | 'samplesStepped' | 'layers'> {
    return { step: this.step, epoch, epochs: this.epochs, batch, stepsPerEpoch: this.stepsPerEpoch, batchSize };
  }

  /** One sample of the pending batch: forward pass, loss, its share of the batch gradient (no update). */
  private async sampleStep(p: PendingBatch): Promise<SampleStepReport> {
    const tf = this.tf;
    const i = p.stepped;
    const row = p.order ? p.order[p.start + i] : p.start + i;
    const { inSize, outSize } = this;
    const kept = tf.tidy(() => {
      const [xb, yb] = this.full ? [this.full.x, this.full.y] : this.batch(p.order, p.start, p.size);
      const mask = tf.reshape(tf.oneHot(tf.tensor1d([i], 'int32'), p.size, 1, 0, 'float32'), [p.size, 1]);
      const { out, grads } = this.model.gradients(xb, yb, p.dropoutSeed, mask);
      const outRow = tf.slice(out, [i, 0], [1, outSize]);
      const loss = this.model.loss(outRow, tf.slice(yb, [i, 0], [1, outSize]));
      return { loss, output: this.model.outputFromLogits(outRow), grads };
    });
    const [loss] = await this.read(kept.loss);
    const output = Array.from(await this.read(kept.output));
    const grads: Float32Array[] = [];
    for (const g of kept.grads) grads.push((await this.read(g)) as Float32Array);
    tf.dispose(kept);
    p.sum ??= new GradientSum(grads.map((g) => g.length));
    p.sum.add(grads);
    p.stepped++;
    p.lossSum += loss;
    const x = Array.from(this.trainX.subarray(row * inSize, (row + 1) * inSize));
    const target = Array.from(this.trainY.subarray(row * outSize, (row + 1) * outSize));
    const weights = await this.weightsAsync();
    const layers: ForwardLayer[] = this.opts.spec.layers.map((l) => (l.type === 'dense' ? { type: l.type, activation: l.activation } : { type: l.type }));
    const trace = forwardOne(layers, weights, x);
    const shapes = this.denseShapes();
    const matrices = this.reportMatrices;
    return {
      unit: 'sample',
      ...this.position(p.epoch, p.index + 1, p.size),
      sample: i + 1,
      row: row + 1,
      x,
      target,
      forward: shapes.map((d) => ({ layer: d.layer, name: d.name, z: trace.z[d.layer] ?? [], a: trace.a[d.layer] })),
      output,
      loss,
      grads: layerSteps(shapes, grads, matrices),
      accumulated: layerSteps(shapes, p.sum.sums, matrices),
      meanLoss: p.lossSum / p.stepped,
    };
  }

  /**
   * A batch whose update is reported: the same ops as Model.step (the gradients, then the optimiser),
   * with θ before and the gradient read out. Returns the step's stats tensor as the loop reads it.
   */
  /**
   * A batch whose update is reported: the same ops as Model.step (the gradients, then the optimiser),
   * with θ before and the gradient read out. Where the run takes the direct step (direct.ts), the update
   * is the direct step's too, so its optimiser state (momentum, Adam's moments) stays the one in use.
   */
  private async reportedBatch(order: Int32Array | undefined, start: number, size: number, dropoutSeed: number): Promise<{ loss: number; correct: number; before: LayerWeights[]; grads: Float32Array[] }> {
    const tf = this.tf;
    const before = await this.weightsAsync();
    const direct = this.direct;
    const kept = tf.tidy(() => {
      const [xb, yb] = this.full ? [this.full.x, this.full.y] : this.batch(order, start, size);
      const { loss, out, grads } = this.model.gradients(xb, yb, dropoutSeed);
      if (direct) return { grads };
      const named: tfc.NamedTensorMap = {};
      this.model.variables().forEach((v, i) => (named[v.name] = grads[i]));
      this.optimizer.applyGradients(named);
      return { stats: this.accuracy ? tf.stack([loss, this.countCorrect(out, yb)]) : loss, grads };
    });
    const grads: Float32Array[] = [];
    for (const g of kept.grads) grads.push((await this.read(g)) as Float32Array);
    tf.dispose(kept.grads);
    if (direct) {
      const [bx, by] = this.batchRows(order, start, size);
      const r = direct.step(bx, by, size, this.outSize);
      return { loss: r.loss, correct: this.accuracy ? this.countCorrectRows(r.out, by, size) : 0, before, grads };
    }
    const stats = kept.stats as tfc.Tensor;
    const values = this.syncReads ? stats.dataSync() : await stats.data();
    stats.dispose();
    return { loss: values[0], correct: this.accuracy ? values[1] : 0, before, grads };
  }

  private async batchReport(r: { before: LayerWeights[]; grads: Float32Array[] }, at: { epoch: number; batch: number; batchSize: number; loss: number; samplesStepped: number }): Promise<BatchStepReport> {
    const after = await this.weightsAsync();
    const matrices = this.reportMatrices;
    const o = this.opts.spec.optimizer;
    return {
      unit: 'batch',
      ...this.position(at.epoch, at.batch, at.batchSize),
      loss: at.loss,
      optimizer: { type: o.type, learningRate: o.learningRate },
      samplesStepped: at.samplesStepped,
      layers: layerSteps(this.denseShapes(), r.grads, matrices).map((g, i) => ({
        ...g,
        ...(matrices ? { W: r.before[i].W, WAfter: after[i].W, ...(r.before[i].b ? { b: r.before[i].b, bAfter: after[i].b } : {}) } : {}),
        changeNorm: changeNorm(r.before[i], after[i]),
      })),
    };
  }

  private countCorrect(out: tfc.Tensor, y: tfc.Tensor): tfc.Tensor {
    const tf = this.tf;
    return tf.tidy(() => {
      if (this.accuracy === 'argmax') return tf.sum(tf.cast(tf.equal(tf.argMax(out, -1), tf.argMax(y, -1)), 'float32'));
      // threshold at 0.5 on probabilities = at 0 on logits
      const cut = this.model.isLogitLoss() ? 0 : 0.5;
      return tf.sum(tf.cast(tf.equal(tf.greater(out, cut), tf.greater(y, 0.5)), 'float32'));
    });
  }

  /** The correct count of one batch from its (logit) outputs, as countCorrect computes it with tfjs ops. */
  private countCorrectRows(out: Float32Array, y: Float32Array, size: number): number {
    const wo = this.outSize;
    let correct = 0;
    if (this.accuracy === 'argmax') {
      // tfjs's cpu ArgMax: the first index of the largest value (a NaN is never larger)
      const argMax = (v: Float32Array, o: number): number => {
        let max = v[o];
        let at = 0;
        for (let j = 1; j < wo; j++) {
          if (v[o + j] > max) {
            max = v[o + j];
            at = j;
          }
        }
        return at;
      };
      for (let i = 0; i < size; i++) if (argMax(out, i * wo) === argMax(y, i * wo)) correct++;
    } else {
      const cut = this.model.isLogitLoss() ? 0 : 0.5;
      for (let i = 0; i < size * wo; i++) if (out[i] > cut === y[i] > 0.5) correct++;
    }
    return correct;
  }

  /**
   * One batch's rows: order[start…start+size) (shuffled) copied into the reused batch arrays, or rows
   * start…start+size in place (a view of the training set; nothing writes into a batch's rows).
   * Backends that may keep the arrays (see batchBuf) get fresh copies.
   */
  private batchRows(order: Int32Array | undefined, start: number, size: number): [Float32Array, Float32Array] {
    const { inSize: wi, outSize: wo } = this;
    if (!order) {
      const x = this.trainX.subarray(start * wi, (start + size) * wi);
      const y = this.trainY.subarray(start * wo, (start + size) * wo);
      return this.reuseBatch ? [x, y] : [x.slice(), y.slice()];
    }
    let bx: Float32Array;
    let by: Float32Array;
    if (this.reuseBatch) {
      this.batchBuf ??= { x: new Float32Array(this.batchSize * wi), y: new Float32Array(this.batchSize * wo) };
      const full = size === this.batchSize;
      bx = full ? this.batchBuf.x : this.batchBuf.x.subarray(0, size * wi);
      by = full ? this.batchBuf.y : this.batchBuf.y.subarray(0, size * wo);
    } else {
      bx = new Float32Array(size * wi);
      by = new Float32Array(size * wo);
    }
    const { trainX, trainY } = this;
    for (let i = 0; i < size; i++) {
      const r = order[start + i];
      bx.set(trainX.subarray(r * wi, r * wi + wi), i * wi);
      if (wo === 1) by[i] = trainY[r];
      else by.set(trainY.subarray(r * wo, r * wo + wo), i * wo);
    }
    return [bx, by];
  }

  /** One batch as tensors (the tfjs path): rows order[start…start+size) (shuffled) or start…start+size. */
  private batch(order: Int32Array | undefined, start: number, size: number): [tfc.Tensor, tfc.Tensor] {
    const tf = this.tf;
    const [bx, by] = this.batchRows(order, start, size);
    return [tf.tensor(bx, [size, ...this.opts.spec.input.shape], 'float32'), tf.tensor2d(by, [size, this.outSize], 'float32')];
  }

  /** Mean loss and accuracy over a set (flat rows), in chunks, without gradients. */
  async evaluate(x: Float32Array, y: Float32Array, n: number): Promise<{ loss: number; accuracy?: number }> {
    const tf = this.tf;
    const { inSize: wi, outSize: wo } = this;
    const chunk = 4096;
    let lossSum = 0;
    let correct = 0;
    for (let s = 0; s < n; s += chunk) {
      const size = Math.min(chunk, n - s);
      const stats = tf.tidy(() => {
        const xb = tf.tensor(x.slice(s * wi, (s + size) * wi), [size, ...this.opts.spec.input.shape], 'float32');
        const yb = tf.tensor2d(y.slice(s * wo, (s + size) * wo), [size, wo], 'float32');
        const out = this.model.forward(xb, { training: false, logits: true });
        const loss = this.model.loss(out, yb);
        return this.accuracy ? tf.stack([loss, this.countCorrect(out, yb)]) : loss;
      });
      const v = await this.read(stats);
      stats.dispose();
      lossSum += v[0] * size;
      correct += this.accuracy ? v[1] : 0;
    }
    const perSample = this.accuracy === 'threshold' ? wo : 1;
    return { loss: lossSum / n, accuracy: this.accuracy ? correct / (n * perSample) : undefined };
  }

  /** Predictions (activation applied) for raw inputs, e.g. for `nnlab predict` without tfjs-layers. */
  predict(x: Float32Array, n: number): number[][] {
    const tf = this.tf;
    return tf.tidy(() => this.model.outputFromLogits(this.model.forward(tf.tensor(x, [n, ...this.opts.spec.input.shape], 'float32'), { training: false, logits: true })).arraySync() as number[][]);
  }

  dispose(): void {
    this.direct?.dispose();
    this.model.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar it inherits from SGD
    const c = (this.optimizer as unknown as { c?: tfc.Tensor }).c;
    this.optimizer.dispose();
    if (this.opts.spec.optimizer.type === 'momentum' && c && !c.isDisposed) c.dispose();
    this.full?.x.dispose();
    this.full?.y.dispose();
    this.full = undefined;
  }
}
