import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetter, QueueAdmin } from '@creditline/domain';

export interface AdministeredQueue {
  /** Logical name (`callbacks`, `transaction-log`). */
  readonly name: string;
  readonly dlqUrl: string;
}

/** Long enough to page through a listing without seeing a message twice. */
const PEEK_SECONDS = 30;

const toDeadLetter = (message: Message): DeadLetter => ({
  messageId: message.MessageId ?? '',
  body: message.Body ?? '',
  receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
  sentAt: new Date(Number(message.Attributes?.SentTimestamp ?? 0)).toISOString(),
});

/**
 * Dead-letter operations on real SQS queues. Listing peeks: messages are received with a short
 * visibility timeout (so paging does not return one twice) and made visible again at once, so
 * nothing is consumed. Redrive is SQS's own message move task back to the source queue.
 */
export const createSqsQueueAdmin = (
  client: SQSClient,
  queues: readonly AdministeredQueue[],
): QueueAdmin => {
  const dlqUrlOf = (name: string): string => {
    const queue = queues.find((candidate) => candidate.name === name);
    if (!queue)
      throw new Error(
        `unknown queue "${name}": expected one of ${queues.map((candidate) => candidate.name).join(', ')}`,
      );
    return queue.dlqUrl;
  };

  return {
    queueNames: queues.map((queue) => queue.name),

    async listDeadLetters(name, limit) {
      const queueUrl = dlqUrlOf(name);
      const seen = new Map<string, Message>();
      while (seen.size < limit) {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: Math.min(10, limit - seen.size),
            VisibilityTimeout: PEEK_SECONDS,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          }),
        );
        const fresh = Messages.filter(
          (message) => message.MessageId && !seen.has(message.MessageId),
        );
        if (fresh.length === 0) break;
        for (const message of fresh) seen.set(message.MessageId ?? '', message);
      }
      const peeked = [...seen.values()];
      for (let start = 0; start < peeked.length; start += 10) {
        await client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: peeked.slice(start, start + 10).map((message, index) => ({
              Id: String(start + index),
              ReceiptHandle: message.ReceiptHandle,
              VisibilityTimeout: 0,
            })),
          }),
        );
      }
      return peeked.map(toDeadLetter);
    },

    async redriveDeadLetters(name) {
      const { Attributes = {} } = await client.send(
        new GetQueueAttributesCommand({
          QueueUrl: dlqUrlOf(name),
          AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'],
        }),
      );
      const dlqArn = Attributes.QueueArn;
      if (!dlqArn) throw new Error(`the dead-letter queue of ${name} has no QueueArn`);
      const { TaskHandle } = await client.send(
        new StartMessageMoveTaskCommand({ SourceArn: dlqArn }),
      );
      return {
        moved: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        ...(TaskHandle ? { taskHandle: TaskHandle } : {}),
      };
    },
  };
};
