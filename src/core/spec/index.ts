// The `.nn.json` spec core: parse (positions, structure, defaults), analyze (network and data checks),
// shapes. Everything here is pure: no `vscode`, no DOM, no file access (files come through callbacks).
export * from './types';
export { parseSpec, DEFAULTS, type ParsedSpec } from './parse';
export { analyzeSpec, DEFAULT_MEMORY_LIMIT_BYTES, type Analysis, type AnalyzeOptions, type DataInfo } from './analyze';
export { inferShapes, formatShape, formatBytes, estimateMemory, describeMemory, memoryLimitMessage, runBatchSize, optimizerSlots, type MemoryEstimate } from './shapes';
export { CODES, allCodes, codeInfo, type CodeInfo, type ProblemCode } from './codes';
export { pathToString } from './text';
export { specDocument, specText } from './serialize';
