import { decide, type AuthorizationRequest } from '../authorization.js';
import type { CreditAccount } from '../contracts/account.js';
import type { BalanceDeltas, CaptureMethod, HoldState } from '../contracts/lifecycle.js';
import type { Decision } from '../contracts/transaction.js';
import { noDeltas } from './hold-figures.js';

export interface HoldAuthorizationRequest extends AuthorizationRequest {
  readonly partner_id: string;
  readonly capture_method: CaptureMethod;
  /** Resolved by `resolveHoldExpiry`; used by a manual PERMIT only. */
  readonly hold_expires_at: string;
}

export interface HoldAuthorization {
  readonly decision: Decision;
  /** The hold the decision starts: its lifecycle's first state. */
  readonly hold: HoldState;
  readonly deltas: BalanceDeltas;
}

/**
 * The first transition: `decide` says PERMIT or REJECT, the capture method says what a PERMIT
 * holds. automatic: captured at once (posted); manual: held (pending) until a capture, a void
 * or its expiry. A REJECT starts a hold in `rejected` that holds nothing and admits nothing.
 */
export const authorizeHold = (
  request: HoldAuthorizationRequest,
  account: CreditAccount | null,
  now: Date,
): HoldAuthorization => {
  const decision = decide(request, account, now);
  const base = {
    partner_id: request.partner_id,
    transaction_id: request.transaction_id,
    user_id: request.user_id,
    ...(request.currency !== undefined ? { currency: request.currency } : {}),
    capture_method: request.capture_method,
    refunded: 0,
    released: 0,
  };
  if (decision.status === 'REJECTED') {
    return {
      decision,
      hold: {
        ...base,
        decision: 'REJECTED',
        amount: 0,
        captured: 0,
        closed_by: null,
        hold_expires_at: null,
      },
      deltas: noDeltas,
    };
  }
  const amount = request.amount;
  if (request.capture_method === 'automatic') {
    return {
      decision,
      hold: {
        ...base,
        decision: 'PERMITTED',
        amount,
        captured: amount,
        closed_by: 'capture',
        hold_expires_at: null,
      },
      deltas: { available: -amount, pending: 0, posted: amount },
    };
  }
  return {
    decision,
    hold: {
      ...base,
      decision: 'PERMITTED',
      amount,
      captured: 0,
      closed_by: null,
      hold_expires_at: request.hold_expires_at,
    },
    deltas: { available: -amount, pending: amount, posted: 0 },
  };
};
