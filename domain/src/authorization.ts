import type { CreditAccount } from './contracts/account.js';
import type { Decision, RejectReason } from './contracts/transaction.js';
import type { Cents } from './money.js';

/** What `decide` needs of a request: the amount is already in cents. */
export interface AuthorizationRequest {
  readonly transaction_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  readonly currency?: string | undefined;
}

/**
 * The authorization rule. Pure: the account is read by the caller and the time passed in.
 * Rejections are decisions with a reason code; the first reason in precedence order wins
 * (see `rejectReasons`). A PERMIT leaves `available - amount`; a REJECT leaves `available`.
 */
export const decide = (
  request: AuthorizationRequest,
  account: CreditAccount | null,
  now: Date,
): Decision => {
  const available = account?.available ?? 0;
  const reason = rejectReason(request, account);
  return {
    transaction_id: request.transaction_id,
    user_id: request.user_id,
    amount: request.amount,
    ...(request.currency !== undefined ? { currency: request.currency } : {}),
    status: reason === null ? 'PERMITTED' : 'REJECTED',
    reason,
    remaining_credit: reason === null ? available - request.amount : Math.max(available, 0),
    decided_at: now.toISOString(),
  };
};

/**
 * The PERMIT a committed hold stands for: `remaining_credit` is the available the hold's write
 * produced (its ALL_NEW image), not a re-read, so it is exact under any concurrency.
 */
export const permitted = (
  request: AuthorizationRequest,
  remainingCredit: Cents,
  decidedAt: string,
): Decision => ({
  transaction_id: request.transaction_id,
  user_id: request.user_id,
  amount: request.amount,
  ...(request.currency !== undefined ? { currency: request.currency } : {}),
  status: 'PERMITTED',
  reason: null,
  remaining_credit: remainingCredit,
  decided_at: decidedAt,
});

const rejectReason = (
  request: AuthorizationRequest,
  account: CreditAccount | null,
): RejectReason | null => {
  if (account === null) return 'UNKNOWN_USER';
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) return 'INVALID_AMOUNT';
  if (account.status !== 'ACTIVE') return 'ACCOUNT_SUSPENDED';
  if (request.currency !== undefined && request.currency !== account.currency)
    return 'CURRENCY_MISMATCH';
  if (account.per_transaction_limit !== null && request.amount > account.per_transaction_limit)
    return 'LIMIT_EXCEEDED';
  if (request.amount > account.available) return 'INSUFFICIENT_FUNDS';
  return null;
};
