import { z } from 'zod';
import type { StoredControls } from '../controls/effective.js';
import type { VelocityUsage } from '../controls/usage.js';
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
  /**
   * The velocity windows a hold counted in (short keys: the stamp lives on the ≤ 1 KB item):
   * `d` day, `w` ISO week, `m` month, `h` hour (rolling 24 h) as their window numbers, `l` 0 when
   * it counted in the lifetime tally. Absent when no window was tracked. A release gives the
   * usage back to exactly these windows, if they are still open.
   */
  w: z
    .object({
      d: z.number().int().optional(),
      w: z.number().int().optional(),
      m: z.number().int().optional(),
      h: z.number().int().optional(),
      l: z.literal(0).optional(),
    })
    .optional(),
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
/**
 * The account as the decision sees it. `controlled` is the item's copy of the controls and its
 * velocity tallies, present when the account was read from (or written to) its item: the books
 * do not carry tallies.
 */
export type CreditAccount = z.infer<typeof creditAccountSchema> & {
  readonly controlled?: ControlledSnapshot | undefined;
};

/** The controls and tallies an account item carries (see controls/). */
export interface ControlledSnapshot {
  readonly stored: StoredControls;
  readonly usage: VelocityUsage;
}
