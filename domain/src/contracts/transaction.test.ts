import { describe, expect, it } from 'vitest';
import { issuesToDetails } from './errors.js';
import {
  decisionSchema,
  toResponse,
  transactionRequestSchema,
  transactionResponseSchema,
  type Decision,
} from './transaction.js';

const valid = { transaction_id: 'tx-1', user_id: 'user-1', amount: '12.34' };

describe('transactionRequestSchema', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a decimal string', valid, { amount: 1234 }],
    ['a JSON number', { ...valid, amount: 12.34 }, { amount: 1234 }],
    [
      'a currency and an https callback',
      { ...valid, currency: 'EUR', callback_url: 'https://partner.example/cb' },
      { currency: 'EUR', callback_url: 'https://partner.example/cb' },
    ],
    [
      'an http callback (dev partners)',
      { ...valid, callback_url: 'http://localhost:8080/cb' },
      { callback_url: 'http://localhost:8080/cb' },
    ],
  ])('accepts %s and turns the amount into cents', (_case, body, expected) => {
    // Act
    const parsed = transactionRequestSchema.safeParse(body);

    // Assess
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject(expected);
  });

  it.each<[string, Record<string, unknown>, string, string | undefined]>([
    ['an unknown key', { ...valid, amonut: '1' }, '(body)', undefined],
    ['a missing transaction_id', { user_id: 'user-1', amount: '1' }, 'transaction_id', undefined],
    ['a user_id with a space', { ...valid, user_id: 'user 1' }, 'user_id', undefined],
    [
      'a 129-character transaction_id',
      { ...valid, transaction_id: 'x'.repeat(129) },
      'transaction_id',
      undefined,
    ],
    ['three decimals', { ...valid, amount: '1.234' }, 'amount', 'TOO_MANY_DECIMALS'],
    ['a negative amount', { ...valid, amount: -5 }, 'amount', 'NEGATIVE'],
    ['a zero amount', { ...valid, amount: '0' }, 'amount', 'ZERO'],
    ['an exponent', { ...valid, amount: '1e3' }, 'amount', 'INVALID_FORMAT'],
    [
      'an amount that is neither string nor number',
      { ...valid, amount: true },
      'amount',
      undefined,
    ],
    ['a lowercase currency', { ...valid, currency: 'usd' }, 'currency', undefined],
    [
      'a callback that is not http(s)',
      { ...valid, callback_url: 'ftp://partner.example/cb' },
      'callback_url',
      undefined,
    ],
  ])('rejects %s, with the path and reason in the details', (_case, body, path, reason) => {
    // Act
    const parsed = transactionRequestSchema.safeParse(body);

    // Assess
    expect(parsed.success).toBe(false);
    const details = issuesToDetails(parsed.error?.issues ?? []);
    expect(details[0]?.path).toBe(path);
    expect(details[0]?.reason).toBe(reason);
    expect(details[0]?.message).not.toBe('');
  });
});

describe('toResponse', () => {
  const decision: Decision = {
    transaction_id: 'tx-1',
    user_id: 'user-1',
    amount: 1234,
    status: 'PERMITTED',
    reason: null,
    remaining_credit: 766,
    decided_at: '2026-03-01T12:00:00.000Z',
  };

  it('keeps what the partner sees and marks a replay', () => {
    // Act
    const first = toResponse(decision);
    const replay = toResponse(decision, true);

    // Assess
    expect(first).toEqual({
      transaction_id: 'tx-1',
      status: 'PERMITTED',
      reason: null,
      remaining_credit: 766,
      decided_at: '2026-03-01T12:00:00.000Z',
    });
    expect(replay).toEqual({ ...first, replay: true });
    expect(transactionResponseSchema.safeParse(replay).success).toBe(true);
  });

  it('refuses a decision with a fractional amount or a reason outside the list', () => {
    // Act
    const fractional = decisionSchema.safeParse({ ...decision, amount: 12.5 });
    const unknownReason = decisionSchema.safeParse({
      ...decision,
      status: 'REJECTED',
      reason: 'BORED',
    });

    // Assess
    expect([fractional.success, unknownReason.success]).toEqual([false, false]);
  });
});
