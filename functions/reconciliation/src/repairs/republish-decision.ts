import {
  outboxTarget,
  transactionDecidedFields,
} from '@creditline/adapters/outbox/transaction-decided';
import {
  transactionDecidedDetailSchema,
  type BusEvent,
  type TransactionDecidedDetail,
} from '@creditline/domain';
import type { LoggedDecision, ReconcileDependencies } from '../ports.js';
import { repaired, skipped, type RepairOutcome } from './repair-outcome.js';
import type { RepairTarget } from './repair-plan.js';

/**
 * The TransactionDecided event the Pipe would have published for this item, built from the same
 * field list. The callback_url is left out when the partner already has the decision or it is
 * parked in the callbacks DLQ (an operator redrives that), so the `callbacks` rule does not match
 * and the partner is not called twice; the `transaction-log` rule matches either way.
 */
export const toRepublishedEvent = (
  decision: LoggedDecision,
): BusEvent<TransactionDecidedDetail> => {
  const source = decision as unknown as Readonly<Record<string, unknown>>;
  const fields: Record<string, unknown> = {};
  for (const { field, attribute } of transactionDecidedFields) {
    if (source[attribute] !== undefined) fields[field] = source[attribute];
  }
  if (decision.delivery?.delivered_at || decision.delivery?.dead_lettered)
    delete fields.callback_url;
  return {
    source: outboxTarget.source,
    detailType: outboxTarget.detailType,
    detail: transactionDecidedDetailSchema.parse(fields),
  };
};

/**
 * A decision unsettled past the threshold is published again to the bus rather than settled
 * here: the bus path is the one that settles into Aurora, writes the audit record and marks the
 * item settled (the TransactionLogger), and it is idempotent (INSERT ... ON CONFLICT DO
 * NOTHING), so a copy still in flight does no harm. Settling here would duplicate that logic and
 * skip the audit stream.
 */
export const republishDecision = async (
  deps: Pick<ReconcileDependencies, 'repairStore' | 'publisher'>,
  target: RepairTarget,
): Promise<RepairOutcome> => {
  const decision = await deps.repairStore.decision(target.id);
  if (decision === null)
    return skipped(
      'REPUBLISH_DECISION',
      target.user_id,
      target.id,
      'TransactionLog no longer holds this decision',
    );
  if (decision.settlement_state === undefined) {
    return skipped(
      'REPUBLISH_DECISION',
      decision.user_id,
      target.id,
      'settled since the run read it',
    );
  }
  const event = toRepublishedEvent(decision);
  await deps.publisher.publish([event]);
  const note =
    decision.callback_url !== undefined && event.detail.callback_url === undefined
      ? ' (without callback_url: no second callback)'
      : '';
  return repaired(
    'REPUBLISH_DECISION',
    decision.user_id,
    target.id,
    `TransactionDecided ${decision.status} published again${note}`,
  );
};
