import { createPgSqlClient } from '@creditline/adapters/sql/pg-sql-client';
import { applyMigrations } from '@creditline/adapters/sql/migrate';
import { loadMigrations } from '@creditline/adapters/sql/migrations/index';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../dynamodb-local.js';
import { freePort } from '../free-port.js';
import { isAlive, stopOrphan } from '../pid-file.js';
import { startPostgres } from '../postgres.js';
import { startS3 } from '../s3.js';

/** The database every test database is cloned from: migrations applied once per run. */
export const TEMPLATE_DATABASE = 'creditline_template';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    postgresAdminUrl: string;
    postgresUrlPrefix: string;
    s3Endpoint: string;
    templateDatabase: string;
  }
}

const RUN_PREFIX = 'creditline-test-';
const OWNER_FILE = 'owner.pid';

const readFileSyncSafe = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Stops stand-ins a killed earlier run left behind, and removes its folders. A run whose vitest
 * process is still alive is someone else's concurrent run: left alone.
 */
const cleanEarlierRuns = async (): Promise<void> => {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(RUN_PREFIX)) continue;
    const dir = join(tmpdir(), entry);
    const owner = Number(readFileSyncSafe(join(dir, OWNER_FILE)));
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) continue;
    await stopOrphan(join(dir, 'dynamodb-local.pid'));
    await stopOrphan(join(dir, 'postgres', 'postmaster.pid'));
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Starts DynamoDB Local, PostgreSQL and s3rver once per run, on free ports, and stops them at
 * the end. Tests isolate themselves: a table prefix, a database cloned from the template and
 * a bucket of their own (see fixtures.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await cleanEarlierRuns();
  const runDir = mkdtempSync(join(tmpdir(), RUN_PREFIX));
  chmodSync(runDir, 0o755); // the postgres user must be able to enter it
  writeFileSync(join(runDir, OWNER_FILE), String(process.pid));
  mkdirSync(join(runDir, 's3'), { recursive: true });
  const [dynamoPort, postgresPort, s3Port] = await Promise.all([freePort(), freePort(), freePort()]);
  const [dynamo, postgres, s3] = await Promise.all([
    startDynamoDbLocal({ port: dynamoPort, stateDir: runDir }),
    startPostgres({ port: postgresPort, dataDir: join(runDir, 'postgres'), logFile: join(runDir, 'postgres.log'), durable: false }),
    startS3({ port: s3Port, directory: join(runDir, 's3') }),
  ]);
  const admin = createPgSqlClient(postgres.adminUrl, { max: 1 });
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.close();
  const template = createPgSqlClient(postgres.urlFor(TEMPLATE_DATABASE), { max: 1 });
  await applyMigrations(template, loadMigrations());
  await template.close();

  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('postgresAdminUrl', postgres.adminUrl);
  project.provide('postgresUrlPrefix', postgres.urlFor(''));
  project.provide('s3Endpoint', s3.endpoint);
  project.provide('templateDatabase', TEMPLATE_DATABASE);

  return async () => {
    await Promise.allSettled([dynamo.stop(), postgres.stop(), s3.stop()]);
    rmSync(runDir, { recursive: true, force: true });
  };
}
