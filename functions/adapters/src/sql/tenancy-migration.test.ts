import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate.js';
import { loadMigrations } from './migrations/index.js';
import { createReconciliationRepository } from './reconciliation-repository.js';

/**
 * 006_tenancy on a database that was deployed before it: the rows already there (users,
 * balances, deposits, decisions, holds) stay, every one given the configured default partner,
 * and the books reconcile exactly as before.
 */
describe('006_tenancy on an existing database', () => {
  let db: TestDatabase;
  const all = loadMigrations();
  const beforeTenancy = all.filter((migration) => migration.version < '006');

  beforeEach(async () => {
    // A database as deployed before tenancy: 001, 003, 004, 005 applied, with rows.
    db = await createTestDatabase();
    await db.sql.query('DROP SCHEMA public CASCADE');
    await db.sql.query('CREATE SCHEMA public');
    expect(await applyMigrations(db.sql, beforeTenancy)).toEqual(
      beforeTenancy.map((migration) => migration.version),
    );
    await db.sql.query(
      "INSERT INTO users (user_id, currency) VALUES ('alice', 'USD'), ('bob', 'USD')",
    );
    await db.sql.query(
      "INSERT INTO deposits (deposit_id, user_id, amount, deposited_at) VALUES ('d-1', 'alice', 10000, now()), ('d-2', 'bob', 500, now())",
    );
    await db.sql.query(
      "INSERT INTO transactions (transaction_id, user_id, amount, status, reason, remaining_credit, decided_at) VALUES ('tx-1', 'alice', 2500, 'PERMITTED', NULL, 7500, now()), ('tx-2', 'bob', 900, 'REJECTED', 'INSUFFICIENT_FUNDS', 500, now())",
    );
    await db.sql.query(
      "INSERT INTO holds (partner_id, transaction_id, user_id, capture_method, amount, authorized_at) VALUES ('demo', 'tx-1', 'alice', 'automatic', 2500, now())",
    );
    await db.sql.query(
      "INSERT INTO credit_balance (user_id, balance) VALUES ('alice', 7500), ('bob', 500)",
    );
  });
  afterEach(async () => {
    await db.drop();
  });

  it('applies after the migrations already there and gives every existing row the default partner, losing none', async () => {
    // Act
    const applied = await applyMigrations(db.sql, all, { 'creditline.default_partner': 'demo' });

    // Assess
    expect(applied).toEqual(['006']);
    const owners = async (table: string) =>
      (
        await db.sql.query(
          `SELECT partner_id, count(*)::int AS n FROM ${table} GROUP BY partner_id ORDER BY partner_id`,
        )
      ).rows;
    for (const table of ['users', 'credit_balance', 'deposits', 'transactions'])
      expect(await owners(table)).toEqual([{ partner_id: 'demo', n: 2 }]);
    const { rows } = await db.sql.query(
      'SELECT user_id, balance FROM credit_balance WHERE partner_id = :partner ORDER BY user_id',
      { partner: 'demo' },
    );
    expect(rows).toEqual([
      { user_id: 'alice', balance: 7500 },
      { user_id: 'bob', balance: 500 },
    ]);
  });

  it('leaves the books reconciling as before: zero drift across the migration', async () => {
    // Act
    await applyMigrations(db.sql, all, { 'creditline.default_partner': 'demo' });

    // Assess: deposits - permitted = balance for every user, now named partner#user
    const figures: Array<{ user_id: string; drift: number }> = [];
    await createReconciliationRepository(db.sql).eachUserFiguresPage((page) => {
      for (const row of page)
        figures.push({
          user_id: row.user_id,
          drift: (row.balance ?? 0) - (row.deposits_total - row.permitted_total),
        });
    });
    expect(figures).toEqual([
      { user_id: 'demo#alice', drift: 0 },
      { user_id: 'demo#bob', drift: 0 },
    ]);
    expect(await createReconciliationRepository(db.sql).rebalance('demo#alice')).toBeNull();
  });

  it('makes ids unique per partner: another partner may then use the same user and transaction ids', async () => {
    // Prepare
    await applyMigrations(db.sql, all, { 'creditline.default_partner': 'demo' });

    // Act
    await db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'alice')");
    await db.sql.query(
      "INSERT INTO transactions (partner_id, transaction_id, user_id, amount, status, reason, remaining_credit, decided_at) VALUES ('acme', 'tx-1', 'alice', 1, 'REJECTED', 'INSUFFICIENT_FUNDS', 0, now())",
    );

    // Assess
    await expect(
      db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'alice')"),
    ).rejects.toThrow(/duplicate key/);
    const { rows } = await db.sql.query(
      "SELECT partner_id FROM transactions WHERE transaction_id = 'tx-1' ORDER BY partner_id",
    );
    expect(rows).toEqual([{ partner_id: 'acme' }, { partner_id: 'demo' }]);
  });

  it('refuses to move existing rows when no default partner is configured, changing nothing', async () => {
    // Act / Assess
    await expect(applyMigrations(db.sql, all)).rejects.toThrow(/default_partner is not set/);
    const { rows } = await db.sql.query(
      "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'partner_id'",
    );
    expect(rows).toEqual([{ n: 0 }]);
    const versions = await db.sql.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.rows.map((row) => row['version'])).not.toContain('006');
  });
});
