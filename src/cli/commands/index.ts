// The subcommand table. Each module exports `run(args): Promise<number>`.
import * as validate from './validate';
import * as inspect from './inspect';
import * as train from './train';
import * as predict from './predict';
import * as grad from './grad';
import * as walkthrough from './walkthrough';
import * as exportCmd from './export';

export const realCommands: Record<string, (args: string[]) => Promise<number>> = {
  validate: validate.run,
  inspect: inspect.run,
  train: train.run,
  predict: predict.run,
  grad: grad.run,
  walkthrough: walkthrough.run,
  export: exportCmd.run,
};
