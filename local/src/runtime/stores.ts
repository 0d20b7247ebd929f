import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tableNames } from '@creditline/adapters/definitions';
import { ensureTables } from '@creditline/adapters/dynamodb/create-tables';
import { createPgSqlClient } from '@creditline/adapters/sql/pg-sql-client';
import { applyMigrations } from '@creditline/adapters/sql/migrate';
import { loadMigrations } from '@creditline/adapters/sql/migrations/index';
import {
  assertPortFree,
  localCredentials,
  localRegion,
  startDynamoDbLocal,
  startPostgres,
  startS3,
  stopOrphan,
  stopOrphanPostmaster,
  type DynamoDbLocal,
  type LocalPostgres,
  type LocalS3,
} from '@creditline/stand-ins';
import { join, resolve } from 'node:path';
import { localNames, type RuntimeSettings } from './settings.js';

export interface LocalStores {
  readonly dynamo: DynamoDbLocal;
  readonly postgres: LocalPostgres;
  readonly s3: LocalS3;
  readonly databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local, PostgreSQL and s3rver with their state under `dataDir` (kept across
 * restarts), creates what is missing (tables from the shared definitions, the database and its
 * migrations, the buckets), and stops whatever a killed earlier run left behind first.
 */
export const startLocalStores = async (
  settings: RuntimeSettings,
  log: (line: string) => void,
): Promise<LocalStores> => {
  const dataDir = resolve(settings.dataDir);
  // What a killed earlier run left behind holds our ports: stop it before checking them.
  await Promise.all([
    stopOrphan(join(dataDir, 'dynamodb-local.pid')),
    stopOrphanPostmaster(join(dataDir, 'postgres')),
  ]);
  await Promise.all([
    assertPortFree(settings.dynamodbPort, 'DynamoDB Local, --dynamodb-port'),
    assertPortFree(settings.postgresPort, 'PostgreSQL, --postgres-port'),
    assertPortFree(settings.s3Port, 's3rver, --s3-port'),
  ]);
  const [dynamo, postgres, s3] = await Promise.all([
    startDynamoDbLocal({
      port: settings.dynamodbPort,
      stateDir: dataDir,
      dataDir: join(dataDir, 'dynamodb'),
    }),
    startPostgres({
      port: settings.postgresPort,
      dataDir: join(dataDir, 'postgres'),
      logFile: join(dataDir, 'logs', 'postgres.log'),
    }),
    startS3({
      port: settings.s3Port,
      directory: join(dataDir, 's3'),
      buckets: [localNames.depositsBucket, localNames.reportsBucket],
    }),
  ]);
  log(`DynamoDB Local  ${dynamo.endpoint}`);
  log(`PostgreSQL      ${postgres.urlFor(localNames.database)} (data in ${postgres.dataDir})`);
  log(`S3 (s3rver)     ${s3.endpoint}`);

  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  await ensureTables(client, tableNames(localNames.prefix));
  client.destroy();

  const admin = createPgSqlClient(postgres.adminUrl, { max: 1 });
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = :name', {
    name: localNames.database,
  });
  if (exists.rows.length === 0) await admin.query(`CREATE DATABASE ${localNames.database}`);
  await admin.close();
  const databaseUrl = postgres.urlFor(localNames.database);
  const sql = createPgSqlClient(databaseUrl, { max: 1 });
  // Rows from before tenancy (006) are the demo partner's.
  const applied = await applyMigrations(sql, loadMigrations(), {
    'creditline.default_partner': localNames.defaultPartner,
  });
  await sql.close();
  if (applied.length > 0) log(`migrations      applied ${applied.join(', ')}`);

  // s3rver keeps buckets on disk; a bucket configured at start exists already, this is a no-op.
  const s3Client = new S3Client({
    endpoint: s3.endpoint,
    region: localRegion,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
  await s3Client
    .send(new CreateBucketCommand({ Bucket: localNames.depositsBucket }))
    .catch(() => undefined);
  s3Client.destroy();

  return {
    dynamo,
    postgres,
    s3,
    databaseUrl,
    stop: async () => {
      await Promise.allSettled([s3.stop(), dynamo.stop(), postgres.stop()]);
    },
  };
};
