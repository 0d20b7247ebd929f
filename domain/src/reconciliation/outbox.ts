import { formatMoney } from '../money.js';
import type {
  DeadLetteredCallback,
  ReconciliationRules,
  UnsettledDecision,
  UnsettledHoldOperation,
} from './inputs.js';
import type { Difference } from './report.js';

const MS_PER_MINUTE = 60_000;

const age = (ms: number): string => {
  const minutes = Math.floor(ms / MS_PER_MINUTE);
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
};

/** The outbox's backlog: decisions not settled in time, callbacks parked in the dead-letter queue. */

/**
 * A decision the outbox has not settled within the threshold: the Pipe, the queue or the
 * TransactionLogger is stuck. A decided_at that cannot be read is reported too, since its age
 * is unknown and it is unsettled all the same.
 */
export const checkUnsettled = (
  decision: UnsettledDecision,
  rules: ReconciliationRules,
): Difference | null => {
  const decidedAt = Date.parse(decision.decided_at);
  const elapsed = rules.now.getTime() - decidedAt;
  if (elapsed <= rules.unsettledAfterMs) return null;
  const what = `${decision.status} ${formatMoney(decision.amount)}`;
  return {
    kind: 'UNSETTLED_DECISION',
    user_id: decision.user_id,
    transaction_id: decision.transaction_id,
    expected: null,
    actual: null,
    delta: 0,
    message: Number.isNaN(decidedAt)
      ? `${what} is unsettled and its decided_at "${decision.decided_at}" cannot be read`
      : `${what} decided at ${new Date(decidedAt).toISOString()} is still unsettled after ${age(elapsed)} (threshold ${age(rules.unsettledAfterMs)})`,
  };
};

/** A lifecycle step the outbox has not settled within the threshold: the same backlog, one step. */
export const checkUnsettledOperation = (
  operation: UnsettledHoldOperation,
  rules: ReconciliationRules,
): Difference | null => {
  const occurredAt = Date.parse(operation.occurred_at);
  const elapsed = rules.now.getTime() - occurredAt;
  if (elapsed <= rules.unsettledAfterMs) return null;
  const what = `${operation.operation} ${operation.operation_id}`;
  return {
    kind: 'UNSETTLED_OPERATION',
    user_id: operation.user_id,
    transaction_id: operation.transaction_id,
    expected: null,
    actual: null,
    delta: 0,
    message: Number.isNaN(occurredAt)
      ? `${what} is unsettled and its occurred_at "${operation.occurred_at}" cannot be read`
      : `${what} at ${new Date(occurredAt).toISOString()} is still unsettled after ${age(elapsed)} (threshold ${age(rules.unsettledAfterMs)})`,
  };
};

/** A dead-lettered callback: the partner never heard of the decision until an operator redrives it. */
export const checkDeadLettered = (callback: DeadLetteredCallback): Difference => ({
  kind: 'CALLBACK_DEAD_LETTERED',
  user_id: callback.user_id,
  transaction_id: callback.transaction_id,
  expected: null,
  actual: null,
  delta: 0,
  message: 'callback exhausted its retries and waits in the dead-letter queue for a redrive',
});
