import type { BalanceDeltas } from '../contracts/lifecycle.js';
import { addCents, type Cents } from '../money.js';
import { addDeltas, decisionDeltas } from './balance-figures.js';
import { createDepositMatcher } from './deposit-matcher.js';
import type {
  AuroraHoldBooks,
  AuroraUserFigures,
  CacheItemFigures,
  DeadLetteredCallback,
  DepositRecord,
  ReconciliationRules,
  UnsettledDecision,
  UnsettledHoldOperation,
} from './inputs.js';
import { checkDeadLettered, checkUnsettled, checkUnsettledOperation } from './outbox.js';
import {
  compareDifferences,
  driftKinds,
  type Difference,
  type ReconciliationReport,
} from './report.js';
import { checkUserBooks } from './user-books.js';

/**
 * Gathers the figures of one reconciliation run, page by page, in any order, then reports.
 * Work is linear: per-user figures (tens of thousands) sit in Maps keyed by user_id; deposits go
 * through a matcher that forgets every pair it has compared.
 */
export interface Reconciler {
  addAuroraUsers(rows: Iterable<AuroraUserFigures>): void;
  /** The lifecycle rows' per-user sums (users without holds have none). */
  addAuroraHoldBooks(rows: Iterable<AuroraHoldBooks>): void;
  addCacheItems(items: Iterable<CacheItemFigures>): void;
  addUnsettledDecisions(decisions: Iterable<UnsettledDecision>): void;
  /** Lifecycle steps recorded in DynamoDB and not yet settled into Aurora. */
  addUnsettledOperations(operations: Iterable<UnsettledHoldOperation>): void;
  /** DepositEvents items. */
  addDynamoDbDeposits(records: Iterable<DepositRecord>): void;
  /** Aurora `deposits` rows. */
  addAuroraDeposits(records: Iterable<DepositRecord>): void;
  addDeadLetteredCallbacks(callbacks: Iterable<DeadLetteredCallback>): void;
  /** Every figure has been added: compare and report, differences in report order. */
  report(): ReconciliationReport;
}

/** Everything at once, for callers that hold it all (tests, small runs). */
export interface ReconciliationInput {
  readonly auroraUsers: Iterable<AuroraUserFigures>;
  readonly cacheItems: Iterable<CacheItemFigures>;
  readonly unsettledDecisions: Iterable<UnsettledDecision>;
  readonly dynamoDbDeposits: Iterable<DepositRecord>;
  readonly auroraDeposits: Iterable<DepositRecord>;
  readonly deadLetteredCallbacks: Iterable<DeadLetteredCallback>;
  readonly auroraHoldBooks?: Iterable<AuroraHoldBooks>;
  readonly unsettledOperations?: Iterable<UnsettledHoldOperation>;
}

/**
 * A user or cache item listed twice means the caller's paging is broken; comparing anyway would
 * report wrong figures, so it is a bug, not a difference.
 */
const putOnce = <T>(map: Map<string, T>, key: string, value: T, what: string): void => {
  if (map.has(key)) throw new Error(`reconciliation input lists ${what} "${key}" twice`);
  map.set(key, value);
};

const NO_DELTAS: BalanceDeltas = { available: 0, pending: 0, posted: 0 };

export const createReconciler = (rules: ReconciliationRules): Reconciler => {
  const aurora = new Map<string, AuroraUserFigures>();
  const holdBooks = new Map<string, AuroraHoldBooks>();
  const cache = new Map<string, CacheItemFigures>();
  const unsettled = new Map<string, BalanceDeltas>();
  const addUnsettled = (userId: string, deltas: BalanceDeltas): void => {
    unsettled.set(userId, addDeltas(unsettled.get(userId) ?? NO_DELTAS, deltas));
  };
  const backlog: Difference[] = [];
  const deposits = createDepositMatcher();
  let unsettledCount = 0;
  let deadLetteredCount = 0;

  return {
    addAuroraUsers(rows) {
      for (const row of rows) putOnce(aurora, row.user_id, row, 'Aurora user');
    },
    addAuroraHoldBooks(rows) {
      for (const row of rows) putOnce(holdBooks, row.user_id, row, 'Aurora hold books of user');
    },
    addCacheItems(items) {
      for (const item of items) putOnce(cache, item.user_id, item, 'CreditCache item for user');
    },
    addUnsettledDecisions(decisions) {
      for (const decision of decisions) {
        addUnsettled(decision.user_id, decisionDeltas(decision));
        const stuck = checkUnsettled(decision, rules);
        if (stuck !== null) {
          backlog.push(stuck);
          unsettledCount += 1;
        }
      }
    },
    addUnsettledOperations(operations) {
      for (const operation of operations) {
        addUnsettled(operation.user_id, operation.deltas);
        const stuck = checkUnsettledOperation(operation, rules);
        if (stuck !== null) {
          backlog.push(stuck);
          unsettledCount += 1;
        }
      }
    },
    addDynamoDbDeposits(records) {
      deposits.addFromDynamoDb(records);
    },
    addAuroraDeposits(records) {
      deposits.addFromAurora(records);
    },
    addDeadLetteredCallbacks(callbacks) {
      for (const callback of callbacks) {
        backlog.push(checkDeadLettered(callback));
        deadLetteredCount += 1;
      }
    },
    report() {
      const userIds = new Set([...aurora.keys(), ...cache.keys()]);
      const differences: Difference[] = [];
      for (const user_id of userIds) {
        differences.push(
          ...checkUserBooks({
            user_id,
            aurora: aurora.get(user_id),
            cache: cache.get(user_id),
            holds: holdBooks.get(user_id),
            unsettled: unsettled.get(user_id) ?? NO_DELTAS,
          }),
        );
      }
      for (const difference of deposits.differences()) differences.push(difference);
      for (const difference of backlog) differences.push(difference);
      differences.sort(compareDifferences);

      const driftedUsers = new Set<string>();
      let driftAmount: Cents = 0;
      for (const difference of differences) {
        if (!driftKinds.has(difference.kind)) continue;
        driftedUsers.add(difference.user_id);
        driftAmount = addCents(driftAmount, Math.abs(difference.delta));
      }
      return {
        users_checked: userIds.size,
        deposits_checked: deposits.checked,
        differences,
        drifted_users: driftedUsers.size,
        drift_amount: driftAmount,
        unsettled_decisions: unsettledCount,
        dead_lettered_callbacks: deadLetteredCount,
      };
    },
  };
};

/** The comparison in one call: feeds a reconciler everything and reports. */
export const reconcile = (
  input: ReconciliationInput,
  rules: ReconciliationRules,
): ReconciliationReport => {
  const reconciler = createReconciler(rules);
  reconciler.addAuroraUsers(input.auroraUsers);
  reconciler.addAuroraHoldBooks(input.auroraHoldBooks ?? []);
  reconciler.addUnsettledOperations(input.unsettledOperations ?? []);
  reconciler.addCacheItems(input.cacheItems);
  reconciler.addUnsettledDecisions(input.unsettledDecisions);
  reconciler.addDynamoDbDeposits(input.dynamoDbDeposits);
  reconciler.addAuroraDeposits(input.auroraDeposits);
  reconciler.addDeadLetteredCallbacks(input.deadLetteredCallbacks);
  return reconciler.report();
};
