import { describe, expect, it } from 'vitest';
import { migrationFileName, migrationsHash, readMigrations, type Migration } from './migrations.js';
import { migrationsDir } from '../lib/paths.js';

const migrations: Migration[] = [
  { version: '001', name: 'schema', sql: 'CREATE TABLE users (user_id text PRIMARY KEY);' },
  {
    version: '002',
    name: 'balances',
    sql: 'CREATE TABLE credit_balance (user_id text PRIMARY KEY);',
  },
];

describe('migrations trigger', () => {
  it('hashes names and content, not order: any change re-invokes the migrator', () => {
    const base = migrationsHash(migrations);
    expect(migrationsHash([...migrations].reverse())).toBe(base);
    expect(migrationsHash(migrations.slice(0, 1))).not.toBe(base);
    expect(migrationsHash(migrations.map((m) => ({ ...m, sql: `${m.sql} ` })))).not.toBe(base);
    expect(migrationsHash(migrations.map((m) => ({ ...m, name: `${m.name}x` })))).not.toBe(base);
  });

  it('reads the adapters migrations folder, and nothing when a folder is absent', () => {
    const found = readMigrations(migrationsDir);
    expect(found.map(migrationFileName).every((file) => /^\d+_[\w-]+\.sql$/.test(file))).toBe(true);
    expect(readMigrations('/nonexistent/creditline/migrations')).toEqual([]);
  });
});
