import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import type { SqlClient } from '@creditline/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Migration 003: one role per function. Each statement runs under the function's role
 * (`SET LOCAL ROLE` inside a transaction) against the migrated test database, so what is
 * asserted is what PostgreSQL itself allows each role.
 */
const asRole = async (sql: SqlClient, role: string, statement: string): Promise<unknown> =>
  sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL ROLE ${role}`);
    return tx.query(statement);
  });

const denied = { message: expect.stringMatching(/permission denied/) as unknown };

describe('function database roles (migration 003)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('demo', 'u-roles')");
  });
  afterAll(async () => {
    await db.drop();
  });

  it('lets the validator read the books and nothing else', async () => {
    await expect(
      asRole(db.sql, 'creditline_validator', "SELECT user_id FROM users WHERE user_id = 'u-roles'"),
    ).resolves.toBeDefined();
    await expect(
      asRole(db.sql, 'creditline_validator', "INSERT INTO users (user_id) VALUES ('u-validator')"),
    ).rejects.toMatchObject(denied);
    await expect(
      asRole(
        db.sql,
        'creditline_validator',
        "UPDATE users SET user_id = 'u-moved' WHERE user_id = 'u-roles'",
      ),
    ).rejects.toMatchObject(denied);
    await expect(
      asRole(
        db.sql,
        'creditline_validator',
        "UPDATE credit_balance SET balance = 0 WHERE user_id = 'u-roles'",
      ),
    ).rejects.toMatchObject(denied);
    await expect(
      asRole(db.sql, 'creditline_validator', "DELETE FROM users WHERE user_id = 'u-roles'"),
    ).rejects.toMatchObject(denied);
  });

  it('lets the validator change controls (migration 005) and nothing else of the books', async () => {
    const change = `
      SELECT controls_version FROM users WHERE user_id = 'u-roles' FOR UPDATE;
      UPDATE users SET status = 'SUSPENDED', controls_version = 1, velocity_limits = '[]'::jsonb WHERE user_id = 'u-roles';
      INSERT INTO controls_audit (partner_id, user_id, version, changed_at, changed_by, before, after)
        VALUES ('demo', 'u-roles', 1, now(), 'test', '{}'::jsonb, '{}'::jsonb);
      UPDATE controls_audit SET published_at = now() WHERE user_id = 'u-roles' AND version = 1`;
    for (const statement of change.split(';')) {
      await expect(asRole(db.sql, 'creditline_validator', statement)).resolves.toBeDefined();
    }
    await expect(
      asRole(
        db.sql,
        'creditline_validator',
        "UPDATE controls_audit SET changed_by = 'forged' WHERE user_id = 'u-roles'",
      ),
    ).rejects.toMatchObject(denied);
    await expect(
      asRole(
        db.sql,
        'creditline_validator',
        "INSERT INTO deposits (deposit_id, user_id, amount, deposited_at) VALUES ('d', 'u-roles', 1, now())",
      ),
    ).rejects.toMatchObject(denied);
  });

  it('lets the writers insert and update, never delete, truncate or change the schema', async () => {
    for (const role of ['creditline_deposits', 'creditline_logger', 'creditline_reconciliation']) {
      await expect(
        asRole(
          db.sql,
          role,
          `INSERT INTO users (partner_id, user_id) VALUES ('demo', 'u-${role}')`,
        ),
      ).resolves.toBeDefined();
      await expect(
        asRole(
          db.sql,
          role,
          `UPDATE credit_balance SET balance = balance WHERE user_id = 'u-roles'`,
        ),
      ).resolves.toBeDefined();
      await expect(
        asRole(db.sql, role, "DELETE FROM users WHERE user_id = 'u-roles'"),
      ).rejects.toMatchObject(denied);
      await expect(asRole(db.sql, role, 'TRUNCATE reconciliation_runs')).rejects.toMatchObject(
        denied,
      );
      await expect(asRole(db.sql, role, 'CREATE TABLE intruder (id int)')).rejects.toMatchObject(
        denied,
      );
      await expect(
        asRole(
          db.sql,
          role,
          "INSERT INTO schema_migrations (version, name) VALUES ('999', 'forged')",
        ),
      ).rejects.toMatchObject(denied);
    }
  });

  it('extends the same privileges to tables later migrations create', async () => {
    await db.sql.query('CREATE TABLE later_table (id int PRIMARY KEY)');
    await expect(
      asRole(db.sql, 'creditline_logger', 'INSERT INTO later_table VALUES (1)'),
    ).resolves.toBeDefined();
    await expect(
      asRole(db.sql, 'creditline_validator', 'SELECT id FROM later_table'),
    ).resolves.toBeDefined();
    await expect(
      asRole(db.sql, 'creditline_validator', 'INSERT INTO later_table VALUES (2)'),
    ).rejects.toMatchObject(denied);
  });
});
