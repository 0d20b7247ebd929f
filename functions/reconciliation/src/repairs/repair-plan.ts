import type { Difference } from '@creditline/domain';

/** One thing to repair, named by the id the repair acts on. */
export interface RepairTarget {
  readonly user_id: string;
  readonly id: string;
}

/**
 * Which repair each difference calls for, in the order they run: the ledgers first (a replayed
 * deposit moves a balance), then balances, then the outbox, and the cache last, from the books
 * the earlier repairs left. DEPOSIT_AMOUNT_MISMATCH and CALLBACK_DEAD_LETTERED are left to an
 * operator: which amount is right is a question for the partner's file, and a dead letter is
 * redriven with `creditline dlq`.
 */
export interface RepairPlan {
  readonly replayDeposits: readonly RepairTarget[];
  readonly restoreDepositEvents: readonly RepairTarget[];
  readonly rebalanceUsers: readonly RepairTarget[];
  readonly republishDecisions: readonly RepairTarget[];
  readonly rebuildCacheItems: readonly RepairTarget[];
  readonly leftForOperator: number;
}

export const planRepairs = (differences: readonly Difference[]): RepairPlan => {
  const buckets = {
    replayDeposits: new Map<string, RepairTarget>(),
    restoreDepositEvents: new Map<string, RepairTarget>(),
    rebalanceUsers: new Map<string, RepairTarget>(),
    republishDecisions: new Map<string, RepairTarget>(),
    rebuildCacheItems: new Map<string, RepairTarget>(),
  };
  let leftForOperator = 0;
  const add = (
    bucket: Map<string, RepairTarget>,
    user_id: string,
    id: string | undefined,
  ): void => {
    if (id !== undefined) bucket.set(id, { user_id, id });
  };
  for (const difference of differences) {
    const { user_id } = difference;
    switch (difference.kind) {
      case 'DEPOSIT_MISSING_IN_AURORA':
        add(buckets.replayDeposits, user_id, difference.deposit_id);
        break;
      case 'DEPOSIT_MISSING_IN_DYNAMODB':
        add(buckets.restoreDepositEvents, user_id, difference.deposit_id);
        break;
      case 'BALANCE_MISMATCH':
        add(buckets.rebalanceUsers, user_id, user_id);
        break;
      case 'UNSETTLED_DECISION':
        add(buckets.republishDecisions, user_id, difference.transaction_id);
        break;
      case 'CACHE_MISMATCH':
      case 'CACHE_WITHOUT_ACCOUNT':
        add(buckets.rebuildCacheItems, user_id, user_id);
        break;
      // A pending or posted figure is never rebuilt by a repair: it could erase a hold in flight.
      case 'ACCOUNT_FIGURES_BROKEN':
      case 'CREDITED_MISMATCH':
      case 'POSTED_MISMATCH':
      case 'PENDING_MISMATCH':
      case 'UNSETTLED_OPERATION':
      case 'DEPOSIT_AMOUNT_MISMATCH':
      case 'CALLBACK_DEAD_LETTERED':
        leftForOperator += 1;
        break;
    }
  }
  return {
    replayDeposits: [...buckets.replayDeposits.values()],
    restoreDepositEvents: [...buckets.restoreDepositEvents.values()],
    rebalanceUsers: [...buckets.rebalanceUsers.values()],
    republishDecisions: [...buckets.republishDecisions.values()],
    rebuildCacheItems: [...buckets.rebuildCacheItems.values()],
    leftForOperator,
  };
};

export const plannedCount = (plan: RepairPlan): number =>
  plan.replayDeposits.length +
  plan.restoreDepositEvents.length +
  plan.rebalanceUsers.length +
  plan.republishDecisions.length +
  plan.rebuildCacheItems.length;
