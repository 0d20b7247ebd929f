import { addCents, type Cents } from '../money.js';
import type { DepositRow } from './row.js';

/**
 * Sums one batch's deposits per user. A DynamoDB transaction may touch an item only once, so a
 * batch credits each user's CreditCache item with one `ADD available :sum`.
 * Users come out in the order they first appear in the batch.
 */
export const sumCreditsByUser = (
  rows: Iterable<Pick<DepositRow, 'user_id' | 'amount'>>,
): Map<string, Cents> => {
  const sums = new Map<string, Cents>();
  for (const row of rows) sums.set(row.user_id, addCents(sums.get(row.user_id) ?? 0, row.amount));
  return sums;
};
