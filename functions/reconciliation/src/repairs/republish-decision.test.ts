import { describe, expect, it } from 'vitest';
import type { LoggedDecision } from '../ports.js';
import { toRepublishedEvent } from './republish-decision.js';

const decision: LoggedDecision = {
  transaction_id: 't1',
  user_id: 'u1',
  amount: 125,
  currency: 'USD',
  status: 'REJECTED',
  reason: 'INSUFFICIENT_FUNDS',
  remaining_credit: 40,
  decided_at: '2026-11-25T01:00:00.000Z',
  callback_url: 'https://partner-a.example/cb',
  partner_id: 'partner-a',
  settlement_state: 'PENDING',
};
const delivery = { attempts: 1, last_status: 200, last_attempt_at: '2026-11-25T01:00:01.000Z' };

describe('toRepublishedEvent', () => {
  it.each([
    ['not delivered yet: the callback goes out with the settlement', undefined, true],
    ['still being retried', { ...delivery, delivered_at: null, dead_lettered: false }, true],
    [
      'delivered: the partner is not called twice',
      { ...delivery, delivered_at: '2026-11-25T01:00:01.000Z', dead_lettered: false },
      false,
    ],
    [
      'parked in the DLQ: an operator redrives it',
      { ...delivery, delivered_at: null, dead_lettered: true },
      false,
    ],
  ])('%s', (_, state, keepsCallback) => {
    // Prepare
    const item: LoggedDecision = { ...decision, delivery: state };

    // Act
    const event = toRepublishedEvent(item);

    // Assess
    expect(event.source).toBe('creditline.authorization');
    expect(event.detailType).toBe('TransactionDecided');
    expect(event.detail).toEqual({
      transaction_id: 't1',
      user_id: 'u1',
      amount: 125,
      currency: 'USD',
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      remaining_credit: 40,
      decided_at: '2026-11-25T01:00:00.000Z',
      ...(keepsCallback ? { callback_url: 'https://partner-a.example/cb' } : {}),
      partner_id: 'partner-a',
    });
  });

  it('carries no publication state (settlement, delivery) into the event', () => {
    // Prepare
    const item: LoggedDecision = {
      ...decision,
      delivery: { delivered_at: null, dead_lettered: false },
    };

    // Act
    const { detail } = toRepublishedEvent(item);

    // Assess
    expect(Object.keys(detail)).not.toContain('settlement_state');
    expect(Object.keys(detail)).not.toContain('delivery');
  });
});
