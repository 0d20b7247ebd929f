import { transactionLogQueue } from '@creditline/adapters/definitions';
import type { SQSEvent } from 'aws-lambda';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventSourceMapping } from './event-source-mapping.js';
import { createLocalQueue } from './local-queue.js';

/** A manual clock, and durations at 1/1000 so the 1-second batching window takes a millisecond. */
const setup = () => {
  const timeScale = 0.001;
  let now = 1_795_622_880_000;
  const queue = createLocalQueue({
    definition: transactionLogQueue,
    dir: mkdtempSync(join(tmpdir(), 'creditline-esm-')),
    now: () => now,
    timeScale,
  });
  return { queue, advance: (seconds: number) => (now += seconds * 1000 * timeScale) };
};

describe('local SQS event source mapping', () => {
  it('invokes the handler with a real-shaped SQS event and keeps exactly the records it reports failed', async () => {
    // Prepare
    const { queue, advance } = setup();
    for (const body of ['ok-1', 'fail', 'ok-2']) queue.send(body);
    const events: SQSEvent[] = [];
    const mapping = createEventSourceMapping({
      queue,
      functionName: 'transaction-logger',
      handler: (event) => {
        events.push(event);
        return Promise.resolve({
          batchItemFailures: event.Records.filter((record) => record.body === 'fail').map(
            (record) => ({ itemIdentifier: record.messageId }),
          ),
        });
      },
    });

    // Act
    const report = await mapping.runOnce();
    advance(transactionLogQueue.visibilityTimeoutSeconds);
    const left = queue.receive(10);

    // Assess
    expect(report.received).toBe(3);
    expect(events[0]?.Records[0]).toEqual({
      messageId: expect.any(String) as string,
      receiptHandle: expect.any(String) as string,
      body: 'ok-1',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1795622880000',
        SenderId: 'AIDAIT2UOQQY3AUEKVGXU',
        ApproximateFirstReceiveTimestamp: '1795622880000',
      },
      messageAttributes: {},
      md5OfBody: 'af0eade532c47784ad382d7506b94038',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:transaction-log',
      awsRegion: 'us-east-1',
    });
    expect(left.map((message) => [message.body, message.receiveCount])).toEqual([['fail', 2]]);
  });

  it.each([
    { label: 'throws', handler: () => Promise.reject(new Error('boom')) },
    {
      label: 'names a record not in the batch',
      handler: () => Promise.resolve({ batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] }),
    },
  ])('keeps the whole batch when the handler $label', async ({ handler }) => {
    // Prepare
    const { queue, advance } = setup();
    queue.send('a');
    queue.send('b');
    const errors: unknown[] = [];
    const mapping = createEventSourceMapping({
      queue,
      functionName: 'f',
      handler,
      onError: (error) => errors.push(error),
    });

    // Act
    await mapping.runOnce();
    advance(transactionLogQueue.visibilityTimeoutSeconds);

    // Assess
    expect(queue.receive(10).map((message) => message.body)).toEqual(['a', 'b']);
  });

  it('deletes the batch when the handler reports no failures', async () => {
    const { queue, advance } = setup();
    queue.send('a');
    await createEventSourceMapping({
      queue,
      functionName: 'f',
      handler: () => Promise.resolve({ batchItemFailures: [] }),
    }).runOnce();
    advance(transactionLogQueue.visibilityTimeoutSeconds);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, deadLetters: 0 });
  });
});
