import { centsSchema, identifierSchema, isoTimestampSchema } from '@creditline/domain';
import { z } from 'zod';

/**
 * A DepositEvents item: written once per accepted deposit and partner (attribute_not_exists(pk)),
 * never updated. Reconciliation compares these with Aurora's deposits and can replay one that
 * Aurora lacks, so the item carries everything the Aurora row needs.
 */
export const depositEventItemSchema = z.object({
  /** `partner#deposit_id` (tenancy.ts). */
  pk: z.string().min(1),
  partner_id: identifierSchema,
  deposit_id: identifierSchema,
  user_id: identifierSchema,
  amount: centsSchema,
  /** When the partner says the deposit happened. */
  deposited_at: isoTimestampSchema,
  source_key: z.string(),
  source_line: z.number().int().positive(),
  /** When creditline credited it. */
  credited_at: isoTimestampSchema,
});
export type DepositEventItem = z.infer<typeof depositEventItemSchema>;
/** What a DepositEvents item holds besides its key. */
export type DepositEventFields = Omit<DepositEventItem, 'pk'>;
