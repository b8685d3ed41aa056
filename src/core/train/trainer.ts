// The training loop: our own loop over optimizer.minimize (3–7× less per-step overhead than
// model.fit on small nets), driven from the spec: loss, optimizer, learning rate, batch size
// ("full" = all training samples, 1 = stochastic), epochs, shuffling, validation split,
// stopWhenLossBelow and seed. Controllable between steps: pause, resume, step one batch or one
// epoch (the course's forward path → backward path → update weights loop, made visible), stop, and
// read the weights at any moment. Progress events are rate-limited; every step and epoch also goes
// to `onRow` (metrics.csv) unthrottled.
import type * as tfc from '@tensorflow/tfjs-core';
import { DEFAULT_MEMORY_LIMIT_MB, type NetworkSpec } from '../spec/types';
import type { BatchProgress, EpochProgress, LayerWeights, RunSummary, StopReason, WorkerToHost } from '../../protocol/training';
import type { LoadedBackend } from './backend';
import { initialWeights, denseFanIns } from './init';
import { Model } from './model';
import { mulberry32, permutation, type Rng } from './random';
import type { Dataset } from '../data/dataset';
import { splitRows } from '../data/preprocess';
import { estimateMemory, memoryLimitMessage, runBatchSize } from '../spec/shapes';
import { epochText } from '../explain/progress';

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
  /** the whole training set, kept on the device, when one batch is the whole set */
  private full?: { x: tfc.Tensor; y: tfc.Tensor };
  private readonly accuracy: Accuracy;
  private readonly rng: Rng;
  private readonly minEventGapMs: number;
  private readonly dataMaxAbs: number;

  private paused = false;
  private stopReq: StopReason | undefined;
  private allowBatches = 0;
  private untilEpochEnd = false;
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
    if (this.batchSize >= this.nTrain) {
      this.full = { x: tf.tensor(this.trainX, [this.nTrain, ...spec.input.shape], 'float32'), y: tf.tensor2d(this.trainY, [this.nTrain, outSize], 'float32') };
    }
    this.model = new Model(tf, spec, opts.initial ?? initialWeights(spec));
    const o = spec.optimizer;
    this.optimizer = o.type === 'sgd' ? tf.train.sgd(o.learningRate) : o.type === 'momentum' ? tf.train.momentum(o.learningRate, o.momentum) : tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
  }

  // ---- control (called between steps, from message handlers) -----------------------------------

  pause(): void {
    this.paused = true;
    this.allowBatches = 0;
    this.untilEpochEnd = false;
  }
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.pausedAnnounced = false;
    this.opts.onEvent?.({ type: 'resumed' });
    this.wake?.();
  }
  /** Run one batch, or up to the end of the epoch, then pause (pauses first when running). */
  stepOnce(unit: 'batch' | 'epoch'): void {
    this.paused = true;
    if (unit === 'batch') this.allowBatches = 1;
    else this.untilEpochEnd = true;
    this.pausedAnnounced = false;
    this.wake?.();
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

  private emit(m: BatchProgress | EpochProgress, force: boolean): void {
    const now = performance.now();
    const key = m.type;
    // batch and epoch events each get half the budget, so neither starves the other
    if (!force && now - this.lastEvent[key] < 2 * this.minEventGapMs) return;
    this.lastEvent[key] = now;
    this.opts.onEvent?.(m);
  }

  /** Between steps: honour pause/step/stop, and yield so control messages are processed. */
  private async gate(state: { lastYield: number }): Promise<void> {
    for (;;) {
      if (this.stopReq) return;
      if (!this.paused) break;
      if (this.allowBatches > 0) {
        this.allowBatches--;
        return;
      }
      if (this.untilEpochEnd) return; // cleared at the end of the epoch
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
          await this.gate(gateState);
          if (this.stopReq) {
            stopReason = this.stopReq;
            // stopped part-way through an epoch: "loss" stays the last completed epoch's mean (one
            // definition, src/core/explain/progress.ts); only before the first epoch ends is the
            // mean of the batches so far all there is
            if (batchesDone > 0 && epochsDone === 0) lossHistory.final = lossSum / epochSamples;
            break outer;
          }
          const start = b * this.batchSize;
          const size = Math.min(this.batchSize, this.nTrain - start);
          const dropoutSeed = Math.floor(this.rng() * 2 ** 31);
          // one tensor to read back per step: the loss, and the correct count for classifiers
          const stats = tf.tidy(() => {
            const [xb, yb] = this.full ? [this.full.x, this.full.y] : this.batch(shuffle ? order : undefined, start, size);
            const { loss, out } = this.model.step(this.optimizer, xb, yb, dropoutSeed);
            return this.accuracy ? tf.stack([loss, this.countCorrect(out, yb)]) : loss;
          });
          const values = this.syncReads ? stats.dataSync() : await stats.data(); // no promise per step on cpu/wasm
          stats.dispose();
          const loss = values[0];
          if (this.accuracy) {
            correct += values[1];
            counted += size * (this.accuracy === 'threshold' ? this.outSize : 1);
          }
          this.step++;
          batchesDone++;
          samplesSeen += size;
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
          const stepping = this.paused;
          this.emit({ type: 'batch', step: this.step, epoch: e, batch: b + 1, loss, elapsedMs: el }, stepping);
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
      if (target !== undefined && epLoss < target) {
        stopReason = 'lossBelowTarget';
        lossTarget = target;
        message = `epoch ${e}: training loss ${epLoss.toPrecision(4)} < stopWhenLossBelow ${target}`;
        break;
      }
    }
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

  private countCorrect(out: tfc.Tensor, y: tfc.Tensor): tfc.Tensor {
    const tf = this.tf;
    return tf.tidy(() => {
      if (this.accuracy === 'argmax') return tf.sum(tf.cast(tf.equal(tf.argMax(out, -1), tf.argMax(y, -1)), 'float32'));
      // threshold at 0.5 on probabilities = at 0 on logits
      const cut = this.model.isLogitLoss() ? 0 : 0.5;
      return tf.sum(tf.cast(tf.equal(tf.greater(out, cut), tf.greater(y, 0.5)), 'float32'));
    });
  }

  /** One batch as fresh tensors: rows order[start…start+size) (shuffled) or start…start+size. */
  private batch(order: Int32Array | undefined, start: number, size: number): [tfc.Tensor, tfc.Tensor] {
    const tf = this.tf;
    const { inSize: wi, outSize: wo } = this;
    let bx: Float32Array;
    let by: Float32Array;
    if (order) {
      bx = new Float32Array(size * wi);
      by = new Float32Array(size * wo);
      for (let i = 0; i < size; i++) {
        const r = order[start + i];
        bx.set(this.trainX.subarray(r * wi, r * wi + wi), i * wi);
        by.set(this.trainY.subarray(r * wo, r * wo + wo), i * wo);
      }
    } else {
      bx = this.trainX.slice(start * wi, (start + size) * wi);
      by = this.trainY.slice(start * wo, (start + size) * wo);
    }
    return [tf.tensor(bx, [size, ...this.opts.spec.input.shape], 'float32'), tf.tensor2d(by, [size, wo], 'float32')];
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
