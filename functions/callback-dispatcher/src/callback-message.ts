import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { EventBridgeSchema, SqsRecordSchema } from '@aws-lambda-powertools/parser/schemas';
import { detailTypes, eventSources } from '@creditline/adapters/definitions';
import { decidedDetailSchema } from '@creditline/adapters/outbox/decided-detail';
import {
  balanceCrossingDetailSchema,
  balanceEventTypes,
  type BalanceCrossingDetail,
  type TransactionDecidedDetail,
} from '@creditline/domain';
import { z } from 'zod';

/**
 * What one callback is about: a decision (TransactionDecided) or a balance crossing (BalanceLow,
 * BalanceRestored). The detail is what the event carried, and what a retry or a replay carries
 * again.
 */
export type CallbackDetail = TransactionDecidedDetail | BalanceCrossingDetail;

export const isBalanceCrossing = (detail: CallbackDetail): detail is BalanceCrossingDetail =>
  'type' in detail && (balanceEventTypes as readonly unknown[]).includes(detail.type);

/** A crossing first (its `type` decides it); a decision's detail has no `type`. */
export const callbackDetailSchema: z.ZodType<CallbackDetail> = z.union([
  balanceCrossingDetailSchema,
  decidedDetailSchema,
]);

/**
 * The webhook-id of a callback, which is also its delivery's key in the Webhooks table: the same
 * on every attempt, every replay and for every duplicate of its event, so the partner can
 * deduplicate and the first attempt's claim makes a duplicate event one delivery. A decision's
 * is its transaction_id; a crossing's is its change and threshold (one change crosses a
 * threshold at most once), behind a `#`, which no transaction_id may hold, so the two never meet.
 */
export const webhookIdOf = (detail: CallbackDetail): string =>
  isBalanceCrossing(detail)
    ? `balance#${detail.change_id}#${detail.threshold}`
    : detail.transaction_id;

/** What the logs say a callback is about. */
export const callbackContext = (detail: CallbackDetail): Readonly<Record<string, unknown>> =>
  isBalanceCrossing(detail)
    ? {
        partner_id: detail.partner_id,
        webhook_id: webhookIdOf(detail),
        type: detail.type,
        user_id: detail.user_id,
        threshold: detail.threshold,
      }
    : { partner_id: detail.partner_id, transaction_id: detail.transaction_id };

/**
 * What the callbacks queue carries: the event a bus rule delivered (the first attempt), or a
 * CallbackRetry the dispatcher (or `webhook replay`) sent for a later attempt. A retry names its
 * attempt and when it is due: it arrives early when the wait is longer than SQS's 15-minute
 * DelaySeconds, and is then sent on again for the rest.
 */
export const CALLBACK_RETRY = 'CallbackRetry';

export const callbackRetrySchema = z.object({
  type: z.literal(CALLBACK_RETRY),
  attempt: z.number().int().min(1),
  due_at: z.iso.datetime({ offset: true }),
  detail: callbackDetailSchema,
});
export type CallbackRetry = z.infer<typeof callbackRetrySchema>;

/** BalanceLow / BalanceRestored from the controls source (only creditline may publish it). */
const balanceCrossingEventSchema = EventBridgeSchema.extend({
  source: z.literal(eventSources.controls),
  'detail-type': z.enum([detailTypes.balanceLow, detailTypes.balanceRestored]),
  detail: balanceCrossingDetailSchema,
});

export const callbackRecordSchema = SqsRecordSchema.extend({
  body: JSONStringified(
    z.union([
      callbackRetrySchema,
      balanceCrossingEventSchema,
      EventBridgeSchema.extend({ detail: decidedDetailSchema }),
    ]),
  ),
});

export const retryMessage = (detail: CallbackDetail, attempt: number, dueAt: Date): string =>
  JSON.stringify({
    type: CALLBACK_RETRY,
    attempt,
    due_at: dueAt.toISOString(),
    detail,
  } satisfies CallbackRetry);
