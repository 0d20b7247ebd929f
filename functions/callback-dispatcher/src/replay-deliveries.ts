import type { WebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import type { Clock, DelayedMessages } from '@creditline/domain';
import { callbackDetailSchema, retryMessage } from './callback-message.js';

export interface ReplayDependencies {
  readonly webhooks: Pick<WebhookStore, 'failedSince' | 'reopen' | 'enableEndpoint'>;
  /** The callbacks queue. */
  readonly retries: DelayedMessages;
  readonly clock: Clock;
}

export interface ReplayReport {
  readonly partner_id: string;
  readonly since: string;
  /** Webhook ids sent again (a decision's is its transaction_id), each under that same id. */
  readonly replayed: readonly string[];
  /** Failed deliveries someone else reopened first (a concurrent replay). */
  readonly skipped: readonly string[];
  /** Endpoints re-enabled because a replayed delivery was addressed to them. */
  readonly endpoints_enabled: readonly string[];
}

/**
 * `creditline webhook replay --partner P --since T`: every delivery of P (decisions and balance
 * crossings alike) that failed for good
 * (schedule exhausted, refused, or its endpoint disabled) at or after T is reopened and sent
 * again as its next attempt, with the same webhook-id, so a partner that did receive it once
 * deduplicates. Idempotent: reopening is conditional on the delivery still being failed at the
 * same attempt count, so a second replay (or two at once) sends nothing twice. Replaying to a
 * disabled endpoint re-enables it: the operator is saying the endpoint is fixed.
 */
export const replayFailedDeliveries = async (
  request: { readonly partnerId: string; readonly since: Date },
  deps: ReplayDependencies,
): Promise<ReplayReport> => {
  const since = request.since.toISOString();
  const failed = await deps.webhooks.failedSince(request.partnerId, since);
  const replayed: string[] = [];
  const skipped: string[] = [];
  const enabled = new Set<string>();
  for (const item of failed) {
    const now = deps.clock.now();
    if (item.state === 'ENDPOINT_DISABLED' && !enabled.has(item.endpoint)) {
      await deps.webhooks.enableEndpoint(request.partnerId, item.endpoint);
      enabled.add(item.endpoint);
    }
    if (!(await deps.webhooks.reopen(item, now.toISOString()))) {
      skipped.push(item.webhook_id);
      continue;
    }
    await deps.retries.send(retryMessage(callbackDetailSchema.parse(item.detail), item.attempt_count + 1, now), 0);
    replayed.push(item.webhook_id);
  }
  return { partner_id: request.partnerId, since, replayed, skipped, endpoints_enabled: [...enabled] };
};
