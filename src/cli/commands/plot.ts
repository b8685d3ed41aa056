// `nnlab plot <run> [<run>…] --out loss.svg|loss.png`: runs' loss curves (metrics.csv) as a standalone
// picture for slides and reports (src/core/view/plot.ts runsPlot: the same picture the loss panel
// exports). <run> is a run folder, a run name in ./.nnlab/runs (or --runs DIR), or "latest". Several runs
// are drawn together, named by what sets them apart (or their run.json label); --seeds adds the first
// run's seed group and its mean ± std band. PNG (2× the SVG's size) is rasterised by resvg
// (src/cli/png.ts, an optional dependency). Exit 0 written, 1 no run, unreadable metrics or no PNG
// renderer, 2 usage.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { readRunMeta, readRunSpec, resolveRunDir, writeFileAtomic } from '../../core/train/runs';
import { parseMetricsCsv } from '../../core/view/metrics';
import { lossCurves, runsPicture } from '../../core/view/plot';
import { hyperParams, runNames, type ComparedRun } from '../../core/view/compare';
import type { NetworkSpec } from '../../core/spec/types';
import type { RunSeries } from '../../protocol/webview';
import type { RunSummary } from '../../protocol/training';
import { stringOption, UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';
import { processIo, type Io } from '../format';
import { svgToPng } from '../png';

export const command: CommandSpec = {
  name: 'plot',
  args: '<run> [<run>…]',
  summary: "Draw runs' loss curves (training, validation, batch loss; other runs named by what sets them apart) as an SVG or a 2× PNG for slides. <run> is a run folder, a run name in ./.nnlab/runs (or --runs DIR), or latest.",
  options: {
    out: { type: 'string', value: 'FILE', help: 'the picture to write: --out loss.svg, or --out loss.png (twice the SVG\'s 1200×675; needs the optional package @resvg/resvg-js)' },
    runs: { type: 'string', value: 'DIR', help: 'where run names are looked up (default ./.nnlab/runs)' },
    seeds: { type: 'boolean', help: "also draw the other runs of the first run's seed group (nnlab train --seeds N) and their mean ± std band" },
  },
  positionals: { min: 1, max: Infinity },
};

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (values, positional) => plot(values, positional, io));
}

interface LoadedRun extends ComparedRun {
  dir: string;
  series: RunSeries;
  spec?: NetworkSpec;
  summary?: RunSummary;
}

function loadRun(dir: string): LoadedRun {
  const metricsFile = [join(dir, 'metrics.csv'), join(dir, 'metrics.csv.partial')].find((f) => existsSync(f));
  if (!metricsFile) throw new Error(`${dir} has no metrics.csv`);
  const series = parseMetricsCsv(readFileSync(metricsFile, 'utf8'), dir);
  const c = lossCurves(series);
  if (c.loss.length === 0 && c.batchLoss.length === 0) throw new Error(`${metricsFile} has no loss rows yet`);
  const out: LoadedRun = { dir, folder: basename(dir), series, ...readRunMeta(dir) };
  try {
    out.spec = readRunSpec(dir);
    out.hyper = hyperParams(out.spec);
  } catch {
    // a run without a readable spec still has its curves: it is named by its folder
  }
  const summaryFile = join(dir, 'summary.json');
  try {
    if (existsSync(summaryFile)) out.summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as RunSummary;
  } catch {
    // no summary line
  }
  return out;
}

/** The other runs of `first`'s seed group in its runs folder, oldest first. */
function seedGroupOf(first: LoadedRun): string[] {
  if (!first.seedGroup) throw new Error(`run ${first.folder} was not trained as one of several seeds (its run.json has no seedGroup); train with nnlab train --seeds N`);
  const root = dirname(first.dir);
  return readdirNames(root)
    .map((n) => join(root, n))
    .filter((d) => d !== first.dir && readRunMeta(d).seedGroup === first.seedGroup);
}

const readdirNames = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
};

async function plot(values: OptionValues, runArgs: string[], io: Io): Promise<number> {
  const out = stringOption(values, 'out');
  if (out === undefined) throw new UsageError('--out is required, e.g. --out loss.svg or --out loss.png', true);
  const ext = extname(out).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new UsageError(`--out must name an .svg or .png file, got ${out}`);
  const runsOpt = stringOption(values, 'runs');
  const runsDir = runsOpt !== undefined ? resolve(runsOpt) : join(process.cwd(), '.nnlab', 'runs');
  try {
    const dirs = runArgs.map((a) => resolveRunDir(a, runsDir));
    const runs = dirs.map(loadRun);
    if (values.seeds === true) {
      // the group in the order it was trained (its first seed is the main run), then any other runs named
      const group = [dirs[0]!, ...seedGroupOf(runs[0]!)].sort();
      const rest = dirs.slice(1).filter((d) => !group.includes(d));
      runs.splice(0, runs.length, ...[...group, ...rest].map(loadRun));
    }
    const { names, common } = runNames(runs);
    const { svg } = runsPicture(
      runs.map((r, i) => ({ name: names[i]!, folder: r.folder, series: r.series, ...(r.summary ? { summary: r.summary } : {}), ...(r.spec ? { plannedEpochs: r.spec.training.epochs } : {}), ...(r.seedGroup ? { seedGroup: r.seedGroup } : {}) })),
      runs[0]!.spec?.name,
      common,
    );
    if (ext === '.png') {
      const { png, width, height } = svgToPng(svg, 2);
      writeFileAtomic(resolve(out), png);
      io.out(`wrote ${out} (${width}×${height} px)\n`);
    } else {
      writeFileAtomic(resolve(out), svg);
      io.out(`wrote ${out}\n`);
    }
    return 0;
  } catch (e) {
    io.err(`nnlab plot: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
