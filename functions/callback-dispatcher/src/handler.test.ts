import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDynamo } from '@creditline/stand-ins/vitest';
import fixture from './fixtures/sqs-callback-decided.json' with { type: 'json' };

/** The deployed entry point: configuration read once at cold start, fail-fast on a bad environment. */
describe('CallbackDispatcher entry point', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('refuses to start with a malformed partner list or no queue URL', async () => {
    // Prepare
    vi.stubEnv('TABLE_CREDIT_CACHE', 'a');
    vi.stubEnv('TABLE_DEPOSIT_EVENTS', 'b');
    vi.stubEnv('TABLE_TRANSACTION_LOG', 'c');
    vi.stubEnv('PARTNERS', '[{"id":"acme"}]');
    vi.stubEnv('CALLBACKS_QUEUE_URL', undefined);

    // Act / Assess
    await expect(import('./handler.js')).rejects.toThrow(/PARTNERS[\s\S]*CALLBACKS_QUEUE_URL/);
  });

  it('starts from a valid environment and refuses a decision the TransactionLog does not hold, sending nothing', async () => {
    // Prepare: the consistent re-read goes to DynamoDB Local, where no such decision exists
    const dynamo = await createTestDynamo();
    vi.stubEnv('CREDITLINE_STAGE', 'prod');
    vi.stubEnv('TABLE_CREDIT_CACHE', dynamo.tables.creditCache);
    vi.stubEnv('TABLE_DEPOSIT_EVENTS', dynamo.tables.depositEvents);
    vi.stubEnv('TABLE_TRANSACTION_LOG', dynamo.tables.transactionLog);
    vi.stubEnv('TABLE_WEBHOOKS', dynamo.tables.webhooks);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv(
      'CALLBACKS_QUEUE_URL',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/creditline-prod-callbacks',
    );
    vi.stubEnv(
      'PARTNERS',
      JSON.stringify([
        {
          id: 'acme',
          roleArn: 'arn:aws:iam::123456789012:role/creditline-prod-partner-acme',
          eventSource: 'partner.acme',
          eventAccountId: '111122223333',
          rateLimit: { perSecond: 10, burst: 20 },
          callbackHosts: ['hooks.acme-bank.example'],
          webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme-AbCdEf',
        },
      ]),
    );
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const { handler } = await import('./handler.js');
    const [record] = fixture.Records;
    const body = JSON.parse(record?.body ?? '{}') as { detail: Record<string, unknown> };
    const withoutCallback = {
      ...record,
      body: JSON.stringify({ ...body, detail: { ...body.detail, callback_url: '' } }),
    } as SQSEvent['Records'][number];

    // Act
    const response = await handler({ Records: [withoutCallback] });

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
  });
});
