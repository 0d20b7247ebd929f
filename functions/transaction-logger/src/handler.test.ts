import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fixture from './fixtures/sqs-transaction-decided.json' with { type: 'json' };

/** The deployed entry point: configuration read once at cold start, fail-fast on a bad environment. */
describe('TransactionLogger entry point', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('refuses to start with every missing variable named', async () => {
    // Prepare
    for (const name of [
      'TABLE_CREDIT_CACHE',
      'TABLE_DEPOSIT_EVENTS',
      'TABLE_TRANSACTION_LOG',
      'AUDIT_DELIVERY_STREAM',
      'DATABASE_URL',
      'DB_CLUSTER_ARN',
    ])
      vi.stubEnv(name, undefined);

    // Act
    const loading = import('./handler.js');

    // Assess
    await expect(loading).rejects.toThrow(/TABLE_TRANSACTION_LOG[\s\S]*AUDIT_DELIVERY_STREAM/);
  });

  it('starts from a valid environment and fails a malformed record before touching any store', async () => {
    // Prepare
    vi.stubEnv('CREDITLINE_STAGE', 'dev');
    vi.stubEnv('TABLE_CREDIT_CACHE', 'creditline-dev-CreditCache');
    vi.stubEnv('TABLE_DEPOSIT_EVENTS', 'creditline-dev-DepositEvents');
    vi.stubEnv('TABLE_TRANSACTION_LOG', 'creditline-dev-TransactionLog');
    vi.stubEnv('AUDIT_DELIVERY_STREAM', 'creditline-dev-audit');
    vi.stubEnv('DATABASE_URL', 'postgres://nobody@127.0.0.1:1/none');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const { handler } = await import('./handler.js');
    const [record] = fixture.Records;
    const malformed = {
      ...record,
      messageId: 'bad',
      body: 'not json',
    } as SQSEvent['Records'][number];

    // Act
    const outcome = handler({ Records: [malformed] });

    // Assess: a whole batch failing is thrown, so Lambda returns every record to the queue
    await expect(outcome).rejects.toThrow('All records failed processing');
  });
});
