// The pure dense-network math: activations, losses, forward and backward pass. See each module.
export { DEFAULT_ALPHA, activate, derivative, softmax, activateRow, derivativeRow, activationBackward, type Kink } from './activations';
export { EPSILON, foldsActivation, loss, lossFormula, lossGrad, lossFromLogits, lossGradFromLogits, type LogitLoss } from './loss';
export { ForwardError, denseRow, forwardOne, gradients, type ForwardLayer, type ForwardTrace, type Gradients } from './dense';
