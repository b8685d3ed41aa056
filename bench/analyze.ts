// `npm run bench -- --only analyze`: the editor's analysis (analyzeSpec, what diagnostics, lenses and
// hovers read on every edit) of a 6.8 MB spec with inline data (1,400 samples × 784 features), in a
// fresh child process so its peak memory is its own. Reports the first analysis (opening the file),
// the best of the next rounds (editing it), and the child's peak resident memory above what it held
// with the text loaded. Also runnable alone: node --import tsx bench/analyze.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/core/train/random';

export interface AnalyzeResult {
  bytes: number;
  samples: number;
  features: number;
  firstMs: number;
  bestMs: number;
  /** CPU time (user + system) of the first analysis: less sensitive than wall time to a busy machine */
  firstCpuMs: number;
  rounds: number;
  /** peak resident memory of the child above its resident memory with the text loaded, MiB */
  peakAboveBaseMiB: number;
  peakRssMiB: number;
  problems: string[];
}

const SAMPLES = 1400;
const FEATURES = 784;

/** A deterministic spec with inline data: `samples` rows of 784 pixel-like values (3 decimals, 20 % zeros), one-hot labels. */
export function inlineSpecText(samples = SAMPLES, features = FEATURES): string {
  const rng = mulberry32(7);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < samples; i++) {
    x.push(Array.from({ length: features }, () => (rng() < 0.2 ? 0 : Math.round(rng() * 1000) / 1000)));
    y.push(Array.from({ length: 10 }, (_, c) => (c === i % 10 ? 1 : 0)));
  }
  const spec = {
    version: 1,
    name: 'inline-6.8MB',
    input: { shape: [features] },
    layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
    loss: 'categoricalCrossentropy',
    training: { epochs: 1, batchSize: 32 },
    data: { type: 'inline', x, y },
  };
  // one sample per line, as a person or a script would write it
  return JSON.stringify(spec, null, 2).replace(/\[\n\s+(-?\d[^\]]*?)\n\s+\]/g, (_, body: string) => `[${body.replace(/,\n\s+/g, ', ')}]`) + '\n';
}

/** In the child: read the file, then time analyzeSpec `rounds + 1` times. */
async function child(file: string, rounds: number): Promise<void> {
  const { analyzeSpec } = await import('../src/core/spec/analyze');
  const text = readFileSync(file, 'utf8');
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  const times: number[] = [];
  let firstCpuMs = 0;
  let problems: string[] = [];
  for (let r = 0; r <= rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const a = analyzeSpec(text, { specPath: file });
    times.push(performance.now() - t0);
    if (r === 0) {
      const c = process.cpuUsage(c0);
      firstCpuMs = (c.user + c.system) / 1000;
    }
    problems = a.problems.map((p) => `${p.code}: ${p.message}`);
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ firstMs: times[0], firstCpuMs, bestMs: Math.min(...times.slice(1)), rounds, peakAboveBaseMiB: (peak - base) / 2 ** 20, peakRssMiB: peak / 2 ** 20, problems }) + '\n');
}

export function analyzeBench(rounds = 3): AnalyzeResult {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-analyze-'));
  try {
    const file = join(dir, 'inline.nn.json');
    const text = inlineSpecText();
    writeFileSync(file, text);
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', file, String(rounds)], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Omit<AnalyzeResult, 'bytes' | 'samples' | 'features'>;
    return { bytes: Buffer.byteLength(text), samples: SAMPLES, features: FEATURES, ...r };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function analyzeLines(r: AnalyzeResult): string[] {
  return [
    '| editor analysis (analyzeSpec) | spec size | first analysis (CPU time) | best of next rounds | peak memory above the loaded text | problems |',
    '|---|---:|---:|---:|---:|---|',
    `| inline data ${r.samples} × ${r.features} | ${(r.bytes / 1e6).toFixed(1)} MB | ${r.firstMs.toFixed(0)} ms (${r.firstCpuMs.toFixed(0)} ms) | ${r.bestMs.toFixed(0)} ms (${r.rounds} rounds) | ${r.peakAboveBaseMiB.toFixed(0)} MiB (peak RSS ${r.peakRssMiB.toFixed(0)} MiB) | ${r.problems.length ? r.problems.join('; ') : 'none'} |`,
  ];
}

if (process.argv[2] === '--child') {
  void child(process.argv[3]!, Number(process.argv[4] ?? 3));
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(analyzeLines(analyzeBench()).join('\n'));
}
