/**
 * The measuring process (forked by run.ts with stdout discarded, because the handler writes its
 * EMF metrics there as it does in Lambda). Results go back to the parent over IPC.
 */
import type { Context } from 'aws-lambda';
import { createDocumentClient } from '../../functions/adapters/src/dynamodb/document-client.js';
import { postTransactionEvent } from './api-gateway-events.js';
import { createBareFloor } from './bare-floor.js';
import { runClosedLoop, summarize, type LoadResult, type OperationResult } from './closed-loop.js';
import { createCpuMeter } from './cpu-meter.js';
import { HOT_USER, scenarios, USER_COUNT, userId, type Scenario } from './scenarios.js';

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly handler: ReturnType<typeof summarize>;
  readonly floor: ReturnType<typeof summarize>;
}
export type MeasureMessage = { readonly type: 'progress'; readonly text: string } | { readonly type: 'result'; readonly result: ScenarioResult };

const send = (message: MeasureMessage) => process.send?.(message);

const { handler } = await import('../../functions/transaction-validator/src/handler.js');
const floor = createBareFloor(createDocumentClient(), {
  creditCache: process.env.TABLE_CREDIT_CACHE ?? '',
  transactionLog: process.env.TABLE_TRANSACTION_LOG ?? '',
});
const sampleCpu = createCpuMeter(Number(process.env.BENCH_DYNAMODB_PID));
const context = { functionName: 'creditline-bench-transaction-validator', awsRequestId: 'bench' } as Context;

let sequence = 0;
const pickUser = (population: Scenario['population']) =>
  population === 'hot' ? HOT_USER : userId(Math.floor(Math.random() * USER_COUNT));

const runHandler = (population: Scenario['population'], count: number, concurrency: number): Promise<LoadResult> =>
  runClosedLoop(
    count,
    concurrency,
    () => postTransactionEvent(`bench-h-${String((sequence += 1))}`, pickUser(population), '0.01'),
    async (event): Promise<OperationResult> => {
      const response = await handler(event, context);
      if (response?.statusCode === 503) return 'unavailable';
      if (response?.statusCode !== 200 || !response.body.includes('"PERMITTED"')) {
        throw new Error(`unexpected answer ${String(response?.statusCode)}: ${response?.body ?? ''}`);
      }
      return 'ok';
    },
    sampleCpu,
  );

const runFloor = (population: Scenario['population'], count: number, concurrency: number): Promise<LoadResult> =>
  runClosedLoop(
    count,
    concurrency,
    () => ({ transactionId: `bench-f-${String((sequence += 1))}`, userId: pickUser(population), amount: 1 }),
    floor,
    sampleCpu,
  );

// DynamoDB Local is Java: its JIT and the SDK's connection pools warm up before anything is timed.
send({ type: 'progress', text: 'warming up (JVM, connection pools, V8)' });
for (let round = 0; round < 3; round += 1) {
  await runFloor('many', 1_500, 16);
  await runHandler('many', 1_500, 16);
}
await runFloor('hot', 300, 16);
await runHandler('hot', 300, 16);

/**
 * Four rounds of each kind per scenario, in the order A B B A B A A B: drift (table growth, GC)
 * and bursts of other work on the machine land on both kinds alike.
 */
const ROUND_ORDER = ['floor', 'handler', 'handler', 'floor', 'handler', 'floor', 'floor', 'handler'] as const;

for (const scenario of scenarios) {
  send({ type: 'progress', text: `${scenario.population === 'hot' ? '1 hot user' : '10,000 users'}, concurrency ${String(scenario.concurrency)}` });
  const perRound = Math.ceil(scenario.requests / (ROUND_ORDER.length / 2));
  const runs: Record<(typeof ROUND_ORDER)[number], LoadResult[]> = { floor: [], handler: [] };
  for (const kind of ROUND_ORDER) {
    const run = kind === 'floor' ? runFloor : runHandler;
    runs[kind].push(await run(scenario.population, perRound, scenario.concurrency));
  }
  send({ type: 'result', result: { scenario, handler: summarize(runs.handler), floor: summarize(runs.floor) } });
}
process.exit(0);
