import { z } from 'zod';
import { centsSchema } from './amount.js';
import { currencySchema, identifierSchema } from './identifiers.js';

export const accountStatusSchema = z.enum(['ACTIVE', 'SUSPENDED']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

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
});
export type CreditAccount = z.infer<typeof creditAccountSchema>;
