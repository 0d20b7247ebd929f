import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDepositEvents, readBooks } from './support/books.js';
import { expectCleanCtrlC } from './support/clean-stop.js';
import { runCli } from './support/cli-process.js';
import { depositCsv, generateDeposits, sumsByUser } from './support/deposit-files.js';
import { uploadDepositFile, waitForSummary } from './support/partner.js';
import {
  createDataDir,
  freePorts,
  processesOf,
  reapEarlierRuns,
  removeDataDir,
  startRuntimeProcess,
  type RuntimeProcess,
} from './support/runtime-process.js';
import { waitFor } from './support/wait-for.js';

/**
 * Invariant 2 across a crash: the runtime is killed (-9) in the middle of a deposit file, started
 * again on the same data dir (it must first reap the DynamoDB Local and PostgreSQL the killed
 * process orphaned), and the file delivered again, as S3 retries an event whose function died.
 * Every deposit is then credited exactly once in both stores.
 */
const ROWS = 20_000;
const USERS = 2_000;
const KEY = 'inbox/demo/crash-deposits-20000.csv';

describe('a runtime killed in the middle of a deposit file', () => {
  const lines = generateDeposits({ rows: ROWS, users: USERS, prefix: 'crash' });
  const expected = sumsByUser(lines);
  let dataDir: string;
  let runtime: RuntimeProcess | undefined;
  /** DepositEvents when the runtime is back: what the killed one credited, in-flight writes included. */
  let creditedBeforeRestart = 0;
  let orphansAfterKill: string[] = [];

  beforeAll(async () => {
    await reapEarlierRuns();
    dataDir = createDataDir();
    const ports = await freePorts();
    const first = await startRuntimeProcess(dataDir, ports);
    runtime = first;

    await uploadDepositFile(first.info, KEY, depositCsv(lines));
    await waitFor(
      'the first deposits of the file to be credited',
      async () => ((await countDepositEvents(first.info)) > 0 ? true : undefined),
      {
        timeoutMs: 60_000,
        intervalMs: 50,
      },
    );
    await first.kill();
    orphansAfterKill = processesOf(dataDir);

    // Same ports: the orphans hold them until the new runtime reaps them.
    runtime = await startRuntimeProcess(dataDir, ports);
    creditedBeforeRestart = await countDepositEvents(runtime.info);
  }, 240_000);

  afterAll(async () => {
    if (runtime) await expectCleanCtrlC(runtime);
    else await removeDataDir(dataDir);
  }, 120_000);

  it('was killed with some but not all of the file credited, its stand-ins orphaned', () => {
    // Assess
    expect(creditedBeforeRestart).toBeGreaterThan(0);
    expect(creditedBeforeRestart).toBeLessThan(ROWS);
    expect(orphansAfterKill.some((line) => line.includes('java'))).toBe(true);
    expect(orphansAfterKill.some((line) => line.includes('postgres'))).toBe(true);
  });

  it('credits each deposit exactly once in both stores when the file is delivered again', async () => {
    // Prepare
    const info = runtime?.info;
    if (!info) throw new Error('runtime not started');

    // Act
    await uploadDepositFile(info, KEY, depositCsv(lines));
    const summary = await waitForSummary(info, KEY, () => true, 120_000);

    // Assess
    expect(summary).toMatchObject({ status: 'PROCESSED', rows: ROWS, rejected: 0 });
    expect(Number(summary['accepted']) + Number(summary['duplicates'])).toBe(ROWS);
    expect(summary['already_credited']).toBe(creditedBeforeRestart);
    const books = await readBooks(info);
    expect(books.depositEvents).toBe(ROWS);
    expect(books.auroraDeposits).toBe(ROWS);
    expect(books.cacheAvailable).toEqual(expected);
    expect(books.auroraBalance).toEqual(expected);
    expect(books.auroraDepositSums).toEqual(expected);
  }, 180_000);

  it('reconciles with zero drift', async () => {
    // Act
    const result = await runCli(['reconcile', '--data-dir', dataDir], { timeoutMs: 120_000 });

    // Assess
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`users checked         ${USERS.toLocaleString('en-US')}`);
    expect(result.stdout).toContain(`deposits checked      ${ROWS.toLocaleString('en-US')}`);
    expect(result.stdout).toContain('drifted users         0');
    expect(result.stdout).toContain('the books balance.');
    expect(result.code).toBe(0);
  }, 120_000);
});
