import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { QueueAdmin } from '../../domain/src/ports/queue-admin.js';
import { tableNames } from '../../functions/adapters/src/definitions/tables.js';
import { createDocumentClient } from '../../functions/adapters/src/dynamodb/document-client.js';
import { createS3Client } from '../../functions/adapters/src/s3/s3-client.js';
import { createS3ObjectWriter } from '../../functions/adapters/src/s3/s3-object-writer.js';
import { createPgSqlClient } from '../../functions/adapters/src/sql/pg-sql-client.js';
import { createReconciliationRepository } from '../../functions/adapters/src/sql/reconciliation-repository.js';
import { createReconcileDependencies } from '../../functions/reconciliation/src/composition.js';
import { createReconcile } from '../../functions/reconciliation/src/reconcile.js';
import { localCredentials, localRegion } from '../../stand-ins/src/dynamodb-local.js';
import { TARGET_ENV, type BenchTarget } from './world.js';

/**
 * One measurement, in a process of its own so its peak RSS is its own: prints one JSON line
 * `{ mode, wallMs, cpuMs, maxRssMb, detail }`. Modes: the floors (`aggregate-sql`, `deposit-ids`,
 * `scans`, `floor`: the three at once) and `reconcile` / `reconcile-repair` (the use-case).
 */
export type MeasureMode =
  'aggregate-sql' | 'deposit-ids' | 'scans' | 'floor' | 'reconcile' | 'reconcile-repair';

const target = JSON.parse(process.env[TARGET_ENV] ?? '{}') as BenchTarget;
const mode = process.argv[2] as MeasureMode;
const tables = tableNames(target.tablePrefix);
const dynamoConfig = {
  endpoint: target.dynamoEndpoint,
  region: localRegion,
  credentials: localCredentials,
  maxAttempts: 5,
};
const dynamo = new DynamoDBClient(dynamoConfig);
const sql = createPgSqlClient(target.databaseUrl, { max: 4 });
const repository = createReconciliationRepository(sql);

const aggregateSql = async (): Promise<string> => {
  let rows = 0;
  await repository.eachUserFiguresPage((page) => (rows += page.length));
  return `${rows} users`;
};

const depositIds = async (): Promise<string> => {
  let rows = 0;
  await repository.eachDepositPage((page) => (rows += page.length));
  return `${rows} deposits`;
};

/** The same Scans the reconciliation sends (segments, projection, page limit), items counted and dropped. */
const rawScan = async (table: string, attributes: readonly string[]): Promise<number> => {
  const names = Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name]));
  let items = 0;
  await Promise.all(
    Array.from({ length: target.segments }, async (_, segment) => {
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await dynamo.send(
          new ScanCommand({
            TableName: table,
            ProjectionExpression: Object.keys(names).join(', '),
            ExpressionAttributeNames: names,
            Limit: 5_000,
            ...(target.segments > 1 ? { Segment: segment, TotalSegments: target.segments } : {}),
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        items += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }),
  );
  return items;
};

const scans = async (): Promise<string> => {
  const [cache, deposits] = await Promise.all([
    rawScan(tables.creditCache, ['user_id', 'available', 'version']),
    rawScan(tables.depositEvents, ['deposit_id', 'user_id', 'amount']),
  ]);
  return `${cache} cache items, ${deposits} deposit events`;
};

const reconcile = async (repair: boolean): Promise<string> => {
  const noQueues: QueueAdmin = {
    queueNames: [],
    listDeadLetters: () => Promise.resolve([]),
    redriveDeadLetters: () => Promise.resolve({ moved: 0 }),
  };
  const run = createReconcile(
    createReconcileDependencies(
      {
        dynamo,
        doc: createDocumentClient(dynamoConfig),
        sql,
        tables,
        objects: createS3ObjectWriter(
          createS3Client({
            endpoint: target.s3Endpoint,
            region: localRegion,
            forcePathStyle: true,
            credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
          }),
        ),
        reportsBucket: target.bucket,
        publisher: { publish: () => Promise.resolve() },
        queueAdmin: noQueues,
      },
      { checked: () => undefined, repaired: () => undefined, finished: () => undefined },
    ),
  );
  const now = new Date();
  const { summary } = await run({
    runId: `bench-${now.getTime()}-${repair ? 'repair' : 'report'}`,
    repair,
    now,
    unsettledThresholdMs: 15 * 60_000,
    segments: target.segments,
  });
  const repaired = summary.repairs ? `, ${summary.repairs.repaired} repaired` : '';
  return `${summary.users_checked} users, ${summary.deposits_checked} deposits, ${summary.differences} differences${repaired}`;
};

const modes: Record<MeasureMode, () => Promise<string>> = {
  'aggregate-sql': aggregateSql,
  'deposit-ids': depositIds,
  scans,
  floor: async () => (await Promise.all([aggregateSql(), depositIds(), scans()])).join('; '),
  reconcile: () => reconcile(false),
  'reconcile-repair': () => reconcile(true),
};

const started = performance.now();
const cpuBefore = process.cpuUsage();
const detail = await modes[mode]();
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
/** This process's own CPU time: unlike wall time, it does not grow when the stores are slow or the machine is busy. */
const cpuMs = (cpu.user + cpu.system) / 1_000;
await sql.close();
dynamo.destroy();
const maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ mode, wallMs, cpuMs, maxRssMb, detail })}\n`);
