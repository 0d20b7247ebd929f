import type { TransactionDecidedDetail } from '../contracts/events.js';
import type { Decision } from '../contracts/transaction.js';
import type { Cents } from '../money.js';

/**
 * A decision as the TransactionLog records it: what the outbox publishes as TransactionDecided,
 * plus the fingerprint of the request it answered, so a retry can be told from a different
 * request reusing the id.
 */
export type DecisionRecord = TransactionDecidedDetail & { readonly fingerprint: string };

/**
 * The claim on a transaction_id, written before any money moves (`attribute_not_exists`): what
 * is known of the request before it is decided, and who is deciding it. Only the holder of the
 * current attempt may record the decision; a debit made by an earlier attempt is released by the
 * hold journal.
 */
export interface TransactionClaim {
  readonly transaction_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  readonly currency?: string | undefined;
  readonly callback_url?: string | undefined;
  /** The partner whose id this is: ids are unique per partner, so the claim is on `partner#id`. */
  readonly partner_id: string;
  readonly fingerprint: string;
  /** A token per request: a request recognises its own claim after a retried write. */
  readonly owner: string;
  /** 1 for the first request; every take-over adds one. */
  readonly attempt: number;
  /** ISO-8601. Until then the owner may still be writing; after it, a retry may take over. */
  readonly lease_until: string;
}

/** What the decision adds to its claim. */
export type Verdict = Pick<
  Decision,
  'status' | 'reason' | 'remaining_credit' | 'decided_at' | 'detail'
>;

export type StoredTransaction =
  | { readonly state: 'CLAIMED'; readonly claim: TransactionClaim }
  | { readonly state: 'DECIDED'; readonly attempt: number; readonly record: DecisionRecord };

/** claimed: the caller holds the claim now; taken: someone else's (or a decision) is there. */
export type ClaimOutcome =
  { readonly kind: 'claimed' } | { readonly kind: 'taken'; readonly existing: StoredTransaction };

/** decided: this attempt's verdict is recorded; lost: the claim is no longer this attempt's. */
export type FinalizeOutcome =
  | { readonly kind: 'decided'; readonly record: DecisionRecord }
  | { readonly kind: 'lost'; readonly existing: StoredTransaction | null };

/**
 * The TransactionLog: one item per (partner, transaction_id), claimed once, decided once. Every
 * id is a partner's: another partner's transaction of the same id is another item, never read.
 */
export interface DecisionLog {
  /** The decision, strongly consistent; null while only claimed. */
  find(partnerId: string, transactionId: string): Promise<DecisionRecord | null>;
  /** The item whatever its state, strongly consistent. */
  read(partnerId: string, transactionId: string): Promise<StoredTransaction | null>;
  claim(claim: TransactionClaim): Promise<ClaimOutcome>;
  /**
   * Moves a claim still CLAIMED at `fromAttempt` to the next attempt (an expired lease, or the
   * owner's own write whose outcome it cannot know). Conditional: of two contenders one wins.
   */
  takeOver(
    partnerId: string,
    transactionId: string,
    fromAttempt: number,
    to: Pick<TransactionClaim, 'owner' | 'attempt' | 'lease_until'>,
  ): Promise<ClaimOutcome>;
  /** Records the verdict, only if the claim is still CLAIMED at `attempt`. */
  finalize(
    partnerId: string,
    transactionId: string,
    attempt: number,
    verdict: Verdict,
  ): Promise<FinalizeOutcome>;
  /** Ends a lease at once (its owner gave up, nothing of it landed), so a retry need not wait. */
  abandon(partnerId: string, transactionId: string, attempt: number, owner: string): Promise<void>;
}
