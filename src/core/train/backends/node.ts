// Placeholder: replaced when the tfjs-node backend lands.
import { BackendUnavailable, type BackendCandidate } from '../backend';

export const nodeBackend: BackendCandidate = {
  name: 'tfjs-node',
  gpu: false,
  async load() {
    throw new BackendUnavailable('tfjs-node', 'not implemented yet');
  },
};
