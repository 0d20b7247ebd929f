import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
} from '@aws-sdk/client-rds-data';
import { envNames } from '@creditline/adapters/config/env';
import { migrate, type MigrationReport, type SqlSession } from './migrate.js';
import { readMigrations } from './migrations.js';

/**
 * The migrator Lambda. The program invokes it on deploy (aws.lambda.Invocation) whenever the
 * migrations change; the build copies `functions/adapters/src/sql/migrations/*.sql` next to
 * the bundle. A failure throws, which fails the deploy.
 */
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};

export const dataApiSession = (client: RDSDataClient, resourceArn: string, secretArn: string, database: string): SqlSession => ({
  async execute(sql, params, transactionId) {
    const result = await client.send(
      new ExecuteStatementCommand({
        resourceArn,
        secretArn,
        database,
        sql,
        transactionId,
        formatRecordsAs: 'JSON',
        parameters: Object.entries(params ?? {}).map(([name, value]) => ({ name, value: { stringValue: value } })),
      }),
    );
    return result.formattedRecords ? (JSON.parse(result.formattedRecords) as Record<string, unknown>[]) : [];
  },
  async begin() {
    const result = await client.send(new BeginTransactionCommand({ resourceArn, secretArn, database }));
    if (!result.transactionId) throw new Error('BeginTransaction returned no transaction id');
    return result.transactionId;
  },
  async commit(transactionId) {
    await client.send(new CommitTransactionCommand({ resourceArn, secretArn, transactionId }));
  },
  async rollback(transactionId) {
    await client.send(new RollbackTransactionCommand({ resourceArn, secretArn, transactionId }));
  },
});

export const handler = async (): Promise<MigrationReport> => {
  const session = dataApiSession(
    new RDSDataClient({}),
    required(envNames.dbClusterArn),
    required(envNames.dbSecretArn),
    required(envNames.dbName),
  );
  const migrations = readMigrations(join(dirname(fileURLToPath(import.meta.url)), 'migrations'));
  const report = await migrate(session, migrations, (message) => {
    console.log(JSON.stringify({ level: 'INFO', service: 'migrator', message }));
  });
  console.log(JSON.stringify({ level: 'INFO', service: 'migrator', message: 'migrations done', ...report }));
  return report;
};
