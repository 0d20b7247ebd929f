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

for (const scenario of scenarios) {
  send({ type: 'progress', text: `${scenario.population} users, concurrency ${String(scenario.concurrency)}` });
  const half = Math.ceil(scenario.requests / 2);
  // Rounds interleaved floor, handler, handler, floor, so drift (table growth, GC) hits both alike.
  const floorRuns = [await runFloor(scenario.population, half, scenario.concurrency)];
  const handlerRuns = [await runHandler(scenario.population, half, scenario.concurrency)];
  handlerRuns.push(await runHandler(scenario.population, half, scenario.concurrency));
  floorRuns.push(await runFloor(scenario.population, half, scenario.concurrency));
  send({ type: 'result', result: { scenario, handler: summarize(handlerRuns), floor: summarize(floorRuns) } });
}
process.exit(0);
