import type { Migration } from './migrations.js';
import { splitStatements } from './split.js';

/** The slice of the RDS Data API the migrator needs (a fake in tests). */
export interface SqlSession {
  /** Runs one statement; returns rows as objects for queries. */
  execute(sql: string, params?: Readonly<Record<string, string>>, transactionId?: string): Promise<Record<string, unknown>[]>;
  begin(): Promise<string>;
  commit(transactionId: string): Promise<void>;
  rollback(transactionId: string): Promise<void>;
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export const createTrackingTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version text PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** One lock for every migrator run, so two deploys cannot interleave migrations. */
const lockStatement = "SELECT pg_advisory_xact_lock(hashtext('creditline:schema_migrations'))";

const appliedRows = async (db: SqlSession, transactionId?: string): Promise<Map<string, string>> => {
  const rows = await db.execute('SELECT version, checksum FROM schema_migrations ORDER BY version', undefined, transactionId);
  return new Map(rows.map((row) => [String(row['version']), String(row['checksum'])]));
};

/**
 * Applies the migrations not yet recorded in schema_migrations, in version order, each in its
 * own transaction together with its bookkeeping row. A migration that changed after it was
 * applied stops the run: migrations are immutable, write a new one.
 */
export const migrate = async (
  db: SqlSession,
  migrations: readonly Migration[],
  log: (message: string) => void = () => undefined,
): Promise<MigrationReport> => {
  await db.execute(createTrackingTable);
  const applied = await appliedRows(db);
  const changed = migrations.filter((m) => applied.has(m.version) && applied.get(m.version) !== m.checksum);
  if (changed.length > 0) {
    throw new MigrationError(`migrations changed after they were applied: ${changed.map((m) => m.file).join(', ')}`);
  }
  const known = new Set(migrations.map((m) => m.version));
  for (const version of applied.keys()) {
    if (!known.has(version)) log(`schema_migrations has version ${version}, which no file provides`);
  }

  const done: string[] = [];
  const skipped: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) {
      skipped.push(migration.file);
      continue;
    }
    const tx = await db.begin();
    try {
      await db.execute(lockStatement, undefined, tx);
      // Another run may have applied it while this one waited for the lock.
      const current = await appliedRows(db, tx);
      if (current.has(migration.version)) {
        await db.rollback(tx);
        skipped.push(migration.file);
        continue;
      }
      for (const statement of splitStatements(migration.sql)) {
        await db.execute(statement, undefined, tx);
      }
      await db.execute(
        'INSERT INTO schema_migrations (version, name, checksum) VALUES (:version, :name, :checksum)',
        { version: migration.version, name: migration.name, checksum: migration.checksum },
        tx,
      );
      await db.commit(tx);
      log(`applied ${migration.file}`);
      done.push(migration.file);
    } catch (error) {
      await db.rollback(tx).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`migration ${migration.file} failed and was rolled back: ${message}`);
    }
  }
  return { applied: done, alreadyApplied: skipped };
};
