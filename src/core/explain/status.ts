// Status bar text and tooltip for NN Lab (backend + training state). Pure text builders.
import type { BackendReport } from '../../protocol/training';
import type { RunView } from './lens';
import { loss } from './format';
import { epochText, lossText, stopReasonText } from './progress';

/**
 * `$(chip) wasm` when idle; `$(chip) wasm · $(sync~spin) 37/500` while training;
 * `$(chip) wasm · $(debug-pause) 37/500` paused; `$(chip) wasm · $(check) 0.0008` after a run;
 * `$(chip) wasm · $(error) failed` after a failure. Before any run the backend is the setting (`auto`).
 */
export function statusText(backend: string, run: RunView | undefined): string {
  const chip = `$(chip) ${backend}`;
  if (!run) return chip;
  switch (run.phase) {
    case 'starting':
      return `${chip} · $(sync~spin) starting`;
    case 'running':
      return `${chip} · $(sync~spin) ${run.epoch}/${run.epochs}`;
    case 'paused':
      return `${chip} · $(debug-pause) ${run.epoch}/${run.epochs}`;
    case 'finished':
      if (run.summary && (run.summary.stopReason === 'nan' || run.summary.stopReason === 'error')) return `${chip} · $(error) failed`;
      return run.summary ? `${chip} · $(check) ${loss(run.summary.finalLoss)}` : chip;
    case 'failed':
      return `${chip} · $(error) failed`;
  }
}

/** Markdown tooltip: the backend, why it was chosen, every preferred backend skipped and why. */
export function statusTooltip(report: BackendReport | undefined, setting: string, run: RunView | undefined, clickAction: string): string {
  const lines: string[] = [];
  if (report) {
    lines.push(`**NN Lab backend: ${report.active}** (${report.device})`, '', report.reason);
    if (report.skipped.length) {
      lines.push('', 'Skipped:');
      for (const s of report.skipped) lines.push(`- ${s.backend}: ${s.reason}`);
    }
  } else {
    lines.push(`**NN Lab backend: ${setting}**`, '', `Chosen when training starts (setting \`nnlab.backend\` = \`${setting}\`).`);
  }
  if (run) {
    lines.push('');
    switch (run.phase) {
      case 'starting':
        lines.push('Training is starting…');
        break;
      case 'running':
      case 'paused':
        lines.push(`${run.phase === 'paused' ? 'Paused' : 'Training'}: ${epochText(run.epoch, run.epochs)}${lossText(run) ? `, ${lossText(run)}` : ''}`);
        break;
      case 'finished':
        if (run.summary) lines.push(`Last run: ${lossText({ loss: run.summary.finalLoss })} after ${epochText(run.summary.epochs, run.epochs)} (${stopReasonText(run.summary)})`);
        break;
      case 'failed':
        lines.push(`Last run failed: ${run.error ?? 'unknown error'}`);
        break;
    }
  }
  lines.push('', clickAction);
  return lines.join('\n');
}
