import { describe, expect, it } from 'vitest';
import type { CreditAccount } from '../contracts/account.js';
import { authorizeHold, type HoldAuthorizationRequest } from './authorize.js';
import { heldAmount, holdStatus } from './hold-figures.js';

const now = new Date('2026-03-01T12:00:00.000Z');
const account: CreditAccount = {
  user_id: 'alice',
  available: 10_000,
  pending: 0,
  version: 1,
  status: 'ACTIVE',
  currency: 'USD',
  per_transaction_limit: null,
};
const request = (fields: Partial<HoldAuthorizationRequest> = {}): HoldAuthorizationRequest => ({
  partner_id: 'demo',
  transaction_id: 'tx-1',
  user_id: 'alice',
  amount: 2_500,
  capture_method: 'manual',
  hold_expires_at: '2026-03-08T12:00:00.000Z',
  ...fields,
});

describe('authorizeHold', () => {
  it('manual: a PERMIT holds the amount (pending) until its hold_expires_at', () => {
    // Act
    const { decision, hold, deltas } = authorizeHold(request({ currency: 'USD' }), account, now);

    // Assess
    expect([decision.status, decision.remaining_credit]).toEqual(['PERMITTED', 7_500]);
    expect([holdStatus(hold), heldAmount(hold), hold.hold_expires_at, hold.currency]).toEqual([
      'authorized',
      2_500,
      '2026-03-08T12:00:00.000Z',
      'USD',
    ]);
    expect(deltas).toEqual({ available: -2_500, pending: 2_500, posted: 0 });
  });

  it('automatic: a PERMIT is captured at once (posted), holds nothing and never expires', () => {
    // Act
    const { hold, deltas } = authorizeHold(request({ capture_method: 'automatic' }), account, now);

    // Assess
    expect([holdStatus(hold), heldAmount(hold), hold.captured, hold.hold_expires_at]).toEqual([
      'captured',
      0,
      2_500,
      null,
    ]);
    expect(deltas).toEqual({ available: -2_500, pending: 0, posted: 2_500 });
    expect('currency' in hold).toBe(false);
  });

  it('a REJECT starts a rejected hold that holds and moves nothing', () => {
    // Act
    const { decision, hold, deltas } = authorizeHold(request({ amount: 10_001 }), account, now);

    // Assess
    expect([decision.status, decision.reason]).toEqual(['REJECTED', 'INSUFFICIENT_FUNDS']);
    expect([holdStatus(hold), hold.amount, heldAmount(hold), hold.hold_expires_at]).toEqual([
      'rejected',
      0,
      0,
      null,
    ]);
    expect(deltas).toEqual({ available: 0, pending: 0, posted: 0 });
  });
});
