// `nnlab` command line: one table of subcommands (src/cli/commands/index.ts), each in
// src/cli/commands/<name>.ts exporting its argument table `command` and `run(args)` (the exit code).
// `nnlab help` lists them; `nnlab help <command>` and `nnlab <command> --help` print one's usage.
import { usageText } from './args';
import { COMMANDS } from './commands';
import { terminalText } from './format';

/** the summary's first clause, for the overview */
const brief = (summary: string): string => summary.split(/[.:] /)[0]!.replace(/\.$/, '');

function help(): string {
  const rows: [string, string][] = [
    ...COMMANDS.map((c): [string, string] => [`nnlab ${c.command.name} ${c.command.args}`, brief(c.command.summary)]),
    ['nnlab help [command]', "this text, or a command's usage (also: nnlab <command> --help)"],
  ];
  const w = Math.max(...rows.map(([l]) => l.length));
  return `nnlab — declare, inspect, train and understand neural networks (.nn.json)

Usage:
${rows.map(([l, r]) => `  ${l.padEnd(w)}  ${r}`).join('\n')}
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const about = name === 'help' && rest[0] !== undefined ? COMMANDS.find((c) => c.command.name === rest[0]) : undefined;
    if (name === 'help' && rest[0] !== undefined && !about) {
      process.stderr.write(terminalText(`nnlab: unknown command '${rest[0]}'\n\n${help()}`));
      return 2;
    }
    process.stdout.write(about ? usageText(about.command) : help());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.command.name === name);
  if (!cmd) {
    process.stderr.write(terminalText(`nnlab: unknown command '${name}'\n\n${help()}`));
    return 2;
  }
  return cmd.run(rest);
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
