// The subcommand table. Each module exports `command` (its argument table and usage, src/cli/args.ts)
// and `run(args, io?): Promise<number>` (the exit code); the table gives every command an Io that strips
// terminal escapes and control characters (terminalText) from what it prints.
import type { CommandSpec } from '../args';
import { processIo, terminalIo, type Io } from '../format';
import * as validate from './validate';
import * as inspect from './inspect';
import * as train from './train';
import * as predict from './predict';
import * as grad from './grad';
import * as walkthrough from './walkthrough';
import * as exportCmd from './export';
import * as plot from './plot';
import * as lab from './lab';

export interface Command {
  command: CommandSpec;
  run(args: string[], io?: Io): Promise<number>;
}

/** `run` printing through terminalIo(io); `io` defaults to stdout and stderr. */
const safe = (m: { command: CommandSpec; run: (args: string[], io: Io) => Promise<number> }): Command => ({
  command: m.command,
  run: (args, io = processIo) => m.run(args, terminalIo(io)),
});

export const COMMANDS: readonly Command[] = [validate, inspect, train, predict, grad, walkthrough, exportCmd, plot, lab].map(safe);
