import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { envNames } from '@creditline/adapters/config/env';
import { createDataApiSqlClient } from '@creditline/adapters/sql/data-api-sql-client';
import { applyMigrations } from '@creditline/adapters/sql/migrate';
import { loadMigrations } from '@creditline/adapters/sql/migrations/index';

/**
 * The migrator Lambda. The program invokes it on deploy (aws.lambda.Invocation) whenever the
 * migrations change. The build copies `functions/adapters/src/sql/migrations/*.sql` to
 * `migrations/` next to this bundle; `applyMigrations` (the adapters', shared with the local
 * runtime) applies the missing ones over the Data API and records them in schema_migrations.
 * A failure throws, which fails the deploy.
 */
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};

const log = (message: string, extra: Record<string, unknown> = {}): void => {
  console.log(JSON.stringify({ level: 'INFO', service: 'migrator', message, ...extra }));
};

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export interface MigratorResult {
  readonly applied: readonly string[];
  readonly known: readonly string[];
}

export const handler = async (): Promise<MigratorResult> => {
  const sql = createDataApiSqlClient(new RDSDataClient({}), {
    resourceArn: required(envNames.dbClusterArn),
    secretArn: required(envNames.dbSecretArn),
    database: required(envNames.dbName),
  });
  const migrations = loadMigrations(join(dirname(fileURLToPath(import.meta.url)), 'migrations'));
  const known = migrations.map((migration) => migration.version);
  // A cluster that is resuming or just created answers "retryable"; applying is idempotent.
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await applyMigrations(sql, migrations);
      log('migrations done', { applied, known });
      return { applied, known };
    } catch (error) {
      // The adapters raise StoreErrors that say whether trying again can help.
      const retryable =
        error instanceof Error && (error as { retryable?: unknown }).retryable === true;
      if (!retryable || attempt >= 5) throw error;
      log('database not ready, retrying', { attempt, error: error.message });
      await sleep(5000 * attempt);
    }
  }
};
