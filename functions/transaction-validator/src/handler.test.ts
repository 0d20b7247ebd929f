import type { Context } from 'aws-lambda';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import {
  createTestDatabase,
  createTestDynamo,
  type TestDatabase,
  type TestDynamo,
} from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FIXTURE_ACME_ACCOUNT,
  FIXTURE_ACME_ROLE,
  fixtures,
  httpEvent,
} from './fixtures/test-events.js';

/**
 * The Lambda entry as deployed: dependencies built from the environment at import (cold start),
 * one handler for both event shapes, metrics flushed per invocation.
 */
describe('handler (the deployed entry point)', () => {
  let dynamo: TestDynamo;
  let db: TestDatabase;
  let recorder: Server;
  const recorded: string[] = [];
  const emf: Record<string, unknown>[] = [];
  const context = {
    functionName: 'creditline-test-transaction-validator',
    awsRequestId: 'req-1',
  } as Context;

  beforeAll(async () => {
    [dynamo, db] = await Promise.all([createTestDynamo(), createTestDatabase()]);
    recorder = createServer((request, response) => {
      recorded.push(`${request.method ?? '?'} ${request.url ?? ''}`);
      response.writeHead(200).end('{}');
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => recorder.close(() => resolve()));
    await db.drop();
  });
  beforeEach(() => {
    vi.resetModules();
    vi.unstubAllEnvs();
    const recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
    const env: Record<string, string> = {
      CREDITLINE_STAGE: 'local',
      TABLE_CREDIT_CACHE: dynamo.tables.creditCache,
      TABLE_DEPOSIT_EVENTS: dynamo.tables.depositEvents,
      TABLE_TRANSACTION_LOG: dynamo.tables.transactionLog,
      TABLE_WEBHOOKS: dynamo.tables.webhooks,
      DATABASE_URL: db.url,
      EVENT_BUS_NAME: 'creditline-test-bus',
      PARTNERS: JSON.stringify([
        {
          id: 'acme',
          roleArn: FIXTURE_ACME_ROLE,
          eventSource: 'partner.acme',
          eventAccountId: FIXTURE_ACME_ACCOUNT,
          callbackHosts: ['hooks.acme.example'],
          webhookSecretArn: 'local:acme',
          rateLimit: { perSecond: 100, burst: 100 },
        },
      ]),
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_DEV: 'true',
      POWERTOOLS_METRICS_DISABLED: 'false',
      AWS_ENDPOINT_URL_EVENTBRIDGE: recorderUrl,
      AWS_ENDPOINT_URL_SQS: recorderUrl,
      AWS_ENDPOINT_URL_FIREHOSE: recorderUrl,
    };
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    emf.length = 0;
    const log = console.log.bind(console);
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('{"_aws"'))
        emf.push(JSON.parse(args[0]) as Record<string, unknown>);
      else log(...args);
    });
  });

  it('answers an HTTP API request, flushes its metrics, and calls nothing but DynamoDB', async () => {
    // Prepare
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: {
          pk: 'acme#user-42',
          partner_id: 'acme',
          user_id: 'user-42',
          available: 10_000,
          version: 0,
        },
      }),
    );
    const { handler } = await import('./handler.js');

    // Act
    const response = await handler(fixtures.postTransaction(), context);

    // Assess
    expect(response?.statusCode).toBe(200);
    expect(JSON.parse(response?.body ?? '{}')).toMatchObject({
      transaction_id: 'tx-0001',
      status: 'PERMITTED',
      remaining_credit: 8_750,
    });
    expect(emf).toEqual([
      expect.objectContaining({
        Permitted: 1,
        DecisionLatency: expect.any(Number) as number,
        service: 'transaction-validator',
      }),
    ]);
    expect(recorded).toEqual([]);
  });

  it('decides a TransactionRequested event with the same use-case, and answers nothing', async () => {
    // Prepare
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: {
          pk: 'acme#user-42',
          partner_id: 'acme',
          user_id: 'user-42',
          available: 10_000,
          version: 0,
        },
      }),
    );
    const { handler } = await import('./handler.js');

    // Act
    const result = await handler(fixtures.transactionRequested(), context);

    // Assess
    expect(result).toBeUndefined();
    const { Items } = await dynamo.doc.send(
      new ScanCommand({ TableName: dynamo.tables.transactionLog, ConsistentRead: true }),
    );
    expect(Items).toContainEqual(
      expect.objectContaining({
        transaction_id: 'tx-evt-0001',
        partner_id: 'acme',
        state: 'DECIDED',
        settlement_state: expect.stringMatching(/^PENDING#\d\d$/) as string,
      }),
    );
    expect(recorded).toEqual([]);
  });

  it('reads Aurora (PostgreSQL through DATABASE_URL) for a user the cache does not hold', async () => {
    // Prepare
    await db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('acme', 'u-books')");
    await db.sql.query(
      "INSERT INTO credit_balance (partner_id, user_id, balance) VALUES ('acme', 'u-books', 4321)",
    );
    const { handler } = await import('./handler.js');

    // Act
    const response = await handler(
      httpEvent({ method: 'GET', path: '/v1/users/u-books/balance' }),
      context,
    );

    // Assess
    expect(JSON.parse(response?.body ?? '{}')).toEqual({
      user_id: 'u-books',
      available: 4321,
      currency: 'USD',
    });
    expect(emf).toEqual([]);
  });

  it('fails the cold start with every bad variable named', async () => {
    // Prepare
    vi.stubEnv('TABLE_CREDIT_CACHE', '');
    vi.stubEnv('PARTNERS', '{not json');

    // Act
    const imported = import('./handler.js');

    // Assess
    // (resetModules loads a fresh copy of the error class, so its name is compared)
    await expect(imported).rejects.toMatchObject({ name: 'ConfigError' });
    await expect(imported).rejects.toThrow(
      /TABLE_CREDIT_CACHE[\s\S]*PARTNERS|PARTNERS[\s\S]*TABLE_CREDIT_CACHE/,
    );
  });
});
