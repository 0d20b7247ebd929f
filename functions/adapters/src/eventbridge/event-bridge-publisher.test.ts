import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { BusEvent } from '@creditline/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
  type CannedReply,
  type RecordedRequest,
} from '../testing/aws-json-endpoint.js';
import { createEventBridgePublisher } from './event-bridge-publisher.js';

/** EventBridge has no local server: the real SDK's requests are recorded and answered in its documented shapes. */
describe('EventBridge publisher', () => {
  let endpoint: AwsJsonEndpoint;
  let replies: ((request: RecordedRequest) => CannedReply)[] = [];
  const accepted = (request: RecordedRequest): CannedReply => ({
    body: {
      FailedEntryCount: 0,
      Entries: (request.body.Entries as unknown[]).map((_, i) => ({ EventId: `id-${i}` })),
    },
  });

  beforeAll(async () => {
    endpoint = await startAwsJsonEndpoint((request) => (replies.shift() ?? accepted)(request));
  });
  afterAll(() => endpoint.close());
  beforeEach(() => {
    endpoint.requests.length = 0;
    replies = [];
  });

  const publisher = (sleeps: number[] = []) =>
    createEventBridgePublisher(
      new EventBridgeClient(testClientConfig(endpoint.endpoint)),
      'creditline-bus',
      {
        maxAttempts: 3,
        sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
      },
    );
  const event = (n: number): BusEvent => ({
    source: 'creditline.deposits',
    detailType: 'DepositFileProcessed',
    detail: { key: `inbox/${n}.csv`, credited_amount: n },
    time: new Date('2026-01-15T12:00:00.000Z'),
  });

  it('sends at most 10 entries per PutEvents call, each exactly as EventBridge expects', async () => {
    // Act
    await publisher().publish(Array.from({ length: 23 }, (_, n) => event(n)));

    // Assess
    expect(endpoint.requests.map((request) => request.target)).toEqual([
      'AWSEvents.PutEvents',
      'AWSEvents.PutEvents',
      'AWSEvents.PutEvents',
    ]);
    expect(endpoint.requests.map((request) => (request.body.Entries as unknown[]).length)).toEqual([
      10, 10, 3,
    ]);
    expect(endpoint.requests[2]?.body).toEqual({
      Entries: [20, 21, 22].map((n) => ({
        EventBusName: 'creditline-bus',
        Source: 'creditline.deposits',
        DetailType: 'DepositFileProcessed',
        Detail: `{"key":"inbox/${n}.csv","credited_amount":${n}}`,
        Time: 1768478400,
      })),
    });
  });

  it('sends again exactly the entries a call refused, after a backoff', async () => {
    // Prepare
    replies = [
      () => ({
        body: {
          FailedEntryCount: 2,
          Entries: [
            { EventId: 'id-0' },
            { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
            { EventId: 'id-2' },
            { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal failure' },
          ],
        },
      }),
    ];
    const sleeps: number[] = [];

    // Act
    await publisher(sleeps).publish([event(0), event(1), event(2), event(3)]);

    // Assess
    expect(endpoint.requests).toHaveLength(2);
    expect(
      (endpoint.requests[1]?.body.Entries as { Detail: string }[]).map((entry) => entry.Detail),
    ).toEqual([
      '{"key":"inbox/1.csv","credited_amount":1}',
      '{"key":"inbox/3.csv","credited_amount":3}',
    ]);
    expect(sleeps).toEqual([100]);
  });

  it('fails with a retryable error when entries are still refused after the last attempt', async () => {
    // Prepare
    const throttled = (): CannedReply => ({
      body: {
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
      },
    });
    replies = [throttled, throttled, throttled];
    const sleeps: number[] = [];

    // Act
    const outcome = publisher(sleeps).publish([event(0)]);

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'RetryableStoreError',
      code: 'ThrottlingException',
    });
    expect(endpoint.requests).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('fails at once with a permanent error when an entry is refused for good', async () => {
    // Prepare
    replies = [
      () => ({
        body: {
          FailedEntryCount: 1,
          Entries: [
            { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized' },
          ],
        },
      }),
    ];

    // Act
    const outcome = publisher().publish([event(0)]);

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'PermanentStoreError',
      code: 'NotAuthorizedForSourceException',
    });
    expect(endpoint.requests).toHaveLength(1);
  });

  it.each([
    { errorType: 'ThrottlingException', status: 400, name: 'RetryableStoreError' },
    { errorType: 'InternalException', status: 500, name: 'RetryableStoreError' },
    { errorType: 'ResourceNotFoundException', status: 400, name: 'PermanentStoreError' },
  ])('maps a whole-call $errorType to a $name', async ({ errorType, status, name }) => {
    // Prepare
    replies = [() => ({ status, errorType, body: { message: 'no' } })];

    // Act
    const outcome = publisher().publish([event(0)]);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name, code: errorType });
  });

  it('refuses an event over 256 KiB before sending anything', async () => {
    // Act
    const outcome = publisher().publish([
      { ...event(0), detail: { blob: 'x'.repeat(256 * 1024) } },
    ]);

    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: 'PermanentStoreError',
      code: 'EntryTooLarge',
    });
    expect(endpoint.requests).toHaveLength(0);
  });
});
