import { z } from 'zod';
import { centsSchema } from './amount.js';
import { currencySchema, identifierSchema, isoTimestampSchema } from './identifiers.js';

/** ACTIVE spends; SUSPENDED is refused until reactivated; CLOSED is refused for good. */
export const accountStatusSchema = z.enum(['ACTIVE', 'SUSPENDED', 'CLOSED']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

/** What an operation on an account is (see account-operation.ts). */
export const accountOperationKinds = ['HOLD', 'RELEASE'] as const;

/**
 * The stamp the last operation left on the account: which claim (`key`, `attempt`) made it, what
 * it was and when. Overwritten by each operation; the account's change stream carries every one.
 */
export const accountOperationStampSchema = z.object({
  key: z.string().min(1),
  attempt: z.number().int().positive(),
  kind: z.enum(accountOperationKinds),
  amount: centsSchema,
  at: isoTimestampSchema,
});

/** A user's credit as the authorization rules see it (a CreditCache item). */
export const creditAccountSchema = z.object({
  user_id: identifierSchema,
  available: centsSchema,
  /** Held and not captured: every hold adds to it, its release or capture takes it off. */
  pending: centsSchema,
  /**
   * How many operations changed the account (every hold and release bumps it). Never a guard on
   * the hot path: only a repair compares it, to be sure nothing moved since it looked.
   */
  version: z.number().int().nonnegative(),
  status: accountStatusSchema,
  currency: currencySchema,
  /** Largest single transaction, when the partner set one. */
  per_transaction_limit: centsSchema.nullable(),
  /** Absent until the first operation (a seeded or deposit-created account). */
  last_op: accountOperationStampSchema.optional(),
});
export type CreditAccount = z.infer<typeof creditAccountSchema>;
