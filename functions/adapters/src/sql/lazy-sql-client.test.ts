import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazySqlClient } from './lazy-sql-client.js';
import { createPgSqlClient, type PgSqlClient } from './pg-sql-client.js';

describe('lazySqlClient', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('builds the client on the first query, once, and runs queries and transactions on it', async () => {
    // Prepare
    const built: PgSqlClient[] = [];
    const client = lazySqlClient(() => {
      built.push(createPgSqlClient(db.url, { max: 1 }));
      return Promise.resolve(built[built.length - 1] as PgSqlClient);
    });
    const beforeFirstQuery = built.length;

    // Act
    const [{ rows }, inTransaction] = await Promise.all([
      client.query<{ name: string }>('SELECT current_database() AS name'),
      client.transaction(async (tx) => {
        await tx.query('CREATE TEMP TABLE lazy_probe (n int) ON COMMIT DROP');
        await tx.query('INSERT INTO lazy_probe VALUES (:n)', { n: 7 });
        return (await tx.query<{ n: number }>('SELECT n FROM lazy_probe')).rows;
      }),
    ]);

    await Promise.all(built.map((pool) => pool.close()));

    // Assess
    expect(beforeFirstQuery).toBe(0);
    expect(built).toHaveLength(1);
    expect(rows).toEqual([{ name: db.name }]);
    expect(inTransaction).toEqual([{ n: 7 }]);
  });
});
