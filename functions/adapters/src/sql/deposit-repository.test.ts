import type { DepositBatch, DepositCredit } from '@creditline/domain';
import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlDepositRepository } from './deposit-repository.js';

const deposit = (
  deposit_id: string,
  user_id: string,
  amount: number,
  source_line = 2,
): DepositCredit => ({
  deposit_id,
  user_id,
  amount,
  deposited_at: '2026-01-15T10:00:00.000Z',
  source_key: 'inbox/a.csv',
  source_line,
});
const batchOf = (deposits: DepositCredit[], partner_id = 'acme'): DepositBatch => ({
  partner_id,
  source_upload: 'upload-1',
  credited_at: '2026-01-15T12:00:00.000Z',
  deposits,
});

describe('SQL deposit repository', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  const balances = async () =>
    (
      await db.sql.query(
        "SELECT user_id, balance FROM credit_balance WHERE partner_id = 'acme' ORDER BY user_id",
      )
    ).rows;

  it('creates the users, records the deposits and credits each user with their sum', async () => {
    // Act
    const outcome = await createSqlDepositRepository(db.sql).record(
      batchOf([
        deposit('d1', 'u1', 1000, 2),
        deposit('d2', 'u2', 250, 3),
        deposit('d3', 'u1', 5, 4),
      ]),
    );

    // Assess
    expect([...outcome.insertedDepositIds].sort()).toEqual(['d1', 'd2', 'd3']);
    expect(await balances()).toEqual([
      { user_id: 'u1', balance: 1005 },
      { user_id: 'u2', balance: 250 },
    ]);
    const { rows } = await db.sql.query("SELECT * FROM deposits WHERE deposit_id = 'd3'");
    expect(rows).toEqual([
      {
        deposit_id: 'd3',
        user_id: 'u1',
        amount: 5,
        deposited_at: '2026-01-15T10:00:00.000Z',
        source_key: 'inbox/a.csv',
        source_line: 4,
        credited_at: '2026-01-15T12:00:00.000Z',
        partner_id: 'acme',
      },
    ]);
  });

  it('adds only the deposits it lacks when a batch comes again, overlapping or whole', async () => {
    // Prepare
    const repository = createSqlDepositRepository(db.sql);
    await repository.record(batchOf([deposit('d1', 'u1', 1000), deposit('d2', 'u2', 250)]));

    // Act
    const again = await repository.record(
      batchOf([deposit('d1', 'u1', 1000), deposit('d2', 'u2', 250)]),
    );
    const overlapping = await repository.record(
      batchOf([deposit('d2', 'u2', 250), deposit('d4', 'u2', 1)]),
    );

    // Assess
    expect(again.insertedDepositIds).toEqual([]);
    expect(overlapping.insertedDepositIds).toEqual(['d4']);
    expect(await balances()).toEqual([
      { user_id: 'u1', balance: 1000 },
      { user_id: 'u2', balance: 251 },
    ]);
  });

  it('adds to the balance a known user already has', async () => {
    // Prepare: a user with settled spends, suspended, with a limit: none of it may change
    await db.sql.query(
      "INSERT INTO users (partner_id, user_id, status, per_transaction_limit) VALUES ('acme', 'u1', 'SUSPENDED', 500)",
    );
    await db.sql.query(
      "INSERT INTO credit_balance (partner_id, user_id, balance) VALUES ('acme', 'u1', 300)",
    );

    // Act
    await createSqlDepositRepository(db.sql).record(batchOf([deposit('d1', 'u1', 1000)]));

    // Assess
    expect(await balances()).toEqual([{ user_id: 'u1', balance: 1300 }]);
    const { rows } = await db.sql.query(
      "SELECT status, per_transaction_limit FROM users WHERE user_id = 'u1'",
    );
    expect(rows).toEqual([{ status: 'SUSPENDED', per_transaction_limit: 500 }]);
  });

  it('writes nothing at all when any statement of the batch fails', async () => {
    // Act: a zero amount breaks the deposits CHECK after the users were inserted
    const outcome = createSqlDepositRepository(db.sql).record(
      batchOf([deposit('d1', 'u1', 1000), deposit('d2', 'u9', 0)]),
    );

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'PermanentStoreError', code: '23514' });
    expect((await db.sql.query('SELECT user_id FROM users')).rows).toEqual([]);
    expect((await db.sql.query('SELECT deposit_id FROM deposits')).rows).toEqual([]);
  });

  it('credits each deposit once when concurrent batches share users and deposit ids, without deadlocks', async () => {
    // Prepare: 16 batches at once over the same 12 users in shuffled orders; each deposit id is
    // in two batches
    const users = Array.from({ length: 12 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    const batches = Array.from({ length: 8 }, (_, b) => {
      const deposits = users.map((user, i) => deposit(`d-${b}-${i}`, user, 100 * b + i + 1));
      return [batchOf(deposits), batchOf([...deposits].reverse())];
    }).flat();
    const repository = createSqlDepositRepository(db.sql);

    // Act
    const outcomes = await Promise.all(batches.map((batch) => repository.record(batch)));

    // Assess
    const inserted = outcomes.flatMap((outcome) => outcome.insertedDepositIds);
    expect(inserted).toHaveLength(96);
    expect(new Set(inserted).size).toBe(96);
    const expected = users.map((user_id, i) => ({
      user_id,
      balance: Array.from({ length: 8 }, (_, b) => 100 * b + i + 1).reduce(
        (sum, amount) => sum + amount,
        0,
      ),
    }));
    expect(await balances()).toEqual(expected);
  });
});
