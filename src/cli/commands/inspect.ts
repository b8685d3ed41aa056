// `nnlab inspect <file> [--json]`: the layer table (layer, kind, output shape, W, b, params,
// activation), totals and the memory estimate; --json prints the same as a stable document
// (format "nnlab.inspect", version 1, documented in README.md). Exit 1 when the spec has errors.
import { describeMemory, formatBytes, formatShape, type Activation, type Analysis, type LayerShapes, type Problem } from '../../core/spec';
import { groupDigits, jsonText, renderTable } from '../format';
import { withArgs, type CommandSpec, type OptionValues } from '../args';
import { analyzeOrReport, formatProblem, MEMORY_LIMIT_OPTION, memoryLimitFrom, processIo, type Io } from './validate';
import { humanIndex } from '../../core/explain/indices';
import { fewOf } from '../../core/spec/text';

const activationText = (a: Activation | undefined): string => (a ? (a.alpha !== undefined ? `${a.name}(α=${a.alpha})` : a.name) : '—');

export interface InspectDocument {
  format: 'nnlab.inspect';
  version: 1;
  file: string;
  name: string | null;
  valid: boolean;
  input: { shape: (number | 'B')[] } | null;
  batchSize: number | null;
  /** the shape inference's per-layer numbers (src/core/spec/types.ts LayerShapes), activation null when none */
  layers: (Omit<LayerShapes, 'activation'> & { activation: Activation | null })[];
  totals: { params: number; macs: number; paramBytes: number; activationBytesPerBatch: number } | null;
  outputShape: (number | 'B')[] | null;
  memory: { batchSize: number; samples: number; paramBytes: number; gradientBytes: number; optimizerBytes: number; activationBytes: number; dataBytes: number; total: number } | null;
  data: { samples: number; features: number[]; labels: number; classes: string[] | null } | null;
  problems: { severity: string; code: string; message: string; line: number; column: number; endLine: number; endColumn: number; path: (string | number)[] }[];
}

export function inspectDocument(file: string, a: Analysis): InspectDocument {
  const s = a.shapes;
  return {
    format: 'nnlab.inspect',
    version: 1,
    file,
    name: a.spec?.name ?? null,
    valid: !a.problems.some((p) => p.severity === 'error'),
    input: a.spec ? { shape: ['B', ...a.spec.input.shape] } : null,
    batchSize: s?.batchSize ?? null,
    layers: (s?.layers ?? []).map((l) => ({
      index: l.index,
      name: l.name,
      type: l.type,
      inputShape: l.inputShape,
      outputShape: l.outputShape,
      weightShape: l.weightShape,
      biasShape: l.biasShape,
      params: l.params,
      macs: l.macs,
      paramBytes: l.paramBytes,
      activationBytesPerBatch: l.activationBytesPerBatch,
      activation: l.activation ?? null,
    })),
    totals: s ? { ...s.totals } : null,
    outputShape: s?.outputShape ?? null,
    memory: a.memory ? { ...a.memory } : null,
    data: a.dataInfo ? { samples: a.dataInfo.samples, features: a.dataInfo.features, labels: a.dataInfo.labels, classes: a.dataInfo.classes ?? null } : null,
    problems: a.problems.map((p: Problem) => ({
      severity: p.severity,
      code: p.code,
      message: p.message,
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
      endLine: p.range.end.line + 1,
      endColumn: p.range.end.character + 1,
      path: p.path,
    })),
  };
}

export function inspectText(file: string, a: Analysis): string[] {
  const out: string[] = [];
  const spec = a.spec;
  const s = a.shapes;
  if (!spec || !s) return out;
  const dense = s.layers.filter((l) => l.type === 'dense');
  const arch = [spec.input.shape.reduce((x, y) => x * y, 1), ...dense.map((l) => l.weightShape![1])].join('-');
  out.push(`${spec.name} (${file}): ${arch}, input ${formatShape(['B', ...spec.input.shape])}, loss ${spec.loss}, optimizer ${spec.optimizer.type} (α = ${spec.optimizer.learningRate})`);
  out.push('');
  const rows = s.layers.map((l) => [
    String(humanIndex(l.index)),
    l.name,
    l.type,
    formatShape(l.outputShape),
    l.weightShape ? l.weightShape.join('×') : '—',
    l.biasShape ? l.biasShape.join('×') : '—',
    groupDigits(l.params),
    activationText(l.activation),
  ]);
  out.push(...renderTable(['#', 'layer', 'kind', 'output shape', 'W', 'b', 'params', 'activation'], rows, ['right', 'left', 'left', 'left', 'left', 'left', 'right', 'left']));
  out.push('');
  out.push(`total params: ${groupDigits(s.totals.params)} (${formatBytes(s.totals.paramBytes)} float32)`);
  out.push(`multiply-adds per sample: ${groupDigits(s.totals.macs)}`);
  out.push(`activations per batch of ${s.batchSize}: ${formatBytes(s.totals.activationBytesPerBatch)}`);
  if (a.memory) {
    out.push(`training memory estimate: ${describeMemory(a.memory)}`);
  }
  if (a.dataInfo) {
    const d = a.dataInfo;
    out.push(`data: ${groupDigits(d.samples)} samples of ${d.features.join('×')} feature${d.features.join('') === '1' ? '' : 's'}, ${d.labels} label column${d.labels === 1 ? '' : 's'}${d.classes ? ` (${d.classes.length} classes: ${fewOf(d.classes)})` : ''}`);
  }
  return out;
}

export const command: CommandSpec = {
  name: 'inspect',
  args: '<file>',
  summary: 'The layer table (shapes, W, b, params, activation), totals and the memory estimate. Exit 1 when the spec has errors.',
  options: {
    json: { type: 'boolean', help: 'print the stable nnlab.inspect document (README) instead of the table' },
    'memory-limit-mb': MEMORY_LIMIT_OPTION,
  },
  positionals: { min: 1, max: 1 },
};

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (values, positional) => inspectFile(values, positional[0]!, io));
}

async function inspectFile(values: OptionValues, file: string, io: Io): Promise<number> {
  const limit = memoryLimitFrom(values);
  const a = await analyzeOrReport(file, limit, io);
  if (!a) return 1;
  const hasError = a.problems.some((p) => p.severity === 'error');
  if (values.json) {
    io.out(jsonText(inspectDocument(file, a), 2) + '\n');
  } else {
    const lines = inspectText(file, a);
    if (lines.length) io.out(lines.join('\n') + '\n');
    for (const p of a.problems) io.err(formatProblem(file, p) + '\n');
  }
  return hasError ? 1 : 0;
}
