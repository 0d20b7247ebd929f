import { createReconciler, type ReconciliationReport } from '@creditline/domain';
import type { CacheItemSnapshot, ReconcileDependencies } from './ports.js';
import type { ProgressListener } from './progress.js';
import type { RepairOutcome } from './repairs/repair-outcome.js';
import { runRepairs } from './repairs/run-repairs.js';
import { countByKind, type RunSummary } from './run-summary.js';

export interface ReconcileCommand {
  /** Names the run: reconciliation_runs key and report file names. */
  readonly runId: string;
  /** Repairs run only when asked for, after the report is written. */
  readonly repair: boolean;
  /** The run's time: unsettled ages are measured from it and the report is filed under its date. */
  readonly now: Date;
  readonly unsettledThresholdMs: number;
  /** TotalSegments of each parallel Scan. */
  readonly segments: number;
}

export interface ReconcileOutcome {
  readonly summary: RunSummary;
  readonly report: ReconciliationReport;
  readonly summaryKey: string;
  readonly repairs: readonly RepairOutcome[];
}

export type Reconcile = (
  command: ReconcileCommand,
  onProgress?: ProgressListener,
) => Promise<ReconcileOutcome>;

/**
 * The nightly proof of invariant 5. Gathers every store's figures in parallel (pages stream
 * into the domain's reconciler), compares, writes the report (CSV, JSON summary, a
 * reconciliation_runs row), emits the figures, and only then, when asked, repairs: each repair
 * re-reads what it acts on and writes conditionally, never from this run's view alone.
 */
export const createReconcile =
  (deps: ReconcileDependencies): Reconcile =>
  async (command, onProgress = () => undefined) => {
    const reconciler = createReconciler({
      now: command.now,
      unsettledAfterMs: command.unsettledThresholdMs,
    });
    const scannedCache = new Map<string, CacheItemSnapshot>();
    let done = 0;
    let total = 0;
    const gathered = (records: number): void => {
      done += records;
      onProgress({ phase: 'gathering', done, total });
    };

    onProgress({ phase: 'gathering', done, total });
    await Promise.all([
      deps.books.countRecords().then((counts) => {
        total = 2 * (counts.users + counts.deposits);
      }),
      deps.books.eachUserFiguresPage((rows) => {
        reconciler.addAuroraUsers(rows);
        gathered(rows.length);
      }),
      deps.books.eachDepositPage((rows) => {
        reconciler.addAuroraDeposits(rows);
        gathered(rows.length);
      }),
      deps.liveStores.eachCacheItemPage(command.segments, (items) => {
        for (const item of items) scannedCache.set(item.user_id, item);
        reconciler.addCacheItems(items);
        gathered(items.length);
      }),
      deps.liveStores.eachDepositEventPage(command.segments, (records) => {
        reconciler.addDynamoDbDeposits(records);
        gathered(records.length);
      }),
      deps.liveStores.eachUnsettledDecisionPage((decisions) => {
        reconciler.addUnsettledDecisions(decisions);
      }),
      deps.deadLetters.callbacks().then((callbacks) => {
        reconciler.addDeadLetteredCallbacks(callbacks);
      }),
    ]);

    onProgress({ phase: 'comparing' });
    const report = reconciler.report();
    const checkedAt = deps.clock.now().toISOString();

    onProgress({ phase: 'reporting' });
    const run = { run_id: command.runId, started_at: command.now.toISOString() };
    const differencesKey = await deps.reports.writeDifferences(run, report.differences);
    const summary: RunSummary = {
      ...run,
      checked_at: checkedAt,
      repair_requested: command.repair,
      unsettled_threshold_ms: command.unsettledThresholdMs,
      segments: command.segments,
      users_checked: report.users_checked,
      deposits_checked: report.deposits_checked,
      drifted_users: report.drifted_users,
      drift_amount: report.drift_amount,
      unsettled_decisions: report.unsettled_decisions,
      dead_lettered_callbacks: report.dead_lettered_callbacks,
      differences: report.differences.length,
      differences_by_kind: countByKind(report),
      differences_key: differencesKey,
    };
    const summaryKey = await deps.reports.writeSummary(summary);
    await deps.runLog.recordRun({
      run_id: summary.run_id,
      started_at: summary.started_at,
      finished_at: summary.checked_at,
      users_checked: summary.users_checked,
      drifted_users: summary.drifted_users,
      drift_amount: summary.drift_amount,
      unsettled_decisions: summary.unsettled_decisions,
      report_key: summaryKey,
      summary,
    });
    deps.observer.checked(summary);

    if (!command.repair) {
      deps.observer.finished(summary);
      onProgress({ phase: 'done' });
      return { summary, report, summaryKey, repairs: [] };
    }

    const { outcomes: repairs, leftForOperator } = await runRepairs(deps, report.differences, {
      runId: command.runId,
      scannedCache,
      onProgress,
    });
    const repairsKey = await deps.reports.writeRepairs(run, repairs);
    const tally = (result: RepairOutcome['result']): number =>
      repairs.filter((outcome) => outcome.result === result).length;
    const finishedAt = deps.clock.now().toISOString();
    const repairedSummary: RunSummary = {
      ...summary,
      repairs: {
        finished_at: finishedAt,
        repaired: tally('REPAIRED'),
        skipped: tally('SKIPPED'),
        failed: tally('FAILED'),
        left_for_operator: leftForOperator,
        repairs_key: repairsKey,
      },
    };
    await deps.reports.writeSummary(repairedSummary);
    await deps.runLog.recordRepairs(command.runId, tally('REPAIRED'), finishedAt, repairedSummary);
    deps.observer.finished(repairedSummary);
    onProgress({ phase: 'done' });
    return { summary: repairedSummary, report, summaryKey, repairs };
  };
