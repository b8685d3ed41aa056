// `nnlab plot <run> --out loss.svg`: the run's loss curves (metrics.csv) as a standalone SVG for slides
// and reports (src/core/view/plot.ts). <run> is a run folder, a run name in ./.nnlab/runs (or --runs DIR),
// or "latest". Only SVG for now: `--out x.png` is a usage error. Exit 0 written, 1 no run or unreadable
// metrics, 2 usage.
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { readRunSpec, resolveRunDir, writeFileAtomic } from '../../core/train/runs';
import { parseMetricsCsv } from '../../core/view/metrics';
import { lossCurves, lossPlot, plotTitle } from '../../core/view/plot';
import { runSummaryText } from '../../core/explain/progress';
import { duration } from '../../core/explain/format';
import type { RunSummary } from '../../protocol/training';
import { stringOption, UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';
import { processIo, type Io } from '../format';

export const command: CommandSpec = {
  name: 'plot',
  args: '<run>',
  summary: "Draw a run's loss curves (training, validation, batch loss) as an SVG for slides. <run> is a run folder, a run name in ./.nnlab/runs (or --runs DIR), or latest.",
  options: {
    out: { type: 'string', value: 'FILE', help: 'the SVG file to write, e.g. --out loss.svg (required; PNG is not supported yet)' },
    runs: { type: 'string', value: 'DIR', help: 'where run names are looked up (default ./.nnlab/runs)' },
  },
  positionals: { min: 1, max: 1 },
};

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (values, positional) => plot(values, positional[0]!, io));
}

async function plot(values: OptionValues, runName: string, io: Io): Promise<number> {
  const out = stringOption(values, 'out');
  if (out === undefined) throw new UsageError('--out is required, e.g. --out loss.svg', true);
  const ext = extname(out).toLowerCase();
  if (ext === '.png') throw new UsageError(`PNG is not supported yet: write an SVG (--out ${out.slice(0, -4)}.svg), which browsers, slides and documents show at any size`);
  if (ext !== '.svg') throw new UsageError(`--out must name an .svg file, got ${out}`);
  const runs = stringOption(values, 'runs');
  try {
    const dir = resolveRunDir(runName, runs !== undefined ? resolve(runs) : join(process.cwd(), '.nnlab', 'runs'));
    const metricsFile = [join(dir, 'metrics.csv'), join(dir, 'metrics.csv.partial')].find((f) => existsSync(f));
    if (!metricsFile) throw new Error(`${dir} has no metrics.csv`);
    const series = parseMetricsCsv(readFileSync(metricsFile, 'utf8'), dir);
    let specName: string | undefined;
    let subtitle: string | undefined;
    try {
      const spec = readRunSpec(dir);
      specName = spec.name;
      const summaryFile = join(dir, 'summary.json');
      if (existsSync(summaryFile)) {
        const s = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary;
        subtitle = runSummaryText({ ...s, finalLoss: s.finalLoss ?? NaN }, spec.training.epochs, duration(s.elapsedMs));
      }
    } catch {
      // a run without a readable spec or summary still has its curves: the title is the folder's name
    }
    const curves = lossCurves(series);
    if (curves.loss.length === 0 && curves.batchLoss.length === 0) throw new Error(`${metricsFile} has no loss rows yet`);
    const { svg } = lossPlot(curves, { title: plotTitle(specName, basename(dir)), ...(subtitle ? { subtitle } : {}) });
    writeFileAtomic(resolve(out), svg);
    io.out(`wrote ${out}\n`);
    return 0;
  } catch (e) {
    io.err(`nnlab plot: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
