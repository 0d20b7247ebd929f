import {
  accountStatusSchema,
  centsSchema,
  currencySchema,
  identifierSchema,
  PermanentStoreError,
  type CreditAccount,
  type CreditAccountBooks,
  type SqlExecutor,
} from '@creditline/domain';
import { z } from 'zod';

const accountRowSchema = z.object({
  user_id: identifierSchema,
  status: accountStatusSchema,
  currency: currencySchema,
  per_transaction_limit: centsSchema.nullable(),
  balance: centsSchema,
});

/**
 * A user with no credit_balance row has credited nothing yet: balance 0. The seed is the
 * settled balance because an account the cache lacks has had no hold placed on it (holds
 * live only on cache items), so there is no unsettled permit to subtract.
 */
const FIND_ACCOUNT = `
  SELECT u.user_id, u.status, u.currency, u.per_transaction_limit, COALESCE(b.balance, 0)::bigint AS balance
  FROM users u
  LEFT JOIN credit_balance b ON b.partner_id = u.partner_id AND b.user_id = u.user_id
  WHERE u.partner_id = :partner_id AND u.user_id = :user_id`;

/** The Aurora side of an account: the fallback the authorization path reads when CreditCache has no item. */
export const createAccountRepository = (sql: SqlExecutor): CreditAccountBooks => ({
  async find(partnerId, userId): Promise<CreditAccount | null> {
    const { rows } = await sql.query(FIND_ACCOUNT, { partner_id: partnerId, user_id: userId });
    if (rows[0] === undefined) return null;
    const row = accountRowSchema.safeParse(rows[0]);
    if (!row.success)
      throw new PermanentStoreError(
        `account ${partnerId}/${userId} is malformed in the books: ${row.error.message}`,
        'MALFORMED_ROW',
      );
    return {
      user_id: row.data.user_id,
      available: row.data.balance,
      pending: 0,
      version: 0,
      status: row.data.status,
      currency: row.data.currency,
      per_transaction_limit: row.data.per_transaction_limit,
    };
  },
});
