import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import { createReconcileDependencies } from '@creditline/reconciliation/composition';
import type { ReconcileProgress } from '@creditline/reconciliation/progress';
import {
  createReconcile,
  type Reconcile,
  type ReconcileCommand,
  type ReconcileOutcome,
} from '@creditline/reconciliation/reconcile';
import { createInProcessOutbox } from '@creditline/reconciliation/test-support/in-process-outbox';
import { plantBooks } from '@creditline/reconciliation/test-support/planted-books';
import {
  createTestBucket,
  createTestDatabase,
  createTestDynamo,
  type TestDatabase,
} from '@creditline/stand-ins/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatSummary,
  renderProgress,
  runReconcileCommand,
  type CommandOutput,
} from './reconcile.js';

const now = new Date('2026-11-25T03:00:00.000Z');

const capture = (tty: boolean): CommandOutput & { text: () => string } => {
  const chunks: string[] = [];
  return {
    isTTY: tty,
    columns: 80,
    write: (chunk: string) => chunks.push(chunk),
    text: () => chunks.join(''),
  };
};

const noDrift: ReconcileOutcome = {
  summaryKey: 'reports/reconciliation/2026-11-25/r.summary.json',
  report: {
    users_checked: 20_000,
    deposits_checked: 500_000,
    differences: [],
    drifted_users: 0,
    drift_amount: 0,
    unsettled_decisions: 0,
    dead_lettered_callbacks: 0,
  },
  repairs: [],
  summary: {
    run_id: 'r',
    started_at: now.toISOString(),
    checked_at: now.toISOString(),
    repair_requested: false,
    unsettled_threshold_ms: 900_000,
    segments: 4,
    users_checked: 20_000,
    deposits_checked: 500_000,
    drifted_users: 0,
    drift_amount: 0,
    unsettled_decisions: 0,
    dead_lettered_callbacks: 0,
    differences: 0,
    differences_by_kind: {
      BALANCE_MISMATCH: 0,
      CACHE_MISMATCH: 0,
      CACHE_WITHOUT_ACCOUNT: 0,
      ACCOUNT_FIGURES_BROKEN: 0,
      CREDITED_MISMATCH: 0,
      POSTED_MISMATCH: 0,
      PENDING_MISMATCH: 0,
      DEPOSIT_MISSING_IN_AURORA: 0,
      DEPOSIT_MISSING_IN_DYNAMODB: 0,
      DEPOSIT_AMOUNT_MISMATCH: 0,
      UNSETTLED_DECISION: 0,
      UNSETTLED_OPERATION: 0,
      CALLBACK_DEAD_LETTERED: 0,
    },
    differences_key: 'reports/reconciliation/2026-11-25/r.differences.csv',
  },
};

/** A reconcile that reports a fixed sequence of progress, for the drawing alone. */
const scripted =
  (steps: readonly ReconcileProgress[], seen: ReconcileCommand[] = []): Reconcile =>
  (command, onProgress) => {
    seen.push(command);
    for (const step of steps) onProgress?.(step);
    return Promise.resolve(noDrift);
  };

const steps: ReconcileProgress[] = [
  { phase: 'gathering', done: 0, total: 0 },
  { phase: 'gathering', done: 10_000, total: 1_040_000 },
  { phase: 'gathering', done: 520_000, total: 1_040_000 },
  { phase: 'gathering', done: 1_040_000, total: 1_040_000 },
  { phase: 'comparing' },
  { phase: 'reporting' },
  { phase: 'done' },
];

describe('renderProgress', () => {
  it.each<[ReconcileProgress, string]>([
    [
      { phase: 'gathering', done: 520_000, total: 1_040_000 },
      'gathering [#################----------------]  50%  520,000 / 1,040,000 records',
    ],
    [
      { phase: 'gathering', done: 12, total: 0 },
      'gathering [----------------------------------------]   0%  12 records',
    ],
    [
      { phase: 'gathering', done: 1_100, total: 1_000 },
      'gathering [#######################################] 100%  1,100 / 1,000 records',
    ],
    [
      { phase: 'repairing', done: 3, total: 7 },
      'repairing [#################-----------------------]  42%  3 / 7 repairs',
    ],
    [{ phase: 'comparing' }, 'comparing …'],
  ])('%j', (progress, line) => {
    // Prepare: an 80-column terminal

    // Act
    const rendered = renderProgress(progress, 80);

    // Assess
    expect(rendered).toBe(line);
  });

  it('never draws wider than the terminal', () => {
    // Prepare
    const progress: ReconcileProgress = {
      phase: 'gathering',
      done: 123_456_789,
      total: 987_654_321,
    };

    // Act
    const rendered = renderProgress(progress, 40);

    // Assess
    expect(rendered.length).toBeLessThanOrEqual(40);
  });
});

describe('runReconcileCommand', () => {
  it('on a terminal: redraws one line per phase in place, each phase ending on its final figures', async () => {
    // Prepare
    const out = capture(true);
    const seen: ReconcileCommand[] = [];

    // Act
    const result = await runReconcileCommand(
      scripted(steps, seen),
      { repair: false },
      { out, now: () => now, runIdSuffix: () => 'abcd1234', redrawEveryMs: 60_000 },
    );

    // Assess
    expect(seen).toEqual([
      {
        runId: '20261125T030000Z-abcd1234',
        repair: false,
        now,
        segments: 4,
        unsettledThresholdMs: 900_000,
      },
    ]);
    const [bars = '', summary = ''] = out.text().split('\nreconciliation ');
    // Redraws within the interval are skipped, the final figures are drawn before the phase ends.
    expect(
      bars.split('\n').map((line) =>
        line
          .split('\r')
          .filter(Boolean)
          .map((draw) => draw.replace('\x1b[K', '')),
      ),
    ).toEqual([
      [
        renderProgress(steps[0] as ReconcileProgress, 79),
        renderProgress(steps[3] as ReconcileProgress, 79),
      ],
      ['comparing …', 'comparing …'],
      ['reporting …', 'reporting …'],
    ]);
    expect(summary).toContain('the books balance.');
    expect(result.exitCode).toBe(0);
  });

  it('off a terminal: one plain line per phase, no control characters', async () => {
    // Prepare
    const out = capture(false);

    // Act
    await runReconcileCommand(
      scripted(steps),
      { repair: true, segments: 2, unsettledThresholdMs: 60_000 },
      { out, now: () => now },
    );

    // Assess
    expect(out.text().split('\n').slice(0, 3)).toEqual(['gathering…', 'comparing…', 'reporting…']);
    expect(out.text()).not.toContain('\r');
    expect(out.text()).not.toContain('\x1b');
  });
});

describe('creditline reconcile over the stand-ins', () => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.drop();
  });

  it('prints the drift and exits 2, repairs it with --repair, then prints a clean run and exits 0', async () => {
    // Prepare
    const dynamo = await createTestDynamo();
    db = await createTestDatabase();
    const bucket = await createTestBucket();
    const books = plantBooks(dynamo, db);
    await books.user('u1');
    await books.deposit('u1', 'd1', 1_250);
    await books.shiftCache('u1', 100);
    const outbox = createInProcessOutbox(dynamo, db, now.toISOString());
    const reconcile = createReconcile(
      createReconcileDependencies(
        {
          dynamo: dynamo.client,
          doc: dynamo.doc,
          sql: db.sql,
          tables: dynamo.tables,
          objects: createS3ObjectWriter(bucket.s3),
          reportsBucket: bucket.bucket,
          publisher: outbox.publisher,
          queueAdmin: outbox.queueAdmin,
        },
        { checked: () => undefined, repaired: () => undefined, finished: () => undefined },
      ),
    );
    const io = (out: CommandOutput, suffix: string) => ({
      out,
      now: () => now,
      runIdSuffix: () => suffix,
    });
    const [first, repairing, last] = [capture(false), capture(false), capture(false)];

    // Act
    const found = await runReconcileCommand(reconcile, { repair: false }, io(first, 'run00001'));
    const repaired = await runReconcileCommand(
      reconcile,
      { repair: true },
      io(repairing, 'run00002'),
    );
    const clean = await runReconcileCommand(reconcile, { repair: false }, io(last, 'run00003'));

    // Assess
    expect([found.exitCode, repaired.exitCode, clean.exitCode]).toEqual([2, 2, 0]);
    expect(first.text()).toContain('    CACHE_MISMATCH               1\n');
    expect(first.text()).toContain(
      '  CACHE_MISMATCH               partner-a#u1 expected 12.50, actual 13.50\n',
    );
    expect(first.text()).toContain('drift found: see the report, or run again with --repair.');
    expect(repairing.text()).toContain(
      'repairs: 1 repaired, 0 skipped, 0 failed, 0 left for an operator',
    );
    expect(repairing.text()).toContain(
      '  REPAIRED REBUILD_CACHE_ITEM    partner-a#u1: available 13.50 -> 12.50 (Aurora balance)\n',
    );
    expect(last.text()).toContain('  drift amount          0.00\n');
    expect(last.text()).toContain(
      'report: reports/reconciliation/2026-11-25/20261125T030000Z-run00003.summary.json',
    );
    expect(last.text().trimEnd().endsWith('the books balance.')).toBe(true);
  });
});

describe('formatSummary', () => {
  it('lists only the kinds found, and at most ten differences', () => {
    // Prepare
    const differences = Array.from({ length: 12 }, (_, index) => ({
      kind: 'DEPOSIT_MISSING_IN_DYNAMODB' as const,
      user_id: 'u1',
      deposit_id: `d${index}`,
      expected: null,
      actual: 100,
      delta: 100,
      message: '',
    }));
    const outcome: ReconcileOutcome = {
      ...noDrift,
      report: { ...noDrift.report, differences, drifted_users: 1, drift_amount: 1_200 },
      summary: {
        ...noDrift.summary,
        drifted_users: 1,
        drift_amount: 1_200,
        differences: 12,
        differences_by_kind: {
          ...noDrift.summary.differences_by_kind,
          DEPOSIT_MISSING_IN_DYNAMODB: 12,
        },
      },
    };

    // Act
    const text = formatSummary(outcome);

    // Assess
    expect(text).toContain('    DEPOSIT_MISSING_IN_DYNAMODB  12\n');
    expect(text).not.toContain('BALANCE_MISMATCH');
    expect(text).toContain('first differences (all 12 in the CSV):');
    expect(
      text.match(/^ {2}DEPOSIT_MISSING_IN_DYNAMODB {2}u1 d\d+ expected -, actual 1\.00$/gm),
    ).toHaveLength(10);
  });
});
