import type { CreditAccount } from '../contracts/account.js';
import type { HoldState } from '../contracts/lifecycle.js';

/** Shared by the lifecycle's tests: one hold and one account, shaped per test by their figures. */

export const HOLD_EXPIRES_AT = '2026-03-08T12:00:00.000Z';

/** alice's manual hold of 100.00 on tx-1 (demo), open, expiring at HOLD_EXPIRES_AT. */
export const manualHold = (figures: Partial<HoldState> = {}): HoldState => ({
  partner_id: 'demo',
  transaction_id: 'tx-1',
  user_id: 'alice',
  currency: 'USD',
  capture_method: 'manual',
  decision: 'PERMITTED',
  amount: 10_000,
  captured: 0,
  refunded: 0,
  released: 0,
  closed_by: null,
  hold_expires_at: HOLD_EXPIRES_AT,
  ...figures,
});

/** alice's active USD account with 500.00 available and no limit. */
export const activeAccount = (figures: Partial<CreditAccount> = {}): CreditAccount => ({
  user_id: 'alice',
  available: 50_000,
  pending: 0,
  version: 1,
  status: 'ACTIVE',
  currency: 'USD',
  per_transaction_limit: null,
  ...figures,
});
