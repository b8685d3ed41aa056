// Placeholder: replaced when the wasm backend lands.
import { BackendUnavailable, type BackendCandidate } from '../backend';

export const wasmBackend: BackendCandidate = {
  name: 'wasm',
  gpu: false,
  async load() {
    throw new BackendUnavailable('wasm', 'not implemented yet');
  },
};
