import { z } from 'zod';
import { accountStatusSchema } from '../contracts/account.js';
import { centsSchema } from '../contracts/amount.js';
import { currencySchema } from '../contracts/identifiers.js';
import { parseMoney, type Cents } from '../money.js';
import { MAX_USER_BALANCE_MONITORS } from './balance-monitors.js';

/**
 * A user's controls: what the partner decided this account may do. Aurora holds them (the
 * source of truth, with an audit of every change); the account item carries a copy with its
 * version, so the decision that commits a hold checks them in the same conditional write.
 */


/**
 * Velocity windows, all in UTC:
 * - `daily`: from 00:00:00.000 UTC to the next 00:00 UTC;
 * - `weekly`: from Monday 00:00 UTC (ISO weeks) to the next Monday 00:00 UTC;
 * - `monthly`: from the 1st of the month 00:00 UTC to the 1st of the next;
 * - `rolling_24h`: the last 24 hours, counted in whole UTC hours (see `windows.ts`);
 * - `lifetime`: everything since the account was opened.
 */
export const velocityIntervals = ['daily', 'weekly', 'monthly', 'rolling_24h', 'lifetime'] as const;
export const velocityIntervalSchema = z.enum(velocityIntervals);
export type VelocityInterval = z.infer<typeof velocityIntervalSchema>;

/** Counts are of permitted authorizations; bounded so thresholds stay exact integers. */
export const MAX_VELOCITY_COUNT = 1_000_000_000;
/**
 * The largest velocity amount limit, 343,597,383.67 in cents (2^35 − 1): a tally beyond it
 * exceeds every limit, so the account item may store closed rolling hours saturated at it (five
 * bytes each), which keeps the item within one write unit whatever was spent.
 */
export const MAX_VELOCITY_AMOUNT = 2 ** 35 - 1;

const positiveCentsSchema = centsSchema.refine((cents) => cents > 0, 'must be greater than zero');
const velocityAmountSchema = positiveCentsSchema.refine(
  (cents) => cents <= MAX_VELOCITY_AMOUNT,
  `must be at most ${MAX_VELOCITY_AMOUNT} cents`,
);
const velocityCountSchema = z.number().int().min(1).max(MAX_VELOCITY_COUNT);

/** A velocity limit in cents, as stored and published. At least one of amount or count. */
export const velocityLimitSchema = z
  .strictObject({
    interval: velocityIntervalSchema,
    max_amount: velocityAmountSchema.optional(),
    max_count: velocityCountSchema.optional(),
  })
  .refine((limit) => limit.max_amount !== undefined || limit.max_count !== undefined, {
    message: 'a velocity limit needs max_amount, max_count or both',
  });
export type VelocityLimit = z.infer<typeof velocityLimitSchema>;

/** At most one limit per interval: two daily limits would only mean the smaller one. */
const velocityLimitsSchema = z
  .array(velocityLimitSchema)
  .max(velocityIntervals.length)
  .refine((limits) => new Set(limits.map((limit) => limit.interval)).size === limits.length, {
    message: 'at most one limit per interval',
  });

/** The controls themselves, in cents: the shape the domain, Aurora and the account item share. */
export const accountControlsSchema = z.strictObject({
  status: accountStatusSchema,
  currency: currencySchema,
  max_per_transaction: positiveCentsSchema.nullable(),
  velocity_limits: velocityLimitsSchema,
  /** Thresholds on `available` whose crossing publishes BalanceLow / BalanceRestored. */
  balance_monitors: z.array(positiveCentsSchema).max(MAX_USER_BALANCE_MONITORS),
});
export type AccountControls = z.infer<typeof accountControlsSchema>;

/** Controls with the version that guards them: 0 means "the program defaults, never set". */
export interface VersionedControls {
  readonly controls: AccountControls;
  readonly version: number;
}

/** What an account has when nobody set anything: active, in the program currency, no limits. */
export const openControls = (currency: string): AccountControls => ({
  status: 'ACTIVE',
  currency,
  max_per_transaction: null,
  velocity_limits: [],
  balance_monitors: [],
});

/**
 * A limit amount in a request body: a decimal string only ("50.00"). Answers carry cents, so a
 * client that sends back the integer it read (5000) is refused rather than given a limit a
 * hundred times larger than the one it meant.
 */
export const limitAmountSchema = z.string().transform((value, ctx): Cents => {
  const parsed = parseMoney(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.error.message, params: { reason: parsed.error.code } });
  return z.NEVER;
});

/** One velocity limit as a partner writes it: amounts as decimal strings. */
export const velocityLimitInputSchema = z
  .strictObject({
    interval: velocityIntervalSchema,
    max_amount: limitAmountSchema
      .refine((cents) => cents <= MAX_VELOCITY_AMOUNT, `must be at most ${MAX_VELOCITY_AMOUNT / 100}`)
      .optional(),
    max_count: velocityCountSchema.optional(),
  })
  .refine((limit) => limit.max_amount !== undefined || limit.max_count !== undefined, {
    message: 'a velocity limit needs max_amount, max_count or both',
  });

/**
 * Body of `PUT /v1/users/{id}/controls`. Each field given replaces that control; a field left
 * out keeps its current value (so a client that only suspends cannot drop a limit it did not
 * read, and one that only sets a limit cannot reactivate a suspended account). Remove a limit
 * with `max_per_transaction: null` or by leaving it out of `velocity_limits`. Guarded by
 * `If-Match: "<version>"` against lost updates.
 */
export const controlsInputSchema = z.strictObject({
  status: accountStatusSchema.optional(),
  currency: currencySchema.optional(),
  max_per_transaction: limitAmountSchema.nullable().optional(),
  velocity_limits: z
    .array(velocityLimitInputSchema)
    .max(velocityIntervals.length)
    .refine((limits) => new Set(limits.map((limit) => limit.interval)).size === limits.length, {
      message: 'at most one limit per interval',
    })
    .optional(),
  balance_monitors: z.array(limitAmountSchema).max(MAX_USER_BALANCE_MONITORS).optional(),
});
export type ControlsInput = z.output<typeof controlsInputSchema>;

/** The controls after a PUT: what it gave, over the current controls for what it left out. */
export const controlsFromInput = (input: ControlsInput, defaults: AccountControls): AccountControls => ({
  status: input.status ?? defaults.status,
  currency: input.currency ?? defaults.currency,
  max_per_transaction: input.max_per_transaction === undefined ? defaults.max_per_transaction : input.max_per_transaction,
  velocity_limits: (input.velocity_limits ?? defaults.velocity_limits).map((limit) => ({
    interval: limit.interval,
    ...(limit.max_amount !== undefined ? { max_amount: limit.max_amount } : {}),
    ...(limit.max_count !== undefined ? { max_count: limit.max_count } : {}),
  })),
  balance_monitors: [...new Set(input.balance_monitors ?? defaults.balance_monitors)].sort((a, b) => a - b),
});

/** The answer to GET and PUT: the controls in cents, with their version (also the ETag). */
export const controlsResponseSchema = accountControlsSchema.extend({
  user_id: z.string(),
  version: z.number().int().nonnegative(),
  updated_at: z.string().nullable(),
});
export type ControlsResponse = z.infer<typeof controlsResponseSchema>;

export const limitFor = (controls: AccountControls, interval: VelocityInterval): VelocityLimit | undefined =>
  controls.velocity_limits.find((limit) => limit.interval === interval);
