import { decisionSchema, identifierSchema, isoTimestampSchema } from '@creditline/domain';
import { z } from 'zod';

/**
 * A TransactionLog item: the decision, what is needed to answer a replay, and the state of its
 * publication. Written once by the TransactionValidator (attribute_not_exists), then only
 * updated: `settlement_state` REMOVEd and `settled_at` set by the TransactionLogger, `delivery`
 * by the CallbackDispatcher. Its stream INSERT is the outbox record.
 */
export const deliverySchema = z.object({
  attempts: z.number().int().nonnegative(),
  last_status: z.union([z.number().int(), z.string()]).nullable(),
  last_attempt_at: isoTimestampSchema.nullable(),
  delivered_at: isoTimestampSchema.nullable(),
  dead_lettered: z.boolean().default(false),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const transactionLogItemSchema = decisionSchema.extend({
  /** `partner#transaction_id` (tenancy.ts). */
  pk: z.string().min(1),
  /** `partner#user_id`: the key of the `by_user` index. */
  account_key: z.string().min(1),
  /** sha256 of the canonical request: a retry with the same id must carry the same request. */
  fingerprint: z.string().min(1),
  callback_url: z.url().optional(),
  partner_id: identifierSchema,
  /** Present ('PENDING') until settled: the key of the sparse `unsettled` index. */
  settlement_state: z.literal('PENDING').optional(),
  settled_at: isoTimestampSchema.optional(),
  delivery: deliverySchema.optional(),
});
export type TransactionLogItem = z.infer<typeof transactionLogItemSchema>;

export const PENDING_SETTLEMENT = 'PENDING' as const;
