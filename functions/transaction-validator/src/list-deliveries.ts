import type {
  DecisionLog,
  DeliveryAttempt,
  DeliveryState,
  TransactionDeliveries,
} from '@creditline/domain';

/** A delivery record as this use-case needs it (the Webhooks table's delivery item). */
export interface DeliveryView {
  readonly webhook_id: string;
  readonly state: DeliveryState;
  readonly next_attempt_at: string | null;
  readonly attempts: readonly DeliveryAttempt[];
}

export interface DeliveryReader {
  /** Strongly consistent; undefined before the first attempt. */
  delivery(partnerId: string, transactionId: string): Promise<DeliveryView | undefined>;
}

export type ListDeliveries = (query: {
  readonly transaction_id: string;
  /** The caller's partner: only its own transactions exist for it. */
  readonly partner_id: string;
}) => Promise<TransactionDeliveries | null>;

/**
 * `GET /v1/transactions/{id}/deliveries`: the callback attempts of one of the caller's
 * transactions. Someone else's transaction is absent, exactly like a missing one. A decision
 * with a callback that has not been attempted yet is PENDING with no attempts; one without a
 * callback_url has no state.
 */
export const createListDeliveries =
  (decisions: Pick<DecisionLog, 'find'>, deliveries: DeliveryReader): ListDeliveries =>
  async ({ transaction_id, partner_id }) => {
    // Keyed `partner#transaction_id`: another partner's transaction is never even read.
    const record = await decisions.find(partner_id, transaction_id);
    if (record === null) return null;
    if (!record.callback_url)
      return { transaction_id, webhook_id: null, state: null, next_attempt_at: null, attempts: [] };
    const delivery = await deliveries.delivery(partner_id, transaction_id);
    return {
      transaction_id,
      webhook_id: delivery?.webhook_id ?? transaction_id,
      state: delivery?.state ?? 'PENDING',
      next_attempt_at: delivery?.next_attempt_at ?? null,
      attempts: [...(delivery?.attempts ?? [])],
    };
  };
