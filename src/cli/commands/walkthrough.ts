// `nnlab walkthrough <example> [--text] [--json] [--set key=value …]` — a backpropagation walkthrough
// in the terminal. <example> is a built-in (graph, sigmoid-neuron, neural-chain, matrix,
// gradient-descent, or 1…5) or a .nn.json file ("This network", with --sample i, --seed N, --weights).
import { BUILTINS, builtin, networkWalkthrough, resolveBuiltin, walkthroughText, type Values } from '../../core/autodiff';
import { CliError, loadNetwork, parseOptions } from './grad';
import { jsonText, processIo, type Io } from '../format';

const USAGE = `usage: nnlab walkthrough <example> [--text] [--json] [--set key=value]…
       nnlab walkthrough <spec.nn.json> [--sample i] [--seed N] [--weights weights.json] [--json]
examples:
${BUILTINS.map((b, i) => `  ${String(i + 1)}. ${b.id.padEnd(17)} ${b.title}`).join('\n')}`;

export async function run(args: string[], io: Io = processIo): Promise<number> {
  try {
    // --set may repeat: collect them first
    const sets: string[] = [];
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--set') {
        const v = args[++i];
        if (v === undefined) throw new CliError('option --set needs key=value', 2);
        sets.push(v);
      } else if (args[i].startsWith('--set=')) sets.push(args[i].slice(6));
      else rest.push(args[i]);
    }
    const { positional, opts } = parseOptions(rest, ['text', 'json', 'list'], ['sample', 'seed', 'weights', 'alpha']);
    if (opts.list) {
      io.out(USAGE.split('examples:\n')[1] + '\n');
      return 0;
    }
    if (positional.length !== 1) throw new CliError(USAGE, 2);
    const name = positional[0];
    let w;
    if (/\.json$/i.test(name)) {
      if (sets.length) throw new CliError('--set applies to the built-in examples; a spec is walked with its own weights', 2);
      const net = await loadNetwork(name, opts);
      const alpha = opts.alpha === undefined ? undefined : Number(opts.alpha);
      if (alpha !== undefined && !Number.isFinite(alpha)) throw new CliError(`--alpha must be a number, got ${String(opts.alpha)}`, 2);
      w = networkWalkthrough(net.spec, net.weights, net.sample, { index: net.index, source: net.weightsSource, alpha });
    } else {
      const id = resolveBuiltin(name);
      if (!id) throw new CliError(`unknown example '${name}'\n${USAGE}`, 2);
      const values: Values = {};
      const known = builtin(id).params.map((p) => p.key);
      for (const s of sets) {
        const m = /^([A-Za-z0-9_]+)=(.+)$/.exec(s);
        const v = m ? Number(m[2]) : NaN;
        if (!m || !Number.isFinite(v)) throw new CliError(`--set expects key=number, got '${s}'`, 2);
        if (!known.includes(m[1])) throw new CliError(`'${m[1]}' is not a parameter of ${id}; it has: ${known.join(', ')}`, 2);
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
