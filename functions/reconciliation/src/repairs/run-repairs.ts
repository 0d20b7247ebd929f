import type { Difference } from '@creditline/domain';
import { mapConcurrently } from '../map-concurrently.js';
import type { CacheItemSnapshot, ReconcileDependencies } from '../ports.js';
import type { ProgressListener } from '../progress.js';
import { rebalance } from './rebalance.js';
import { rebuildCacheItem } from './rebuild-cache-item.js';
import { compareRepairs, failed, type RepairAction, type RepairOutcome } from './repair-outcome.js';
import { plannedCount, planRepairs, type RepairTarget } from './repair-plan.js';
import { replayDeposit } from './replay-deposit.js';
import { republishDecision } from './republish-decision.js';
import { restoreDepositEvent } from './restore-deposit-event.js';

/** Repairs in flight at once: enough to hide store latency, few enough not to crowd the writers. */
const REPAIR_CONCURRENCY = 8;

export interface RepairRun {
  /** In report order (the order repairs run in, then target). */
  readonly outcomes: RepairOutcome[];
  readonly leftForOperator: number;
}

/**
 * Every repair the differences call for, phase by phase in the plan's order (a phase sees what
 * the earlier ones wrote), each logged through the observer as it ends. A store error fails
 * that repair alone: the rest still run, and the next run finds it again.
 */
export const runRepairs = async (
  deps: ReconcileDependencies,
  differences: readonly Difference[],
  context: {
    readonly runId: string;
    /** The cache items as the run's Scan saw them: a rebuild needs the item unchanged since. */
    readonly scannedCache: ReadonlyMap<string, CacheItemSnapshot>;
    readonly onProgress: ProgressListener;
  },
): Promise<RepairRun> => {
  const plan = planRepairs(differences);
  const total = plannedCount(plan);
  const outcomes: RepairOutcome[] = [];
  const runPhase = async (
    action: RepairAction,
    targets: readonly RepairTarget[],
    work: (target: RepairTarget) => Promise<RepairOutcome>,
  ): Promise<void> => {
    await mapConcurrently(targets, REPAIR_CONCURRENCY, async (target) => {
      const outcome = await work(target).catch((error: unknown) => failed(action, target, error));
      outcomes.push(outcome);
      deps.observer.repaired(outcome);
      context.onProgress({ phase: 'repairing', done: outcomes.length, total });
    });
  };

  context.onProgress({ phase: 'repairing', done: 0, total });
  await runPhase('REPLAY_DEPOSIT', plan.replayDeposits, (target) =>
    replayDeposit(deps, target, context.runId),
  );
  await runPhase('RESTORE_DEPOSIT_EVENT', plan.restoreDepositEvents, (target) =>
    restoreDepositEvent(deps, target),
  );
  await runPhase('REBALANCE', plan.rebalanceUsers, (target) => rebalance(deps, target));
  await runPhase('REPUBLISH_DECISION', plan.republishDecisions, (target) =>
    republishDecision(deps, target),
  );
  await runPhase('REBUILD_CACHE_ITEM', plan.rebuildCacheItems, (target) =>
    rebuildCacheItem(
      deps,
      target,
      context.scannedCache.get(target.user_id),
      deps.clock.now().toISOString(),
    ),
  );
  return { outcomes: outcomes.sort(compareRepairs), leftForOperator: plan.leftForOperator };
};
