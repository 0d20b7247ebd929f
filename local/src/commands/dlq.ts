import type { QueueAdmin, RedriveResult } from '@creditline/domain';

/**
 * Operator commands over dead-letter queues, as plain functions over the queue-admin port: the
 * CLI wires them to the local queues, or (with AWS credentials) to the real SQS queues.
 */
export interface DeadLetterSummary {
  readonly messageId: string;
  readonly receiveCount: number;
  readonly sentAt: string;
  /** From the TransactionDecided event in the body, when it is one. */
  readonly transactionId?: string;
  readonly detailType?: string;
  readonly body: string;
}

const describeBody = (body: string): Pick<DeadLetterSummary, 'transactionId' | 'detailType'> => {
  try {
    const event = JSON.parse(body) as {
      'detail-type'?: unknown;
      detail?: { transaction_id?: unknown };
    };
    return {
      ...(typeof event['detail-type'] === 'string' ? { detailType: event['detail-type'] } : {}),
      ...(typeof event.detail?.transaction_id === 'string'
        ? { transactionId: event.detail.transaction_id }
        : {}),
    };
  } catch {
    return {};
  }
};

export const listDeadLetters = async (
  admin: QueueAdmin,
  queue: string,
  options: { readonly limit?: number } = {},
): Promise<DeadLetterSummary[]> => {
  const letters = await admin.listDeadLetters(queue, options.limit ?? 100);
  return letters.map((letter) => ({
    messageId: letter.messageId,
    receiveCount: letter.receiveCount,
    sentAt: letter.sentAt,
    ...describeBody(letter.body),
    body: letter.body,
  }));
};

export const redriveDeadLetters = (admin: QueueAdmin, queue: string): Promise<RedriveResult> =>
  admin.redriveDeadLetters(queue);
