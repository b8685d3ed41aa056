// Export a network to other engines: one module per target, all with the Exporter signature of
// types.ts, in one registry. `nnlab export` (src/cli/commands/export.ts) and "NN Lab: Export…"
// (src/export/) look targets up here; a new target is one more entry.
import { kerasExporter } from './keras';
import { onnxExporter } from './onnx';
import { pytorchExporter } from './pytorch';
import { ExportError, type Exporter, type ExportFile, type ExportInput } from './types';

export const exporters = {
  pytorch: pytorchExporter,
  keras: kerasExporter,
  onnx: onnxExporter,
} satisfies Record<string, Exporter>;

export type ExportTarget = keyof typeof exporters;

export const EXPORT_TARGETS = Object.keys(exporters) as ExportTarget[];

export const isExportTarget = (s: string): s is ExportTarget => Object.prototype.hasOwnProperty.call(exporters, s);

/** The files of one target, or an ExportError naming exactly what it does not support. */
export function exportFiles(target: string, input: ExportInput): ExportFile[] {
  if (!isExportTarget(target)) throw new ExportError(`unknown export target "${target}" (${EXPORT_TARGETS.join(', ')})`);
  const exporter: Exporter = exporters[target];
  const unsupported = exporter.unsupported(input);
  if (unsupported.length) throw new ExportError(`cannot export ${input.specFile} to ${target}`, unsupported);
  return exporter.export(input);
}

export { ExportError, type Exporter, type ExportFile, type ExportInput } from './types';
