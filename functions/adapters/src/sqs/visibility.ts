import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageVisibility } from '@creditline/domain';

/** SQS bounds: 0 to 12 hours, whole seconds. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

export const createSqsVisibility = (client: SQSClient, queueUrl: string): MessageVisibility => ({
  async change(receiptHandle, seconds) {
    const visibility = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds)));
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: visibility,
      }),
    );
  },
});
