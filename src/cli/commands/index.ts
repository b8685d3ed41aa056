// The subcommand table. Each module exports `run(args, io?): Promise<number>`; the table gives every
// command an Io that strips terminal escapes and control characters (terminalText) from what it prints.
import { processIo, terminalIo, type Io } from '../format';
import * as validate from './validate';
import * as inspect from './inspect';
import * as train from './train';
import * as predict from './predict';
import * as grad from './grad';
import * as walkthrough from './walkthrough';

type Command = (args: string[], io: Io) => Promise<number>;

/** `run` printing through terminalIo(io); `io` defaults to stdout and stderr. */
const safe =
  (run: Command) =>
  (args: string[], io: Io = processIo): Promise<number> =>
    run(args, terminalIo(io));

export const realCommands: Record<string, (args: string[], io?: Io) => Promise<number>> = {
  validate: safe(validate.run),
  inspect: safe(inspect.run),
  train: safe(train.run),
  predict: safe(predict.run),
  grad: safe(grad.run),
  walkthrough: safe(walkthrough.run),
};
