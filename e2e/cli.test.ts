import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli-process.js';

/**
 * The `creditline` CLI as a user meets it, nothing running: help everywhere, and every mistake
 * answered with one readable line on stderr and a non-zero exit (no stack trace).
 */
const commands = [
  'start',
  'deposit upload',
  'authorize',
  'balance',
  'transactions',
  'controls get',
  'controls set',
  'reconcile',
  'dlq list',
  'dlq redrive',
  'webhook listen',
  'webhook rotate',
  'webhook replay',
  'seed',
];

const expectOneLineError = (result: CliResult, message: RegExp): void => {
  expect(result.code).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
};

describe('the creditline CLI', () => {
  /** An empty data dir: no runtime.json, so nothing is running there. */
  let emptyDir: string;

  beforeAll(() => {
    emptyDir = mkdtempSync(join(tmpdir(), 'creditline-cli-test-'));
  });

  afterAll(() => {
    rmSync(emptyDir, { recursive: true, force: true });
  });

  it('lists every command in its overview', async () => {
    // Act
    const result = await runCli(['--help']);

    // Assess
    expect(result.code).toBe(0);
    const listed = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('  '))
      .map((line) => line.slice(2, 18).trim());
    expect(listed).toEqual(commands);
  });

  it.each(commands)('prints the usage of `%s --help` and exits 0', async (command) => {
    // Act
    const result = await runCli([...command.split(' '), '--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')[0]).toMatch(new RegExp(`^creditline ${command}\\b`));
    expect(result.stdout).toContain('--help, -h');
  });

  it.each([
    [
      'an unknown command',
      ['frobnicate'],
      /^creditline: unknown command `frobnicate` \(see: creditline --help\)$/,
    ],
    [
      'a group without its subcommand',
      ['dlq'],
      /^creditline: `dlq` needs a subcommand: dlq list, dlq redrive$/,
    ],
    [
      'a missing required flag',
      ['authorize', '--amount', '12.34'],
      /^creditline: --user is required$/,
    ],
    [
      'a flag without its value',
      ['authorize', '--amount', '12.34', '--user'],
      /^creditline: Option '--user <value>' argument missing \(see: creditline authorize --help\)$/,
    ],
    [
      'a flag followed by another instead of its value',
      ['authorize', '--user', '--amount', '12.34'],
      /^creditline: Option '--user' argument is ambiguous\. .*\(see: creditline authorize --help\)$/,
    ],
    [
      'an unknown flag',
      ['balance', 'u-1', '--colour'],
      /^creditline: Unknown option '--colour'.*\(see: creditline balance --help\)$/,
    ],
    [
      'a missing argument',
      ['transactions'],
      /^creditline: a transaction id is required: creditline transactions <transaction id>$/,
    ],
  ])('answers %s with one line on stderr and exit 1', async (_case, args, message) => {
    // Prepare: the data dir right after the command words, so a flag left last stays last.
    const [first = '', ...rest] = args;
    const words =
      first === 'dlq' || first === 'frobnicate' ? [first] : [first, '--data-dir', emptyDir];

    // Act
    const result = await runCli([...words, ...rest]);

    // Assess
    expectOneLineError(result, message);
  });

  it('says the system is not running when nothing was started', async () => {
    // Act
    const result = await runCli(['balance', 'x', '--data-dir', emptyDir]);

    // Assess
    expectOneLineError(
      result,
      /^creditline: creditline is not running \(no .*runtime\.json\): start it with `pnpm start`$/,
    );
  });

  it('says the system is not running when the runtime that started is gone', async () => {
    // Prepare: the runtime.json a killed runtime leaves, naming a process that has exited.
    const { pid } = spawnSync(process.execPath, ['-e', '']);
    const staleDir = mkdtempSync(join(tmpdir(), 'creditline-cli-test-'));
    writeFileSync(
      join(staleDir, 'runtime.json'),
      JSON.stringify({
        pid,
        apiUrl: 'http://127.0.0.1:1',
        awsEndpoint: 'http://127.0.0.1:1',
        s3Endpoint: 'http://127.0.0.1:1',
        dynamodbEndpoint: 'http://127.0.0.1:1',
        databaseUrl: 'postgres://127.0.0.1:1/x',
        startedAt: '2026-01-15T09:00:00.000Z',
      }),
    );

    // Act
    const result = await runCli(['balance', 'x', '--data-dir', staleDir]);
    rmSync(staleDir, { recursive: true, force: true });

    // Assess
    expectOneLineError(
      result,
      new RegExp(
        `^creditline: creditline is not running \\(process ${String(pid)} is gone\\): start it with \`pnpm start\`$`,
      ),
    );
  });
});
