import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import type { Clock } from '@creditline/domain';
import {
  createTestBucket,
  createTestDatabase,
  createTestDynamo,
  type TestBucket,
  type TestDatabase,
  type TestDynamo,
} from '@creditline/stand-ins/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconcileDependencies } from './composition.js';
import type { ReconcileDependencies, RunObserver } from './ports.js';
import type { ReconcileProgress } from './progress.js';
import { createReconcile, type ReconcileOutcome } from './reconcile.js';
import type { RepairOutcome } from './repairs/repair-outcome.js';
import { runSummarySchema, type RunSummary } from './run-summary.js';
import { createInProcessOutbox, type InProcessOutbox } from './test-support/in-process-outbox.js';
import { plantBooks, type PlantedBooks } from './test-support/planted-books.js';

const now = new Date('2026-11-25T03:00:00.000Z');
const FIFTEEN_MINUTES = 15 * 60_000;

/** A clock that moves one second per reading, so the run's timestamps are distinct and known. */
const tickingClock = (): Clock => {
  let ticks = 0;
  return { now: () => new Date(now.getTime() + 1_000 * ++ticks) };
};

interface Observed {
  checked: RunSummary[];
  repaired: RepairOutcome[];
  finished: RunSummary[];
}

/** Splits one RFC 4180 line (no embedded line breaks here) into its fields. */
const csvFields = (line: string): string[] =>
  [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)]
    .slice(0, -1)
    .map(([, field = '']) =>
      field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field,
    );

describe('reconcile (DynamoDB Local + PostgreSQL + s3rver)', () => {
  let dynamo: TestDynamo;
  let db: TestDatabase;
  let bucket: TestBucket;
  let books: PlantedBooks;
  let outbox: InProcessOutbox;
  let observed: Observed;

  const reconcileWith = (
    options: { decorate?: (deps: ReconcileDependencies) => ReconcileDependencies } = {},
  ) => {
    const observer: RunObserver = {
      checked: (summary) => observed.checked.push(summary),
      repaired: (outcome) => observed.repaired.push(outcome),
      finished: (summary) => observed.finished.push(summary),
    };
    const deps = createReconcileDependencies(
      {
        dynamo: dynamo.client,
        doc: dynamo.doc,
        sql: db.sql,
        tables: dynamo.tables,
        objects: createS3ObjectWriter(bucket.s3),
        reportsBucket: bucket.bucket,
        publisher: outbox.publisher,
        queueAdmin: outbox.queueAdmin,
        // Small pages, so paging is exercised on a handful of rows.
        sqlPaging: { usersPerPage: 2, depositsPerPage: 3 },
      },
      observer,
      tickingClock(),
    );
    return createReconcile(options.decorate ? options.decorate(deps) : deps);
  };
  const run = (
    runId: string,
    repair: boolean,
    onProgress?: (progress: ReconcileProgress) => void,
  ) =>
    reconcileWith()(
      { runId, repair, now, unsettledThresholdMs: FIFTEEN_MINUTES, segments: 3 },
      onProgress,
    );

  const readObject = async (key: string): Promise<string> => {
    const { Body } = await bucket.s3.send(
      new GetObjectCommand({ Bucket: bucket.bucket, Key: key }),
    );
    return (await Body?.transformToString('utf-8')) ?? '';
  };

  /** A consistent system: every store agrees, one recent permit still on its way through the outbox. */
  const plantCleanBooks = async (): Promise<void> => {
    for (const user of [
      'u-clean',
      'u-quiet',
      'u-balance',
      'u-lost',
      'u-forgot',
      'u-cache',
      'u-stuck',
    ])
      await books.user(user);
    await books.deposit('u-clean', 'd-k1', 1_000);
    await books.deposit('u-clean', 'd-k2', 500);
    await books.settledPermit('u-clean', 't-k1', 300, '2026-11-25T01:30:00.000Z');
    await books.pendingDecision('u-clean', 't-k2', 100, '2026-11-25T02:55:00.000Z');
    await books.pendingDecision('u-clean', 't-k3', 5_000, '2026-11-25T02:56:00.000Z', {
      status: 'REJECTED',
    });
    await books.deposit('u-balance', 'd-b1', 2_000);
    await books.settledPermit('u-balance', 't-b1', 250, '2026-11-24T22:00:00.000Z');
    await books.deposit('u-forgot', 'd-f1', 400);
    await books.deposit('u-cache', 'd-c1', 900);
    await books.deposit('u-stuck', 'd-s1', 600);
  };

  /** One of each kind of drift the checks must find. */
  const plantDrift = async (): Promise<void> => {
    await books.shiftBalance('u-balance', 1);
    await books.deposit('u-lost', 'd-l1', 700, 'dynamodb-only');
    await books.forgetDepositEvent('d-f1');
    await books.shiftCache('u-cache', -250);
    await books.pendingDecision('u-stuck', 't-s1', 150, '2026-11-25T01:00:00.000Z', {
      callbackUrl: 'https://partner-a.example/callbacks',
    });
  };

  const figures = (outcome: ReconcileOutcome) =>
    outcome.report.differences.map(
      ({ kind, user_id, deposit_id, transaction_id, expected, actual, delta }) => ({
        kind,
        user_id,
        id: deposit_id ?? transaction_id ?? null,
        expected,
        actual,
        delta,
      }),
    );

  beforeEach(async () => {
    [dynamo, db, bucket] = await Promise.all([
      createTestDynamo(),
      createTestDatabase(),
      createTestBucket(),
    ]);
    books = plantBooks(dynamo, db);
    outbox = createInProcessOutbox(dynamo, db, '2026-11-25T03:00:30.000Z');
    observed = { checked: [], repaired: [], finished: [] };
    await plantCleanBooks();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('reports zero drift on a clean system, and a repair run there changes nothing', async () => {
    // Prepare: the clean books alone

    // Act
    const outcome = await run('run-clean', true);

    // Assess
    expect(outcome.report.differences).toEqual([]);
    expect(outcome.summary).toMatchObject({
      users_checked: 7,
      deposits_checked: 6,
      drifted_users: 0,
      drift_amount: 0,
      unsettled_decisions: 0,
      differences: 0,
      repairs: { repaired: 0, skipped: 0, failed: 0, left_for_operator: 0 },
    });
    expect(outcome.repairs).toEqual([]);
    expect(outbox.published).toEqual([]);
  });

  it('finds exactly the planted drift: one row per user and kind, with the figures on each side', async () => {
    // Prepare
    await plantDrift();

    // Act
    const outcome = await run('run-drift', false);

    // Assess
    expect(figures(outcome)).toEqual([
      {
        kind: 'BALANCE_MISMATCH',
        user_id: 'partner-a#u-balance',
        id: null,
        expected: 1_750,
        actual: 1_751,
        delta: 1,
      },
      // A wrong balance also shows against the cache, which still holds the right figure.
      {
        kind: 'CACHE_MISMATCH',
        user_id: 'partner-a#u-balance',
        id: null,
        expected: 1_751,
        actual: 1_750,
        delta: -1,
      },
      {
        kind: 'CACHE_MISMATCH',
        user_id: 'partner-a#u-cache',
        id: null,
        expected: 900,
        actual: 650,
        delta: -250,
      },
      // DynamoDB credited the deposit Aurora never got.
      {
        kind: 'CACHE_MISMATCH',
        user_id: 'partner-a#u-lost',
        id: null,
        expected: 0,
        actual: 700,
        delta: 700,
      },
      {
        kind: 'DEPOSIT_MISSING_IN_AURORA',
        user_id: 'partner-a#u-lost',
        id: 'partner-a#d-l1',
        expected: 700,
        actual: null,
        delta: -700,
      },
      {
        kind: 'DEPOSIT_MISSING_IN_DYNAMODB',
        user_id: 'partner-a#u-forgot',
        id: 'partner-a#d-f1',
        expected: null,
        actual: 400,
        delta: 400,
      },
      {
        kind: 'UNSETTLED_DECISION',
        user_id: 'partner-a#u-stuck',
        id: 'partner-a#t-s1',
        expected: null,
        actual: null,
        delta: 0,
      },
    ]);
    expect(outcome.summary).toMatchObject({
      users_checked: 7,
      deposits_checked: 7,
      drifted_users: 4,
      drift_amount: 1 + 1 + 250 + 700 + 700 + 400,
      unsettled_decisions: 1,
      dead_lettered_callbacks: 0,
      differences: 7,
      differences_by_kind: {
        BALANCE_MISMATCH: 1,
        CACHE_MISMATCH: 3,
        CACHE_WITHOUT_ACCOUNT: 0,
        ACCOUNT_FIGURES_BROKEN: 0,
        CREDITED_MISMATCH: 0,
        POSTED_MISMATCH: 0,
        PENDING_MISMATCH: 0,
        DEPOSIT_MISSING_IN_AURORA: 1,
        DEPOSIT_MISSING_IN_DYNAMODB: 1,
        DEPOSIT_AMOUNT_MISMATCH: 0,
        UNSETTLED_DECISION: 1,
        UNSETTLED_OPERATION: 0,
        CALLBACK_DEAD_LETTERED: 0,
      },
    });
    expect(outcome.summary.repairs).toBeUndefined();
    expect(outcome.repairs).toEqual([]);
    expect(outbox.published).toEqual([]);
    expect(await books.balance('u-balance')).toBe(1_751);
  });

  it('writes the CSV of differences, the JSON summary, a reconciliation_runs row and the figures', async () => {
    // Prepare
    await plantDrift();

    // Act
    const outcome = await run('run-files', false);

    // Assess
    const prefix = 'reports/reconciliation/2026-11-25/run-files';
    const listed = await bucket.s3.send(new ListObjectsV2Command({ Bucket: bucket.bucket }));
    expect(listed.Contents?.map((object) => object.Key).sort()).toEqual([
      `${prefix}.differences.csv`,
      `${prefix}.summary.json`,
    ]);
    expect(outcome.summaryKey).toBe(`${prefix}.summary.json`);

    const lines = (await readObject(`${prefix}.differences.csv`)).split('\r\n');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(0, -1).map(csvFields);
    expect(rows[0]).toEqual([
      'kind',
      'user_id',
      'deposit_id',
      'transaction_id',
      'expected_cents',
      'actual_cents',
      'delta_cents',
      'message',
    ]);
    expect(rows.slice(1).map((row) => row.slice(0, 7))).toEqual([
      ['BALANCE_MISMATCH', 'partner-a#u-balance', '', '', '1750', '1751', '1'],
      ['CACHE_MISMATCH', 'partner-a#u-balance', '', '', '1751', '1750', '-1'],
      ['CACHE_MISMATCH', 'partner-a#u-cache', '', '', '900', '650', '-250'],
      ['CACHE_MISMATCH', 'partner-a#u-lost', '', '', '0', '700', '700'],
      ['DEPOSIT_MISSING_IN_AURORA', 'partner-a#u-lost', 'partner-a#d-l1', '', '700', '', '-700'],
      ['DEPOSIT_MISSING_IN_DYNAMODB', 'partner-a#u-forgot', 'partner-a#d-f1', '', '', '400', '400'],
      ['UNSETTLED_DECISION', 'partner-a#u-stuck', '', 'partner-a#t-s1', '', '', '0'],
    ]);
    expect(rows.slice(1).map((row) => row[7])).toEqual(
      outcome.report.differences.map((difference) => difference.message),
    );

    const summary = runSummarySchema.parse(JSON.parse(await readObject(`${prefix}.summary.json`)));
    expect(summary).toEqual(outcome.summary);
    expect(summary).toMatchObject({
      run_id: 'run-files',
      started_at: '2026-11-25T03:00:00.000Z',
      checked_at: '2026-11-25T03:00:01.000Z',
      repair_requested: false,
      unsettled_threshold_ms: FIFTEEN_MINUTES,
      segments: 3,
      differences_key: `${prefix}.differences.csv`,
    });

    const { rows: runs } = await db.sql.query('SELECT * FROM reconciliation_runs');
    expect(
      runs.map((row) => ({ ...row, summary: JSON.parse(String(row.summary)) as unknown })),
    ).toEqual([
      {
        run_id: 'run-files',
        started_at: '2026-11-25T03:00:00.000Z',
        finished_at: '2026-11-25T03:00:01.000Z',
        users_checked: 7,
        drifted_users: 4,
        drift_amount: 2_052,
        unsettled_decisions: 1,
        repaired: 0,
        report_key: `${prefix}.summary.json`,
        summary: outcome.summary,
      },
    ]);
    expect(observed.checked).toEqual([outcome.summary]);
    expect(observed.finished).toEqual([outcome.summary]);
  });

  it('repairs on request, each repair reported, and a second run finds zero drift', async () => {
    // Prepare
    await plantDrift();

    // Act
    const repairing = await run('run-repair', true);
    const after = await run('run-after', false);

    // Assess
    expect(
      repairing.repairs.map(({ action, target, result }) => ({ action, target, result })),
    ).toEqual([
      { action: 'REPLAY_DEPOSIT', target: 'partner-a#d-l1', result: 'REPAIRED' },
      { action: 'RESTORE_DEPOSIT_EVENT', target: 'partner-a#d-f1', result: 'REPAIRED' },
      { action: 'REBALANCE', target: 'partner-a#u-balance', result: 'REPAIRED' },
      { action: 'REPUBLISH_DECISION', target: 'partner-a#t-s1', result: 'REPAIRED' },
      // The balance repair already brought Aurora back to what the cache held.
      { action: 'REBUILD_CACHE_ITEM', target: 'partner-a#u-balance', result: 'SKIPPED' },
      { action: 'REBUILD_CACHE_ITEM', target: 'partner-a#u-cache', result: 'REPAIRED' },
      // The replayed deposit brought Aurora up to the credit DynamoDB already had.
      { action: 'REBUILD_CACHE_ITEM', target: 'partner-a#u-lost', result: 'SKIPPED' },
    ]);
    expect(observed.repaired).toHaveLength(7);
    expect(repairing.summary.repairs).toMatchObject({
      repaired: 5,
      skipped: 2,
      failed: 0,
      left_for_operator: 0,
    });

    expect(outbox.published).toEqual([
      {
        event: {
          source: 'creditline.authorization',
          detailType: 'TransactionDecided',
          detail: {
            transaction_id: 't-s1',
            user_id: 'u-stuck',
            amount: 150,
            currency: 'USD',
            status: 'PERMITTED',
            reason: null,
            remaining_credit: 0,
            decided_at: '2026-11-25T01:00:00.000Z',
            callback_url: 'https://partner-a.example/callbacks',
            partner_id: 'partner-a',
          },
        },
        targets: ['transaction-log-queue', 'callbacks-queue'],
      },
    ]);
    expect(await books.balance('u-lost')).toBe(700);
    expect(await books.balance('u-balance')).toBe(1_750);
    expect(await books.balance('u-stuck')).toBe(450);
    expect(await books.cacheItem('u-cache')).toMatchObject({
      available: 900,
      version: 1,
      updated_at: expect.any(String) as string,
    });

    expect(after.report.differences).toEqual([]);
    expect(after.summary).toMatchObject({
      drifted_users: 0,
      drift_amount: 0,
      unsettled_decisions: 0,
      deposits_checked: 7,
    });

    const repairsCsv = await readObject('reports/reconciliation/2026-11-25/run-repair.repairs.csv');
    expect(repairsCsv.split('\r\n').slice(0, 2).map(csvFields)).toEqual([
      ['action', 'user_id', 'target', 'result', 'detail'],
      [
        'REPLAY_DEPOSIT',
        'partner-a#u-lost',
        'partner-a#d-l1',
        'REPAIRED',
        'credited 7.00 to Aurora from DepositEvents',
      ],
    ]);
    const summary = runSummarySchema.parse(
      JSON.parse(await readObject('reports/reconciliation/2026-11-25/run-repair.summary.json')),
    );
    expect(summary.repairs).toEqual(repairing.summary.repairs);
    const { rows } = await db.sql.query(
      "SELECT repaired FROM reconciliation_runs WHERE run_id = 'run-repair'",
    );
    expect(rows).toEqual([{ repaired: 5 }]);
  });

  it('re-checks before repairing: what moved after the run read it is left alone, never overwritten', async () => {
    // Prepare
    await plantDrift();
    // Between the report and the repairs: a hold on the drifted cache item, the DepositProcessor's
    // retry healing the lost deposit, and the TransactionLogger settling the stuck decision.
    const meanwhile = async () => {
      await books.hold('u-cache', 40);
      await db.sql.query(
        "INSERT INTO deposits (partner_id, deposit_id, user_id, amount, deposited_at) VALUES ('partner-a', 'd-l1', 'u-lost', 700, now())",
      );
      await db.sql.query(
        "UPDATE credit_balance SET balance = balance + 700 WHERE partner_id = 'partner-a' AND user_id = 'u-lost'",
      );
      await outbox.publisher.publish([
        {
          source: 'creditline.authorization',
          detailType: 'TransactionDecided',
          detail: {
            transaction_id: 't-s1',
            user_id: 'u-stuck',
            amount: 150,
            status: 'PERMITTED',
            reason: null,
            remaining_credit: 0,
            decided_at: '2026-11-25T01:00:00.000Z',
            partner_id: 'partner-a',
          },
        },
      ]);
      outbox.published.length = 0;
    };
    const reconcile = reconcileWith({
      decorate: (deps) => ({
        ...deps,
        runLog: {
          ...deps.runLog,
          recordRun: async (row) => {
            await deps.runLog.recordRun(row);
            await meanwhile();
          },
        },
      }),
    });

    // Act
    const outcome = await reconcile({
      runId: 'run-recheck',
      repair: true,
      now,
      unsettledThresholdMs: FIFTEEN_MINUTES,
      segments: 2,
    });

    // Assess
    const byTarget = new Map(
      outcome.repairs.map((repair) => [`${repair.action} ${repair.target}`, repair]),
    );
    expect(byTarget.get('REPLAY_DEPOSIT partner-a#d-l1')).toMatchObject({
      result: 'SKIPPED',
      detail: 'Aurora holds this deposit_id since the run read it',
    });
    expect(byTarget.get('REPUBLISH_DECISION partner-a#t-s1')).toMatchObject({
      result: 'SKIPPED',
      detail: 'settled since the run read it',
    });
    expect(byTarget.get('REBUILD_CACHE_ITEM partner-a#u-cache')).toMatchObject({
      result: 'SKIPPED',
    });
    expect(byTarget.get('REBUILD_CACHE_ITEM partner-a#u-cache')?.detail).toMatch(
      /changed since the run read it/,
    );
    expect(outbox.published).toEqual([]);
    expect(await books.balance('u-lost')).toBe(700);
    expect(await books.cacheItem('u-cache')).toMatchObject({ available: 610, version: 1 });
  });

  it('leaves a drifted cache item alone while its user has a permit on its way to Aurora', async () => {
    // Prepare
    await books.shiftCache('u-clean', 10);

    // Act
    const outcome = await run('run-pending', true);

    // Assess
    expect(figures(outcome)).toEqual([
      {
        kind: 'CACHE_MISMATCH',
        user_id: 'partner-a#u-clean',
        id: null,
        expected: 1_100,
        actual: 1_110,
        delta: 10,
      },
    ]);
    expect(outcome.repairs).toEqual([
      {
        action: 'REBUILD_CACHE_ITEM',
        user_id: 'partner-a#u-clean',
        target: 'partner-a#u-clean',
        result: 'SKIPPED',
        detail: 'waits for 1 unsettled permit(s) to settle',
      },
    ]);
    expect(await books.cacheItem('u-clean')).toMatchObject({ available: 1_110 });
  });

  it('reports dead-lettered callbacks, an unreadable one under its message id, and leaves them to an operator', async () => {
    // Prepare
    await books.pendingDecision('u-clean', 't-k9', 10, '2026-11-25T02:00:00.000Z', {
      callbackUrl: 'https://partner-a.example/cb',
      delivered: true,
    });
    outbox.deadLetters.push(
      {
        messageId: 'm-1',
        body: JSON.stringify({
          'detail-type': 'TransactionDecided',
          source: 'creditline.authorization',
          detail: { transaction_id: 't-k1', user_id: 'u-clean', partner_id: 'partner-a' },
        }),
        receiveCount: 8,
        sentAt: '2026-11-25T01:31:00.000Z',
      },
      { messageId: 'm-2', body: 'not json', receiveCount: 8, sentAt: '2026-11-25T01:32:00.000Z' },
    );

    // Act
    const outcome = await run('run-dlq', true);

    // Assess
    expect(figures(outcome)).toEqual([
      {
        kind: 'UNSETTLED_DECISION',
        user_id: 'partner-a#u-clean',
        id: 'partner-a#t-k9',
        expected: null,
        actual: null,
        delta: 0,
      },
      {
        kind: 'CALLBACK_DEAD_LETTERED',
        user_id: 'partner-a#u-clean',
        id: 'partner-a#t-k1',
        expected: null,
        actual: null,
        delta: 0,
      },
      {
        kind: 'CALLBACK_DEAD_LETTERED',
        user_id: 'unknown',
        id: 'unreadable-message:m-2',
        expected: null,
        actual: null,
        delta: 0,
      },
    ]);
    expect(outcome.summary).toMatchObject({
      drifted_users: 0,
      dead_lettered_callbacks: 2,
      repairs: { repaired: 1, left_for_operator: 2 },
    });
    // Delivered already: re-published without its callback_url, so only the settlement rule matches.
    expect(
      outbox.published.map(({ event, targets }) => ({ detail: event.detail, targets })),
    ).toEqual([
      {
        detail: expect.not.objectContaining({
          callback_url: expect.anything() as unknown,
        }) as unknown,
        targets: ['transaction-log-queue'],
      },
    ]);
  });

  it('reports progress: gathering up to its estimate, then comparing, reporting, repairing and done', async () => {
    // Prepare
    await plantDrift();
    const seen: ReconcileProgress[] = [];

    // Act
    await run('run-progress', true, (progress) => seen.push(progress));

    // Assess
    const phases = seen
      .map((progress) => progress.phase)
      .filter((phase, index, all) => phase !== all[index - 1]);
    expect(phases).toEqual(['gathering', 'comparing', 'reporting', 'repairing', 'done']);
    const gathering = seen.filter((progress) => progress.phase === 'gathering');
    // Aurora: 7 users, 6 deposits; DynamoDB: 6 cache items, 6 deposits. The estimate doubles Aurora's counts.
    expect(gathering.at(-1)).toEqual({
      phase: 'gathering',
      done: 7 + 6 + 6 + 6,
      total: 2 * (7 + 6),
    });
    expect(seen.filter((progress) => progress.phase === 'repairing').at(-1)).toEqual({
      phase: 'repairing',
      done: 7,
      total: 7,
    });
  });
});
