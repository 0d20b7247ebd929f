import { applyMigrations } from '@creditline/adapters/sql/migrate';
import { loadMigrations } from '@creditline/adapters/sql/migrations/index';
import { createPgSqlClient } from '@creditline/adapters/sql/pg-sql-client';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { freePort } from './free-port.js';
import { isAlive, stopOrphan } from './pid-file.js';
import { startPostgres, type LocalPostgres } from './postgres.js';
import { startS3, type LocalS3 } from './s3.js';

/** Throwaway stand-ins for one test run or benchmark: a temp folder, free ports, a migrated database. */
export interface ScratchStores {
  readonly runDir: string;
  readonly dynamo: DynamoDbLocal;
  readonly postgres: LocalPostgres;
  readonly s3: LocalS3;
  /** The database created and migrated for the caller. */
  readonly databaseUrl: string;
  /** Stops every stand-in and removes the folder. */
  stop(): Promise<void>;
}

const OWNER_FILE = 'owner.pid';

const readOwner = (dir: string): number => {
  try {
    return Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
  } catch {
    return 0;
  }
};

/**
 * Stops the stand-ins a killed earlier run with the same prefix left behind, and removes its
 * folder. A run whose owning process is still alive is someone else's concurrent run: left alone.
 */
const reapDeadRuns = async (prefix: string): Promise<void> => {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(prefix)) continue;
    const dir = join(tmpdir(), entry);
    const owner = readOwner(dir);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) continue;
    await stopOrphan(join(dir, 'dynamodb-local.pid'));
    await stopOrphan(join(dir, 'postgres', 'postmaster.pid'));
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * Starts DynamoDB Local (in memory), PostgreSQL (fsync off) and s3rver under a fresh folder in
 * the temp dir, on free ports, and creates `database` with the migrations applied.
 */
export const startScratchStores = async (options: {
  /** Folder name prefix in the temp dir, e.g. `creditline-bench-deposits-`. */
  readonly prefix: string;
  readonly database: string;
  readonly buckets?: readonly string[];
}): Promise<ScratchStores> => {
  await reapDeadRuns(options.prefix);
  const runDir = mkdtempSync(join(tmpdir(), options.prefix));
  chmodSync(runDir, 0o755); // as root, PostgreSQL runs as the postgres user, who must enter it
  writeFileSync(join(runDir, OWNER_FILE), String(process.pid));
  const [dynamoPort, postgresPort, s3Port] = await Promise.all([freePort(), freePort(), freePort()]);
  const [dynamo, postgres, s3] = await Promise.all([
    startDynamoDbLocal({ port: dynamoPort, stateDir: runDir }),
    startPostgres({ port: postgresPort, dataDir: join(runDir, 'postgres'), logFile: join(runDir, 'postgres.log'), durable: false }),
    startS3({ port: s3Port, directory: join(runDir, 's3'), ...(options.buckets ? { buckets: options.buckets } : {}) }),
  ]);
  const stop = async (): Promise<void> => {
    await Promise.allSettled([dynamo.stop(), postgres.stop(), s3.stop()]);
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    const admin = createPgSqlClient(postgres.adminUrl, { max: 1 });
    await admin.query(`CREATE DATABASE ${options.database}`);
    await admin.close();
    const databaseUrl = postgres.urlFor(options.database);
    const sql = createPgSqlClient(databaseUrl, { max: 1 });
    await applyMigrations(sql, loadMigrations());
    await sql.close();
    return { runDir, dynamo, postgres, s3, databaseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
