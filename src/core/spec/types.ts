// The `.nn.json` network spec, version 1: the normalised, typed model every part of NN Lab shares
// (extension host, training worker, webviews, CLI, tests). Pure: no `vscode`, no DOM.
//
// Weight convention (the course's): a sample is a row vector x ∈ ℝ^{1×nᵢ}, W ∈ ℝ^{nᵢ×nₒ}, b ∈ ℝ^{1×nₒ},
// y = f(x·W + b). A batch X ∈ ℝ^{B×nᵢ} shares the same W and b (b is broadcast over the B rows).

/** The training-memory limit without a setting (the CLI, the worker): nnlab.memoryLimitMB's package.json default (a unit test checks they agree). */
export const DEFAULT_MEMORY_LIMIT_MB = 2048;

export const ACTIVATIONS = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Normalised activation. `alpha` is set for leakyRelu and elu (the parser fills in src/core/nn's DEFAULT_ALPHA). */
export interface Activation {
  name: ActivationName;
  alpha?: number;
}

export const INITIALIZERS = ['zeros', 'normal', 'uniform', 'he', 'glorot', 'constant', 'values'] as const;
export type InitializerName = (typeof INITIALIZERS)[number];

/** Normalised initializer. JSON accepts a string for the parameterless ones ("he") or an object. */
export type Initializer =
  | { type: 'zeros' }
  | { type: 'normal'; mean: number; std: number }
  | { type: 'uniform'; min: number; max: number }
  /** normal with σ = √(2/nᵢ), nᵢ = inputs of the layer */
  | { type: 'he' }
  /** Glorot/Xavier uniform: limit = √(6/(nᵢ+nₒ)) */
  | { type: 'glorot' }
  | { type: 'constant'; value: number }
  /** explicit values: a nᵢ×nₒ matrix for W, a vector of nₒ for b */
  | { type: 'values'; values: number[][] | number[] };

export interface DenseLayer {
  type: 'dense';
  name?: string;
  units: number;
  activation: Activation;
  useBias: boolean;
  init: Initializer;
  biasInit: Initializer;
}
export interface FlattenLayer {
  type: 'flatten';
  name?: string;
}
export interface DropoutLayer {
  type: 'dropout';
  name?: string;
  rate: number;
}
export type Layer = DenseLayer | FlattenLayer | DropoutLayer;
export type LayerType = Layer['type'];

export const LOSSES = ['mse', 'binaryCrossentropy', 'categoricalCrossentropy'] as const;
export type LossName = (typeof LOSSES)[number];

export type Optimizer =
  | { type: 'sgd'; learningRate: number }
  | { type: 'momentum'; learningRate: number; momentum: number }
  | { type: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number };

export interface TrainingConfig {
  epochs: number;
  /** a number of samples per step, or "full" for gradient descent over all data; 1 = stochastic */
  batchSize: number | 'full';
  shuffle: boolean;
  /** everything random (init, shuffling, generated data, dropout, validation split) follows it */
  seed: number;
  validationSplit: number;
  /** the ε of the course's gradient-descent loop: stop once the epoch's training loss is below it */
  stopWhenLossBelow?: number;
}

export const GENERATORS = ['or', 'and', 'xor', 'circle', 'spiral', 'gauss', 'moons', 'sine'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

export type DataSource =
  | { type: 'inline'; x: number[][] | number[][][]; y: number[][] }
  | {
      type: 'csv';
      /** relative to the spec's folder; may not leave it */
      path: string;
      /** feature column names; default: every column except the label */
      features?: string[];
      label: string;
      /** one-hot encode the label column's classes (default true when the label is not numeric) */
      oneHot?: boolean;
      /** standardise features to mean 0, std 1 with the mean and std of the training rows (fitted after the validation split; saved in the run's preprocessing.json) */
      standardize?: boolean;
    }
  | { type: 'generator'; name: GeneratorName; samples: number; noise: number; seed: number }
  | { type: 'mnist'; samples: number };

export interface NetworkSpec {
  version: 1;
  name: string;
  description?: string;
  input: { shape: number[] };
  layers: Layer[];
  loss: LossName;
  optimizer: Optimizer;
  training: TrainingConfig;
  data?: DataSource;
}

// ---------------------------------------------------------------------------------------------
// Positions and problems

/** Zero-based, like the LSP and VS Code. The CLI prints them one-based. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
  /** character offsets into the text */
  offset: number;
  length: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A JSON path into the spec, e.g. ["layers", 0, "units"]. */
export type JsonPath = (string | number)[];

export interface Problem {
  severity: Severity;
  /** stable code, e.g. "NN201"; see src/core/spec/codes.ts */
  code: string;
  /** one sentence: what is wrong and what would be right */
  message: string;
  range: Range;
  path: JsonPath;
  /** a certain fix the editor may offer: replace the text at `range` with `replacement` */
  fix?: { title: string; range: Range; replacement: string };
}

// ---------------------------------------------------------------------------------------------
// Shape inference (batch dimension written "B")

export type Dim = number | 'B';
export type Shape = Dim[];

export interface LayerShapes {
  index: number;
  type: LayerType;
  name: string;
  inputShape: Shape;
  outputShape: Shape;
  /** [nᵢ, nₒ] for dense, null otherwise */
  weightShape: [number, number] | null;
  /** [1, nₒ] for dense with bias, null otherwise */
  biasShape: [number, number] | null;
  params: number;
  /** forward multiply-adds per sample */
  macs: number;
  /** float32 bytes of this layer's parameters */
  paramBytes: number;
  /** float32 bytes of this layer's output activations for one batch */
  activationBytesPerBatch: number;
  activation?: Activation;
}

export interface NetworkShapes {
  batchSize: number;
  layers: LayerShapes[];
  totals: { params: number; macs: number; paramBytes: number; activationBytesPerBatch: number };
  outputShape: Shape;
}
