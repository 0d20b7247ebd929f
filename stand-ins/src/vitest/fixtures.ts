import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableNames, type TableNames } from '@creditline/adapters/definitions';
import { ensureTables } from '@creditline/adapters/dynamodb/create-tables';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createPgSqlClient, type PgSqlClient } from '@creditline/adapters/sql/pg-sql-client';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { localCredentials, localRegion } from '../dynamodb-local.js';

/** Test helpers over the stand-ins the global setup started. Each call isolates its caller. */

const uniqueName = (prefix: string): string => `${prefix}${randomBytes(5).toString('hex')}`;

export interface TestDynamo {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
  readonly endpoint: string;
}

/** The three tables under a fresh prefix, created from the shared definitions. */
export const createTestDynamo = async (): Promise<TestDynamo> => {
  const endpoint = inject('dynamoEndpoint');
  const config = { endpoint, region: localRegion, credentials: localCredentials };
  const client = new DynamoDBClient(config);
  const names = tableNames(uniqueName('t') + '-');
  await ensureTables(client, names);
  return { client, doc: createDocumentClient(config), tables: names, endpoint };
};

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  readonly sql: PgSqlClient;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A database of its own, cloned from the migrated template (fast: a file copy). */
export const createTestDatabase = async (): Promise<TestDatabase> => {
  const name = uniqueName('db_');
  const admin = createPgSqlClient(inject('postgresAdminUrl'), { max: 1 });
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  const url = `${inject('postgresUrlPrefix')}${name}`;
  const sql = createPgSqlClient(url);
  return {
    url,
    name,
    sql,
    drop: async () => {
      await sql.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
};

export interface TestBucket {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly endpoint: string;
}

/** A bucket of its own on s3rver, and a client configured the way the adapters need. */
export const createTestBucket = async (): Promise<TestBucket> => {
  const endpoint = inject('s3Endpoint');
  const s3 = new S3Client({
    endpoint,
    region: localRegion,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    // s3rver does not understand the SDK's default streaming checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const bucket = uniqueName('b-');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return { s3, bucket, endpoint };
};
