import { z } from 'zod';

export const repairActions = [
  'REPLAY_DEPOSIT',
  'RESTORE_DEPOSIT_EVENT',
  'REBALANCE',
  'REPUBLISH_DECISION',
  'REBUILD_CACHE_ITEM',
] as const;
export const repairActionSchema = z.enum(repairActions);
export type RepairAction = z.infer<typeof repairActionSchema>;

/**
 * What one repair did. SKIPPED is an expected outcome: the re-check found the condition gone
 * (healed meanwhile) or not safe to act on yet; `detail` says which. FAILED is a store error on
 * that one repair: the others still run, and the next run finds it again.
 */
export const repairOutcomeSchema = z.object({
  action: repairActionSchema,
  user_id: z.string(),
  /** The deposit_id, transaction_id or (for user-level repairs) user_id acted on. */
  target: z.string(),
  result: z.enum(['REPAIRED', 'SKIPPED', 'FAILED']),
  detail: z.string(),
});
export type RepairOutcome = z.infer<typeof repairOutcomeSchema>;

export const repaired = (
  action: RepairAction,
  user_id: string,
  target: string,
  detail: string,
): RepairOutcome => ({
  action,
  user_id,
  target,
  result: 'REPAIRED',
  detail,
});

export const skipped = (
  action: RepairAction,
  user_id: string,
  target: string,
  detail: string,
): RepairOutcome => ({
  action,
  user_id,
  target,
  result: 'SKIPPED',
  detail,
});

export const failed = (
  action: RepairAction,
  target: { readonly user_id: string; readonly id: string },
  error: unknown,
): RepairOutcome => ({
  action,
  user_id: target.user_id,
  target: target.id,
  result: 'FAILED',
  detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
});

const actionOrder = new Map(repairActions.map((action, position) => [action, position]));

/** Report order: the order repairs run in, then the target id (code-unit order). */
export const compareRepairs = (a: RepairOutcome, b: RepairOutcome): number =>
  (actionOrder.get(a.action) ?? 0) - (actionOrder.get(b.action) ?? 0) ||
  (a.target < b.target ? -1 : a.target > b.target ? 1 : 0);
