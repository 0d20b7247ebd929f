import { z } from 'zod';
import { centsSchema } from './amount.js';
import { currencySchema, identifierSchema } from './identifiers.js';

/** The body of `GET /v1/users/{user_id}/balance`. */
export const balanceSchema = z.object({
  user_id: identifierSchema,
  /** Integer cents: credit minus every hold, settled or not. */
  available: centsSchema,
  currency: currencySchema,
});
export type Balance = z.infer<typeof balanceSchema>;
