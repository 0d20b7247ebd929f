import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { EventBridgeSchema, SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas';
import { decidedDetailSchema } from '@creditline/adapters/outbox/decided-detail';
import type { z } from 'zod';

/**
 * An SQS record of the transaction-log queue: its body is the TransactionDecided EventBridge
 * event the bus rule delivered, as JSON text.
 */
export const decidedRecordSchema = SqsRecordSchema.extend({
  body: JSONStringified(EventBridgeSchema.extend({ detail: decidedDetailSchema })),
});
export type DecidedRecord = z.infer<typeof decidedRecordSchema>;
