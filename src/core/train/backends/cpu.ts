// The pure-JavaScript backend: always available, fastest for tiny networks (per-op overhead dominates).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Gradients are registered separately from the kernels (tfjs-layers would import this for us).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { BackendUnavailable, type BackendCandidate } from '../backend';

export const cpuBackend: BackendCandidate = {
  name: 'cpu',
  gpu: false,
  async load() {
    try {
      // production mode: no "install tfjs-node" banner, fewer debug checks
      tf.enableProdMode();
      if (!(await tf.setBackend('cpu'))) throw new Error('setBackend returned false');
      await tf.ready();
    } catch (e) {
      throw new BackendUnavailable('cpu', `failed to initialise: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { name: 'cpu', tf, device: 'CPU (pure JavaScript)' };
  },
};
