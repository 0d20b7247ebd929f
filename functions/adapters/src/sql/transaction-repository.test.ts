import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BalanceMissingError,
  createTransactionRepository,
  type PartnerDecision,
} from './transaction-repository.js';

const decision = (overrides: Partial<PartnerDecision>): PartnerDecision => ({
  partner_id: 'acme',
  transaction_id: 'tx-1',
  user_id: 'u1',
  amount: 2500,
  currency: 'USD',
  status: 'PERMITTED',
  reason: null,
  remaining_credit: 7500,
  decided_at: '2026-11-25T16:08:00.123Z',
  ...overrides,
});
const settledAt = '2026-11-25T16:08:02.000Z';

describe('transaction repository (settle)', () => {
  let db: TestDatabase;
  const balanceOf = async (userId: string) =>
    (
      await db.sql.query<{ balance: number }>(
        "SELECT balance FROM credit_balance WHERE partner_id = 'acme' AND user_id = :userId",
        { userId },
      )
    ).rows[0]?.balance;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query(
      "INSERT INTO users (partner_id, user_id) VALUES ('acme', 'u1'), ('acme', 'u2'), ('acme', 'u3')",
    );
    await db.sql.query(
      "INSERT INTO credit_balance (partner_id, user_id, balance) VALUES ('acme', 'u1', 10000), ('acme', 'u2', 10000), ('acme', 'u3', 10000)",
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  it('inserts a PERMIT and subtracts its amount from the balance, once however often it is settled', async () => {
    // Prepare
    const repository = createTransactionRepository(db.sql);

    // Act
    const first = await repository.settle(decision({}), settledAt);
    const again = await repository.settle(decision({}), '2026-11-25T16:09:00.000Z');

    // Assess
    expect(first).toEqual({ inserted: true });
    expect(again).toEqual({ inserted: false });
    expect(await balanceOf('u1')).toBe(7500);
    const { rows } = await db.sql.query(
      "SELECT status, reason, amount, currency, decided_at, settled_at FROM transactions WHERE transaction_id = 'tx-1'",
    );
    expect(rows).toEqual([
      {
        status: 'PERMITTED',
        reason: null,
        amount: 2500,
        currency: 'USD',
        decided_at: '2026-11-25T16:08:00.123Z',
        settled_at: settledAt,
      },
    ]);
  });

  it('inserts a REJECT without touching the balance', async () => {
    // Act
    const result = await createTransactionRepository(db.sql).settle(
      decision({
        transaction_id: 'tx-rej',
        user_id: 'u2',
        amount: 999_999,
        status: 'REJECTED',
        reason: 'INSUFFICIENT_FUNDS',
        currency: undefined,
      }),
      settledAt,
    );

    // Assess
    expect(result).toEqual({ inserted: true });
    expect(await balanceOf('u2')).toBe(10000);
  });

  it('settles an UNKNOWN_USER rejection for a user the books do not have', async () => {
    const result = await createTransactionRepository(db.sql).settle(
      decision({
        transaction_id: 'tx-unknown',
        user_id: 'ghost',
        status: 'REJECTED',
        reason: 'UNKNOWN_USER',
        remaining_credit: 0,
      }),
      settledAt,
    );
    expect(result).toEqual({ inserted: true });
  });

  it('refuses a PERMIT for a user without a balance, leaving no transaction row behind', async () => {
    // Act
    const outcome = createTransactionRepository(db.sql).settle(
      decision({ transaction_id: 'tx-orphan', user_id: 'nobody' }),
      settledAt,
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(BalanceMissingError);
    await expect(outcome).rejects.toMatchObject({ retryable: true, code: 'BALANCE_MISSING' });
    const { rows } = await db.sql.query(
      "SELECT 1 FROM transactions WHERE transaction_id = 'tx-orphan'",
    );
    expect(rows).toHaveLength(0);
  });

  it('subtracts once when the same PERMIT is settled by many concurrent consumers', async () => {
    // Prepare
    const repository = createTransactionRepository(db.sql);
    const permit = decision({ transaction_id: 'tx-race', user_id: 'u3', amount: 1234 });

    // Act
    const results = await Promise.all(
      Array.from({ length: 8 }, () => repository.settle(permit, settledAt)),
    );

    // Assess
    expect(results.filter((result) => result.inserted)).toHaveLength(1);
    expect(await balanceOf('u3')).toBe(10000 - 1234);
  });
});
