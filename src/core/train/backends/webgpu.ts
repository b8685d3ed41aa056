// Placeholder: replaced when the webgpu backend lands.
import { BackendUnavailable, type BackendCandidate } from '../backend';

export const webgpuBackend: BackendCandidate = {
  name: 'webgpu',
  gpu: true,
  async load() {
    throw new BackendUnavailable('webgpu', 'not implemented yet');
  },
};
