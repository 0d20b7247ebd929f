import { z } from 'zod';
import {
  balanceCrossingDetailSchema,
  type BalanceCrossingDetail,
  type BalanceEventType,
} from '../controls/balance-monitors.js';
import { identifierSchema, isoTimestampSchema } from './identifiers.js';

/**
 * What a partner can see of the webhooks sent to it: every attempt at delivering one
 * transaction's callback, with its outcome and latency (`GET /v1/transactions/{id}/deliveries`).
 */

/**
 * - DELIVERED: the endpoint answered 2xx;
 * - FAILED: worth retrying (non-2xx, timeout, network or DNS failure);
 * - REFUSED: not sent, and retrying cannot help until the configuration changes (the URL
 *   failed the SSRF guard, the endpoint is disabled, no usable secret);
 * - DEFERRED: not sent because the endpoint's circuit breaker was open; rescheduled.
 */
export const deliveryAttemptOutcomeSchema = z.enum(['DELIVERED', 'FAILED', 'REFUSED', 'DEFERRED']);
export type DeliveryAttemptOutcome = z.infer<typeof deliveryAttemptOutcomeSchema>;

export const deliveryAttemptSchema = z.object({
  /** 1 for the first send; a replay continues the count. */
  attempt: z.number().int().positive(),
  at: isoTimestampSchema,
  /** The HTTP status the endpoint answered, or what happened instead (TIMEOUT, NETWORK_ERROR:ECONNREFUSED, a refusal code). */
  status: z.union([z.number().int(), z.string()]),
  outcome: deliveryAttemptOutcomeSchema,
  /** From the start of the request to the answer (or the failure); null when nothing was sent. */
  latency_ms: z.number().int().nonnegative().nullable(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

/**
 * - PENDING: not delivered yet, another attempt is scheduled (`next_attempt_at`);
 * - DELIVERED: done;
 * - FAILED: the retry schedule is exhausted, or the delivery was refused; an operator can replay it;
 * - ENDPOINT_DISABLED: the endpoint was disabled (410 Gone, or failing for days); replayable once re-enabled.
 */
export const deliveryStateSchema = z.enum(['PENDING', 'DELIVERED', 'FAILED', 'ENDPOINT_DISABLED']);
export type DeliveryState = z.infer<typeof deliveryStateSchema>;

/** The body of `GET /v1/transactions/{transaction_id}/deliveries`. */
export const transactionDeliveriesSchema = z.object({
  transaction_id: identifierSchema,
  /** The `webhook-id` header of every attempt: the same on retries and replays, for deduplication. */
  webhook_id: z.string().nullable(),
  /** null when the transaction has no callback_url. */
  state: deliveryStateSchema.nullable(),
  next_attempt_at: isoTimestampSchema.nullable(),
  attempts: z.array(deliveryAttemptSchema),
});
export type TransactionDeliveries = z.infer<typeof transactionDeliveriesSchema>;

/**
 * Body of the BalanceLow and BalanceRestored webhooks: the crossing exactly as the bus carries
 * it, `type` naming which (one schema per type, so each webhook's contract says its own). The
 * partner already holds `user_id`; `change_id` names the account change that crossed, and
 * together with `threshold` it is what the `webhook-id` is derived from.
 */
export const balanceWebhookSchemaOf = (type: BalanceEventType) =>
  balanceCrossingDetailSchema.extend({ type: z.literal(type) });
export type BalanceWebhook = BalanceCrossingDetail;

/** The webhook body of a crossing: its fields, in a fixed order, and nothing else the event may carry. */
export const toBalanceWebhook = (detail: BalanceCrossingDetail): BalanceWebhook => ({
  type: detail.type,
  partner_id: detail.partner_id,
  user_id: detail.user_id,
  threshold: detail.threshold,
  scope: detail.scope,
  previous: detail.previous,
  available: detail.available,
  change_id: detail.change_id,
});
