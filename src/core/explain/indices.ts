// Indices a person reads are 1-based, as the course numbers layers (W¹, W²): "layer 1", "sample 1 of 4",
// "unit 2", in messages, lenses, hovers, panels and the CLI. JSON paths (`layers[0].units`) stay 0-based.
// Pure: no `vscode`, no DOM.

/** The number a person reads for a 0-based index. */
export function humanIndex(index0: number): number {
  return index0 + 1;
}

/** `layer 1` for layers[0]. */
export function layerName(index0: number): string {
  return `layer ${humanIndex(index0)}`;
}

/** `sample 1` for row 0; `sample 1 of 4` with the count. */
export function sampleName(index0: number, count?: number): string {
  return `sample ${humanIndex(index0)}${count !== undefined ? ` of ${count}` : ''}`;
}

/** `unit 2` for column 1 of a layer's output. */
export function unitName(index0: number): string {
  return `unit ${humanIndex(index0)}`;
}
