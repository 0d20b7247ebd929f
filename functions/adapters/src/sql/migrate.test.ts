import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrationFromFile, splitStatements } from './migrate.js';
import { loadMigrations } from './migrations/index.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('splits statements on semicolons outside literals, comments and dollar quotes', () => {
    const sql = "CREATE TABLE a (x text DEFAULT ';'); -- a comment; with a semicolon\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 2";
    expect(splitStatements(sql)).toEqual([
      "CREATE TABLE a (x text DEFAULT ';')",
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql',
      'SELECT 2',
    ]);
  });

  it('names migrations from their files and refuses other names', () => {
    expect(migrationFromFile('002_add_index.sql', 'x')).toEqual({ version: '002', name: 'add_index', sql: 'x' });
    expect(() => migrationFromFile('add_index.sql', 'x')).toThrow('001_name.sql');
  });

  it('applies each migration once: the template already has them, a new one is applied once', async () => {
    // Prepare: the test database is cloned from a template the harness migrated
    const shipped = loadMigrations();
    const extra = migrationFromFile('900_probe.sql', 'CREATE TABLE probe (id int); INSERT INTO probe VALUES (1)');

    // Act
    const first = await applyMigrations(db.sql, [...shipped, extra]);
    const second = await applyMigrations(db.sql, [...shipped, extra]);

    // Assess
    expect(first).toEqual(['900']);
    expect(second).toEqual([]);
    const { rows } = await db.sql.query('SELECT count(*)::int AS n FROM probe');
    expect(rows[0]?.n).toBe(1);
    const tables = await db.sql.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    expect(tables.rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['credit_balance', 'deposits', 'reconciliation_runs', 'schema_migrations', 'transactions', 'users']),
    );
  });

  it('rolls back a failing migration whole', async () => {
    const broken = migrationFromFile('901_broken.sql', 'CREATE TABLE half (id int); SELECT * FROM missing_table');
    await expect(applyMigrations(db.sql, [broken])).rejects.toThrow('missing_table');
    const { rows } = await db.sql.query("SELECT to_regclass('half') AS half");
    expect(rows[0]?.half).toBeNull();
  });
});
