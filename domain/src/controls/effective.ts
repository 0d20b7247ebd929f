import { z } from 'zod';
import type { AccountStatus } from '../contracts/account.js';
import type { Cents } from '../money.js';
import { MAX_USER_BALANCE_MONITORS } from './balance-monitors.js';
import {
  accountControlsSchema,
  limitAmountSchema,
  velocityIntervalSchema,
  MAX_VELOCITY_COUNT,
  type AccountControls,
  type VelocityLimit,
} from './controls.js';

/**
 * A partner's program defaults (stack file): the limits and monitors of every user whose
 * controls the partner never set. Status and currency are the account's own, never defaults.
 */
export const programControlsSchema = accountControlsSchema
  .pick({ max_per_transaction: true, velocity_limits: true, balance_monitors: true })
  .partial()
  .transform((defaults) => ({
    max_per_transaction: defaults.max_per_transaction ?? null,
    velocity_limits: defaults.velocity_limits ?? [],
    balance_monitors: defaults.balance_monitors ?? [],
  }));
export type ProgramControls = z.output<typeof programControlsSchema>;

/**
 * Program defaults as the stack file writes them (camelCase, amounts as decimal strings like
 * every amount a person types), parsed to cents.
 */
export const programControlsInputSchema = z
  .strictObject({
    maxPerTransaction: limitAmountSchema.optional(),
    velocityLimits: z
      .array(
        z.strictObject({
          interval: velocityIntervalSchema,
          maxAmount: limitAmountSchema.optional(),
          maxCount: z.number().int().min(1).max(MAX_VELOCITY_COUNT).optional(),
        }),
      )
      .optional(),
    balanceMonitors: z.array(limitAmountSchema).max(MAX_USER_BALANCE_MONITORS).optional(),
  })
  .transform((input) => ({
    max_per_transaction: input.maxPerTransaction ?? null,
    velocity_limits: (input.velocityLimits ?? []).map((limit) => ({
      interval: limit.interval,
      ...(limit.maxAmount !== undefined ? { max_amount: limit.maxAmount } : {}),
      ...(limit.maxCount !== undefined ? { max_count: limit.maxCount } : {}),
    })),
    balance_monitors: input.balanceMonitors ?? [],
  }))
  .pipe(accountControlsSchema.pick({ max_per_transaction: true, velocity_limits: true, balance_monitors: true }));

export const noProgramControls: ProgramControls = { max_per_transaction: null, velocity_limits: [], balance_monitors: [] };

/** Controls as a store holds them; `version` 0 means the partner never set them. */
export interface StoredControls {
  readonly status: AccountStatus;
  readonly currency: string;
  readonly max_per_transaction: Cents | null;
  readonly velocity_limits: readonly VelocityLimit[];
  readonly balance_monitors: readonly Cents[];
  readonly version: number;
}

/**
 * The controls a decision enforces. Once set (version ≥ 1) they are exactly what was set;
 * before, the account's status and currency with the program's limits and monitors (and the
 * program's per-transaction maximum unless the account has one of its own).
 */
export const effectiveControls = (stored: StoredControls, program: ProgramControls): AccountControls =>
  stored.version > 0
    ? {
        status: stored.status,
        currency: stored.currency,
        max_per_transaction: stored.max_per_transaction,
        velocity_limits: [...stored.velocity_limits],
        balance_monitors: [...stored.balance_monitors],
      }
    : {
        status: stored.status,
        currency: stored.currency,
        max_per_transaction: stored.max_per_transaction ?? program.max_per_transaction,
        velocity_limits: [...program.velocity_limits],
        balance_monitors: [...program.balance_monitors],
      };
