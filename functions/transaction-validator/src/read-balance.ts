import type { Balance, CreditAccountBooks, CreditAccountCache } from '@creditline/domain';

export type { Balance };

/** A partner's user; another partner's user of the same id is not this one. */
export type ReadBalance = (partnerId: string, userId: string) => Promise<Balance | null>;

/**
 * A user's available credit: CreditCache (where holds happen), or the books for a user the
 * cache does not hold yet. Read only: seeding is the decision path's job.
 */
export const createReadBalance =
  (accounts: Pick<CreditAccountCache, 'read'>, books: CreditAccountBooks): ReadBalance =>
  async (partnerId, userId) => {
    const account =
      (await accounts.read(partnerId, userId)) ?? (await books.find(partnerId, userId));
    return account === null
      ? null
      : { user_id: account.user_id, available: account.available, currency: account.currency };
  };
