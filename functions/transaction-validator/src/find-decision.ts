import { toResponse, type DecisionLog, type TransactionResponse } from '@creditline/domain';

export interface FindDecisionQuery {
  readonly transaction_id: string;
  /** The caller's partner: only its own decisions exist for it. */
  readonly partner_id: string;
}

export type FindDecision = (query: FindDecisionQuery) => Promise<TransactionResponse | null>;

/**
 * The stored decision for a transaction_id, as the partner was answered. Ids are the partner's
 * own (the key is `partner#transaction_id`), so another partner's decision under the same id is
 * not even looked at: the read is the same one a missing id makes, and answers the same.
 */
export const createFindDecision =
  (decisions: Pick<DecisionLog, 'find'>): FindDecision =>
  async ({ transaction_id, partner_id }) => {
    const record = await decisions.find(partner_id, transaction_id);
    return record === null ? null : toResponse(record);
  };
