// `nnlab walkthrough <example> [--text] [--json] [--set key=value …]` — a backpropagation walkthrough
// in the terminal. <example> is a built-in (graph, sigmoid-neuron, neural-chain, matrix,
// gradient-descent, or 1…5) or a .nn.json file ("This network", with --sample i, --seed N, --weights).
import { BUILTINS, builtin, networkWalkthrough, resolveBuiltin, walkthroughText, type Values } from '../../core/autodiff';
import { CliError, loadNetwork } from './grad';
import { jsonText, processIo, type Io } from '../format';
import { UsageError, withArgs, type CommandSpec, type OptionValues } from '../args';

const EXAMPLES = BUILTINS.map((b, i) => `  ${String(i + 1)}. ${b.id.padEnd(17)} ${b.title}`).join('\n');

export const command: CommandSpec = {
  name: 'walkthrough',
  args: '<example or spec.nn.json>',
  summary: "A backpropagation walkthrough as text: a built-in example of the course (name or number), or a spec's own network (\"This network\") with its data and weights.",
  options: {
    text: { type: 'boolean', help: 'the steps as text (the default)' },
    json: { type: 'boolean', help: 'the walkthrough as JSON' },
    list: { type: 'boolean', help: 'list the built-in examples' },
    set: { type: 'string', multiple: true, value: 'key=value', help: "a built-in example's parameter, e.g. --set alpha=0.9" },
    sample: { type: 'string', value: 'i', help: 'a spec: which sample (default 0)' },
    seed: { type: 'string', value: 'N', help: 'a spec: seed of the initial weights (default training.seed)' },
    weights: { type: 'string', value: 'FILE', help: 'a spec: weights from a JSON file instead of the initial ones' },
    alpha: { type: 'string', value: 'α', help: "a spec: the learning rate of the update step (default the optimizer's)" },
  },
  positionals: { min: 0, max: 1 },
  more: `examples:\n${EXAMPLES}`,
};

export async function run(args: string[], io: Io = processIo): Promise<number> {
  return withArgs(command, args, io, (opts, positional) => walkthrough(opts, positional, io));
}

async function walkthrough(opts: OptionValues, positional: string[], io: Io): Promise<number> {
  try {
    const sets = (opts.set as string[] | undefined) ?? [];
    if (opts.list) {
      io.out(EXAMPLES + '\n');
      return 0;
    }
    if (positional.length !== 1) throw new UsageError('expects an example or a spec (<example or spec.nn.json>), got none', true);
    const name = positional[0]!;
    let w;
    if (/\.json$/i.test(name)) {
      if (sets.length) throw new UsageError('--set applies to the built-in examples; a spec is walked with its own weights');
      const net = await loadNetwork(name, opts);
      const alpha = opts.alpha === undefined ? undefined : Number(opts.alpha);
      if (alpha !== undefined && !Number.isFinite(alpha)) throw new UsageError(`--alpha must be a number, got ${String(opts.alpha)}`);
      w = networkWalkthrough(net.spec, net.weights, net.sample, { index: net.index, source: net.weightsSource, alpha });
    } else {
      const id = resolveBuiltin(name);
      if (!id) throw new UsageError(`unknown example '${name}'`, true);
      const values: Values = {};
      const known = builtin(id).params.map((p) => p.key);
      for (const s of sets) {
        const m = /^([A-Za-z0-9_]+)=(.+)$/.exec(s);
        const v = m ? Number(m[2]) : NaN;
        if (!m || !Number.isFinite(v)) throw new UsageError(`--set expects key=number, got '${s}'`);
        if (!known.includes(m[1]!)) throw new UsageError(`'${m[1]}' is not a parameter of ${id}; it has: ${known.join(', ')}`);
        values[m[1]] = v;
      }
      w = builtin(id, values);
    }
    io.out(opts.json ? jsonText(w, 2) + '\n' : walkthroughText(w));
    return w.checks.every((c) => c.agree) ? 0 : 1;
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`nnlab walkthrough: ${e.message}\n`);
      return e.code;
    }
    throw e;
  }
}
