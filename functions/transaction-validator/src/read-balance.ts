import type { Cents, CreditAccountBooks, CreditAccountCache } from '@creditline/domain';

export interface Balance {
  readonly user_id: string;
  /** Integer cents: credit minus every hold, settled or not. */
  readonly available: Cents;
  readonly currency: string;
}

export type ReadBalance = (userId: string) => Promise<Balance | null>;

/**
 * A user's available credit: CreditCache (where holds happen), or the books for a user the
 * cache does not hold yet. Read only: seeding is the decision path's job.
 */
export const createReadBalance =
  (accounts: Pick<CreditAccountCache, 'read'>, books: CreditAccountBooks): ReadBalance =>
  async (userId) => {
    const account = (await accounts.read(userId)) ?? (await books.find(userId));
    return account === null ? null : { user_id: account.user_id, available: account.available, currency: account.currency };
  };
