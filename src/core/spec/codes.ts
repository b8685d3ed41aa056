// The stable problem codes of the `.nn.json` validator. Codes never change meaning once released;
// new checks get new codes. NN0xx: syntax, NN1xx: structure and values of single fields,
// NN2xx: network (shapes, layers, loss), NN3xx: data, NN4xx: resources.
import type { Severity } from './types';

export interface CodeInfo {
  code: string;
  severity: Severity;
  /** short kebab-case name, used for the samples/invalid/<name>.nn.json files */
  name: string;
  description: string;
}

export const CODES = {
  NN000: { severity: 'error', name: 'unreadable-file', description: 'The spec file itself cannot be read (CLI and editor only; parseSpec never reports it).' },
  NN001: { severity: 'error', name: 'json-syntax', description: 'The file is not valid JSON (comments and trailing commas are not allowed either).' },
  NN002: { severity: 'error', name: 'not-an-object', description: 'The spec must be one JSON object.' },
  NN101: { severity: 'error', name: 'unknown-key', description: 'A property the format does not know; often a misspelling, for which a fix is offered.' },
  NN102: { severity: 'error', name: 'missing-key', description: 'A required property is missing.' },
  NN103: { severity: 'error', name: 'wrong-type', description: 'A value has the wrong JSON type (e.g. a string where a number is required).' },
  NN104: { severity: 'error', name: 'out-of-range', description: 'A number is outside its allowed range (units 0, negative std, learning rate ≤ 0, …).' },
  NN105: { severity: 'error', name: 'unknown-name', description: 'An unknown name for a layer type, activation, initializer, loss, optimizer, generator or data type.' },
  NN106: { severity: 'error', name: 'unsupported-version', description: 'Only `"version": 1` exists.' },
  NN107: { severity: 'warning', name: 'ignored-setting', description: 'A setting that has no effect where it is (e.g. `biasInit` with `"useBias": false`).' },
  NN201: { severity: 'error', name: 'dense-needs-flatten', description: 'A dense layer receives a multi-dimensional input; put a `flatten` layer before it.' },
  NN202: { severity: 'error', name: 'weight-values-shape', description: 'Explicit W `values` must be an nᵢ×nₒ matrix (inputs × units).' },
  NN203: { severity: 'error', name: 'bias-values-shape', description: 'Explicit b `values` must be a vector of nₒ numbers (one per unit).' },
  NN204: { severity: 'warning', name: 'softmax-loss', description: 'Softmax outputs a probability distribution and belongs with `categoricalCrossentropy`.' },
  NN205: { severity: 'error', name: 'no-layers', description: 'The network has no layers, or no dense layer to learn with.' },
  NN206: { severity: 'warning', name: 'output-activation-loss', description: '`binaryCrossentropy` expects outputs in (0, 1): use a sigmoid output layer.' },
  NN207: { severity: 'info', name: 'flatten-no-effect', description: 'Flatten on an input that is already a vector changes nothing.' },
  NN208: { severity: 'warning', name: 'softmax-single-unit', description: 'Softmax over one unit always outputs 1; use sigmoid for a single output.' },
  NN301: { severity: 'error', name: 'data-features', description: 'The data has a different number of features than `input.shape` describes.' },
  NN302: { severity: 'error', name: 'data-labels', description: 'The data has a different number of label columns (classes) than the last layer has units.' },
  NN303: { severity: 'error', name: 'batch-larger-than-data', description: '`training.batchSize` is larger than the number of training samples.' },
  NN304: { severity: 'error', name: 'csv-path-outside', description: 'A CSV path must stay inside the spec\'s folder (no absolute paths, no `..` above it, no symbolic link leading out of it).' },
  NN305: { severity: 'error', name: 'csv-unreadable', description: 'The CSV file cannot be read or is not a regular file (a pipe, a device, a folder), or its header or rows are malformed (a feature cell that is not a number, with its row and column).' },
  NN306: { severity: 'error', name: 'csv-column', description: 'A CSV column named in `features` or `label` does not exist in the header.' },
  NN307: { severity: 'error', name: 'inline-data', description: 'Inline `x` and `y` are inconsistent (different lengths or ragged rows).' },
  NN308: { severity: 'error', name: 'validation-split-empty', description: '`validationSplit` leaves no samples for training or none for validation.' },
  NN309: { severity: 'warning', name: 'no-data', description: 'No `data` section: the network can be inspected but not trained.' },
  NN310: { severity: 'info', name: 'data-not-read', description: 'The CSV file was not read or not checked (an untrusted workspace, Restricted Mode; in the editor, a file over `nnlab.data.editorCheckMB` or a read that timed out), so the checks that need its contents were skipped.' },
  NN311: { severity: 'error', name: 'data-file-too-large', description: 'The data file is larger than the cap for data files (`nnlab.data.maxFileMB`, default 256 MiB).' },
  NN401: { severity: 'error', name: 'memory-limit', description: 'The estimated training memory (parameters, gradients, optimizer state, activations) exceeds the limit.' },
} as const satisfies Record<string, Omit<CodeInfo, 'code'>>;

export type ProblemCode = keyof typeof CODES;

export function codeInfo(code: ProblemCode): CodeInfo {
  return { code, ...CODES[code] };
}

/** every code, in order, for docs and tests */
export function allCodes(): CodeInfo[] {
  return (Object.keys(CODES) as ProblemCode[]).map(codeInfo);
}
