import { endpointOf, type WebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import { CALLBACK_TIMEOUT_MS } from '@creditline/adapters/webhooks/http-sender';
import type { Clock, DelayedMessages, DeliveryAttempt, DeliveryState } from '@creditline/domain';
import {
  isBalanceCrossing,
  retryMessage,
  webhookIdOf,
  type CallbackDetail,
} from './callback-message.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { CallbackMessage, CallbackOutcome } from './deliver-callback.js';
import type { DeliveryLog, PartnerDirectory } from './ports.js';
import {
  hopDelaySeconds,
  maxAttempts,
  nextAttemptDelaySeconds,
  retryAfterSeconds,
  type RetryPolicy,
} from './retry-schedule.js';

/** The delivery and endpoint records the dispatcher keeps (the Webhooks table). */
export type WebhookLedger = Pick<
  WebhookStore,
  'claim' | 'record' | 'endpoint' | 'endpointSucceeded' | 'endpointFailed' | 'disableEndpoint'
>;

export interface DispatchDependencies {
  /** One send: guard, sign, POST, and the TransactionLog's delivery summary (deliverCallback). */
  readonly deliver: (message: CallbackMessage) => Promise<CallbackOutcome>;
  /** The TransactionLog: the decision as stored, which is what is acted on (never the message's claims). */
  readonly deliveries: Pick<DeliveryLog, 'storedDecision'>;
  /** The partner configuration: where a balance crossing is called back (its monitorCallbackUrl). */
  readonly partners: PartnerDirectory;
  readonly webhooks: WebhookLedger;
  /** The callbacks queue, for the next attempt. */
  readonly retries: DelayedMessages;
  readonly breakers: CircuitBreakers;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly random: () => number;
}

export interface DispatchMessage {
  readonly detail: CallbackDetail;
  readonly attempt: number;
  /** When this attempt is due (a retry); undefined for the first attempt. */
  readonly dueAt?: Date;
  /** The SQS message: a redelivery of the same message may take its own claim again. */
  readonly messageId: string;
  /** What the invocation has left, in ms (Lambda's getRemainingTimeInMillis). */
  readonly remainingMs: number;
}

export type DispatchOutcome =
  /**
   * Nothing to call back: a decision without callback_url, a crossing of a partner without
   * monitorCallbackUrl (or of no configured partner at all).
   */
  | {
      readonly kind: 'skipped';
      readonly reason: 'NO_CALLBACK_URL' | 'NO_MONITOR_CALLBACK_URL' | 'UNKNOWN_PARTNER';
    }
  /** The message names a decision the TransactionLog does not hold (for that partner): nothing is recorded. */
  | { readonly kind: 'unknown-decision' }
  /** Not due yet: sent on towards its due time. */
  | { readonly kind: 'waiting'; readonly dueAt: Date }
  /** Not sent, attempt not used: the circuit is open, or the invocation is out of time. */
  | {
      readonly kind: 'deferred';
      readonly reason: 'CIRCUIT_OPEN' | 'NO_TIME';
      readonly retryAt: Date;
    }
  /** Another message owns this attempt, or the delivery is done with. */
  | { readonly kind: 'stale' }
  | {
      readonly kind: 'attempted';
      readonly attempt: DeliveryAttempt;
      readonly state: DeliveryState;
      readonly nextAttemptAt: string | null;
      /** Set when this attempt disabled the endpoint (410, or failing for too long). */
      readonly endpointDisabled?: string;
    };

/** Recording the attempt and scheduling the next need this much of the invocation after a send. */
export const RECORDING_RESERVE_MS = 2_000;
/** Below this, a send is not worth starting. */
export const MIN_SEND_MS = 250;

const GONE = 410;

interface Target {
  readonly detail: CallbackDetail;
  readonly url: string;
  /** Its delivery: keyed by the webhook-id; a decision's also carries its transaction_id. */
  readonly ref: { readonly webhookId: string; readonly transactionId?: string };
}

/**
 * What is sent, where, under which id. A decision: as the TransactionLog stores it, so a forged
 * or stale message can name a decision, never change where it goes or what it says. A crossing:
 * to its partner's monitorCallbackUrl from the configuration (the message never names a URL);
 * its detail comes from creditline's own bus source, which no partner may publish under.
 */
const resolveTarget = async (
  detail: CallbackDetail,
  deps: DispatchDependencies,
): Promise<Target | DispatchOutcome> => {
  if (isBalanceCrossing(detail)) {
    const partner = deps.partners.find(detail.partner_id);
    if (partner === undefined) return { kind: 'skipped', reason: 'UNKNOWN_PARTNER' };
    if (partner.monitorCallbackUrl === undefined)
      return { kind: 'skipped', reason: 'NO_MONITOR_CALLBACK_URL' };
    return { detail, url: partner.monitorCallbackUrl, ref: { webhookId: webhookIdOf(detail) } };
  }
  // A message without a callback_url asks for nothing, so it costs no I/O.
  if (!detail.callback_url) return { kind: 'skipped', reason: 'NO_CALLBACK_URL' };
  const stored = await deps.deliveries.storedDecision(detail.partner_id, detail.transaction_id);
  if (stored === null) return { kind: 'unknown-decision' };
  const callbackUrl = stored.decision.callback_url;
  if (!callbackUrl) return { kind: 'skipped', reason: 'NO_CALLBACK_URL' };
  const decision = stored.decision;
  return {
    detail: decision,
    url: callbackUrl,
    ref: { webhookId: webhookIdOf(decision), transactionId: decision.transaction_id },
  };
};

/**
 * One attempt at a callback (a decision's or a balance crossing's), on the retry schedule,
 * isolated per endpoint:
 * 1. a retry that is not due yet is sent on (hops of ≤ 15 min) without touching anything;
 * 2. an endpoint whose circuit is open, or an invocation without time for a send, defers the
 *    message (a new delayed message, same attempt number) without sending;
 * 3. the attempt is claimed on the delivery record, keyed by the webhook-id (fenced by the
 *    attempt count; a duplicate event finds its first attempt claimed and is stale);
 * 4. a disabled endpoint is not called; otherwise one send bounded by the invocation's time;
 * 5. the attempt is recorded with its status and latency, then the next one is scheduled
 *    (in that order: a crash in between is resumed by the message's redelivery), or the
 *    delivery ends DELIVERED, FAILED (schedule exhausted, or refused) or ENDPOINT_DISABLED —
 *    never dropped: both stay listed for `webhook replay`.
 */
export const dispatchCallback = async (
  message: DispatchMessage,
  deps: DispatchDependencies,
): Promise<DispatchOutcome> => {
  const { attempt } = message;
  const target = await resolveTarget(message.detail, deps);
  if ('kind' in target) return target;
  const { detail, url: callbackUrl, ref } = target;
  const now = deps.clock.now();
  const later = async (dueAt: Date, attemptNumber = attempt): Promise<void> => {
    await deps.retries.send(
      retryMessage(detail, attemptNumber, dueAt),
      hopDelaySeconds(dueAt, now),
    );
  };

  if (message.dueAt && message.dueAt.getTime() - now.getTime() >= 1000) {
    await later(message.dueAt);
    return { kind: 'waiting', dueAt: message.dueAt };
  }

  const timeoutMs = Math.min(CALLBACK_TIMEOUT_MS, message.remainingMs - RECORDING_RESERVE_MS);
  if (timeoutMs < MIN_SEND_MS) {
    const retryAt = new Date(now.getTime() + 1000);
    await later(retryAt);
    return { kind: 'deferred', reason: 'NO_TIME', retryAt };
  }

  const partnerId = detail.partner_id;
  let endpoint: string;
  try {
    endpoint = endpointOf(callbackUrl);
  } catch {
    endpoint = callbackUrl;
  }
  const circuit = `${partnerId} ${endpoint}`;
  const verdict = deps.breakers.check(circuit);
  if (!verdict.allow) {
    // Jittered, so the deliveries held back by one open circuit do not all return at once.
    const retryAt = new Date(verdict.retryAt.getTime() + Math.round(deps.random() * 5000));
    await later(retryAt);
    return { kind: 'deferred', reason: 'CIRCUIT_OPEN', retryAt };
  }
  // Every `allow` ends in exactly one of succeeded, failed or release. A store call that throws
  // before the send's outcome is known (a DynamoDB 5xx, a throttle the SDK gave up on) would
  // otherwise keep its bulkhead slot, or the half-open probe, for the container's lifetime:
  // after `maxInFlight` such throws every later callback to the endpoint is deferred forever.
  const holdingSlot = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      deps.breakers.release(circuit);
      throw error;
    }
  };

  const at = now.toISOString();
  const claim = await holdingSlot(() =>
    deps.webhooks.claim({
      partnerId,
      ...ref,
      attempt,
      messageId: message.messageId,
      url: callbackUrl,
      detail,
      at,
    }),
  );
  if (claim.kind !== 'claimed') deps.breakers.release(circuit);
  if (claim.kind === 'stale') return { kind: 'stale' };
  if (claim.kind === 'recorded') {
    const { item } = claim;
    if (item.state === 'PENDING' && item.next_attempt_at !== null)
      await later(new Date(item.next_attempt_at), attempt + 1);
    const last = item.attempts.find((entry) => entry.attempt === attempt);
    return last
      ? { kind: 'attempted', attempt: last, state: item.state, nextAttemptAt: item.next_attempt_at }
      : { kind: 'stale' };
  }

  const finish = async (
    entry: DeliveryAttempt,
    state: DeliveryState,
    nextAttemptAt: Date | null,
    endpointDisabled?: string,
  ): Promise<DispatchOutcome> => {
    const next = nextAttemptAt?.toISOString() ?? null;
    await deps.webhooks.record({
      partnerId,
      webhookId: ref.webhookId,
      attempt: entry,
      state,
      nextAttemptAt: next,
    });
    if (state === 'PENDING' && nextAttemptAt) await later(nextAttemptAt, attempt + 1);
    return {
      kind: 'attempted',
      attempt: entry,
      state,
      nextAttemptAt: next,
      ...(endpointDisabled ? { endpointDisabled } : {}),
    };
  };
  const entry = (
    status: number | string,
    outcome: DeliveryAttempt['outcome'],
    latencyMs?: number,
  ): DeliveryAttempt => ({ attempt, at, status, outcome, latency_ms: latencyMs ?? null });

  const record = await holdingSlot(() => deps.webhooks.endpoint(partnerId, endpoint));
  if (record.state === 'DISABLED') {
    deps.breakers.release(circuit);
    return finish(entry('ENDPOINT_DISABLED', 'REFUSED'), 'ENDPOINT_DISABLED', null);
  }

  const outcome = await holdingSlot(() =>
    deps.deliver({
      detail,
      receiveCount: attempt,
      maxReceiveCount: maxAttempts(deps.policy),
      timeoutMs,
    }),
  );
  switch (outcome.kind) {
    case 'skipped':
      // Delivered already (the TransactionLog says so): nothing was sent now. (A crossing is
      // never skipped here: its URL was found above, in the same configuration.)
      deps.breakers.release(circuit);
      return finish(entry(outcome.reason, 'DELIVERED'), 'DELIVERED', null);
    case 'delivered':
      deps.breakers.succeeded(circuit);
      if (record.consecutive_failures > 0 || record.failing_since !== null)
        await deps.webhooks.endpointSucceeded(partnerId, endpoint);
      return finish(entry(outcome.status, 'DELIVERED', outcome.latencyMs), 'DELIVERED', null);
    case 'refused':
      deps.breakers.release(circuit);
      return finish(entry(outcome.code, 'REFUSED'), 'FAILED', null);
    case 'failed': {
      deps.breakers.failed(circuit);
      const failure = entry(outcome.status, 'FAILED', outcome.latencyMs);
      if (outcome.status === GONE) {
        const newly = await deps.webhooks.disableEndpoint(partnerId, endpoint, at, 'GONE');
        return finish(failure, 'ENDPOINT_DISABLED', null, newly ? 'GONE' : undefined);
      }
      const streak = await deps.webhooks.endpointFailed(partnerId, endpoint, at);
      if (
        streak.failing_since !== null &&
        now.getTime() - Date.parse(streak.failing_since) >= deps.policy.disableAfterMs
      ) {
        const reason = `FAILING_SINCE ${streak.failing_since}`;
        const newly = await deps.webhooks.disableEndpoint(partnerId, endpoint, at, reason);
        return finish(failure, 'ENDPOINT_DISABLED', null, newly ? reason : undefined);
      }
      const delay = nextAttemptDelaySeconds(
        attempt,
        deps.policy,
        deps.random,
        retryAfterSeconds(outcome.retryAfter, now),
      );
      if (delay === undefined) return finish(failure, 'FAILED', null);
      return finish(failure, 'PENDING', new Date(now.getTime() + delay * 1000));
    }
  }
};
