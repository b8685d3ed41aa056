// Reverse-mode autodiff for the backpropagation walkthroughs: scalar tape, matrix tape, the built-in
// examples, the user's own network, and a text rendering. Pure: no `vscode`, no DOM.
export * from './types';
export * from './format';
export { Tape, recordScalar, type ScalarNode, type ScalarOp } from './scalar';
export * from './matrix';
export * from './layers';
export { BUILTINS, builtin, resolveBuiltin, descentTable, agree, H, TOL, type BuiltinInfo, type Values } from './examples';
export { networkGradients, networkLayers, networkParams, networkWalkthrough, withNetworkValues, paramName, NETWORK_EDIT_MAX, sampleAt, defaultSample, kinkDerivatives, kinkText, notDifferentiable, NetworkInputError, type Sample, type SampleSource, type ParamGradient, type NetworkGradients, type NetLayer, type KinkUnit } from './network';
export { walkthroughText } from './text';
export { viewAt, valuesUpTo, stepAt, clampPosition, checkPrediction, predictionStep, NEW_PREDICTION, type PredictionState, type PredictionOutcome, type GraphView } from './view';
