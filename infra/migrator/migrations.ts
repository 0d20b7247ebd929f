import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Migration } from '@creditline/adapters/sql/migrate';
import { loadMigrations } from '@creditline/adapters/sql/migrations/index';

/**
 * The SQL migrations are owned by @creditline/adapters (`sql/migrations/NNN_name.sql`, applied
 * by its `applyMigrations`, the same code the local runtime runs). Infra only needs to know
 * when they change, to invoke the migrator on deploy.
 */
export type { Migration };

/** The migrations in a folder (none when it does not exist yet). */
export const readMigrations = (dir: string): Migration[] =>
  existsSync(dir) ? loadMigrations(dir) : [];

/** Changes when a migration is added, renamed or edited: the deploy-time trigger. */
export const migrationsHash = (migrations: readonly Migration[]): string => {
  const hash = createHash('sha256');
  for (const migration of [...migrations].sort((a, b) => a.version.localeCompare(b.version))) {
    hash.update(`${migration.version}_${migration.name}\0${migration.sql}\0`);
  }
  return hash.digest('hex');
};

export const migrationFileName = (migration: Migration): string =>
  `${migration.version}_${migration.name}.sql`;
