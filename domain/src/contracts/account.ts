import { z } from 'zod';
import { centsSchema } from './amount.js';
import { currencySchema, identifierSchema } from './identifiers.js';

/** ACTIVE spends; SUSPENDED is refused until reactivated; CLOSED is refused for good. */
export const accountStatusSchema = z.enum(['ACTIVE', 'SUSPENDED', 'CLOSED']);
export type AccountStatus = z.infer<typeof accountStatusSchema>;

/** A user's credit as the authorization rules see it (a CreditCache item). */
export const creditAccountSchema = z.object({
  user_id: identifierSchema,
  available: centsSchema,
  /** Optimistic-concurrency version: every hold bumps it. */
  version: z.number().int().nonnegative(),
  status: accountStatusSchema,
  currency: currencySchema,
  /** Largest single transaction, when the partner set one. */
  per_transaction_limit: centsSchema.nullable(),
});
export type CreditAccount = z.infer<typeof creditAccountSchema>;
