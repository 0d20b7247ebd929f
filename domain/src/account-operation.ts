import type { AuthorizationRequest } from './authorization.js';
import type { z } from 'zod';
import type {
  accountOperationKinds,
  accountOperationStampSchema,
  AccountStatus,
  CreditAccount,
} from './contracts/account.js';
import type { Cents } from './money.js';

/**
 * An account operation: every change of money on an account (a hold, its release; the hold
 * lifecycle and the controls add theirs) is ONE conditional write on the account item. The
 * domain describes it as a plan, in values only: what the account must satisfy (the rules,
 * stated against figures and thresholds the caller computed), what is added to its figures, and
 * the stamp the write leaves on the item. One adapter turns any plan into the conditional
 * UpdateItem, so every operation commits the same way: no version guard, no read before the
 * write, no multi-item transaction, one write unit.
 */

export type AccountOperationKind = (typeof accountOperationKinds)[number];

/**
 * The stamp an operation leaves on the account item (`last_op`, overwritten by the next one):
 * the item's change stream then carries, for every operation, which claim made it, so the
 * journal can tell a debit whose decision was recorded from one whose attempt lost its claim.
 * `key` is the claim's (TransactionLog) key, `attempt` the claim's attempt that made it, `at`
 * the decision's time.
 */
export type AccountOperationStamp = z.infer<typeof accountOperationStampSchema>;

/** Figures a plan can compare or change. `posted` and velocity counters join with their issues. */
export type AccountFigure = 'available' | 'pending';
/** Settings a plan can compare: written through from the books' controls. */
export type AccountSetting = 'status' | 'currency';
export type AccountLimit = 'per_transaction_limit';

/**
 * A rule the account must satisfy for the operation to apply, in values. An absent setting
 * reads as its default (an item only deposits have touched has none yet); an unset limit
 * (null or absent) does not limit.
 */
export type AccountRequirement =
  | { readonly kind: 'exists' }
  | { readonly kind: 'setting-equals'; readonly setting: AccountSetting; readonly value: string }
  | { readonly kind: 'figure-at-least'; readonly figure: AccountFigure; readonly value: Cents }
  | { readonly kind: 'limit-at-least'; readonly limit: AccountLimit; readonly value: Cents };

export interface AccountOperationPlan {
  readonly user_id: string;
  /** All must hold; in precedence order of the refusals they stand for. */
  readonly requires: readonly AccountRequirement[];
  /** Added to the figures when the requirements hold (negative takes off). */
  readonly deltas: Readonly<Partial<Record<AccountFigure, Cents>>>;
  readonly stamp: AccountOperationStamp;
}

const ACTIVE: AccountStatus = 'ACTIVE';

/**
 * The hold a PERMIT places, with the authorization rules as its condition: the write succeeds
 * exactly when `decide` would permit against the account as the store has it at that instant.
 * Null when the amount is not a positive number of cents: nothing can be held, and the
 * rejection is named from a read.
 */
export const planHold = (
  request: AuthorizationRequest,
  stamp: Omit<AccountOperationStamp, 'kind' | 'amount'>,
): AccountOperationPlan | null => {
  const { amount } = request;
  if (!Number.isSafeInteger(amount) || amount <= 0) return null;
  return {
    user_id: request.user_id,
    requires: [
      { kind: 'exists' },
      { kind: 'setting-equals', setting: 'status', value: ACTIVE },
      ...(request.currency !== undefined
        ? [{ kind: 'setting-equals', setting: 'currency', value: request.currency } as const]
        : []),
      { kind: 'limit-at-least', limit: 'per_transaction_limit', value: amount },
      { kind: 'figure-at-least', figure: 'available', value: amount },
    ],
    deltas: { available: -amount, pending: amount },
    stamp: { ...stamp, kind: 'HOLD', amount },
  };
};

/**
 * Gives back a hold that no decision owns (its attempt lost the claim to a later one): the
 * journal's compensation. It requires nothing but the account; its exactly-once guard is the
 * release mark on the claim, written in the same (rare, off the hot path) transaction.
 */
export const planRelease = (
  userId: string,
  hold: Pick<AccountOperationStamp, 'key' | 'attempt' | 'amount'>,
  at: string,
): AccountOperationPlan => ({
  user_id: userId,
  requires: [{ kind: 'exists' }],
  deltas: { available: hold.amount, pending: -hold.amount },
  stamp: { key: hold.key, attempt: hold.attempt, kind: 'RELEASE', amount: hold.amount, at },
});

/** Whether `account` satisfies `requirement`, exactly as the store's condition evaluates it. */
export const satisfies = (
  account: CreditAccount | null,
  requirement: AccountRequirement,
): boolean => {
  if (account === null) return false;
  switch (requirement.kind) {
    case 'exists':
      return true;
    case 'setting-equals':
      return account[requirement.setting] === requirement.value;
    case 'figure-at-least':
      return account[requirement.figure] >= requirement.value;
    case 'limit-at-least': {
      const limit = account[requirement.limit];
      return limit === null || limit >= requirement.value;
    }
  }
};

/** The account after a plan applies: what the store's ALL_NEW image shows (tests, models). */
export const applyPlan = (account: CreditAccount, plan: AccountOperationPlan): CreditAccount => ({
  ...account,
  available: account.available + (plan.deltas.available ?? 0),
  pending: account.pending + (plan.deltas.pending ?? 0),
  version: account.version + 1,
});
