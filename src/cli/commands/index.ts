// The subcommand table. Each module exports `command` (its argument table and usage, src/cli/args.ts)
// and `run(args): Promise<number>` (the exit code).
import type { CommandSpec } from '../args';
import * as validate from './validate';
import * as inspect from './inspect';
import * as train from './train';
import * as predict from './predict';
import * as grad from './grad';
import * as walkthrough from './walkthrough';

export interface Command {
  command: CommandSpec;
  run(args: string[]): Promise<number>;
}

export const COMMANDS: readonly Command[] = [validate, inspect, train, predict, grad, walkthrough];
