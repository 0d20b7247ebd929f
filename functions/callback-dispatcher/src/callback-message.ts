import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { EventBridgeSchema, SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas';
import { decidedDetailSchema } from '@creditline/adapters/outbox/decided-detail';
import type { TransactionDecidedDetail } from '@creditline/domain';
import { z } from 'zod';

/**
 * What the callbacks queue carries: the TransactionDecided event the bus rule delivered (the
 * first attempt), or a CallbackRetry the dispatcher (or `webhook replay`) sent for a later
 * attempt. A retry names its attempt and when it is due: it arrives early when the wait is
 * longer than SQS's 15-minute DelaySeconds, and is then sent on again for the rest.
 */
export const CALLBACK_RETRY = 'CallbackRetry';

export const callbackRetrySchema = z.object({
  type: z.literal(CALLBACK_RETRY),
  attempt: z.number().int().min(1),
  due_at: z.iso.datetime({ offset: true }),
  detail: decidedDetailSchema,
});
export type CallbackRetry = z.infer<typeof callbackRetrySchema>;

export const callbackRecordSchema = SqsRecordSchema.extend({
  body: JSONStringified(z.union([callbackRetrySchema, EventBridgeSchema.extend({ detail: decidedDetailSchema })])),
});

export const retryMessage = (detail: TransactionDecidedDetail, attempt: number, dueAt: Date): string =>
  JSON.stringify({ type: CALLBACK_RETRY, attempt, due_at: dueAt.toISOString(), detail } satisfies CallbackRetry);
