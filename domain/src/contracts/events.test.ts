import { describe, expect, it } from 'vitest';
import { apiErrorBodySchema, apiErrorStatus } from './errors.js';
import {
  depositFileProcessedDetailSchema,
  transactionDecidedDetailSchema,
  transactionRequestedDetailSchema,
} from './events.js';

describe('event details', () => {
  it('reads a TransactionRequested detail like a POST body (amount in cents)', () => {
    // Act
    const parsed = transactionRequestedDetailSchema.parse({
      transaction_id: 'tx-1',
      user_id: 'u-1',
      amount: 5,
    });

    // Assess
    expect(parsed.amount).toBe(500);
  });

  it('reads a TransactionDecided detail carrying the callback and partner', () => {
    // Prepare
    const detail = {
      transaction_id: 'tx-1',
      user_id: 'u-1',
      amount: 500,
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      remaining_credit: 0,
      decided_at: '2026-03-01T12:00:00.000Z',
      callback_url: 'https://partner.example/cb',
      partner_id: 'bank-7',
    };

    // Act
    const parsed = transactionDecidedDetailSchema.safeParse(detail);

    // Assess
    expect(parsed.success).toBe(true);
  });

  it('reads a DepositFileProcessed detail and refuses a negative count', () => {
    // Prepare
    const summary = {
      bucket: 'deposits',
      key: 'inbox/a.csv',
      status: 'PROCESSED',
      rows: 3,
      accepted: 2,
      duplicates: 0,
      rejected: 1,
      credited_amount: 1234,
      duration_ms: 12.5,
      processed_at: '2026-03-01T12:00:00.000Z',
    };

    // Act
    const good = depositFileProcessedDetailSchema.safeParse(summary);
    const bad = depositFileProcessedDetailSchema.safeParse({ ...summary, rejected: -1 });

    // Assess
    expect([good.success, bad.success]).toEqual([true, false]);
  });
});

describe('api errors', () => {
  it('maps every code to an HTTP status and validates an error body', () => {
    // Act
    const body = apiErrorBodySchema.safeParse({
      error: {
        code: 'VALIDATION_ERROR',
        message: 'bad',
        details: [{ path: 'amount', message: 'x', reason: 'ZERO' }],
      },
    });

    // Assess
    expect(body.success).toBe(true);
    expect(apiErrorStatus.DUPLICATE_TRANSACTION_ID).toBe(409);
  });
});
