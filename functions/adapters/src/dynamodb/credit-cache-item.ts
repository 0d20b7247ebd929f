import {
  accountStatusSchema,
  centsSchema,
  currencySchema,
  identifierSchema,
  type CreditAccount,
} from '@creditline/domain';
import { z } from 'zod';

/**
 * A CreditCache item. Deposits create or grow it with `ADD available :sum` alone (a credit can
 * only make a decision safer, so it does not bump the version); holds change it with
 * `SET available = available - :amount, version = version + 1` guarded by the version read.
 * Attributes a deposit-created item lacks take their defaults on read.
 */
export const creditCacheItemSchema = z.object({
  /** `partner#user_id` (tenancy.ts). */
  pk: z.string().min(1),
  partner_id: identifierSchema,
  user_id: identifierSchema,
  available: centsSchema,
  version: z.number().int().nonnegative().default(0),
  account_status: accountStatusSchema.default('ACTIVE'),
  currency: currencySchema.default('USD'),
  per_transaction_limit: centsSchema.nullable().default(null),
  updated_at: z.string().optional(),
});
export type CreditCacheItem = z.infer<typeof creditCacheItemSchema>;

export const toCreditAccount = (item: CreditCacheItem): CreditAccount => ({
  user_id: item.user_id,
  available: item.available,
  version: item.version,
  status: item.account_status,
  currency: item.currency,
  per_transaction_limit: item.per_transaction_limit,
});
