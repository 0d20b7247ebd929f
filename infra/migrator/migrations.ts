import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SQL migrations are files `NNN_name.sql`, applied in version order, each once. Shared by the
 * migrator (which reads them from its bundle) and the program (which hashes them to decide
 * when to invoke the migrator).
 */
export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly checksum: string;
}

export const migrationFilePattern = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const parseMigrations = (files: readonly { readonly file: string; readonly sql: string }[]): Migration[] => {
  const problems: string[] = [];
  const migrations: Migration[] = [];
  for (const { file, sql } of files) {
    const match = migrationFilePattern.exec(file);
    if (!match?.[1] || !match[2]) {
      problems.push(`${file}: not named NNN_name.sql`);
      continue;
    }
    migrations.push({ version: match[1], name: match[2], file, sql, checksum: sha256(sql) });
  }
  migrations.sort((a, b) => a.version.localeCompare(b.version));
  for (let i = 1; i < migrations.length; i++) {
    const previous = migrations[i - 1];
    const current = migrations[i];
    if (previous && current && previous.version === current.version) {
      problems.push(`${previous.file} and ${current.file} share version ${current.version}`);
    }
  }
  if (problems.length > 0) throw new Error(`bad migrations:\n  ${problems.join('\n  ')}`);
  return migrations;
};

/** The `.sql` files of a folder (none when it does not exist yet). */
export const readMigrations = (dir: string): Migration[] => {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ file, sql: readFileSync(join(dir, file), 'utf8') }));
  return parseMigrations(files);
};

/** Changes when a migration is added, renamed or edited: the deploy-time trigger. */
export const migrationsHash = (migrations: readonly Migration[]): string =>
  sha256(migrations.map((migration) => `${migration.file}\0${migration.checksum}`).join('\n'));
