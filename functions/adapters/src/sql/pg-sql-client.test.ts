import { PermanentStoreError, RetryableStoreError } from '@creditline/domain';
import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('node-postgres SQL client', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('binds named parameters, leaves ::casts alone, and maps int8 and timestamps', async () => {
    // Act
    const { rows } = await db.sql.query(
      "SELECT :amount::bigint + :amount::bigint AS doubled, :at::timestamptz AS at, ':not_a_param' AS literal, :flag::boolean AS flag, :nothing::text AS nothing",
      { amount: 4_503_599_627_370_000, at: '2026-11-25T10:00:00+01:00', flag: true, nothing: null },
    );

    // Assess
    expect(rows[0]).toEqual({
      doubled: 9_007_199_254_740_000,
      at: '2026-11-25T09:00:00.000Z',
      literal: ':not_a_param',
      flag: true,
      nothing: null,
    });
  });

  it('refuses an integer beyond the exact range instead of rounding money', async () => {
    await expect(db.sql.query('SELECT 9007199254740993::bigint AS too_big')).rejects.toBeInstanceOf(
      PermanentStoreError,
    );
  });

  it('expands a JSON batch parameter with jsonb_to_recordset (the Data API has no arrays)', async () => {
    // Prepare
    const batch = [
      { user_id: 'u1', amount: 100 },
      { user_id: 'u2', amount: 250 },
    ];

    // Act
    const { rows } = await db.sql.query(
      'SELECT user_id, amount FROM jsonb_to_recordset(:rows::jsonb) AS r(user_id text, amount bigint) ORDER BY user_id',
      { rows: JSON.stringify(batch) },
    );

    // Assess
    expect(rows).toEqual(batch);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    // Act
    await db.sql.transaction(async (tx) => {
      await tx.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'kept')");
    });
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'dropped')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    // Assess
    const { rows } = await db.sql.query(
      "SELECT user_id FROM users WHERE user_id IN ('kept', 'dropped')",
    );
    expect(rows).toEqual([{ user_id: 'kept' }]);
  });

  it('reports rowCount for writes without RETURNING', async () => {
    await db.sql.query(
      "INSERT INTO users (partner_id, user_id) VALUES ('acme', 'a'), ('acme', 'b')",
    );
    const result = await db.sql.query(
      "UPDATE users SET status = 'SUSPENDED' WHERE user_id IN ('a', 'b')",
    );
    expect(result.rowCount).toBe(2);
  });

  it('maps a lock timeout to a retryable error and a constraint violation to a permanent one', async () => {
    // Prepare
    await db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'locked')");
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = db.sql.transaction(async (tx) => {
      await tx.query("SELECT 1 FROM users WHERE user_id = 'locked' FOR UPDATE");
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    const timedOut = db.sql.transaction(async (tx) => {
      await tx.query("SET LOCAL lock_timeout = '100ms'");
      await tx.query("SELECT 1 FROM users WHERE user_id = 'locked' FOR UPDATE");
    });

    // Assess
    await expect(timedOut).rejects.toMatchObject({ retryable: true, code: '55P03' });
    await expect(timedOut).rejects.toBeInstanceOf(RetryableStoreError);
    release();
    await holder;
    await expect(
      db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'locked')"),
    ).rejects.toMatchObject({
      retryable: false,
      code: '23505',
    });
  });

  it('says which named parameter is missing', async () => {
    await expect(db.sql.query('SELECT :absent::text')).rejects.toThrow(':absent');
  });
});
