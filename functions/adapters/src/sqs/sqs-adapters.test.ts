import { SQSClient } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
  type CannedReply,
  type RecordedRequest,
} from '../testing/aws-json-endpoint.js';
import { createSqsQueueAdmin } from './queue-admin.js';
import { queueUrlFromArn } from './queue-url.js';
import { createSqsVisibility } from './visibility.js';

const dlqUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/creditline-dev-callbacks-dlq';
const dlqArn = 'arn:aws:sqs:eu-west-1:123456789012:creditline-dev-callbacks-dlq';

const message = (id: number) => ({
  MessageId: `m-${id}`,
  ReceiptHandle: `rh-${id}`,
  Body: `{"id":"evt-${id}"}`,
  MD5OfBody: createHash('md5').update(`{"id":"evt-${id}"}`).digest('hex'),
  Attributes: { ApproximateReceiveCount: '9', SentTimestamp: '1795622880000' },
});

describe('SQS adapters', () => {
  let server: AwsJsonEndpoint | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const start = async (reply: (request: RecordedRequest) => CannedReply) => {
    server = await startAwsJsonEndpoint(reply);
    return new SQSClient(testClientConfig(server.endpoint));
  };

  it('extends a message’s visibility with ChangeMessageVisibility in whole seconds', async () => {
    // Prepare
    const client = await start(() => ({ body: {} }));

    // Act
    await createSqsVisibility(client, dlqUrl).change('rh-1', 44.2);

    // Assess
    expect(server?.requests).toHaveLength(1);
    expect(server?.requests[0]?.target).toBe('AmazonSQS.ChangeMessageVisibility');
    expect(server?.requests[0]?.body).toEqual({
      QueueUrl: dlqUrl,
      ReceiptHandle: 'rh-1',
      VisibilityTimeout: 45,
    });
  });

  it('lists dead letters by peeking: received hidden for the listing, then made visible again', async () => {
    // Prepare: 12 messages, served 10 then 2 then none
    const pages = [
      Array.from({ length: 10 }, (_, index) => message(index)),
      [message(10), message(11)],
      [],
    ];
    const client = await start((request) =>
      request.target === 'AmazonSQS.ReceiveMessage'
        ? { body: { Messages: pages.shift() ?? [] } }
        : { body: { Successful: [], Failed: [] } },
    );

    // Act
    const letters = await createSqsQueueAdmin(client, [
      { name: 'callbacks', dlqUrl },
    ]).listDeadLetters('callbacks', 50);

    // Assess
    expect(letters).toHaveLength(12);
    expect(letters[0]).toEqual({
      messageId: 'm-0',
      body: '{"id":"evt-0"}',
      receiveCount: 9,
      sentAt: '2026-11-25T16:08:00.000Z',
    });
    const receives =
      server?.requests.filter((request) => request.target === 'AmazonSQS.ReceiveMessage') ?? [];
    expect(receives).toHaveLength(3);
    expect(receives[0]?.body).toMatchObject({
      QueueUrl: dlqUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 30,
      WaitTimeSeconds: 0,
    });
    expect(receives[1]?.body).toMatchObject({ MaxNumberOfMessages: 10 });
    const releases =
      server?.requests.filter(
        (request) => request.target === 'AmazonSQS.ChangeMessageVisibilityBatch',
      ) ?? [];
    expect(releases.map((request) => (request.body['Entries'] as unknown[]).length)).toEqual([
      10, 2,
    ]);
    expect((releases[1]?.body['Entries'] as unknown[])[1]).toEqual({
      Id: '11',
      ReceiptHandle: 'rh-11',
      VisibilityTimeout: 0,
    });
  });

  it('redrives with a message move task from the DLQ back to its source queue', async () => {
    // Prepare
    const client = await start((request) =>
      request.target === 'AmazonSQS.GetQueueAttributes'
        ? { body: { Attributes: { QueueArn: dlqArn, ApproximateNumberOfMessages: '3' } } }
        : { body: { TaskHandle: 'task-1' } },
    );

    // Act
    const result = await createSqsQueueAdmin(client, [
      { name: 'callbacks', dlqUrl },
    ]).redriveDeadLetters('callbacks');

    // Assess
    expect(result).toEqual({ moved: 3, taskHandle: 'task-1' });
    expect(server?.requests.map((request) => request.target)).toEqual([
      'AmazonSQS.GetQueueAttributes',
      'AmazonSQS.StartMessageMoveTask',
    ]);
    expect(server?.requests[1]?.body).toEqual({ SourceArn: dlqArn });
  });

  it('names the known queues when asked for an unknown one', async () => {
    const client = await start(() => ({ body: {} }));
    await expect(
      createSqsQueueAdmin(client, [{ name: 'callbacks', dlqUrl }]).redriveDeadLetters('nope'),
    ).rejects.toThrow('expected one of callbacks');
  });

  it('derives a queue URL from its ARN', () => {
    expect(queueUrlFromArn(dlqArn)).toBe(dlqUrl);
    expect(() => queueUrlFromArn('arn:aws:sns:eu-west-1:1:topic')).toThrow('not an SQS queue ARN');
  });
});
