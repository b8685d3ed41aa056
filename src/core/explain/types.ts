// The types the explain builders read: the spec contract and the run summary. Re-exported in one place.
export type {
  Activation,
  ActivationName,
  DataSource,
  Initializer,
  Layer,
  LayerShapes,
  LossName,
  NetworkShapes,
  NetworkSpec,
  Optimizer,
  Shape,
  TrainingConfig,
} from '../spec/types';
export type { RunSummary, StopReason } from '../../protocol/training';
