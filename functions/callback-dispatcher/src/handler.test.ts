import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('starts from a valid environment and skips a decision that has no callback_url without any I/O', async () => {
    // Prepare
    vi.stubEnv('CREDITLINE_STAGE', 'prod');
    vi.stubEnv('TABLE_CREDIT_CACHE', 'creditline-prod-CreditCache');
    vi.stubEnv('TABLE_DEPOSIT_EVENTS', 'creditline-prod-DepositEvents');
    vi.stubEnv('TABLE_TRANSACTION_LOG', 'creditline-prod-TransactionLog');
    vi.stubEnv('TABLE_WEBHOOKS', 'creditline-prod-Webhooks');
    vi.stubEnv(
      'CALLBACKS_QUEUE_URL',
      'https://sqs.eu-west-1.amazonaws.com/123456789012/creditline-prod-callbacks',
    );
    vi.stubEnv(
      'PARTNERS',
      JSON.stringify([
        {
          id: 'acme',
          eventSource: 'partner.acme',
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
