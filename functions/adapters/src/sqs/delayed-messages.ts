import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DelayedMessages } from '@creditline/domain';
import { mapSqsError } from './sqs-errors.js';

/** SQS bounds DelaySeconds to 0..900 whole seconds. */
const MAX_DELAY_SECONDS = 900;

export const createSqsDelayedMessages = (client: SQSClient, queueUrl: string): DelayedMessages => ({
  async send(body, delaySeconds) {
    try {
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds))),
        }),
      );
    } catch (error) {
      throw mapSqsError(error, `SendMessage to ${queueUrl}`);
    }
  },
});
