import {
  centsSchema,
  differenceKinds,
  isoTimestampSchema,
  type DifferenceKind,
  type ReconciliationReport,
} from '@creditline/domain';
import { z } from 'zod';

const count = z.number().int().nonnegative();

/**
 * The JSON summary of one run: what was checked, what was found (the rows are in the CSV it
 * names), and, once a repair run is done, what was repaired. Also stored in reconciliation_runs.
 */
export const runSummarySchema = z.object({
  run_id: z.string(),
  started_at: isoTimestampSchema,
  /** When the comparison was done (before any repair). */
  checked_at: isoTimestampSchema,
  repair_requested: z.boolean(),
  unsettled_threshold_ms: count,
  segments: count,
  users_checked: count,
  deposits_checked: count,
  drifted_users: count,
  /** Sum of |delta| over the drift differences, in cents. */
  drift_amount: centsSchema,
  unsettled_decisions: count,
  dead_lettered_callbacks: count,
  differences: count,
  differences_by_kind: z.record(z.enum(differenceKinds), count),
  differences_key: z.string(),
  repairs: z
    .object({
      finished_at: isoTimestampSchema,
      repaired: count,
      skipped: count,
      failed: count,
      /** Differences no repair applies to (amount mismatches, dead-lettered callbacks). */
      left_for_operator: count,
      repairs_key: z.string(),
    })
    .optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const countByKind = (report: ReconciliationReport): Record<DifferenceKind, number> => {
  const counts = Object.fromEntries(differenceKinds.map((kind) => [kind, 0])) as Record<
    DifferenceKind,
    number
  >;
  for (const difference of report.differences) counts[difference.kind] += 1;
  return counts;
};
