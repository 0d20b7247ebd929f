import type { Logger } from '@aws-lambda-powertools/logger';
import type { CreditAccountBooks, CreditAccountCache } from '@creditline/domain';

/**
 * The fallback path is rare (a user's first request) and worth a line each time: a run of
 * them means CreditCache lost items and reconciliation should look.
 */
export const observeCreditAccounts = (
  accounts: CreditAccountCache,
  books: CreditAccountBooks,
  logger: Logger,
): { accounts: CreditAccountCache; books: CreditAccountBooks } => ({
  accounts: {
    read: (partnerId, userId) => accounts.read(partnerId, userId),
    apply: (partnerId, plan) => accounts.apply(partnerId, plan),
    async seed(partnerId, account) {
      const outcome = await accounts.seed(partnerId, account);
      logger.info('CreditCache item seeded from the books', {
        partner_id: partnerId,
        user_id: account.user_id,
        available: account.available,
        outcome,
      });
      return outcome;
    },
  },
  books: {
    async find(partnerId, userId) {
      const account = await books.find(partnerId, userId);
      if (account === null)
        logger.debug('user unknown to CreditCache and the books', {
          partner_id: partnerId,
          user_id: userId,
        });
      return account;
    },
  },
});
