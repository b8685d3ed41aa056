// Placeholder: replaced when the tfjs-node-gpu backend lands.
import { BackendUnavailable, type BackendCandidate } from '../backend';

export const nodeGpuBackend: BackendCandidate = {
  name: 'tfjs-node-gpu',
  gpu: true,
  async load() {
    throw new BackendUnavailable('tfjs-node-gpu', 'not implemented yet');
  },
};
