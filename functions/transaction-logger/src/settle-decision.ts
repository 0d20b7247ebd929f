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

export interface Settlement {
  /** False for a redelivery: the books already had the decision and did not change. */
  readonly firstSettlement: boolean;
}

/**
 * Settles one published decision: the books (Aurora), then the audit stream, then the mark on
 * the TransactionLog item. Each step is idempotent, so a message redelivered after any failure
 * runs them all again and changes nothing twice; the mark comes last so an item leaves the
 * `unsettled` index only when both the books and the audit have it.
 */
export const settleDecision = async (
  message: DecidedMessage,
  deps: SettleDependencies,
): Promise<Settlement> => {
  const { decision } = message;
  const settledAt = deps.clock.now().toISOString();
  const { inserted } = await deps.books.settle(decision, settledAt);
  await deps.audit.append({
    event_id: message.eventId,
    transaction_id: decision.transaction_id,
    user_id: decision.user_id,
    partner_id: decision.partner_id ?? null,
    amount: decision.amount,
    currency: decision.currency ?? null,
    status: decision.status,
    reason: decision.reason,
    remaining_credit: decision.remaining_credit,
    decided_at: decision.decided_at,
    settled_at: settledAt,
  });
  await deps.marks.markSettled(decision.transaction_id, settledAt);
  return { firstSettlement: inserted };
};
