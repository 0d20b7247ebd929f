import type { Decision, TransactionDecidedDetail } from '@creditline/domain';

/** What settling a decision needs, owned here; adapters in @creditline/adapters implement them. */

/** The relational books (Aurora): one row per decision, the balance moved once per PERMIT. */
export interface SettlementBooks {
  settle(
    decision: Decision & { readonly partner_id: string },
    settledAt: string,
  ): Promise<{ readonly inserted: boolean }>;
}

/**
 * One line of the audit stream. `event_id` is the EventBridge event id: a redelivered SQS
 * message carries the same event and writes the same event_id, so downstream dedups on it;
 * `transaction_id` dedups a decision the Pipe published twice.
 */
export interface AuditRecord {
  readonly event_id: string;
  readonly transaction_id: string;
  readonly user_id: string;
  readonly partner_id: string | null;
  readonly amount: number;
  readonly currency: string | null;
  readonly status: Decision['status'];
  readonly reason: Decision['reason'];
  readonly remaining_credit: number;
  readonly decided_at: string;
  readonly settled_at: string;
}

/** The audit stream (Firehose); resolves once the record is accepted, rejects when it was not. */
export interface AuditTrail {
  append(record: AuditRecord): Promise<void>;
}

/** The TransactionLog item: the decision as stored, and the mark that takes it out of the `unsettled` index. */
export interface SettlementMarks {
  /** Strongly consistent; null when no such decision was ever recorded. */
  storedDecision(
    partnerId: string,
    transactionId: string,
  ): Promise<{ readonly decision: TransactionDecidedDetail } | null>;
  markSettled(partnerId: string, transactionId: string, settledAt: string): Promise<void>;
}
