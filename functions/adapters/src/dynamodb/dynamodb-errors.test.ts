import {
  PermanentStoreError,
  planHold,
  planRelease,
  RetryableStoreError,
  UnknownOutcomeStoreError,
} from '@creditline/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
  type CannedReply,
} from '../testing/aws-json-endpoint.js';
import { createCreditCacheStore } from './credit-cache-store.js';
import { createDocumentClient } from './document-client.js';
import { mapDynamoDbError } from './dynamodb-errors.js';
import { createOrphanHolds } from './orphan-holds.js';

/**
 * Failures DynamoDB Local cannot be made to produce (throttling, service errors), played by an
 * endpoint answering the real SDK in DynamoDB's documented error shapes.
 */
describe('DynamoDB failures, as the stores report them', () => {
  let endpoint: AwsJsonEndpoint;
  let reply: CannedReply = { body: {} };
  beforeAll(async () => {
    endpoint = await startAwsJsonEndpoint(() => reply);
  });
  afterAll(() => endpoint.close());
  beforeEach(() => {
    endpoint.requests.length = 0;
  });
  const doc = () => createDocumentClient(testClientConfig(endpoint.endpoint));
  it.each([
    ['ProvisionedThroughputExceededException', 400, RetryableStoreError],
    ['ThrottlingException', 400, RetryableStoreError],
    ['RequestLimitExceeded', 400, RetryableStoreError],
    ['InternalServerError', 500, RetryableStoreError],
    ['ValidationException', 400, PermanentStoreError],
    ['ResourceNotFoundException', 400, PermanentStoreError],
    ['AccessDeniedException', 400, PermanentStoreError],
  ] as const)('a read failing with %s is a %O', async (errorType, status, type) => {
    // Prepare
    reply = { status, errorType, body: { message: 'refused' } };

    // Act
    const outcome = createCreditCacheStore(doc(), 'CreditCache').read('acme', 'u-1');

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(type);
    await expect(outcome).rejects.toMatchObject({ code: errorType });
  });

  const releasePlan = planRelease(
    'u-1',
    { key: 'tx-1', attempt: 1, amount: 100 },
    '2026-11-25T16:28:00.000Z',
  );

  it.each([[[{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }], 'already-released']] as const)(
    'a release cancelled with reasons %j is %s',
    async (reasons, expected) => {
      // Prepare
      reply = {
        errorType: 'TransactionCanceledException',
        body: { Message: 'Transaction cancelled', CancellationReasons: reasons },
      };

      // Act
      const outcome = await createOrphanHolds(doc(), {
        transactionLog: 'Log',
        creditCache: 'Cache',
      }).release('acme', releasePlan);

      // Assess
      expect(outcome).toBe(expected);
      expect(endpoint.requests.map((request) => request.target)).toEqual([
        'DynamoDB_20120810.TransactWriteItems',
      ]);
    },
  );

  it.each([
    [[{ Code: 'None' }, { Code: 'TransactionConflict' }], RetryableStoreError],
    [[{ Code: 'None' }, { Code: 'ThrottlingError' }], RetryableStoreError],
    [[{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }], PermanentStoreError],
  ] as const)('a release cancelled with reasons %j throws a %O', async (reasons, type) => {
    // Prepare
    reply = {
      errorType: 'TransactionCanceledException',
      body: { Message: 'Transaction cancelled', CancellationReasons: reasons },
    };

    // Act
    const outcome = createOrphanHolds(doc(), {
      transactionLog: 'Log',
      creditCache: 'Cache',
    }).release('acme', releasePlan);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(type);
  });

  it.each([
    ['TransactionConflictException', 400, false],
    ['ProvisionedThroughputExceededException', 400, false],
    ['InternalServerError', 500, true],
  ] as const)(
    'a hold failing with %s is retryable, its outcome unknown: %s',
    async (errorType, status, unknown) => {
      // Prepare
      reply = { status, errorType, body: { message: 'refused' } };
      const plan = planHold(
        { transaction_id: 'tx-1', user_id: 'u-1', amount: 100 },
        { key: 'tx-1', attempt: 1, at: '2026-11-25T16:28:00.000Z' },
      );
      if (plan === null) throw new Error('no plan');

      // Act
      const outcome = createCreditCacheStore(doc(), 'CreditCache').apply('acme', plan);

      // Assess
      await expect(outcome).rejects.toBeInstanceOf(RetryableStoreError);
      const error: unknown = await outcome.catch((caught: unknown) => caught);
      expect(error instanceof UnknownOutcomeStoreError).toBe(unknown);
    },
  );

  it.each([
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), true],
    [Object.assign(new Error('bad gateway'), { $metadata: { httpStatusCode: 502 } }), true],
    [Object.assign(new Error('odd'), { $retryable: {} }), true],
    [new TypeError('a bug'), false],
    ['a string', false],
  ])('maps %s to retryable=%s', (error, retryable) => {
    expect(mapDynamoDbError(error, 'GetItem').retryable).toBe(retryable);
  });

  it('passes a store error through unchanged', () => {
    const error = new PermanentStoreError('already typed');
    expect(mapDynamoDbError(error, 'GetItem')).toBe(error);
  });
});
