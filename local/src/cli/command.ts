import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Thrown for a user's mistake: printed as one line, exit code 1, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command<O extends Options = Options> {
  /** `deposit upload`, `dlq list`...: the words that select it. */
  readonly name: string;
  readonly summary: string;
  /** Usage line after the command name, e.g. `<file> [--key name]`. */
  readonly usage: string;
  readonly options: O;
  readonly help?: string;
  run(input: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<number | undefined>;
}

export const defineCommand = <O extends Options>(command: Command<O>): Command<O> => command;

export const parseCommandArgs = (command: Command, argv: string[]) => {
  try {
    const parsed = parseArgs({ args: argv, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)} (see: creditline ${command.name} --help)`);
  }
};

export const commandHelp = (command: Command): string => {
  const lines = [`creditline ${command.name} ${command.usage}`.trimEnd(), '', command.summary];
  if (command.help) lines.push('', command.help);
  const options = Object.entries(command.options);
  if (options.length > 0) {
    lines.push('', 'Options:');
    for (const [name, option] of options) {
      const flag = `--${name}${option.type === 'string' ? ' <value>' : ''}`;
      lines.push(`  ${flag.padEnd(26)}${'default' in option && option.default !== undefined ? `(default ${String(option.default)})` : ''}`);
    }
  }
  lines.push('  --help, -h                show this help');
  return lines.join('\n');
};

export const requireString = (values: Record<string, string | boolean | undefined>, name: string): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
};
