import { createCreditCacheStore } from '@creditline/adapters/dynamodb/credit-cache-store';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import {
  apiErrorBodySchema,
  transactionDeliveriesSchema,
  transactionResponseSchema,
} from '@creditline/domain';
import { freePort, localCredentials, localRegion } from '@creditline/stand-ins';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures, httpEvent, roleSessionCaller } from '../fixtures/test-events.js';
import {
  acmePartner,
  createValidatorHarness,
  globexPartner,
  type HarnessOptions,
  type ValidatorHarness,
} from '../fixtures/validator-harness.js';
import { createHttpHandler } from './http-handler.js';
import { MAX_BODY_BYTES } from './http-actions.js';

const NOW = new Date('2026-11-25T16:28:00.000Z');

describe('HTTP API', () => {
  let harness: ValidatorHarness;
  afterEach(async () => {
    await harness.drop();
  });
  const setUp = async (options: HarnessOptions = {}) => {
    harness = await createValidatorHarness({ clock: { now: () => NOW }, ...options });
    await harness.seedCache({ user_id: 'user-42', available: 10_000, version: 0 });
    return createHttpHandler(harness.deps);
  };
  const errorOf = (body: string) => apiErrorBodySchema.parse(JSON.parse(body)).error;

  describe('POST /v1/transactions', () => {
    it('answers the fixture request with a 200 decision and records who asked and where to call back', async () => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(fixtures.postTransaction());

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      expect(transactionResponseSchema.strict().parse(JSON.parse(response.body))).toEqual({
        transaction_id: 'tx-0001',
        status: 'PERMITTED',
        reason: null,
        remaining_credit: 8_750,
        decided_at: NOW.toISOString(),
      });
      expect(await harness.logItems()).toMatchObject([
        {
          transaction_id: 'tx-0001',
          partner_id: 'acme',
          callback_url: 'https://hooks.acme.example/creditline',
          currency: 'USD',
        },
      ]);
    });

    it('answers a REJECT with a 200 too: a rejection is a decision, not an error', async () => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(
        httpEvent({ body: { transaction_id: 'tx-big', user_id: 'user-42', amount: '100.01' } }),
      );

      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({
        status: 'REJECTED',
        reason: 'INSUFFICIENT_FUNDS',
        remaining_credit: 10_000,
      });
    });

    it('reads a base64-encoded body', async () => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(
        httpEvent({
          body: { transaction_id: 'tx-b64', user_id: 'user-42', amount: 1 },
          base64: true,
        }),
      );

      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({
        transaction_id: 'tx-b64',
        status: 'PERMITTED',
        remaining_credit: 9_900,
      });
    });

    it('replays a retry with the first answer marked as a replay', async () => {
      // Prepare
      const handle = await setUp();
      const first = await handle(fixtures.postTransaction());

      // Act
      const again = await handle(fixtures.postTransaction());

      // Assess
      expect(again.statusCode).toBe(200);
      expect(JSON.parse(again.body)).toEqual({
        ...(JSON.parse(first.body) as object),
        replay: true,
      });
    });

    it('answers 409 to a different request under a used id', async () => {
      // Prepare
      const handle = await setUp();
      await handle(fixtures.postTransaction());

      // Act
      const response = await handle(
        httpEvent({ body: { transaction_id: 'tx-0001', user_id: 'user-42', amount: '12.51' } }),
      );

      // Assess
      expect(response.statusCode).toBe(409);
      expect(errorOf(response.body)).toMatchObject({ code: 'DUPLICATE_TRANSACTION_ID' });
      expect(await harness.cacheItem('user-42')).toMatchObject({ available: 8_750 });
    });

    it.each([
      ['malformed JSON', '{"transaction_id": "tx-1", ', 400, 'MALFORMED_JSON'],
      ['an empty body', '', 400, 'MALFORMED_JSON'],
      ['a JSON string', '"tx-1"', 400, 'VALIDATION_ERROR'],
      ['a JSON array', '[]', 400, 'VALIDATION_ERROR'],
      [
        'one byte over 16 KiB',
        `{"transaction_id":"tx-1"}${' '.repeat(MAX_BODY_BYTES - 24)}`,
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['a megabyte', 'x'.repeat(1024 * 1024), 413, 'PAYLOAD_TOO_LARGE'],
    ])('answers %s with %i %s and records nothing', async (_name, body, status, code) => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(httpEvent({ body }));

      // Assess
      expect(response.statusCode).toBe(status);
      expect(errorOf(response.body).code).toBe(code);
      expect(await harness.logItems()).toEqual([]);
    });

    it('accepts a body of exactly 16 KiB', async () => {
      // Prepare
      const handle = await setUp();
      const json = JSON.stringify({ transaction_id: 'tx-16k', user_id: 'user-42', amount: '1.00' });
      const body = json + ' '.repeat(MAX_BODY_BYTES - json.length);

      // Act
      const response = await handle(httpEvent({ body }));

      // Assess
      expect(Buffer.byteLength(body)).toBe(16 * 1024);
      expect(response.statusCode).toBe(200);
    });

    it.each([
      [
        'no transaction_id',
        { user_id: 'user-42', amount: '1.00' },
        [{ path: 'transaction_id', message: 'is required' }],
      ],
      [
        'no user_id',
        { transaction_id: 'tx-1', amount: '1.00' },
        [{ path: 'user_id', message: 'is required' }],
      ],
      [
        'no amount',
        { transaction_id: 'tx-1', user_id: 'user-42' },
        [{ path: 'amount', message: 'is required' }],
      ],
      [
        'a negative amount',
        { transaction_id: 'tx-1', user_id: 'user-42', amount: '-5.00' },
        [{ path: 'amount', reason: 'NEGATIVE' }],
      ],
      [
        'a zero amount',
        { transaction_id: 'tx-1', user_id: 'user-42', amount: 0 },
        [{ path: 'amount', reason: 'ZERO' }],
      ],
      [
        'a 3-decimal amount',
        { transaction_id: 'tx-1', user_id: 'user-42', amount: '1.005' },
        [{ path: 'amount', reason: 'TOO_MANY_DECIMALS' }],
      ],
      [
        'a 3-decimal number',
        { transaction_id: 'tx-1', user_id: 'user-42', amount: 1.005 },
        [{ path: 'amount', reason: 'TOO_MANY_DECIMALS' }],
      ],
      [
        'a boolean amount',
        { transaction_id: 'tx-1', user_id: 'user-42', amount: true },
        [{ path: 'amount' }],
      ],
      [
        'an unknown field',
        { transaction_id: 'tx-1', user_id: 'user-42', amount: '1.00', memo: 'x' },
        [{ path: '(body)' }],
      ],
      [
        'a javascript: callback',
        {
          transaction_id: 'tx-1',
          user_id: 'user-42',
          amount: '1',
          callback_url: 'javascript:alert(1)',
        },
        [{ path: 'callback_url' }],
      ],
    ])('answers %s with 400 VALIDATION_ERROR and its details', async (_name, body, details) => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(httpEvent({ body }));

      // Assess
      expect(response.statusCode).toBe(400);
      const error = errorOf(response.body);
      expect(error.code).toBe('VALIDATION_ERROR');
      expect(error.details).toEqual(
        details.map((detail) => expect.objectContaining(detail) as unknown),
      );
      expect(await harness.logItems()).toEqual([]);
      expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000, version: 0 });
    });

    it.each([
      ['a plain http URL', 'http://hooks.acme.example/cb', 'must use https'],
      ['a host off the allow-list', 'https://evil.example/cb', 'not on the partner'],
      ['a port other than 443', 'https://hooks.acme.example:8443/cb', 'port 443'],
      ['credentials in the URL', 'https://user:pw@hooks.acme.example/cb', 'credentials'],
    ])(
      'answers 400 INVALID_CALLBACK_URL for %s, and records nothing',
      async (_name, callback_url, message) => {
        // Prepare
        const handle = await setUp({ stage: 'prod' });

        // Act
        const response = await handle(
          httpEvent({
            body: { transaction_id: 'tx-cb', user_id: 'user-42', amount: 1, callback_url },
          }),
        );

        // Assess
        expect(response.statusCode).toBe(400);
        expect(errorOf(response.body).code).toBe('INVALID_CALLBACK_URL');
        expect(errorOf(response.body).message).toContain(message);
        expect(await harness.logItems()).toEqual([]);
        expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000, version: 0 });
      },
    );

    it('answers 429 with Retry-After once the partner spends its burst, and decides nothing more', async () => {
      // Prepare: a burst of 2, refilled at 1 per second, on a clock that does not move
      const handle = await setUp({
        partners: [{ ...acmePartner, rateLimit: { perSecond: 1, burst: 2 } }],
      });
      const post = (id: string) =>
        handle(httpEvent({ body: { transaction_id: id, user_id: 'user-42', amount: 1 } }));

      // Act
      const answers = [await post('tx-r1'), await post('tx-r2'), await post('tx-r3')];

      // Assess
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 429]);
      expect(answers[2]?.headers['retry-after']).toBe('1');
      expect(errorOf(answers[2]?.body ?? '').code).toBe('RATE_LIMITED');
      expect(await harness.logItems()).toHaveLength(2);
    });

    it('answers 503 with Retry-After when the store throttles through the whole deadline, having held nothing', async () => {
      // Prepare: every hold on the account is refused as AWS refuses it under throttling
      const handle = await setUp({
        faults: (sent) =>
          sent.operation === 'UpdateItem' &&
          sent.body.TableName === harness.dynamo.tables.creditCache
            ? { kind: 'aws-error', type: 'ThrottlingException' }
            : undefined,
      });

      // Act
      const response = await handle(fixtures.postTransaction());

      // Assess
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(errorOf(response.body).code).toBe('SERVICE_UNAVAILABLE');
      expect(await harness.logItems()).toEqual([]);
      expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000 });
      // The claim is left with its lease ended, so the partner's retry takes it over at once
      expect(await harness.stores.decisions.read('acme', 'tx-0001')).toMatchObject({
        state: 'CLAIMED',
        claim: { lease_until: new Date(0).toISOString() },
      });
    });

    it('answers 503 with Retry-After when DynamoDB cannot be reached', async () => {
      // Prepare: the cache store talks to a port nothing listens on
      const deadEndpoint = `http://127.0.0.1:${await freePort()}`;
      const dead = createDocumentClient({
        endpoint: deadEndpoint,
        region: localRegion,
        credentials: localCredentials,
        maxAttempts: 1,
      });
      const handle = await setUp({
        wrapStores: (stores, _doc, tables) => ({
          ...stores,
          accounts: createCreditCacheStore(dead, tables.creditCache),
        }),
      });

      // Act
      const response = await handle(fixtures.postTransaction());

      // Assess
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
    });

    it('answers 500 without a stack trace when something unexpected throws', async () => {
      // Prepare
      const handle = await setUp({
        wrapStores: (stores) => ({
          ...stores,
          decisions: {
            ...stores.decisions,
            claim: () => Promise.reject(new TypeError('boom at secret/path.ts:12')),
          },
        }),
      });

      // Act
      const response = await handle(fixtures.postTransaction());

      // Assess
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'INTERNAL_ERROR', message: 'internal error' },
      });
      expect(response.body).not.toMatch(/boom|secret|\.ts|at /);
    });
  });

  describe('GET /v1/transactions/{transaction_id}', () => {
    it('answers the stored decision', async () => {
      // Prepare
      const handle = await setUp();
      const posted = await handle(fixtures.postTransaction());

      // Act
      const response = await handle(fixtures.getTransaction());

      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual(JSON.parse(posted.body));
    });

    it.each([
      {
        name: 'an unknown id',
        path: '/v1/transactions/tx-none',
        caller: undefined,
        status: 404,
        code: 'NOT_FOUND',
      },
      {
        name: "another partner's decision",
        path: '/v1/transactions/tx-0001',
        caller: roleSessionCaller('creditline-dev-partner-globex'),
        status: 404,
        code: 'NOT_FOUND',
      },
      {
        name: 'an invalid id',
        path: '/v1/transactions/%E2%9C%93',
        caller: undefined,
        status: 400,
        code: 'VALIDATION_ERROR',
      },
      {
        name: 'a malformed escape',
        path: '/v1/transactions/%E2%9',
        caller: undefined,
        status: 400,
        code: 'VALIDATION_ERROR',
      },
    ])('answers $name with $status', async ({ path, caller, status, code }) => {
      // Prepare
      const handle = await setUp({ partners: [acmePartner, globexPartner] });
      await handle(fixtures.postTransaction());

      // Act
      const response = await handle(
        httpEvent({ method: 'GET', path, ...(caller ? { caller } : {}) }),
      );

      // Assess
      expect(response.statusCode).toBe(status);
      expect(errorOf(response.body).code).toBe(code);
    });
  });

  describe('GET /v1/transactions/{transaction_id}/deliveries', () => {
    it('lists the callback attempts with status and latency; another partner sees 404', async () => {
      // Prepare
      const handle = await setUp({ partners: [acmePartner, globexPartner] });
      const posted = transactionResponseSchema.parse(
        JSON.parse((await handle(fixtures.postTransaction())).body),
      );
      const id = posted.transaction_id;
      const path = `/v1/transactions/${id}/deliveries`;
      const before = await handle(httpEvent({ method: 'GET', path }));
      const webhooks = createWebhookStore(harness.doc, harness.dynamo.tables.webhooks);
      const [logged] = await harness.logItems();
      const at = '2026-11-25T16:28:01.000Z';
      await webhooks.claim({
        partnerId: 'acme',
        webhookId: id,
        transactionId: id,
        attempt: 1,
        messageId: 'm1',
        url: logged?.callback_url ?? '',
        detail: {},
        at,
      });
      const attempt = { attempt: 1, at, status: 503, outcome: 'FAILED' as const, latency_ms: 42 };
      await webhooks.record({
        partnerId: 'acme',
        webhookId: id,
        attempt,
        state: 'PENDING',
        nextAttemptAt: '2026-11-25T16:28:06.000Z',
      });

      // Act
      const after = await handle(httpEvent({ method: 'GET', path }));
      const stranger = await handle(
        httpEvent({
          method: 'GET',
          path,
          caller: roleSessionCaller('creditline-dev-partner-globex'),
        }),
      );

      // Assess
      expect(JSON.parse(before.body)).toEqual({
        transaction_id: id,
        webhook_id: id,
        state: 'PENDING',
        next_attempt_at: null,
        attempts: [],
      });
      expect(after.statusCode).toBe(200);
      expect(transactionDeliveriesSchema.parse(JSON.parse(after.body))).toEqual({
        transaction_id: id,
        webhook_id: id,
        state: 'PENDING',
        next_attempt_at: '2026-11-25T16:28:06.000Z',
        attempts: [attempt],
      });
      expect(stranger.statusCode).toBe(404);
      expect(errorOf(stranger.body).code).toBe('NOT_FOUND');
    });
  });

  describe('GET /v1/users/{user_id}/balance', () => {
    it('answers the available credit from CreditCache', async () => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(fixtures.getBalance());

      // Assess
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toEqual({
        user_id: 'user-42',
        available: 10_000,
        currency: 'USD',
      });
    });

    it('falls back to the books without seeding the cache', async () => {
      // Prepare
      const handle = await setUp();
      await harness.seedBooks({ user_id: 'u-books', balance: 777, currency: 'EUR' });

      // Act
      const response = await handle(
        httpEvent({ method: 'GET', path: '/v1/users/u-books/balance' }),
      );

      // Assess
      expect(JSON.parse(response.body)).toEqual({
        user_id: 'u-books',
        available: 777,
        currency: 'EUR',
      });
      expect(await harness.cacheItem('u-books')).toBeUndefined();
    });

    it('answers 404 for a user nobody knows', async () => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(
        httpEvent({ method: 'GET', path: '/v1/users/u-nobody/balance' }),
      );

      // Assess
      expect(response.statusCode).toBe(404);
      expect(errorOf(response.body).code).toBe('NOT_FOUND');
    });
  });

  describe('routing', () => {
    it.each([
      ['GET', '/'],
      ['GET', '/v1'],
      ['POST', '/v2/transactions'],
      ['GET', '/v1/transactions/tx-1/extra'],
      ['GET', '/v1/users/u-1'],
      ['GET', '/v1/users//balance'],
    ])('answers %s %s with 404', async (method, path) => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(httpEvent({ method, path }));

      // Assess
      expect(response.statusCode).toBe(404);
      expect(errorOf(response.body).code).toBe('NOT_FOUND');
    });

    it.each([
      ['GET', '/v1/transactions', 'POST'],
      ['DELETE', '/v1/transactions/tx-1', 'GET'],
      ['PUT', '/v1/users/u-1/balance', 'GET'],
    ])('answers %s %s with 405 and Allow: %s', async (method, path, allow) => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle(httpEvent({ method, path }));

      // Assess
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(errorOf(response.body).code).toBe('METHOD_NOT_ALLOWED');
    });

    it('routes a named stage path and forgives a trailing slash', async () => {
      // Prepare
      const handle = await setUp();
      const staged = httpEvent({ method: 'GET', path: '/prod/v1/users/user-42/balance/' });
      staged.requestContext.stage = 'prod';

      // Act
      const response = await handle(staged);

      // Assess
      expect(response.statusCode).toBe(200);
    });

    it('answers 500 without details to an invocation that is not an HTTP API event', async () => {
      // Prepare
      const handle = await setUp();

      // Act
      const response = await handle({ version: '2.0', requestContext: {} });

      // Assess
      expect(response.statusCode).toBe(500);
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'INTERNAL_ERROR', message: 'internal error' },
      });
    });
  });
});
