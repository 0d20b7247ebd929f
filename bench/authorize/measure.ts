/**
 * The measuring process (forked by run.ts with stdout discarded, because the handler writes its
 * EMF metrics there as it does in Lambda). Results go back to the parent over IPC.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { itemKey } from '../../functions/adapters/src/definitions/index.js';
import { createDocumentClient } from '../../functions/adapters/src/dynamodb/document-client.js';
import { postTransactionEvent } from './api-gateway-events.js';
import { createDesignFloor, createSingleUpdateFloor } from './bare-floor.js';
import { runClosedLoop, summarize, type LoadResult, type OperationResult } from './closed-loop.js';
import { createCpuMeter } from './cpu-meter.js';
import {
  AMOUNT_CENTS,
  HOT_USER,
  populationLabel,
  scenarios,
  USER_COUNT,
  userId,
  type Scenario,
} from './scenarios.js';

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly handler: ReturnType<typeof summarize>;
  /** The design's calls issued bare (claim, hold, finalize). */
  readonly designFloor: ReturnType<typeof summarize>;
  /** The bare single-item conditional UpdateItem on the same item(s). */
  readonly singleFloor: ReturnType<typeof summarize>;
  /** Credit the hot user had at the start of each handler round (cents; null for many users). */
  readonly hotCreditPerRound: number | null;
}
export type MeasureMessage =
  | { readonly type: 'progress'; readonly text: string }
  | { readonly type: 'result'; readonly result: ScenarioResult };

const send = (message: MeasureMessage) => process.send?.(message);

/** Credit that never runs out within a run. */
export const AMPLE_CREDIT = 1_000_000_000_000;

const { handler } = await import('../../functions/transaction-validator/src/handler.js');
const doc = createDocumentClient();
const tables = {
  creditCache: process.env.TABLE_CREDIT_CACHE ?? '',
  transactionLog: process.env.TABLE_TRANSACTION_LOG ?? '',
};
const designFloor = createDesignFloor(doc, tables);
const singleFloor = createSingleUpdateFloor(doc, tables);
const sampleCpu = createCpuMeter(Number(process.env.BENCH_DYNAMODB_PID));
const context = {
  functionName: 'creditline-bench-transaction-validator',
  awsRequestId: 'bench',
} as Context;

/** Puts the hot user's account back to `credit` with nothing held (the same item, every round). */
const resetHotUser = (credit: number) =>
  doc.send(
    new PutCommand({
      TableName: tables.creditCache,
      Item: {
        ...itemKey('acme', HOT_USER),
        partner_id: 'acme',
        user_id: HOT_USER,
        available: credit,
        pending: 0,
        version: 0,
        account_status: 'ACTIVE',
        currency: 'USD',
      },
    }),
  );

let sequence = 0;
const pickUser = (population: Scenario['population']) =>
  population === 'hot' ? HOT_USER : userId(Math.floor(Math.random() * USER_COUNT));
const amount = (AMOUNT_CENTS / 100).toFixed(2);

const runHandler = (
  population: Scenario['population'],
  count: number,
  concurrency: number,
): Promise<LoadResult> =>
  runClosedLoop(
    count,
    concurrency,
    () => postTransactionEvent(`bench-h-${String((sequence += 1))}`, pickUser(population), amount),
    async (event): Promise<OperationResult> => {
      const response = await handler(event, context);
      if (response?.statusCode === 503) return 'unavailable';
      if (response?.statusCode === 200 && response.body.includes('"PERMITTED"')) return 'permitted';
      if (response?.statusCode === 200 && response.body.includes('"INSUFFICIENT_FUNDS"'))
        return 'rejected';
      throw new Error(`unexpected answer ${String(response?.statusCode)}: ${response?.body ?? ''}`);
    },
    sampleCpu,
  );

const runFloor =
  (floor: typeof designFloor) =>
  (population: Scenario['population'], count: number, concurrency: number): Promise<LoadResult> =>
    runClosedLoop(
      count,
      concurrency,
      () => ({
        transactionId: `bench-f-${String((sequence += 1))}`,
        userId: pickUser(population),
        amount: AMOUNT_CENTS,
      }),
      floor,
      sampleCpu,
    );

const kinds = {
  handler: runHandler,
  design: runFloor(designFloor),
  single: runFloor(singleFloor),
} as const;
type Kind = keyof typeof kinds;

// DynamoDB Local is Java: its JIT and the SDK's connection pools warm up before anything is timed.
send({ type: 'progress', text: 'warming up (JVM, connection pools, V8)' });
await resetHotUser(AMPLE_CREDIT);
for (const kind of ['single', 'design', 'handler'] as const) await kinds[kind]('many', 1_000, 16);
for (const kind of ['single', 'design', 'handler'] as const) await kinds[kind]('hot', 300, 16);

/** Two rounds of each kind per scenario, mirrored (A B C C B A), so drift lands on all alike. */
const ROUND_ORDER: readonly Kind[] = ['single', 'design', 'handler', 'handler', 'design', 'single'];

for (const scenario of scenarios) {
  send({
    type: 'progress',
    text: `${populationLabel(scenario.population)}, concurrency ${String(scenario.concurrency)}`,
  });
  const perRound = Math.ceil(scenario.requests / 2);
  // The hot user runs out of credit halfway through each handler round: both answers occur.
  const hotCredit = Math.floor(perRound / 2) * AMOUNT_CENTS;
  const runs: Record<Kind, LoadResult[]> = { handler: [], design: [], single: [] };
  for (const kind of ROUND_ORDER) {
    if (scenario.population === 'hot')
      await resetHotUser(kind === 'handler' ? hotCredit : AMPLE_CREDIT);
    runs[kind].push(await kinds[kind](scenario.population, perRound, scenario.concurrency));
  }
  send({
    type: 'result',
    result: {
      scenario,
      handler: summarize(runs.handler),
      designFloor: summarize(runs.design),
      singleFloor: summarize(runs.single),
      hotCreditPerRound: scenario.population === 'hot' ? hotCredit : null,
    },
  });
}
process.exit(0);
