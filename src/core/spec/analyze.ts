// Network-level validation on top of parseSpec: shapes (flatten, explicit values), loss/activation
// pairing, data against input and output, batch size, CSV location, memory limit. Synchronous; file
// access only through the `readFile` callback. Pure: no `vscode`, no DOM.
import { GENERATOR_INFO } from '../data/generators';
import { DataError, isRectangular, nestedShape } from '../data/dataset';
import { resolveInside, summarizeCsv } from '../data/csv';
import { CODES, type ProblemCode } from './codes';
import { DEFAULTS, lineIndexOf, parseSpec, sortProblems, type ParsedSpec } from './parse';
import { estimateMemory, formatBytes, formatShape, inferShapes, type MemoryEstimate } from './shapes';
import { dims } from './text';
import { DEFAULT_MEMORY_LIMIT_MB, type DenseLayer, type JsonPath, type NetworkShapes, type NetworkSpec, type Problem } from './types';

export interface DataInfo {
  samples: number;
  /** the shape of one sample as the data source delivers it, e.g. [2], [4], [28, 28] */
  features: number[];
  /** label columns (classes when one-hot) */
  labels: number;
  classes?: string[];
}

export interface Analysis extends ParsedSpec {
  shapes?: NetworkShapes;
  dataInfo?: DataInfo;
  memory?: MemoryEstimate;
}

export interface AnalyzeOptions {
  /** absolute path of the spec file, for CSV paths; without it CSV files are not read */
  specPath?: string;
  /** reads a file synchronously; undefined when it does not exist or cannot be read */
  readFile?: (absPath: string) => string | undefined;
  /**
   * Why data files are deliberately not read (no readFile), e.g. "this workspace is not trusted
   * (Restricted Mode)": reported as NN310 at the CSV path, so the skipped checks do not vanish silently.
   */
  dataNotRead?: string;
  /** default 2 GiB (the nnlab.memoryLimitMB setting's default) */
  memoryLimitBytes?: number;
  /** batch size for the memory estimate; default training.batchSize ("full": the training samples) */
  batchSizeForMemory?: number;
}

export const DEFAULT_MEMORY_LIMIT_BYTES = DEFAULT_MEMORY_LIMIT_MB * 1024 * 1024;

const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** Parses, validates and infers shapes. Never throws (a bug inside is reported, not raised). */
export function analyzeSpec(text: string, opts: AnalyzeOptions = {}): Analysis {
  const parsed = parseSpec(text);
  const a: Analysis = { ...parsed, problems: [...parsed.problems] };
  // keep the methods bound to the parse result
  a.rangeOf = parsed.rangeOf;
  a.keyRangeOf = parsed.keyRangeOf;
  a.pathAt = parsed.pathAt;
  const spec = parsed.spec;
  if (!spec) return a;
  try {
    analyzeNetwork(a, spec, opts);
  } catch (e) {
    // defensive: a validator bug must not take the editor down; surface it as a located problem
    a.problems.push({
      severity: 'error',
      code: 'NN002',
      message: `Internal validator error (${e instanceof Error ? e.message : String(e)}); please report it.`,
      range: lineIndexOf(text).range(0, 0),
      path: [],
    });
  }
  sortProblems(a.problems);
  return a;
}

function analyzeNetwork(a: Analysis, spec: NetworkSpec, opts: AnalyzeOptions): void {
  const lines = lineIndexOf(a.text);
  const whole = lines.range(0, 0);
  const report = (code: ProblemCode, message: string, path: JsonPath, opt: { key?: boolean; fix?: Problem['fix'] } = {}): void => {
    const range = (opt.key ? a.keyRangeOf(path) : undefined) ?? a.rangeOf(path) ?? whole;
    const p: Problem = { severity: CODES[code].severity, code, message, range, path };
    if (opt.fix) p.fix = opt.fix;
    a.problems.push(p);
  };

  // ---- data (first: the memory batch size of "full" depends on it)
  const data = dataInfo(a, spec, opts, report);
  if (data) a.dataInfo = data;
  const trainSamples = data ? data.samples - Math.round(data.samples * spec.training.validationSplit) : undefined;
  const batchSize =
    opts.batchSizeForMemory ?? (typeof spec.training.batchSize === 'number' ? spec.training.batchSize : Math.max(1, trainSamples ?? 32));
  const shapes = inferShapes(spec, batchSize);
  a.shapes = shapes;

  // ---- layers
  if (spec.layers.length === 0) {
    report('NN205', 'The network has no layers; add at least one, e.g. {"type": "dense", "units": 1}.', ['layers']);
  } else if (!spec.layers.some((l) => l.type === 'dense')) {
    report('NN205', 'The network has no dense layer, so nothing can be learned; add {"type": "dense", "units": …}.', ['layers']);
  }
  // only the first dense layer on a multi-dimensional input is reported: the later ones follow from it
  let needsFlattenReported = false;
  spec.layers.forEach((layer, i) => {
    const ls = shapes.layers[i]!;
    const inDims = ls.inputShape.slice(1) as number[];
    if (layer.type === 'flatten' && inDims.length === 1) {
      report('NN207', `This flatten receives ${formatShape(ls.inputShape)}, already one vector per sample, so it changes nothing; remove it.`, ['layers', i, 'type']);
    }
    if (layer.type !== 'dense') return;
    if (inDims.length > 1 && !needsFlattenReported) {
      needsFlattenReported = true;
      const msg = `Dense layer ${i} receives ${formatShape(ls.inputShape)}, but a dense layer needs one vector per sample (B×nᵢ); insert {"type": "flatten"} before it to get B×${product(inDims)}.`;
      const layerRange = a.rangeOf(['layers', i]);
      let fix: Problem['fix'];
      if (layerRange) {
        const indent = lines.indentAt(layerRange.offset);
        const sameLineAsPrev = lines.position(layerRange.offset).character > indent.length;
        fix = {
          title: 'Insert a flatten layer before this dense layer',
          range: lines.range(layerRange.offset, 0),
          replacement: sameLineAsPrev ? '{ "type": "flatten" }, ' : `{ "type": "flatten" },\n${indent}`,
        };
      }
      report('NN201', msg, ['layers', i, 'type'], fix ? { fix } : {});
    }
    checkValues(layer, i, inDims[inDims.length - 1] ?? 0, report);
  });

  // ---- output activation vs loss
  const lastDenseIndex = spec.layers.map((l) => l.type).lastIndexOf('dense');
  const lastDense = lastDenseIndex >= 0 ? (spec.layers[lastDenseIndex] as DenseLayer) : undefined;
  if (lastDense) {
    const actPath: JsonPath = ['layers', lastDenseIndex, 'activation'];
    const lossPath: JsonPath = a.rangeOf(['loss']) ? ['loss'] : actPath;
    if (lastDense.activation.name === 'softmax') {
      if (lastDense.units === 1) {
        report('NN208', `Softmax over 1 unit always outputs 1, so nothing can be learned; use "sigmoid" for one output, or one unit per class with softmax.`, actPath);
      } else if (spec.loss !== 'categoricalCrossentropy') {
        report('NN204', `The output layer uses softmax but the loss is "${spec.loss}"; softmax outputs class probabilities, which belong with "categoricalCrossentropy".`, lossPath);
      }
    }
    if (spec.loss === 'binaryCrossentropy' && lastDense.activation.name !== 'sigmoid') {
      report('NN206', `"binaryCrossentropy" needs outputs in (0, 1), but the output layer's activation is ${lastDense.activation.name}; use "sigmoid" on the output layer.`, lossPath);
    }
  }

  // ---- data against the network
  if (data) {
    const per = product(data.features);
    const want = product(spec.input.shape);
    const sameShape = data.features.length === spec.input.shape.length && data.features.every((d, i) => d === spec.input.shape[i]);
    const reshapeable = per === want && (data.features.length === 1 || spec.data?.type === 'mnist');
    if (!sameShape && !reshapeable) {
      report(
        'NN301',
        `The data has ${data.features.length > 1 ? `samples of shape ${dims(data.features)}` : `${per} feature${per === 1 ? '' : 's'} per sample`}, but input.shape is ${JSON.stringify(spec.input.shape)}; set input.shape to ${JSON.stringify(data.features)}.`,
        ['input', 'shape'],
      );
    }
    const outUnits = shapes.outputShape[shapes.outputShape.length - 1];
    if (lastDense && typeof outUnits === 'number' && outUnits !== data.labels) {
      const what = data.classes ? `${data.labels} classes (${data.classes.join(', ')})` : `${data.labels} label column${data.labels === 1 ? '' : 's'}`;
      const unitsPath: JsonPath = ['layers', lastDenseIndex, 'units'];
      const ur = a.rangeOf(unitsPath);
      const fix = ur && lastDense.units === outUnits ? { title: `Set units to ${data.labels}`, range: ur, replacement: String(data.labels) } : undefined;
      report('NN302', `The last layer has ${outUnits} unit${outUnits === 1 ? '' : 's'} but the data has ${what}; set its units to ${data.labels}.`, unitsPath, fix ? { fix } : {});
    }
    const val = Math.round(data.samples * spec.training.validationSplit);
    const train = data.samples - val;
    if (spec.training.validationSplit > 0 && (val < 1 || train < 1)) {
      report('NN308', `validationSplit ${spec.training.validationSplit} of ${data.samples} samples leaves ${train} for training and ${val} for validation; both need at least 1.`, ['training', 'validationSplit']);
    } else if (typeof spec.training.batchSize === 'number' && spec.training.batchSize > train) {
      if (a.rangeOf(['training', 'batchSize'])) {
        report('NN303', `batchSize ${spec.training.batchSize} is larger than the ${train} training samples; use at most ${train}, or "full" for the whole set.`, ['training', 'batchSize']);
      } else {
        // the default batch size: point at "training" if written, else at "data"
        const where: JsonPath = a.rangeOf(['training']) ? ['training'] : ['data'];
        report('NN303', `The default batchSize ${spec.training.batchSize} is larger than the ${train} training samples; set "batchSize": ${train} (or "full") in "training".`, where, { key: true });
      }
    }
  } else if (!spec.data) {
    report('NN309', 'The spec has no "data" section, so it can be inspected but not trained; add one, e.g. "data": {"type": "generator", "name": "xor"}.', [], {});
  }

  // ---- memory, before anything is allocated
  const mem = estimateMemory(spec, shapes);
  a.memory = mem;
  const limit = opts.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
  if (mem.total > limit) {
    report(
      'NN401',
      `Estimated training memory ${formatBytes(mem.total)} (parameters ${formatBytes(mem.paramBytes)}, gradients ${formatBytes(mem.gradientBytes)}, optimizer state ${formatBytes(mem.optimizerBytes)}, activations ${formatBytes(mem.activationBytes)} at batch size ${mem.batchSize}) exceeds the limit of ${formatBytes(limit)}; use fewer units or a smaller batchSize.`,
      ['layers'],
      { key: true },
    );
  }
}

function checkValues(layer: DenseLayer, i: number, nIn: number, report: (code: ProblemCode, message: string, path: JsonPath) => void): void {
  const units = layer.units;
  if (layer.init.type === 'values') {
    const v = layer.init.values;
    const got = describeMatrix(v);
    const ok = v.length === nIn && v.every((r) => Array.isArray(r) && r.length === units);
    if (!ok) {
      report('NN202', `W must be ${nIn}×${units} (inputs × units), got ${got}.`, ['layers', i, 'init', 'values']);
    }
  }
  if (layer.useBias && layer.biasInit.type === 'values') {
    const v = layer.biasInit.values;
    const flat = v.every((e) => typeof e === 'number');
    if (!flat || v.length !== units) {
      report('NN203', `b must have ${units} value${units === 1 ? '' : 's'} (one per unit), got ${flat ? `${v.length}` : describeMatrix(v)}.`, ['layers', i, 'biasInit', 'values']);
    }
  }
}

function describeMatrix(v: readonly unknown[]): string {
  if (v.every((e) => typeof e === 'number')) return `a vector of ${v.length}`;
  const lens = v.map((r) => (Array.isArray(r) ? r.length : 1));
  if (lens.every((l) => l === lens[0]) && v.every((r) => Array.isArray(r) && r.every((e) => typeof e === 'number'))) return `${v.length}×${lens[0]}`;
  return `${v.length} rows of lengths ${lens.join(', ')}`;
}

function dataInfo(
  a: Analysis,
  spec: NetworkSpec,
  opts: AnalyzeOptions,
  report: (code: ProblemCode, message: string, path: JsonPath) => void,
): DataInfo | undefined {
  const src = spec.data;
  if (!src) return undefined;
  switch (src.type) {
    case 'generator': {
      const g = GENERATOR_INFO[src.name];
      return { samples: src.samples, features: [g.features], labels: g.labels };
    }
    case 'mnist':
      return { samples: Math.min(src.samples, DEFAULTS.mnistAvailable), features: [28, 28], labels: 10, classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
    case 'inline': {
      const xShapes = src.x.map((s) => nestedShape(s));
      const bad = xShapes.findIndex((s, i) => s.join('×') !== xShapes[0]!.join('×') || !isRectangular(src.x[i]));
      if (bad >= 0) {
        const why = isRectangular(src.x[bad]) ? `has shape ${dims(xShapes[bad]!)}, but sample 0 has ${dims(xShapes[0]!)}` : 'has rows of different lengths';
        report('NN307', `Sample ${bad} of x ${why}; every sample needs the same rectangular shape.`, ['data', 'x', bad]);
        return undefined;
      }
      if (src.x.length !== src.y.length) {
        report('NN307', `x has ${src.x.length} samples but y has ${src.y.length} label rows; give exactly one label row per sample.`, ['data', 'y']);
        return undefined;
      }
      const badY = src.y.findIndex((r) => r.length !== src.y[0]!.length);
      if (badY >= 0) {
        report('NN307', `Label row ${badY} of y has ${src.y[badY]!.length} values, but row 0 has ${src.y[0]!.length}; every row needs the same length.`, ['data', 'y', badY]);
        return undefined;
      }
      if (src.x.length === 0) {
        report('NN307', 'Inline data has no samples; x and y need at least one row each.', ['data', 'x']);
        return undefined;
      }
      return { samples: src.x.length, features: xShapes[0]!, labels: src.y[0]!.length };
    }
    case 'csv': {
      if (!opts.specPath) return undefined;
      const specDir = opts.specPath.replace(/[\\/][^\\/]*$/, '') || '/';
      const abs = resolveInside(specDir, src.path);
      if (!abs) {
        report('NN304', `The CSV path "${src.path}" leaves the spec's folder; use a path inside it, such as "data/${src.path.split(/[\\/]/).pop() ?? 'file.csv'}".`, ['data', 'path']);
        return undefined;
      }
      if (!opts.readFile) {
        if (opts.dataNotRead) report('NN310', `The CSV file "${src.path}" is not read because ${opts.dataNotRead}, so the checks that need its rows (columns, classes, sample count) are skipped.`, ['data', 'path']);
        return undefined;
      }
      const text = opts.readFile(abs);
      if (text === undefined) {
        report('NN305', `Cannot read the CSV file "${src.path}" (relative to the spec's folder); check the path.`, ['data', 'path']);
        return undefined;
      }
      try {
        const s = summarizeCsv(text, src);
        const info: DataInfo = { samples: s.samples, features: [s.features.length], labels: s.labels };
        if (s.classes) info.classes = s.classes;
        return info;
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        if (e.about.kind === 'column') {
          const col = e.about.column;
          const fi = src.features?.indexOf(col) ?? -1;
          report('NN306', e.message, fi >= 0 && col !== src.label ? ['data', 'features', fi] : ['data', 'label']);
        } else report('NN305', `${e.message.replace(/\.$/, '')} (in "${src.path}").`, ['data', 'path']);
        return undefined;
      }
    }
  }
}

