import {
  accountOperationStampSchema,
  accountStatusSchema,
  centsSchema,
  currencySchema,
  identifierSchema,
  type AccountFigure,
  type AccountLimit,
  type AccountSetting,
  type CreditAccount,
} from '@creditline/domain';
import { z } from 'zod';
import { itemKey } from '../definitions/tenancy.js';

/**
 * The stamp of the last operation on an account item (see AccountOperationStamp): overwritten by
 * every operation, so the item stays small however many holds are in flight, and carried by the
 * item's change stream, which is the journal of holds.
 */
export const lastOperationSchema = accountOperationStampSchema;

/**
 * A CreditCache item: the account. Deposits create or grow it with `ADD available :sum` alone;
 * every money operation is one conditional UpdateItem built from a plan (account-operation-
 * update.ts). Attributes a deposit-created item lacks take their defaults on read, and the
 * conditions read an absent attribute as the same default.
 */
export const creditCacheItemSchema = z.object({
  /** `partner#user_id` (tenancy.ts). */
  pk: z.string().min(1),
  partner_id: identifierSchema,
  user_id: identifierSchema,
  available: centsSchema,
  pending: centsSchema.default(0),
  version: z.number().int().nonnegative().default(0),
  account_status: accountStatusSchema.default('ACTIVE'),
  currency: currencySchema.default('USD'),
  per_transaction_limit: centsSchema.nullable().default(null),
  last_op: lastOperationSchema.optional(),
  updated_at: z.string().optional(),
});
export type CreditCacheItem = z.infer<typeof creditCacheItemSchema>;

/** The item's key for a partner's user (`partner#user_id`): the one place it is built. */
export const creditCacheKey = (partnerId: string, userId: string): { readonly pk: string } =>
  itemKey(partnerId, userId);

/** The item attribute behind each figure and setting a plan names, with its default when absent. */
export const figureAttributes: Readonly<Record<AccountFigure, string>> = {
  available: 'available',
  pending: 'pending',
};
export const settingAttributes: Readonly<
  Record<AccountSetting, { readonly name: string; readonly absentMeans: string }>
> = {
  status: { name: 'account_status', absentMeans: 'ACTIVE' },
  currency: { name: 'currency', absentMeans: 'USD' },
};
/** An absent or NULL limit does not limit. */
export const limitAttributes: Readonly<Record<AccountLimit, string>> = {
  per_transaction_limit: 'per_transaction_limit',
};

export const toCreditAccount = (item: CreditCacheItem): CreditAccount => ({
  user_id: item.user_id,
  available: item.available,
  pending: item.pending,
  version: item.version,
  status: item.account_status,
  currency: item.currency,
  per_transaction_limit: item.per_transaction_limit,
  ...(item.last_op !== undefined ? { last_op: item.last_op } : {}),
});
