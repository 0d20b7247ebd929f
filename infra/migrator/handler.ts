import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { envNames } from '@creditline/adapters/config/env';
import { createDataApiSqlClient } from '@creditline/adapters/sql/data-api-sql-client';
import { applyMigrations } from '@creditline/adapters/sql/migrate';
import { loadMigrations } from '@creditline/adapters/sql/migrations/index';
import { roleSecretsVariable } from '../lib/database-roles.js';
import { retryFirstDeploy } from './first-deploy-retry.js';
import { provisionRoleCredentials, type RoleCredentialsResult } from './role-credentials.js';
import { createRoleSecretStore } from './role-secret-store.js';

/**
 * The migrator Lambda. The program invokes it on deploy (aws.lambda.Invocation) whenever the
 * migrations or the role secrets change, and deploys the application's functions only after it
 * succeeded. The build copies `functions/adapters/src/sql/migrations/*.sql` to `migrations/`
 * next to this bundle; `applyMigrations` (the adapters', shared with the local runtime) applies
 * the missing ones over the Data API as the master user, then each function's role gets its
 * password (`role-credentials.ts`). Errors that a first deploy produces while IAM, KMS and the
 * Data API settle are retried until 30 s before the timeout; any other error fails the deploy.
 */
const environmentSchema = z.object({
  [envNames.dbClusterArn]: z.string().min(1),
  [envNames.dbSecretArn]: z.string().min(1),
  [envNames.dbName]: z.string().min(1),
  [envNames.defaultPartner]: z.string().min(1),
  [roleSecretsVariable]: z
    .string()
    .transform((text) => JSON.parse(text) as unknown)
    .pipe(z.record(z.string(), z.string().min(1))),
});

const log = (message: string, extra: Record<string, unknown> = {}): void => {
  console.log(JSON.stringify({ level: 'INFO', service: 'migrator', message, ...extra }));
};

const clock = {
  now: () => Date.now(),
  sleep: (ms: number) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, ms);
    }),
};

export interface MigratorResult {
  readonly applied: readonly string[];
  readonly known: readonly string[];
  readonly roles: RoleCredentialsResult;
}

export const handler = async (_event: unknown, context?: Context): Promise<MigratorResult> => {
  const env = environmentSchema.parse(process.env);
  const sql = createDataApiSqlClient(new RDSDataClient({}), {
    resourceArn: env[envNames.dbClusterArn],
    secretArn: env[envNames.dbSecretArn],
    database: env[envNames.dbName],
  });
  const secrets = createRoleSecretStore(new SecretsManagerClient({}));
  const migrations = loadMigrations(join(dirname(fileURLToPath(import.meta.url)), 'migrations'));
  const known = migrations.map((migration) => migration.version);
  const deadline = clock.now() + (context?.getRemainingTimeInMillis() ?? 300_000) - 30_000;
  const onRetry = (attempt: number, error: unknown): void => {
    log('not ready yet (first deploy), retrying', {
      attempt,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  };

  // Applying is idempotent (schema_migrations, under an advisory lock), so is provisioning.
  const applied = await retryFirstDeploy(
    () =>
      applyMigrations(sql, migrations, {
        'creditline.default_partner': env[envNames.defaultPartner],
      }),
    {
      deadline,
      clock,
      onRetry,
    },
  );
  const roles = await retryFirstDeploy(
    () => provisionRoleCredentials({ sql, secrets, roles: env[roleSecretsVariable] }),
    { deadline, clock, onRetry },
  );
  log('migrations done', { applied, known, roles });
  return { applied, known, roles };
};
