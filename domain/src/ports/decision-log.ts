import type { TransactionDecidedDetail } from '../contracts/events.js';
import type { Cents } from '../money.js';

/**
 * A decision as the TransactionLog records it: what the outbox publishes as TransactionDecided,
 * plus the fingerprint of the request it answered, so a retry can be told from a different
 * request reusing the id.
 */
export type DecisionRecord = TransactionDecidedDetail & { readonly fingerprint: string };

/** Every decision is one partner's: its id, its user and its hold are that partner's. */

/** The hold a PERMIT places, valid only against the account version the decision read. */
export interface Hold {
  readonly user_id: string;
  readonly amount: Cents;
  readonly expected_version: number;
}

/**
 * - committed: the decision (and its hold) are recorded;
 * - duplicate: the transaction_id is already decided, nothing was written;
 * - contended: the account moved since it was read (or another transaction held it), nothing
 *   was written: read again and decide again.
 */
export type CommitOutcome = 'committed' | 'duplicate' | 'contended';

/** The TransactionLog: one record per transaction_id, written once. */
export interface DecisionLog {
  /** Strongly consistent, so a request that lost the race for an id sees the winner. */
  find(partnerId: string, transactionId: string): Promise<DecisionRecord | null>;
  /**
   * Records the decision and, for a PERMIT, its hold in one atomic write: both or neither. Both
   * are the record's partner's (the hold is on that partner's user).
   */
  commit(record: DecisionRecord, hold: Hold | null): Promise<CommitOutcome>;
}
