import { DynamoDBClient, UpdateItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { execFile } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tableNames } from '../../functions/adapters/src/definitions/tables.js';
import { ensureTables } from '../../functions/adapters/src/dynamodb/create-tables.js';
import { createPgSqlClient } from '../../functions/adapters/src/sql/pg-sql-client.js';
import { localCredentials, localRegion, startScratchStores } from '../../stand-ins/src/index.js';
import type { MeasureMode } from './measure.js';
import { seedDynamoDb, seedPostgres } from './seed.js';
import {
  DEPOSITS,
  PENDING_PERMITS,
  TARGET_ENV,
  TRANSACTIONS,
  USERS,
  type BenchTarget,
} from './world.js';

/**
 * pnpm bench:reconcile — 20,000 users and 1,000,000 ledger rows on PostgreSQL and DynamoDB Local:
 * the reconcile run's wall time and peak RSS beside its floors (the aggregate SQL, the deposit-id
 * listing and the parallel Scans alone, then all three at once). Each figure is measured in a
 * process of its own. Target: the run in under 30 s.
 */
const TARGET_SECONDS = 30;
const segments = Number(process.env.BENCH_SEGMENTS ?? 4);
const here = fileURLToPath(new URL('.', import.meta.url));
const seconds = (ms: number): string => `${(ms / 1_000).toFixed(2)} s`;
const count = (value: number): string => value.toLocaleString('en-US');

interface Measurement {
  readonly mode: MeasureMode;
  readonly wallMs: number;
  /** CPU time of the measuring process (Node) alone, stores excluded. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly detail: string;
}

const measure = async (mode: MeasureMode, target: BenchTarget): Promise<Measurement> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(here, 'measure.ts'), mode],
    {
      env: { ...process.env, [TARGET_ENV]: JSON.stringify(target), NODE_NO_WARNINGS: '1' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Measurement;
};

const bucket = 'creditline-bench-reports';
console.log(
  `bench:reconcile — ${count(USERS)} users, ${count(DEPOSITS + TRANSACTIONS)} ledger rows (${count(DEPOSITS)} deposits + ${count(TRANSACTIONS)} transactions), ${count(PENDING_PERMITS)} permits in flight, ${segments} scan segments`,
);
console.log('starting DynamoDB Local, PostgreSQL and s3rver…');
const stores = await startScratchStores({
  prefix: 'creditline-bench-reconcile-',
  database: 'bench_reconcile',
  buckets: [bucket],
});
const { databaseUrl, dynamo: dynamoLocal, s3 } = stores;

try {
  const sql = createPgSqlClient(databaseUrl, { max: 2 });
  const dynamo = new DynamoDBClient({
    endpoint: dynamoLocal.endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 10,
  });
  const tables = tableNames('bench-');
  await ensureTables(dynamo, tables);

  let started = performance.now();
  await seedPostgres(sql);
  const postgresMs = performance.now() - started;
  const { rows: balanceRows } = await sql.query('SELECT user_id, balance FROM credit_balance');
  const balances = new Map(balanceRows.map((row) => [String(row.user_id), Number(row.balance)]));
  started = performance.now();
  const items = await seedDynamoDb(dynamo, tables, balances);
  const dynamoMs = performance.now() - started;
  console.log(
    `seeding (not timed below): PostgreSQL ${seconds(postgresMs)} (generate_series), DynamoDB ${seconds(dynamoMs)} (${count(items)} items, BatchWriteItem ×24)`,
  );

  // Three drifts, so the run writes a real report: a balance off by one cent, a deposit Aurora
  // never got (credited in DynamoDB), a cache item 5.00 short.
  await sql.query("UPDATE credit_balance SET balance = balance + 1 WHERE user_id = 'user-00007'");
  await dynamo.send(
    new PutItemCommand({
      TableName: tables.depositEvents,
      Item: {
        deposit_id: { S: 'dep-extra' },
        user_id: { S: 'user-00011' },
        amount: { N: '2500' },
        deposited_at: { S: '2026-11-24T10:00:00.000Z' },
        source_key: { S: 'inbox/bench-late.csv' },
        source_line: { N: '2' },
        credited_at: { S: '2026-11-24T10:00:01.000Z' },
      },
    }),
  );
  const shiftCache = (user: string, cents: number) =>
    dynamo.send(
      new UpdateItemCommand({
        TableName: tables.creditCache,
        Key: { user_id: { S: user } },
        UpdateExpression: 'ADD available :cents',
        ExpressionAttributeValues: { ':cents': { N: String(cents) } },
      }),
    );
  await shiftCache('user-00011', 2_500);
  await shiftCache('user-00013', -500);
  await sql.close();
  dynamo.destroy();

  const target: BenchTarget = {
    dynamoEndpoint: dynamoLocal.endpoint,
    tablePrefix: 'bench-',
    databaseUrl,
    s3Endpoint: s3.endpoint,
    bucket,
    segments,
  };
  // DynamoDB Local is a JVM: one pass over the tables warms it before anything is timed.
  await measure('scans', target);
  const loadBefore = os
    .loadavg()
    .map((load) => load.toFixed(1))
    .join(' ');

  // The machine is small and may be shared: each figure is the median of three runs, all shown,
  // and each reconcile run is paired with a floor run right before it, so a busy moment slows
  // both and their ratio stays meaningful.
  const rounds = 3;
  const floors = { 'aggregate-sql': [], 'deposit-ids': [], scans: [] } as Record<
    'aggregate-sql' | 'deposit-ids' | 'scans',
    Measurement[]
  >;
  const pairs: { floor: Measurement; run: Measurement }[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of ['aggregate-sql', 'deposit-ids', 'scans'] as const)
      floors[mode].push(await measure(mode, target));
    pairs.push({ floor: await measure('floor', target), run: await measure('reconcile', target) });
  }
  const repairRun = await measure('reconcile-repair', target);
  const afterRepair = await measure('reconcile', target);

  const median = (runs: readonly Measurement[]): Measurement =>
    [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)] ??
    (runs[0] as Measurement);
  const floorMs = median(pairs.map((pair) => pair.floor)).wallMs;
  const ratios = pairs.map((pair) => pair.run.wallMs / pair.floor.wallMs).sort((a, b) => a - b);
  const rows: { label: string; runs: Measurement[]; versus?: string }[] = [
    { label: 'floor: aggregate SQL (per-user figures)', runs: floors['aggregate-sql'] },
    { label: 'floor: deposit listing (keyset pages)', runs: floors['deposit-ids'] },
    { label: `floor: parallel Scans (${segments} segments)`, runs: floors.scans },
    { label: 'floor: all three at once', runs: pairs.map((pair) => pair.floor) },
    {
      label: 'reconcile (report only)',
      runs: pairs.map((pair) => pair.run),
      versus: `${(ratios[Math.floor(ratios.length / 2)] ?? Number.NaN).toFixed(2)}×`,
    },
    {
      label: 'reconcile --repair (3 drifts planted)',
      runs: [repairRun],
      versus: `${(repairRun.wallMs / floorMs).toFixed(2)}×`,
    },
    {
      label: 'reconcile after the repair',
      runs: [afterRepair],
      versus: `${(afterRepair.wallMs / floorMs).toFixed(2)}×`,
    },
  ];
  console.log('');
  console.log(
    `load average before timing: ${loadBefore}; after: ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')} (${os.cpus().length} CPUs)`,
  );
  console.log(
    `${'measured (median of runs)'.padEnd(40)}${'wall'.padStart(9)}${'node CPU'.padStart(10)}${'peak RSS'.padStart(10)}  ${'vs floor'.padEnd(9)}${'runs (s)'.padEnd(22)}detail`,
  );
  for (const { label, runs, versus = '' } of rows) {
    const middle = median(runs);
    const peak = Math.max(...runs.map((run) => run.maxRssMb));
    const all = runs.map((run) => (run.wallMs / 1_000).toFixed(2)).join(' / ');
    console.log(
      `${label.padEnd(40)}${seconds(middle.wallMs).padStart(9)}${seconds(middle.cpuMs).padStart(10)}${`${peak.toFixed(0)} MB`.padStart(10)}  ${versus.padEnd(9)}${all.padEnd(22)}${middle.detail}`,
    );
  }
  const typical = median(pairs.map((pair) => pair.run)).wallMs;
  console.log('');
  console.log(
    `target: the ${count(USERS)}-user run in under ${TARGET_SECONDS} s — median ${seconds(typical)}: ${typical < TARGET_SECONDS * 1_000 ? 'met' : 'MISSED'} (the original design budgeted 5 to 15 minutes)`,
  );
} finally {
  await stores.stop();
}
