// Placeholder: replaced when the cpu backend lands.
import { BackendUnavailable, type BackendCandidate } from '../backend';

export const cpuBackend: BackendCandidate = {
  name: 'cpu',
  gpu: false,
  async load() {
    throw new BackendUnavailable('cpu', 'not implemented yet');
  },
};
