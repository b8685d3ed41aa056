import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusText, statusTooltip } from '../../../src/core/explain';
import type { BackendReport } from '../../../src/protocol/training';

const report: BackendReport = {
  active: 'wasm',
  device: 'WebAssembly SIMD',
  skipped: [
    { backend: 'tfjs-node-gpu', reason: 'not installed' },
    { backend: 'tfjs-node', reason: 'not installed' },
  ],
  reason: 'auto: medium network (1,185 params) → wasm',
};

test('status text: backend, then the run state', () => {
  assert.equal(statusText('auto', undefined), '$(chip) auto');
  assert.equal(statusText('wasm', { phase: 'running', epoch: 37, epochs: 500, loss: 0.0213 }), '$(chip) wasm · $(sync~spin) 37/500');
  assert.equal(statusText('wasm', { phase: 'paused', epoch: 37, epochs: 500 }), '$(chip) wasm · $(debug-pause) 37/500');
  assert.equal(statusText('cpu', { phase: 'failed', epoch: 3, epochs: 500, error: 'boom' }), '$(chip) cpu · $(error) failed');
  const summary = { backend: report, startedAt: '', finishedAt: '', elapsedMs: 4100, epochs: 500, steps: 500, finalLoss: 0.0008, bestLoss: 0.0008, stopReason: 'completed' as const };
  assert.equal(statusText('wasm', { phase: 'finished', epoch: 500, epochs: 500, summary }), '$(chip) wasm · $(check) 0.0008');
});

test('status tooltip lists every skipped backend with its reason', () => {
  assert.equal(
    statusTooltip(report, 'auto', undefined, 'Click to show the loss curves.'),
    [
      '**NN Lab backend: wasm** (WebAssembly SIMD)',
      '',
      'auto: medium network (1,185 params) → wasm',
      '',
      'Skipped:',
      '- tfjs-node-gpu: not installed',
      '- tfjs-node: not installed',
      '',
      'Click to show the loss curves.',
    ].join('\n'),
  );
  assert.ok(statusTooltip(undefined, 'auto', undefined, 'x').startsWith('**NN Lab backend: auto**\n\nChosen when training starts (setting `nnlab.backend` = `auto`).'));
  assert.ok(statusTooltip(report, 'auto', { phase: 'running', epoch: 37, epochs: 500, loss: 0.0213 }, 'x').includes('Training: epoch 37/500, loss 0.0213'));
});
