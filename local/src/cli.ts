import { commandHelp, parseCommandArgs, UsageError, type Command } from './cli/command.js';
import { authorizeCommand, balanceCommand, transactionsCommand } from './cli/commands/api-commands.js';
import { controlsGetCommand, controlsSetCommand } from './cli/commands/controls-commands.js';
import { depositUploadCommand, seedCommand } from './cli/commands/deposit-commands.js';
import { dlqListCommand, dlqRedriveCommand, reconcileCommand } from './cli/commands/operator-commands.js';
import { startCommand, webhookListenCommand } from './cli/commands/runtime-commands.js';
import { webhookReplayCommand, webhookRotateCommand } from './cli/commands/webhook-commands.js';

const commands: readonly Command[] = [
  startCommand,
  depositUploadCommand,
  authorizeCommand,
  balanceCommand,
  transactionsCommand,
  controlsGetCommand,
  controlsSetCommand,
  reconcileCommand,
  dlqListCommand,
  dlqRedriveCommand,
  webhookListenCommand,
  webhookRotateCommand,
  webhookReplayCommand,
  seedCommand,
] as readonly Command[];

const overview = (): string =>
  [
    'creditline: credit authorization, locally.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(16)}${command.summary}`),
    '',
    'Run `creditline <command> --help` for its options.',
  ].join('\n');

/** Finds the longest command name the arguments start with (`dlq list` before `dlq`). */
const select = (argv: readonly string[]): { command: Command; rest: string[] } | undefined => {
  const matches = commands
    .map((command) => ({ command, words: command.name.split(' ') }))
    .filter(({ words }) => words.every((word, index) => argv[index] === word))
    .sort((a, b) => b.words.length - a.words.length);
  const best = matches[0];
  return best ? { command: best.command, rest: argv.slice(best.words.length) } : undefined;
};

export const main = async (argv: readonly string[]): Promise<number> => {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(`${overview()}\n`);
    return 0;
  }
  const selected = select(argv);
  if (!selected) {
    const group = commands.filter((command) => command.name.startsWith(`${argv[0] ?? ''} `));
    throw new UsageError(
      group.length > 0
        ? `\`${argv[0] ?? ''}\` needs a subcommand: ${group.map((command) => command.name).join(', ')}`
        : `unknown command \`${argv[0] ?? ''}\` (see: creditline --help)`,
    );
  }
  const { values, positionals } = parseCommandArgs(selected.command, selected.rest);
  if (values.help === true) {
    process.stdout.write(`${commandHelp(selected.command)}\n`);
    return 0;
  }
  return (await selected.command.run({ values, positionals })) ?? 0;
};

// The AWS SDK warns that its 2027 releases will need Node 22; creditline runs on Node 20+ on purpose
// (Lambda runs 22). Other warnings still print.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.includes('NodeVersionSupportWarning')) process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // One line whatever the error: some messages (Node's parseArgs among them) span several.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`creditline: ${error instanceof UsageError ? message : `error: ${message}`}\n`);
    process.exitCode = 1;
  },
);
