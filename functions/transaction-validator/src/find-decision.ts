import { toResponse, type DecisionLog, type TransactionResponse } from '@creditline/domain';

export interface FindDecisionQuery {
  readonly transaction_id: string;
  /** The caller's partner, when the channel identified one. */
  readonly partner_id?: string | undefined;
}

export type FindDecision = (query: FindDecisionQuery) => Promise<TransactionResponse | null>;

/**
 * The stored decision for a transaction_id, as the partner was answered. A partner sees only
 * its own decisions: another partner's is reported as absent, which does not even confirm
 * that the id exists.
 */
export const createFindDecision =
  (decisions: Pick<DecisionLog, 'find'>): FindDecision =>
  async ({ transaction_id, partner_id }) => {
    const record = await decisions.find(transaction_id);
    if (record === null) return null;
    if (
      partner_id !== undefined &&
      record.partner_id !== undefined &&
      record.partner_id !== partner_id
    )
      return null;
    return toResponse(record);
  };
