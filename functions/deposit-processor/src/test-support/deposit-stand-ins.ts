import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createEventBridgeClient } from '@creditline/adapters/eventbridge/eventbridge-client';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
  type CannedReply,
  type RecordedRequest,
} from '@creditline/adapters/testing/aws-json-endpoint';
import {
  createTestBucket,
  createTestDatabase,
  createTestDynamo,
  type TestBucket,
  type TestDatabase,
  type TestDynamo,
} from '@creditline/stand-ins/vitest';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import {
  composeDependencies,
  type DepositProcessorDependencies,
  type DepositProcessorOptions,
} from '../composition.js';
import type { DepositFileRef } from '../ingest-deposit-file.js';

/** The processing time of every test: deposit timestamps after 12:05 that day are in the future. */
export const TEST_NOW = new Date('2026-01-15T12:00:00.000Z');
/** The partner whose inbox `upload` writes to unless told otherwise. */
export const TEST_PARTNER = 'acme';

export const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../fixtures/deposits/${name}`, import.meta.url));

const accepted = (request: RecordedRequest): CannedReply => ({
  body: {
    FailedEntryCount: 0,
    Entries: (request.body['Entries'] as unknown[]).map((_, i) => ({ EventId: `event-${i}` })),
  },
});

/**
 * The DepositProcessor over the real stand-ins: DynamoDB Local, PostgreSQL and s3rver, each
 * fresh for the caller, and EventBridge (no local server) as a recording endpoint.
 */
export interface DepositStandIns {
  readonly dynamo: TestDynamo;
  readonly db: TestDatabase;
  readonly bucket: TestBucket;
  readonly eventBridge: AwsJsonEndpoint;
  dependencies(options?: DepositProcessorOptions, metrics?: Metrics): DepositProcessorDependencies;
  /** Uploads a file under `inbox/<partner>/` (default acme); each upload gets a new sequencer and its ETag, as its S3 event has them. */
  upload(name: string, body: string | Buffer, partnerId?: string): Promise<DepositFileRef>;
  readText(key: string): Promise<string>;
  errorsFile(
    key: string,
  ): Promise<{ line: number; row: string; reason: string; message: string }[]>;
  /** available per user in CreditCache. */
  creditCache(): Promise<Record<string, number>>;
  /** balance per user in Aurora's credit_balance. */
  creditBalance(): Promise<Record<string, number>>;
  depositIds(): Promise<{ dynamo: string[]; aurora: string[] }>;
  publishedDetails(): Record<string, unknown>[];
  close(): Promise<void>;
}

export const startDepositStandIns = async (): Promise<DepositStandIns> => {
  const [dynamo, db, bucket, eventBridge] = await Promise.all([
    createTestDynamo(),
    createTestDatabase(),
    createTestBucket(),
    startAwsJsonEndpoint(accepted),
  ]);
  let uploads = 0;
  const readText = async (key: string): Promise<string> => {
    const output = await bucket.s3.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }));
    return (await output.Body?.transformToString('utf8')) ?? '';
  };
  return {
    dynamo,
    db,
    bucket,
    eventBridge,
    dependencies: (options = {}, metrics = new Metrics({ namespace: 'test' })) =>
      composeDependencies(
        {
          s3: bucket.s3,
          doc: dynamo.doc,
          tables: dynamo.tables,
          sql: db.sql,
          eventBridge: createEventBridgeClient(testClientConfig(eventBridge.endpoint)),
          eventBusName: 'creditline-test',
        },
        { logger: new Logger({ logLevel: 'SILENT' }), metrics },
        {
          clock: { now: () => TEST_NOW },
          retryPolicy: { attempts: 2, baseDelayMs: 1 },
          ...options,
        },
      ),
    async upload(name, body, partnerId = TEST_PARTNER) {
      const key = `inbox/${partnerId}/${name}`;
      const { ETag } = await bucket.s3.send(
        new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body }),
      );
      uploads += 1;
      return {
        bucket: bucket.bucket,
        key,
        partner_id: partnerId,
        upload: `0055AED6DCD9028${String(uploads).padStart(3, '0')}`,
        // As the event reports it: without quotes.
        ...(ETag === undefined ? {} : { etag: ETag.replaceAll('"', '') }),
      };
    },
    readText,
    async errorsFile(key) {
      const rows = parse<{ line: string; row: string; reason: string; message: string }>(
        await readText(key),
        { columns: true },
      );
      return rows.map((row) => ({ ...row, line: Number(row.line) }));
    },
    async creditCache() {
      const { Items = [] } = await dynamo.doc.send(
        new ScanCommand({ TableName: dynamo.tables.creditCache, ConsistentRead: true }),
      );
      return Object.fromEntries(
        Items.map((item) => [String(item['user_id']), Number(item['available'])]),
      );
    },
    async creditBalance() {
      const { rows } = await db.sql.query<{ user_id: string; balance: number }>(
        'SELECT user_id, balance FROM credit_balance',
      );
      return Object.fromEntries(rows.map((row) => [row.user_id, row.balance]));
    },
    async depositIds() {
      const { Items = [] } = await dynamo.doc.send(
        new ScanCommand({ TableName: dynamo.tables.depositEvents, ConsistentRead: true }),
      );
      const { rows } = await db.sql.query<{ deposit_id: string }>(
        'SELECT deposit_id FROM deposits',
      );
      return {
        dynamo: Items.map((item) => String(item['deposit_id'])).sort(),
        aurora: rows.map((row) => row.deposit_id).sort(),
      };
    },
    publishedDetails: () =>
      eventBridge.requests.flatMap((request) =>
        (request.body['Entries'] as { Detail: string }[]).map(
          (entry) => JSON.parse(entry.Detail) as Record<string, unknown>,
        ),
      ),
    async close() {
      await Promise.all([db.drop(), eventBridge.close()]);
    },
  };
};
