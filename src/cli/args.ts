// Every `nnlab` subcommand's arguments: one table per command (its usage line, summary and options)
// read by Node's `util.parseArgs` in strict mode and by the usage text, so the two cannot differ.
// `nnlab <command> --help` prints the usage on stdout and exits 0; a usage error (unknown option, a
// value missing, the wrong number of arguments) prints "nnlab <command>: what is wrong" and the usage
// on stderr and exits 2.
import { parseArgs } from 'node:util';
import type { Io } from './format';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** may be given several times (values collected in order) */
  multiple?: boolean;
  short?: string;
  /** the value's placeholder in the usage, e.g. "N" for --epochs N */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** the positional arguments as the usage shows them, e.g. "<spec.nn.json>" */
  args: string;
  /** one line for `nnlab help` and the top of the command's usage */
  summary: string;
  options: Record<string, OptionSpec>;
  /** how many positional arguments are accepted */
  positionals: { min: number; max: number };
  /** more text after the options (examples, lists) */
  more?: string;
}

/** Bad usage of a command: exit 2, with the command's usage when the arguments did not parse. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** print the usage after the message (unknown option, wrong argument count); not for one bad value */
    readonly withUsage = false,
  ) {
    super(message);
  }
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'print this usage and exit' };

/** `Usage: nnlab grad <spec.nn.json> [options]`, the summary, then one line per option. */
export function usageText(c: CommandSpec): string {
  const opts = Object.entries({ ...c.options, help: HELP_OPTION });
  const left = opts.map(([name, o]) => `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`);
  const w = Math.max(...left.map((l) => l.length));
  return [
    `Usage: nnlab ${c.name} ${c.args} [options]`,
    '',
    c.summary,
    '',
    'Options:',
    ...opts.map(([, o], i) => `  ${left[i]!.padEnd(w)}  ${o.help}${o.multiple ? ' (may be repeated)' : ''}`),
    ...(c.more ? ['', c.more] : []),
  ].join('\n') + '\n';
}

/** The one clear line for what util.parseArgs refused (its own messages run over several lines). */
function usageMessage(e: Error & { code?: string }): string {
  const unknown = /^Unknown option '([^']+)'/.exec(e.message);
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return `unknown option ${unknown[1]}`;
  const ambiguous = /^Option '([^' ]+)[^']*' argument is ambiguous/.exec(e.message);
  if (ambiguous) return `option ${ambiguous[1]} needs a value; for a value starting with '-' write ${ambiguous[1]}=-…`;
  const missing = /^Option '([^' ]+)[^']*' argument missing/.exec(e.message);
  if (missing) return `option ${missing[1]} needs a value`;
  const noArg = /^Option '([^' ]+)[^']*' does not take an argument/.exec(e.message);
  if (noArg) return `option ${noArg[1]} takes no value`;
  return e.message.split('\n')[0]!;
}

/**
 * Parses a command's arguments strictly. Returns undefined for --help (the caller prints the usage),
 * throws UsageError for anything the table does not allow.
 */
export function parseCommandArgs(c: CommandSpec, args: string[]): { values: OptionValues; positionals: string[] } | undefined {
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    const options = Object.fromEntries(
      Object.entries({ ...c.options, help: HELP_OPTION }).map(([k, o]) => [k, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
    );
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true }) as { values: OptionValues; positionals: string[] };
  } catch (e) {
    // --help wins over any other mistake on the line
    if (args.includes('--help') || args.includes('-h')) return undefined;
    throw new UsageError(usageMessage(e as Error & { code?: string }), true);
  }
  if (parsed.values.help) return undefined;
  const n = parsed.positionals.length;
  const { min, max } = c.positionals;
  if (n < min || n > max) {
    const want = min === max ? `${min} argument${min === 1 ? '' : 's'}` : max === Infinity ? `at least ${min} argument${min === 1 ? '' : 's'}` : `${min} to ${max} arguments`;
    throw new UsageError(`expects ${want} (${c.args}), got ${n}${n > max ? `: ${parsed.positionals.join(' ')}` : ''}`, true);
  }
  return parsed;
}


/**
 * Runs a command body with its parsed arguments: --help → usage on stdout, exit 0; a UsageError (from
 * parsing or thrown by the body for a bad option value) → the message and the usage on stderr, exit 2.
 */
export async function withArgs(c: CommandSpec, args: string[], io: Io, body: (values: OptionValues, positionals: string[]) => Promise<number>): Promise<number> {
  try {
    const parsed = parseCommandArgs(c, args);
    if (!parsed) {
      io.out(usageText(c));
      return 0;
    }
    return await body(parsed.values, parsed.positionals);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`nnlab ${c.name}: ${e.message}\n${e.withUsage ? `\n${usageText(c)}` : ''}`);
    return 2;
  }
}

/** A string option's value (undefined when not given). */
export const stringOption = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
};

/** An integer option in [min, max], or `dflt` when not given; anything else is a UsageError. */
export function intOption(values: OptionValues, name: string, dflt: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = stringOption(values, name);
  if (v === undefined) return dflt;
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`}, got ${v}`);
  return n;
}
