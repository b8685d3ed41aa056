// Text builders for the editor: code lens titles and hover Markdown, in the course's notation.
// Pure (no `vscode`), so every string is unit-tested exactly.
export * from './format';
export * from './lens';
export * from './hover';
export * from './status';
export * from './progress';
export * from './indices';
export * from './lensModel';
export * from './activations';
