import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { ReconciliationDependencies } from './composition.js';
import { runIdFor } from './run-id.js';
import { scheduledReconciliationSchema } from './scheduled-event.js';

/** What the invocation returns (visible to a manual `aws lambda invoke`). */
export interface ReconciliationResult {
  readonly run_id: string;
  readonly summary_key: string;
  readonly users_checked: number;
  readonly drifted_users: number;
  readonly drift_amount: number;
  readonly differences: number;
  readonly repaired: number;
}

/** The Scheduler's event: one reconcile run; metrics flushed whatever happens. */
export const createHandler =
  ({ reconcile, settings, clock, logger, metrics }: ReconciliationDependencies) =>
  async (event: unknown, context: Pick<Context, 'awsRequestId'>): Promise<ReconciliationResult> => {
    const input = scheduledReconciliationSchema.safeParse(event);
    if (!input.success) {
      const problems = z.prettifyError(input.error);
      logger.error('reconciliation input refused', { problems });
      throw new Error(`reconciliation input refused: ${problems}`);
    }
    const now = clock.now();
    try {
      const { summary, summaryKey } = await reconcile({
        runId: runIdFor(now, context.awsRequestId.slice(0, 8)),
        repair: input.data.repair,
        now,
        segments: input.data.segments ?? settings.segments,
        unsettledThresholdMs: input.data.unsettled_threshold_ms ?? settings.unsettledThresholdMs,
      });
      const { run_id, users_checked, drifted_users, drift_amount, differences } = summary;
      return {
        run_id,
        summary_key: summaryKey,
        users_checked,
        drifted_users,
        drift_amount,
        differences,
        repaired: summary.repairs?.repaired ?? 0,
      };
    } catch (error) {
      logger.error('reconciliation failed', {
        error: error instanceof Error ? error : String(error),
      });
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
