// The shared shape of every exporter (src/core/export/<target>.ts): one pure function from a network
// (spec, the data NN Lab trains on, initial and trained weights) to files. The CLI (`nnlab export`) and
// the extension ("NN Lab: Export…") load the input (load.ts) and write the files; they hold no export logic.
// Pure: no fs, no `vscode`, no DOM.
import type { NetworkSpec, Problem } from '../spec/types';
import type { Dataset } from '../data/dataset';
import type { Preprocessing } from '../data/preprocess';
import type { LayerWeights } from '../../protocol/training';

/** One output file: a path relative to the output folder ("/"-separated) and its contents. */
export interface ExportFile {
  path: string;
  data: string | Uint8Array;
}

/** What an exporter gets: everything NN Lab itself would train and predict with. */
export interface ExportInput {
  spec: NetworkSpec;
  /** the spec file's base name (`xor.nn.json`), for comments and the README */
  specFile: string;
  /** where it came from: a spec file, or a run folder (then `trained` holds its weights) */
  source: { kind: 'spec' | 'run'; path: string };
  /** the data exactly as NN Lab trains on it (generated, CSV parsed and standardised, MNIST picked); undefined when the spec has none */
  data?: Dataset;
  /** the weights training starts from: initialWeights(spec), NN Lab's seeded draw */
  initial: LayerWeights[];
  /** a run's trained weights */
  trained?: LayerWeights[];
  /** what was done to raw features before training (a CSV's standardisation), for predicting on raw inputs */
  preprocessing?: Preprocessing;
}

export interface Exporter {
  /** one line for menus and help: what the export produces */
  readonly title: string;
  /**
   * What this target cannot express for this input, each an exact sentence ("… is not supported
   * because …"); empty when the export can go ahead.
   */
  unsupported(input: ExportInput): string[];
  /** The files, for an input `unsupported` accepted. */
  export(input: ExportInput): ExportFile[];
}

/** A refusal: the spec's located problems, or exact sentences saying what the target does not support. */
export class ExportError extends Error {
  constructor(
    message: string,
    /** what is unsupported, one exact sentence each */
    readonly details: string[] = [],
    /** the spec's errors, located (the CLI prints them as file:line:col, the editor shows them) */
    readonly problems: { file: string; problems: Problem[] } | undefined = undefined,
  ) {
    super(details.length ? `${message}: ${details.join('; ')}` : message);
    this.name = 'ExportError';
  }
}
