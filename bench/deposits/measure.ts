import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { createReadStream } from 'node:fs';
import type {
  DepositCredit,
  DepositLedger,
  DepositRepository,
  ObjectWriter,
} from '../../domain/src/index.js';
import { sumCreditsByUser } from '../../domain/src/index.js';
import { tableNames } from '../../functions/adapters/src/definitions/tables.js';
import { createDocumentClient } from '../../functions/adapters/src/dynamodb/document-client.js';
import { createEventBridgeClient } from '../../functions/adapters/src/eventbridge/eventbridge-client.js';
import { createObservability } from '../../functions/adapters/src/observability/powertools.js';
import { createS3Client } from '../../functions/adapters/src/s3/s3-client.js';
import { createPgSqlClient } from '../../functions/adapters/src/sql/pg-sql-client.js';
import {
  startAwsJsonEndpoint,
  testClientConfig,
} from '../../functions/adapters/src/testing/aws-json-endpoint.js';
import { createBatchPipeline } from '../../functions/deposit-processor/src/batch-pipeline.js';
import { composeDependencies } from '../../functions/deposit-processor/src/composition.js';
import { createDepositCsvParser } from '../../functions/deposit-processor/src/csv-records.js';
import {
  ingestDepositFile,
  type IngestOutcome,
} from '../../functions/deposit-processor/src/ingest-deposit-file.js';
import { TARGET_ENV, type BenchTarget, type Measurement, type MeasureMode } from './target.js';

/**
 * One measurement, in a process of its own so its peak RSS is its own: prints one JSON line
 * `{ mode, wallMs, rows, maxRssMb, detail }`. Modes:
 * - `csv-parse`: csv-parse alone over the file's bytes, with the use-case's options;
 * - `parse-validate`: the use-case with its stores replaced by no-ops (UTF-8, CSV, header and
 *   row rules, in-file dedup, batching);
 * - `dynamodb-bare`: the ledger's TransactWriteItems (the same items, in DynamoDB's attribute-value
 *   form) for the file's accepted deposits, batched beforehand (not timed) and sent by the plain
 *   SDK client with the same batch size and concurrency, nothing else;
 * - `ingest`: the use-case against DynamoDB Local, PostgreSQL and s3rver.
 */
const target = JSON.parse(process.env[TARGET_ENV] ?? '{}') as BenchTarget;
const mode = process.argv[2] as MeasureMode;
const NOW = { now: () => new Date('2025-11-25T06:00:00.000Z') };
const readFile = (): AsyncIterable<Uint8Array> =>
  createReadStream(target.file, { highWaterMark: 64 * 1024 });

/** What a mode measured; `timedFrom` when its clock starts after some untimed preparation. */
interface Timed {
  readonly rows: number;
  readonly detail: string;
  readonly timedFrom?: number;
  readonly cpuFrom?: NodeJS.CpuUsage;
}

const csvParseAlone = async (): Promise<Timed> => {
  const parser = createReadStream(target.file, { highWaterMark: 64 * 1024 }).pipe(
    createDepositCsvParser(),
  );
  let records = 0;
  for await (const record of parser as AsyncIterable<unknown>) if (record) records += 1;
  return { rows: records - 1, detail: 'records counted' };
};

const noStores = (accepted: DepositCredit[][] | null) => {
  const ledger: DepositLedger = {
    maxBatchItems: 100,
    record: (batch) => {
      accepted?.push([...batch.deposits]);
      return Promise.resolve({ credited: batch.deposits, resumed: [], duplicates: [] });
    },
  };
  const repository: DepositRepository = {
    record: () => Promise.resolve({ insertedDepositIds: [] }),
  };
  const writer: ObjectWriter = {
    put: () => Promise.resolve(),
    open: () => ({
      write: () => Promise.resolve(),
      complete: () => Promise.resolve(),
      abort: () => Promise.resolve(),
    }),
    remove: () => Promise.resolve(),
  };
  return {
    source: { open: () => Promise.resolve({ body: readFile() }) },
    writer,
    ledger,
    repository,
    publisher: { publish: () => Promise.resolve() },
    clock: NOW,
    settings: { concurrency: target.concurrency, batchItems: target.batchItems },
  };
};

const summaryDetail = (outcome: IngestOutcome): Timed => {
  if (outcome.status !== 'INGESTED') throw new Error(`not ingested: ${outcome.status}`);
  const { summary } = outcome;
  return {
    rows: summary.rows,
    detail: `${summary.status}: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected`,
  };
};

const file = {
  bucket: target.bucket,
  key: target.key,
  partner_id: 'bench',
  upload: 'bench-upload-1',
};

const parseValidate = async () => summaryDetail(await ingestDepositFile(file, noStores(null)));

const dynamodbBare = async (): Promise<Timed> => {
  // The accepted deposits in the use-case's own batches, gathered first and not timed.
  const batches: DepositCredit[][] = [];
  await ingestDepositFile(file, noStores(batches));
  const tables = tableNames(target.tablePrefix);
  const client = new DynamoDBClient({
    endpoint: target.dynamoEndpoint,
    region: target.region,
    credentials: target.dynamoCredentials,
    maxAttempts: 10,
  });
  const timedFrom = performance.now();
  const cpuFrom = process.cpuUsage();
  const pipeline = createBatchPipeline<DepositCredit[]>(target.concurrency, async (deposits) => {
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          ...deposits.map((deposit) => ({
            Put: {
              TableName: tables.depositEvents,
              Item: {
                pk: { S: `bench#${deposit.deposit_id}` },
                partner_id: { S: 'bench' },
                deposit_id: { S: deposit.deposit_id },
                user_id: { S: deposit.user_id },
                amount: { N: String(deposit.amount) },
                deposited_at: { S: deposit.deposited_at },
                source_key: { S: deposit.source_key },
                source_line: { N: String(deposit.source_line) },
                credited_at: { S: '2025-11-25T06:00:00.000Z' },
                source_upload: { S: 'bare' },
              },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            },
          })),
          ...[...sumCreditsByUser(deposits)].map(([user_id, sum]) => ({
            Update: {
              TableName: tables.creditCache,
              Key: { pk: { S: `bench#${user_id}` } },
              UpdateExpression: 'ADD available :sum',
              ExpressionAttributeValues: { ':sum': { N: String(sum) } },
            },
          })),
        ],
      }),
    );
  });
  for (const batch of batches) await pipeline.submit(batch);
  await pipeline.finish();
  const rows = batches.reduce((sum, batch) => sum + batch.length, 0);
  return {
    rows,
    detail: `${batches.length} TransactWriteItems of ${(rows / batches.length).toFixed(1)} deposits; ${target.concurrency} in flight`,
    timedFrom,
    cpuFrom,
  };
};

const ingest = async (): Promise<Timed> => {
  const eventBridge = await startAwsJsonEndpoint(() => ({
    body: { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] },
  }));
  const sql = createPgSqlClient(target.databaseUrl, { max: target.concurrency + 1 });
  const tables = tableNames(target.tablePrefix);
  try {
    const deps = composeDependencies(
      {
        s3: createS3Client({
          endpoint: target.s3Endpoint,
          region: target.region,
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        }),
        doc: createDocumentClient({
          endpoint: target.dynamoEndpoint,
          region: target.region,
          credentials: target.dynamoCredentials,
          maxAttempts: 10,
        }),
        tables,
        sql,
        eventBridge: createEventBridgeClient(testClientConfig(eventBridge.endpoint)),
        eventBusName: 'creditline-bench',
      },
      createObservability('deposit-processor-bench'),
      { clock: NOW, settings: { concurrency: target.concurrency, batchItems: target.batchItems } },
    );
    return summaryDetail(await deps.ingest(file));
  } finally {
    await sql.close();
    await eventBridge.close();
  }
};

const run: Record<MeasureMode, () => Promise<Timed>> = {
  'csv-parse': csvParseAlone,
  'parse-validate': parseValidate,
  'dynamodb-bare': dynamodbBare,
  ingest,
};
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await run[mode]();
const wallMs = performance.now() - (result.timedFrom ?? started);
const cpu = process.cpuUsage(result.cpuFrom ?? cpuBefore);
const measurement: Measurement = {
  mode,
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1_000,
  rows: result.rows,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  detail: result.detail,
};
console.log(JSON.stringify(measurement));
// The SDK's keep-alive sockets would hold the process open.
process.exit(0);
