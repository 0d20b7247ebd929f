import type { Clock, TransactionDecidedDetail } from '@creditline/domain';
import type { AuditTrail, SettlementBooks, SettlementMarks } from './ports.js';

export interface SettleDependencies {
  readonly books: SettlementBooks;
  readonly audit: AuditTrail;
  readonly marks: SettlementMarks;
  readonly clock: Clock;
}

export interface DecidedMessage {
  /** The EventBridge event id. */
  readonly eventId: string;
  readonly decision: TransactionDecidedDetail;
}

export type Settlement =
  /** `firstSettlement` is false for a redelivery: the books already had the decision and did not change. */
  | { readonly kind: 'settled'; readonly firstSettlement: boolean }
  /** The message names a decision the TransactionLog never recorded: nothing is booked. */
  | { readonly kind: 'unknown-decision' };

/**
 * Settles one published decision: the books (Aurora), then the audit stream, then the mark on
 * the TransactionLog item. What is settled is the decision as the TransactionLog stores it,
 * re-read (consistently) by the partner and id the message names: the message only says which
 * decision to settle, never what it was, so a forged or altered event books nothing. Each step is idempotent, so a message redelivered after any failure
 * runs them all again and changes nothing twice; the mark comes last so an item leaves the
 * `unsettled` index only when both the books and the audit have it.
 */
export const settleDecision = async (
  message: DecidedMessage,
  deps: SettleDependencies,
): Promise<Settlement> => {
  const named = message.decision;
  const stored = await deps.marks.storedDecision(named.partner_id, named.transaction_id);
  if (stored === null) return { kind: 'unknown-decision' };
  const { decision } = stored;
  const settledAt = deps.clock.now().toISOString();
  const { inserted } = await deps.books.settle(decision, settledAt);
  await deps.audit.append({
    event_id: message.eventId,
    transaction_id: decision.transaction_id,
    user_id: decision.user_id,
    partner_id: decision.partner_id,
    amount: decision.amount,
    currency: decision.currency ?? null,
    status: decision.status,
    reason: decision.reason,
    remaining_credit: decision.remaining_credit,
    decided_at: decision.decided_at,
    settled_at: settledAt,
  });
  await deps.marks.markSettled(decision.partner_id, decision.transaction_id, settledAt);
  return { kind: 'settled', firstSettlement: inserted };
};
