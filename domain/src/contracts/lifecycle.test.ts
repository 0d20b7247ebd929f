import { describe, expect, it } from 'vitest';
import { issuesToDetails } from './errors.js';
import {
  balanceFiguresSchema,
  captureRequestSchema,
  holdAuthorizationFieldsSchema,
  holdEventDetailSchema,
  holdEventDetailTypes,
  holdExpiryPolicySchema,
  holdOperationKindSchema,
  holdOperationRequestedDetailSchemas,
  holdOperationResponseSchema,
  incrementRequestSchema,
  refundRequestSchema,
  voidRequestSchema,
} from './lifecycle.js';

describe('lifecycle operation requests', () => {
  it.each([
    [
      'a capture of everything held',
      captureRequestSchema,
      { capture_id: 'cap-1' },
      { capture_id: 'cap-1' },
    ],
    [
      'a partial, final capture',
      captureRequestSchema,
      { capture_id: 'cap-1', amount: '12.30', final: true },
      { capture_id: 'cap-1', amount: 1_230, final: true },
    ],
    ['a void', voidRequestSchema, { void_id: 'v-1' }, { void_id: 'v-1' }],
    [
      'an increment',
      incrementRequestSchema,
      { increment_id: 'i-1', amount: 5 },
      { increment_id: 'i-1', amount: 500 },
    ],
    [
      'a refund',
      refundRequestSchema,
      { refund_id: 'r-1', amount: '0.01' },
      { refund_id: 'r-1', amount: 1 },
    ],
  ])('reads %s, amounts in cents', (_case, schema, body, expected) => {
    expect(schema.parse(body)).toEqual(expected);
  });

  it.each([
    ['an unknown field', captureRequestSchema, { capture_id: 'c', amont: '1' }, '(body)'],
    ['three decimals', refundRequestSchema, { refund_id: 'r', amount: '1.001' }, 'amount'],
    ['a zero increment', incrementRequestSchema, { increment_id: 'i', amount: 0 }, 'amount'],
    ['a missing refund amount', refundRequestSchema, { refund_id: 'r' }, 'amount'],
    [
      'a final that is not a boolean',
      captureRequestSchema,
      { capture_id: 'c', final: 'yes' },
      'final',
    ],
    ['an id with a slash', voidRequestSchema, { void_id: 'a/b' }, 'void_id'],
  ])('refuses %s, naming the field', (_case, schema, body, path) => {
    const parsed = schema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(issuesToDetails(parsed.error?.issues ?? []).map((d) => d.path)).toContain(path);
  });

  it('reads an operation requested as an event: the body plus its transaction', () => {
    expect(
      holdOperationRequestedDetailSchemas.increment.parse({
        transaction_id: 'tx-1',
        increment_id: 'i-1',
        amount: '2',
      }),
    ).toEqual({
      transaction_id: 'tx-1',
      increment_id: 'i-1',
      amount: 200,
    });
  });

  it('adds capture_method and hold_expires_at to an authorization, both optional', () => {
    expect(holdAuthorizationFieldsSchema.parse({})).toEqual({});
    expect(holdAuthorizationFieldsSchema.safeParse({ capture_method: 'later' }).success).toBe(
      false,
    );
    expect(holdAuthorizationFieldsSchema.safeParse({ hold_expires_at: '2026-03-08' }).success).toBe(
      false,
    );
  });
});

describe('hold expiry policy', () => {
  it('defaults to 7 days within 10 s .. 31 days', () => {
    expect(holdExpiryPolicySchema.parse({})).toEqual({
      default_seconds: 604_800,
      min_seconds: 10,
      max_seconds: 2_678_400,
    });
  });

  it('refuses a default outside its bounds', () => {
    expect(holdExpiryPolicySchema.safeParse({ default_seconds: 5 }).success).toBe(false);
  });
});

describe('balance', () => {
  it('holds only when available = credited - posted - pending', () => {
    expect(
      balanceFiguresSchema.safeParse({ credited: 100, posted: 30, pending: 20, available: 50 })
        .success,
    ).toBe(true);
    expect(
      balanceFiguresSchema.safeParse({ credited: 100, posted: 30, pending: 20, available: 51 })
        .success,
    ).toBe(false);
  });
});

describe('answers and events', () => {
  const result = {
    transaction_id: 'tx-1',
    operation: 'capture',
    operation_id: 'cap-1',
    status: 'APPLIED',
    reason: null,
    amount: 600,
    released: 400,
    hold_status: 'captured',
    held: 0,
    captured: 600,
    refunded: 0,
    occurred_at: '2026-03-02T12:00:00.000Z',
    remaining_credit: 9_400,
  };

  it('answers with the result and the credit left, and publishes it with partner and user', () => {
    expect(holdOperationResponseSchema.parse({ ...result, replay: true }).replay).toBe(true);
    expect(
      holdEventDetailSchema.safeParse({
        ...result,
        partner_id: 'demo',
        user_id: 'alice',
        callback_url: 'https://p.example/cb',
      }).success,
    ).toBe(true);
    expect(holdEventDetailSchema.safeParse({ ...result, user_id: 'alice' }).success).toBe(false);
  });

  it('names one detail type per operation', () => {
    expect(Object.keys(holdEventDetailTypes).sort()).toEqual(
      [...holdOperationKindSchema.options].sort(),
    );
    expect(new Set(Object.values(holdEventDetailTypes)).size).toBe(
      holdOperationKindSchema.options.length,
    );
  });
});
