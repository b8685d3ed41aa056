// Hand-built specs and shapes for the explain tests (the numbers are the course's: a 2-4-1 network,
// a 3×3 image flattened to 9 inputs feeding 4 units). Sample-based tests live in samples.test.ts.
import type { DenseLayer, DropoutLayer, Layer, LayerShapes, NetworkShapes } from '../../../src/core/spec/types';

export const dense24: DenseLayer = { type: 'dense', units: 4, activation: { name: 'relu' }, useBias: true, init: { type: 'he' }, biasInit: { type: 'zeros' } };
export const dense24Shapes: LayerShapes = {
  index: 0,
  type: 'dense',
  name: 'dense_1',
  inputShape: ['B', 2],
  outputShape: ['B', 4],
  weightShape: [2, 4],
  biasShape: [1, 4],
  params: 12,
  macs: 8,
  paramBytes: 48,
  activationBytesPerBatch: 64,
  activation: { name: 'relu' },
};
export const dense41: DenseLayer = { type: 'dense', units: 1, activation: { name: 'sigmoid' }, useBias: true, init: { type: 'glorot' }, biasInit: { type: 'zeros' } };
export const dense41Shapes: LayerShapes = {
  index: 1,
  type: 'dense',
  name: 'dense_2',
  inputShape: ['B', 4],
  outputShape: ['B', 1],
  weightShape: [4, 1],
  biasShape: [1, 1],
  params: 5,
  macs: 4,
  paramBytes: 20,
  activationBytesPerBatch: 16,
  activation: { name: 'sigmoid' },
};
export const net241: NetworkShapes = {
  batchSize: 4,
  layers: [dense24Shapes, dense41Shapes],
  totals: { params: 17, macs: 12, paramBytes: 68, activationBytesPerBatch: 80 },
  outputShape: ['B', 1],
};

export const flatten: Layer = { type: 'flatten' };
export const flattenShapes: LayerShapes = {
  index: 0,
  type: 'flatten',
  name: 'flatten_1',
  inputShape: ['B', 3, 3],
  outputShape: ['B', 9],
  weightShape: null,
  biasShape: null,
  params: 0,
  macs: 0,
  paramBytes: 0,
  activationBytesPerBatch: 36,
};
export const dropout: DropoutLayer = { type: 'dropout', rate: 0.5 };
export const dropoutShapes: LayerShapes = { ...flattenShapes, index: 2, type: 'dropout', name: 'dropout_1', inputShape: ['B', 4], outputShape: ['B', 4] };
