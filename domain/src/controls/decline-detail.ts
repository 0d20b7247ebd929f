import { z } from 'zod';
import { accountStatusSchema } from '../contracts/account.js';
import { centsSchema } from '../contracts/amount.js';
import { currencySchema, isoTimestampSchema } from '../contracts/identifiers.js';
import { velocityIntervalSchema } from './controls.js';

/**
 * Why a REJECT happened, for a machine: which control, and its numbers. `limit`, `used` and
 * `remaining` are in the control's measure (cents, or a count of authorizations); `used` is
 * what the window held before this request, `remaining = max(limit − used, 0)`.
 */
export const declineDetailSchema = z.discriminatedUnion('control', [
  z.object({ control: z.literal('status'), status: accountStatusSchema }),
  z.object({ control: z.literal('currency'), currency: currencySchema, requested: currencySchema }),
  z.object({ control: z.literal('deadline'), deadline: isoTimestampSchema, decided_at: isoTimestampSchema }),
  z.object({ control: z.literal('max_per_transaction'), limit: centsSchema, requested: centsSchema }),
  z.object({
    control: z.literal('velocity'),
    interval: velocityIntervalSchema,
    measure: z.enum(['amount', 'count']),
    limit: z.number().int().nonnegative(),
    used: z.number().int().nonnegative(),
    remaining: z.number().int().nonnegative(),
    requested: z.number().int().positive(),
    /** When the calendar window this spend fell in ends; absent for rolling_24h and lifetime. */
    resets_at: isoTimestampSchema.optional(),
  }),
  z.object({ control: z.literal('available'), requested: centsSchema, remaining: centsSchema }),
]);
export type DeclineDetail = z.infer<typeof declineDetailSchema>;
