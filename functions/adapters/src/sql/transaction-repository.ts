import { RetryableStoreError, type Decision, type SqlClient } from '@creditline/domain';

/**
 * Settles decisions into the relational books. One SQL transaction per decision: the row is
 * inserted once (ON CONFLICT DO NOTHING RETURNING tells a first settlement from a redelivery),
 * and only a first settlement of a PERMIT subtracts from credit_balance. A concurrent second
 * settlement of the same id waits on the primary key until the first commits, then inserts
 * nothing, so the balance moves exactly once however often the message arrives.
 */
export interface SettlementResult {
  /** False when the decision was already in the books (a redelivery): nothing changed. */
  readonly inserted: boolean;
}

/** A decision is one partner's: its id and its user are that partner's. */
export type PartnerDecision = Decision & { readonly partner_id: string };

export interface TransactionRepository {
  settle(decision: PartnerDecision, settledAt: string): Promise<SettlementResult>;
}

const INSERT_TRANSACTION = `
  INSERT INTO transactions (partner_id, transaction_id, user_id, amount, currency, status, reason, remaining_credit, decided_at, settled_at)
  VALUES (:partner_id, :transaction_id, :user_id, :amount, :currency, :status, :reason, :remaining_credit, :decided_at::timestamptz, :settled_at::timestamptz)
  ON CONFLICT (partner_id, transaction_id) DO NOTHING
  RETURNING transaction_id`;

const SUBTRACT_PERMIT = `
  UPDATE credit_balance SET balance = balance - :amount, updated_at = :settled_at::timestamptz
  WHERE partner_id = :partner_id AND user_id = :user_id`;

/**
 * A PERMIT for a user the books do not have yet: the deposits that gave the credit were
 * written to DynamoDB and not yet to Aurora (the DepositProcessor's retry or reconciliation
 * heals that). Retryable: the message comes back later, and parks in the DLQ if it never heals.
 */
export class BalanceMissingError extends RetryableStoreError {}

export const createTransactionRepository = (sql: SqlClient): TransactionRepository => ({
  settle: (decision, settledAt) =>
    sql.transaction(async (tx) => {
      const inserted = await tx.query(INSERT_TRANSACTION, {
        partner_id: decision.partner_id,
        transaction_id: decision.transaction_id,
        user_id: decision.user_id,
        amount: decision.amount,
        currency: decision.currency ?? null,
        status: decision.status,
        reason: decision.reason,
        remaining_credit: decision.remaining_credit,
        decided_at: decision.decided_at,
        settled_at: settledAt,
      });
      if (inserted.rows.length === 0) return { inserted: false };
      if (decision.status === 'PERMITTED') {
        const updated = await tx.query(SUBTRACT_PERMIT, {
          amount: decision.amount,
          partner_id: decision.partner_id,
          user_id: decision.user_id,
          settled_at: settledAt,
        });
        if (updated.rowCount !== 1) {
          throw new BalanceMissingError(
            `user ${decision.partner_id}/${decision.user_id} has no credit_balance to settle PERMIT ${decision.transaction_id} against`,
            'BALANCE_MISSING',
          );
        }
      }
      return { inserted: true };
    }),
});
