/**
 * `pnpm bench:authorize [--json]`: the TransactionValidator handler, invoked in process with API
 * Gateway v2 events against DynamoDB Local, over 10,000 users and over one hot user who runs out
 * of credit during each run, beside two floors measured in the same run on the same items: the
 * design's calls issued bare, and the bare single-item conditional UpdateItem (the hot item's
 * ceiling). Starts its own stand-ins, prints a table (and with --json, as its last line, one JSON
 * object), stops them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { itemKey, tableNames } from '../../functions/adapters/src/definitions/index.js';
import { ensureTables } from '../../functions/adapters/src/dynamodb/create-tables.js';
import { createDocumentClient } from '../../functions/adapters/src/dynamodb/document-client.js';
import { localCredentials, localRegion, startScratchStores } from '../../stand-ins/src/index.js';
import { dynamoItemBytes, writeUnits } from './item-size.js';
import type { MeasureMessage, ScenarioResult } from './measure.js';
import { formatTable, formatTargets, toJsonReport } from './report.js';
import { HOT_USER, USER_COUNT, userId } from './scenarios.js';

/** Enough credit that the many users are always permitted (the hot user's is set per round). */
const AMPLE_CREDIT = 1_000_000_000_000;
const json = process.argv.includes('--json');

console.log('starting DynamoDB Local and PostgreSQL...');
const stores = await startScratchStores({
  prefix: 'creditline-bench-authorize-',
  database: 'bench_authorize',
});
const { dynamo, runDir: workDir, databaseUrl } = stores;

try {
  const names = tableNames('bench-');
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  await ensureTables(client, names);

  console.log(`seeding ${String(USER_COUNT)} users and one hot user...`);
  const doc = createDocumentClient({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const users = [...Array.from({ length: USER_COUNT }, (_, index) => userId(index)), HOT_USER];
  const batches = Array.from({ length: Math.ceil(users.length / 25) }, (_, index) =>
    users.slice(index * 25, index * 25 + 25),
  );
  for (let start = 0; start < batches.length; start += 16) {
    await Promise.all(
      batches.slice(start, start + 16).map((batch) =>
        doc.send(
          new BatchWriteCommand({
            RequestItems: {
              [names.creditCache]: batch.map((user) => ({
                PutRequest: {
                  Item: {
                    ...itemKey('acme', user),
                    partner_id: 'acme',
                    user_id: user,
                    available: AMPLE_CREDIT,
                    pending: 0,
                    version: 0,
                    account_status: 'ACTIVE',
                    currency: 'USD',
                  },
                },
              })),
            },
          }),
        ),
      ),
    );
  }

  const results: ScenarioResult[] = [];
  const loadBefore = loadavg();
  await new Promise<void>((resolve, reject) => {
    const child = fork(new URL('./measure.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      // stdout carries the handler's EMF metrics and stderr its JSON log lines, as in Lambda.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        CREDITLINE_STAGE: 'local',
        TABLE_CREDIT_CACHE: names.creditCache,
        TABLE_DEPOSIT_EVENTS: names.depositEvents,
        TABLE_TRANSACTION_LOG: names.transactionLog,
        TABLE_WEBHOOKS: names.webhooks,
        DATABASE_URL: databaseUrl,
        EVENT_BUS_NAME: 'creditline-bench-bus',
        PARTNERS: JSON.stringify([
          {
            id: 'acme',
            // The fixture's verified caller is a session of this role.
            roleArn: 'arn:aws:iam::123456789012:role/creditline-dev-partner-acme',
            eventSource: 'partner.acme',
            eventAccountId: '111122223333',
            callbackHosts: ['hooks.acme.example'],
            webhookSecretArn: 'local:acme',
            rateLimit: { perSecond: 10_000, burst: 20_000 },
          },
        ]),
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_REGION: localRegion,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        BENCH_DYNAMODB_PID: readFileSync(join(workDir, 'dynamodb-local.pid'), 'utf8').trim(),
      },
    });
    let logLines = 0;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (line.startsWith('{"level"')) logLines += 1;
        else if (
          line.trim() !== '' &&
          !/NodeVersionSupportWarning|node >=22|^To continue|^More information|^versions published|^will require|^\(Use `node/.test(
            line,
          )
        ) {
          process.stderr.write(`${line}\n`);
        }
      }
    });
    child.on('exit', () => {
      if (logLines > 0)
        console.log(
          `  (the handler wrote ${String(logLines)} JSON log lines to stderr: at INFO it logs only 503s)`,
        );
    });
    child.on('message', (message: MeasureMessage) => {
      if (message.type === 'progress') console.log(`  ${message.text}...`);
      else {
        results.push(message.result);
        // Each row as it is measured, so a run cut short still reports what it measured.
        const { scenario, handler, designFloor, singleFloor } = message.result;
        console.log(
          `    ${scenario.population === 'many' ? '10,000 users' : '1 hot user'} c${String(scenario.concurrency)}: ${String(Math.round(handler.perSecond))} decisions/s, p50 ${handler.p50.toFixed(1)} p99 ${handler.p99.toFixed(1)} ms, ` +
            `${String(handler.permitted)} PERMITTED / ${String(handler.rejected)} REJECTED / ${String(handler.unavailable)} × 503; ` +
            `design floor ${String(Math.round(designFloor.perSecond))} ops/s, single UpdateItem ${String(Math.round(singleFloor.perSecond))} ops/s (p99 ${singleFloor.p99.toFixed(1)} ms)`,
        );
      }
    });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`measuring process exited with ${String(code)}`)),
    );
  });

  // The hot item as the last handler round left it: what one decision's UpdateItem is billed on.
  const { Item: hotItem = {} } = await doc.send(
    new GetCommand({
      TableName: names.creditCache,
      Key: itemKey('acme', HOT_USER),
      ConsistentRead: true,
    }),
  );
  doc.destroy();
  const hotBytes = dynamoItemBytes(hotItem);

  const cpu = cpus();
  console.log('');
  console.log(
    'TransactionValidator handler (in process, API Gateway v2 events, Powertools logger + metrics on), each decision 0.01;',
  );
  console.log(
    "floors in the same run, on the same items: the design's calls bare (claim PutItem + conditional UpdateItem + finalize UpdateItem),",
  );
  console.log(
    'and the bare single-item conditional UpdateItem (SET available = available - :a IF available >= :a, UPDATED_NEW).',
  );
  console.log(
    `DynamoDB Local (Java) on ${String(cpu.length)} × ${cpu[0]?.model.trim() ?? 'cpu'}, Node ${process.version}. Latencies in ms.`,
  );
  const loadAfter = loadavg();
  console.log(
    `Machine load average (1 min) before/after measuring: ${loadBefore[0]?.toFixed(1) ?? '?'} / ${loadAfter[0]?.toFixed(1) ?? '?'} (anything above ~2 means other work shared these ${String(cpu.length)} cores).`,
  );
  console.log('');
  console.log(formatTable(results));
  console.log('');
  console.log(formatTargets(results));
  console.log(
    `write units per decision on the hot item: ${String(writeUnits(hotBytes))} (one conditional UpdateItem, no transaction; the item is ${String(hotBytes)} bytes ` +
      `with its last_op stamp, whatever the holds in flight; claim and finalize are 1 WCU each on the transaction's own TransactionLog item)`,
  );
  if (json)
    console.log(
      JSON.stringify(
        toJsonReport(results, { bytes: hotBytes, wcuPerDecision: writeUnits(hotBytes) }),
      ),
    );
} finally {
  await stores.stop();
}
