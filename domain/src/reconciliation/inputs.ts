import type { BalanceDeltas, CaptureMethod, HoldOperationKind } from '../contracts/lifecycle.js';
import type { DecisionStatus } from '../contracts/transaction.js';
import type { Cents } from '../money.js';

/** Per user, from one set-based query over Aurora (users ⟕ deposits, transactions, credit_balance). */
export interface AuroraUserFigures {
  readonly user_id: string;
  /** sum(deposits.amount) */
  readonly deposits_total: Cents;
  /** sum(transactions.amount) of the settled PERMITTED decisions */
  readonly permitted_total: Cents;
  /** credit_balance.balance, null when the user has no credit_balance row. */
  readonly balance: Cents | null;
}

/**
 * Per user, the sums of the lifecycle rows in Aurora (migration 004); a user without holds has
 * none, which reads as all zero.
 */
export interface AuroraHoldBooks {
  readonly user_id: string;
  /** Held now, over the user's settled holds. */
  readonly pending: Cents;
  /** Permitted increments. */
  readonly increments: Cents;
  /** Given back by final captures, voids and expiries. */
  readonly released: Cents;
  readonly refunded: Cents;
}

/**
 * A CreditCache item (from a parallel Scan). An item that carries the lifecycle's figures
 * (credited, posted, pending) is checked figure by figure; one that does not, by available.
 */
export interface CacheItemFigures {
  readonly user_id: string;
  readonly available: Cents;
  readonly credited?: Cents;
  readonly posted?: Cents;
  readonly pending?: Cents;
}

/** A deposit as DepositEvents or Aurora `deposits` records it. */
export interface DepositRecord {
  readonly deposit_id: string;
  readonly user_id: string;
  readonly amount: Cents;
}

/**
 * A TransactionLog item not yet settled into Aurora (its sparse index). The PERMITTED ones are
 * holds the cache has taken and Aurora has not; every one older than the threshold is stuck.
 */
export interface UnsettledDecision {
  readonly transaction_id: string;
  readonly user_id: string;
  readonly status: DecisionStatus;
  readonly amount: Cents;
  /** ISO-8601 */
  readonly decided_at: string;
  /** A manual PERMIT holds its amount (pending); an automatic one (the default) posts it. */
  readonly capture_method?: CaptureMethod;
}

/**
 * A lifecycle step the TransactionLog recorded (and the account item took) that Aurora has not
 * settled yet: its deltas are on the DynamoDB side only.
 */
export interface UnsettledHoldOperation {
  readonly transaction_id: string;
  readonly user_id: string;
  readonly operation: HoldOperationKind;
  readonly operation_id: string;
  readonly deltas: BalanceDeltas;
  /** ISO-8601 */
  readonly occurred_at: string;
}

/** A callback that exhausted its retries (from the callbacks DLQ or the TransactionLog delivery state). */
export interface DeadLetteredCallback {
  readonly transaction_id: string;
  readonly user_id: string;
}

export interface ReconciliationRules {
  /** The run's time: the age of an unsettled decision is measured from it. */
  readonly now: Date;
  /** A decision unsettled for longer than this is reported (the outbox normally takes seconds). */
  readonly unsettledAfterMs: number;
}
