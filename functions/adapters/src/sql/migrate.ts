import type { SqlClient } from '@creditline/domain';

export interface Migration {
  /** `001`, `002`...: applied in this order, each once. */
  readonly version: string;
  readonly name: string;
  readonly sql: string;
}

/** `001_schema.sql` -> version 001, name schema. */
export const migrationFromFile = (fileName: string, sql: string): Migration => {
  const match = /^(\d+)_([\w-]+)\.sql$/.exec(fileName);
  if (!match?.[1] || !match[2])
    throw new Error(`migration file name must look like 001_name.sql: ${fileName}`);
  return { version: match[1], name: match[2], sql };
};

/**
 * Splits a migration into statements: the Data API runs one statement per call. Splits on `;`
 * outside quotes, comments and dollar-quoted bodies.
 */
export const splitStatements = (sql: string): string[] => {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const skip =
      /^--[^\n]*/.exec(rest)?.[0] ??
      /^'(?:[^']|'')*'/.exec(rest)?.[0] ??
      /^"[^"]*"/.exec(rest)?.[0] ??
      (() => {
        const tag = /^\$[A-Za-z_]*\$/.exec(rest)?.[0];
        if (!tag) return undefined;
        const end = rest.indexOf(tag, tag.length);
        return end === -1 ? rest : rest.slice(0, end + tag.length);
      })();
    if (skip !== undefined) {
      if (!skip.startsWith('--')) current += skip;
      i += skip.length;
      continue;
    }
    const char = sql.charAt(i);
    if (char === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
    } else {
      current += char;
    }
    i += 1;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
};

/** What a migration may read with `current_setting(name, true)`, set for its transaction only. */
export interface MigrationSettings {
  /** The partner the rows that predate tenancy belong to (006_tenancy). */
  readonly 'creditline.default_partner'?: string;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction,
 * under an advisory lock so two deploys cannot apply one twice. Returns the versions applied.
 */
export const applyMigrations = async (
  sql: SqlClient,
  migrations: readonly Migration[],
  settings: MigrationSettings = {},
): Promise<string[]> => {
  await sql.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const ordered = [...migrations].sort((a, b) => a.version.localeCompare(b.version));
  const applied: string[] = [];
  for (const migration of ordered) {
    const done = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(724001)');
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = :version', {
        version: migration.version,
      });
      if (seen.rows.length > 0) return false;
      for (const [name, value] of Object.entries(settings)) {
        if (typeof value === 'string')
          await tx.query('SELECT set_config(:name, :value, true)', { name, value });
      }
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES (:version, :name)', {
        version: migration.version,
        name: migration.name,
      });
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
};
