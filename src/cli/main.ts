// `nnlab` command line: one table of subcommands, each in src/cli/commands/<name>.ts exporting
// `run(args: string[]): Promise<number>` (the exit code).
import { realCommands } from './commands';

const HELP = `nnlab — declare, inspect, train and understand neural networks (.nn.json)

Usage:
  nnlab validate <files…>                 check specs, print problems as file:line:col
  nnlab inspect <file> [--json]           layer table: shapes, W, b, params, memory
  nnlab train <spec> [--backend B] [--epochs N] [--json] [--from RUN]
  nnlab predict <run> --input '[[0,1]]'   run a trained model
  nnlab grad <spec> [--sample i] [--json] every parameter's gradient for one sample
  nnlab walkthrough <example> [--text]    a backpropagation walkthrough as text
  nnlab export <spec|run> --to pytorch|keras [--out DIR]   code and files for PyTorch / Keras
  nnlab help                              this text
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const cmd = realCommands[name];
  if (!cmd) {
    process.stderr.write(`nnlab: unknown command '${name}'\n\n${HELP}`);
    return 2;
  }
  return cmd(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nnlab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  },
);
