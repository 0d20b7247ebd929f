import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tableNames } from '../../functions/adapters/src/definitions/tables.js';
import { ensureTables } from '../../functions/adapters/src/dynamodb/create-tables.js';
import { createS3Client } from '../../functions/adapters/src/s3/s3-client.js';
import { createS3ObjectWriter } from '../../functions/adapters/src/s3/s3-object-writer.js';
import { localCredentials, localRegion, startScratchStores } from '../../stand-ins/src/index.js';
import { generateDepositFile } from './generate.js';
import { TARGET_ENV, type BenchTarget, type Measurement, type MeasureMode } from './target.js';

/**
 * pnpm bench:deposits — a generated 10 MB deposit file (150,000 rows over 20,000 users) through
 * the DepositProcessor's use-case against DynamoDB Local, PostgreSQL and s3rver: wall time, rows/s
 * and peak RSS, beside the floors (csv-parse alone over the same bytes; the use-case with its
 * stores stubbed, i.e. parsing and validation; the same DynamoDB writes issued bare). Each figure
 * is measured in a process of its own, so its peak RSS is its own.
 * Targets: the file in under 60 s with peak RSS under 256 MB; parsing and validation alone at
 * 100,000 rows/s or more.
 */
const ROWS = 150_000;
const USERS = 20_000;
const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 256;
const TARGET_PARSE_ROWS_PER_SECOND = 100_000;
/**
 * DynamoDB Local runs best with few transactions at once, so the bare writes are sent at each of
 * these concurrencies (each into tables of their own) and the fastest is the floor.
 */
const BARE_CONCURRENCIES = [1, 2, 4] as const;
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 4);
const batchItems = Number(process.env['BENCH_BATCH_ITEMS'] ?? 100);

const here = fileURLToPath(new URL('.', import.meta.url));
const count = (value: number): string => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1_000).toFixed(2)} s`;

/**
 * The measuring process runs a bundle built as the Lambda functions are (esbuild, ESM, no tsx at
 * run time), so its time and memory are the function's, not the TypeScript loader's.
 */
const bundleMeasure = async (outfile: string): Promise<void> => {
  await build({
    entryPoints: [join(here, 'measure.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
    },
    external: ['pg-native', 'cloudflare:sockets'],
    logLevel: 'silent',
  });
};

const measure = async (mode: MeasureMode, target: BenchTarget): Promise<Measurement> => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(runDir, 'measure.mjs'), mode],
    {
      env: {
        ...process.env,
        [TARGET_ENV]: JSON.stringify(target),
        NODE_NO_WARNINGS: '1',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Measurement;
};

const bucket = 'creditline-bench-deposits';
console.log('starting DynamoDB Local, PostgreSQL and s3rver…');
const stores = await startScratchStores({
  prefix: 'creditline-bench-deposits-',
  database: 'bench_deposits',
  buckets: [bucket],
});
const { runDir, databaseUrl, dynamo: dynamoLocal, s3 } = stores;

try {
  const dynamo = new DynamoDBClient({
    endpoint: dynamoLocal.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  for (const prefix of ['warm-', ...BARE_CONCURRENCIES.map((n) => `bare${n}-`), 'ingest-']) {
    await ensureTables(dynamo, tableNames(prefix));
  }
  dynamo.destroy();

  await bundleMeasure(join(runDir, 'measure.mjs'));
  const path = join(runDir, 'deposits.csv');
  const generated = await generateDepositFile(path, ROWS, USERS);
  const key = 'inbox/bench/2025-11-24.csv';
  const s3Client = createS3Client({
    endpoint: s3.endpoint,
    region: localRegion,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await createS3ObjectWriter(s3Client).put({ bucket, key }, readFileSync(path, 'utf8'), 'text/csv');
  s3Client.destroy();
  console.log(
    `bench:deposits — ${count(generated.rows)} rows (${(generated.bytes / 1024 / 1024).toFixed(1)} MiB) over ${count(USERS)} users ` +
      `(${count(generated.badRows)} bad rows, ${count(generated.repeats)} repeated lines); batches of up to ${batchItems} items, ${concurrency} in flight; ` +
      `${cpus().length} CPUs, load ${loadavg()[0]?.toFixed(1) ?? '?'}`,
  );

  const target = (tablePrefix: string): BenchTarget => ({
    file: path,
    region: localRegion,
    dynamoEndpoint: dynamoLocal.endpoint,
    dynamoCredentials: localCredentials,
    tablePrefix,
    databaseUrl,
    s3Endpoint: s3.endpoint,
    bucket,
    key,
    concurrency,
    batchItems,
  });
  // DynamoDB Local is a JVM: a full pass of the same writes warms it before anything is timed.
  console.log('warming DynamoDB Local (the bare writes once, untimed)…');
  await measure('dynamodb-bare', target('warm-'));

  // The in-process figures take a second or two: the best of three is less at the mercy of
  // whatever else the machine runs. The store-bound ones take a minute or more and run once.
  const bestOf = async (runs: number, mode: MeasureMode): Promise<Measurement> => {
    const all: Measurement[] = [];
    for (let run = 0; run < runs; run += 1) all.push(await measure(mode, target('ingest-')));
    return all.reduce((best, m) => (m.wallMs < best.wallMs ? m : best));
  };
  const csvParse = await bestOf(3, 'csv-parse');
  const parseValidate = await bestOf(3, 'parse-validate');
  // The bare runs bracket the ingest, so neither side alone gets the emptier DynamoDB Local.
  const bareAt = (inFlight: number): Promise<Measurement> =>
    measure('dynamodb-bare', { ...target(`bare${inFlight}-`), concurrency: inFlight });
  const bareTwo = await bareAt(2);
  const ingest = await measure('ingest', target('ingest-'));
  const bareRuns = [await bareAt(1), bareTwo, await bareAt(4)];
  const bare = bareRuns.reduce((best, m) => (m.wallMs < best.wallMs ? m : best));

  const rate = (m: Measurement): number => (m.rows / m.wallMs) * 1_000;
  const cpuRate = (m: Measurement): number => (m.rows / m.cpuMs) * 1_000;
  const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
  const rows: [string, Measurement, string][] = [
    ['csv-parse alone over the same bytes (floor, best of 3)', csvParse, ''],
    [
      'parse + validation: the use-case, stores stubbed (best of 3)',
      parseValidate,
      `target ≥ ${count(TARGET_PARSE_ROWS_PER_SECOND)} rows/s: ${verdict(rate(parseValidate) >= TARGET_PARSE_ROWS_PER_SECOND)} ` +
        `(per CPU-second: ${verdict(cpuRate(parseValidate) >= TARGET_PARSE_ROWS_PER_SECOND)}); ` +
        `${((rate(parseValidate) / rate(csvParse)) * 100).toFixed(0)}% of csv-parse alone`,
    ],
    [
      'the same DynamoDB writes issued bare (floor, fastest of 1/2/4 in flight)',
      bare,
      BARE_CONCURRENCIES.map(
        (n, i) => `${n} in flight: ${seconds(bareRuns[i]?.wallMs ?? NaN)}`,
      ).join(', '),
    ],
    [
      'ingestDepositFile: s3rver → DynamoDB Local + PostgreSQL',
      ingest,
      `target < ${TARGET_SECONDS} s: ${verdict(ingest.wallMs < TARGET_SECONDS * 1_000)}; peak RSS < ${TARGET_RSS_MB} MB: ${verdict(ingest.maxRssMb < TARGET_RSS_MB)}; ${((bare.wallMs / ingest.wallMs) * 100).toFixed(0)}% of the bare writes' speed`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(
    `\n${'figure'.padEnd(width)}  ${'wall'.padStart(9)}  ${'rows/s'.padStart(9)}  ${'CPU'.padStart(9)}  ${'rows/CPU-s'.padStart(10)}  ${'peak RSS'.padStart(9)}  compared with`,
  );
  for (const [name, m, comparison] of rows) {
    console.log(
      `${name.padEnd(width)}  ${seconds(m.wallMs).padStart(9)}  ${count(rate(m)).padStart(9)}  ${seconds(m.cpuMs).padStart(9)}  ${count(cpuRate(m)).padStart(10)}  ${`${count(m.maxRssMb)} MB`.padStart(9)}  ${comparison}`,
    );
  }
  console.log(
    `\n${ingest.detail}; bare writes: ${bare.detail}; load average now ${loadavg()[0]?.toFixed(1) ?? '?'}` +
      '\nCPU is the measuring process alone; the store-bound figures spend theirs mostly in DynamoDB Local (Java) and PostgreSQL.',
  );
} finally {
  await stores.stop();
}
