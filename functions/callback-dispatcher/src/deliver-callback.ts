import {
  StoreError,
  toBalanceWebhook,
  toResponse,
  type BalanceCrossingDetail,
  type Clock,
  type TransactionDecidedDetail,
} from '@creditline/domain';
import { isBalanceCrossing, webhookIdOf, type CallbackDetail } from './callback-message.js';
import type {
  CallbackGuard,
  CallbackPartner,
  CallbackSender,
  CallbackSigner,
  DeliveryLog,
  PartnerDirectory,
  SendResult,
} from './ports.js';

export interface DeliverDependencies {
  readonly partners: PartnerDirectory;
  readonly guard: CallbackGuard;
  readonly signer: CallbackSigner;
  readonly sender: CallbackSender;
  readonly deliveries: DeliveryLog;
  readonly clock: Clock;
}

export interface CallbackMessage {
  /** A decision (sent as the TransactionLog holds it) or a balance crossing (sent as published). */
  readonly detail: CallbackDetail;
  /** How many times the queue has delivered this message, this time included. */
  readonly receiveCount: number;
  /** The queue's redrive setting: after this many receives the message goes to the DLQ. */
  readonly maxReceiveCount: number;
  /** This send's bound (the invocation's remaining time, less what recording needs). */
  readonly timeoutMs?: number;
}

/**
 * - skipped: nothing to send (no callback_url, no monitorCallbackUrl) or already delivered (a
 *   redelivered message);
 * - delivered: the partner answered 2xx;
 * - failed: worth retrying later (non-2xx, timeout, network, DNS or secret unavailable);
 * - refused: retrying cannot help until someone changes the configuration (unknown partner,
 *   SSRF guard, unusable secret).
 * `deadLettered` says this was the last delivery the queue will make.
 */
export type CallbackOutcome =
  | {
      readonly kind: 'skipped';
      readonly reason: 'NO_CALLBACK_URL' | 'ALREADY_DELIVERED' | 'UNKNOWN_DECISION';
    }
  | { readonly kind: 'delivered'; readonly status: number; readonly latencyMs: number }
  | {
      readonly kind: 'failed';
      readonly status: number | string;
      readonly deadLettered: boolean;
      /** Set when a request was sent. */
      readonly latencyMs?: number;
      /** The endpoint's Retry-After (a 429 or 503), as sent. */
      readonly retryAfter?: string;
    }
  | {
      readonly kind: 'refused';
      readonly code: string;
      readonly message: string;
      readonly deadLettered: boolean;
    };

const statusOf = (result: SendResult): number | string => {
  switch (result.kind) {
    case 'answered':
      return result.status;
    case 'timeout':
      return 'TIMEOUT';
    case 'network-error':
      return `NETWORK_ERROR:${result.code}`;
  }
};

type Refusal = { readonly kind: 'refused'; readonly code: string; readonly message: string };
type Failure = { readonly kind: 'failed'; readonly status: string };
type Sent = Exclude<CallbackOutcome, { readonly kind: 'skipped' }>;

/** Guard, sign and POST one webhook body to `url` for `partner`: the same for every kind of callback. */
const signAndSend = async (
  deps: DeliverDependencies,
  request: {
    readonly partnerId: string;
    readonly url: string;
    readonly id: string;
    readonly body: string;
    readonly at: Date;
    readonly timeoutMs: number | undefined;
  },
): Promise<Refusal | Failure | SendResult> => {
  const partner: CallbackPartner | undefined = deps.partners.find(request.partnerId);
  if (!partner)
    return {
      kind: 'refused',
      code: 'UNKNOWN_PARTNER',
      message: `no partner "${request.partnerId}" is configured`,
    };
  const cleared = await deps.guard.check(request.url, partner.callbackHosts);
  if (!cleared.ok) {
    return cleared.error.permanent
      ? { kind: 'refused', code: cleared.error.code, message: cleared.error.message }
      : { kind: 'failed', status: cleared.error.code };
  }
  let headers: Readonly<Record<string, string>>;
  try {
    headers = await deps.signer.sign(partner.webhookSecretArn, {
      id: request.id,
      timestamp: request.at,
      body: request.body,
    });
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return error.retryable
      ? { kind: 'failed', status: 'SECRET_UNAVAILABLE' }
      : { kind: 'refused', code: error.code ?? 'SECRET_INVALID', message: error.message };
  }
  return deps.sender.send({
    url: cleared.value.url,
    addresses: cleared.value.addresses,
    headers,
    body: request.body,
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
  });
};

const outcomeOf = (attempt: Refusal | Failure | SendResult, deadLettered: boolean): Sent => {
  switch (attempt.kind) {
    case 'refused':
    case 'failed':
      return { ...attempt, deadLettered };
    default: {
      const status = statusOf(attempt);
      const { latencyMs } = attempt;
      if (typeof status === 'number' && status >= 200 && status < 300)
        return { kind: 'delivered', status, latencyMs };
      const retryAfter = attempt.kind === 'answered' ? attempt.retryAfter : undefined;
      return {
        kind: 'failed',
        status,
        deadLettered,
        latencyMs,
        ...(retryAfter ? { retryAfter } : {}),
      };
    }
  }
};

const recordedStatus = (outcome: Sent): number | string =>
  outcome.kind === 'refused' ? outcome.code : outcome.status;

/**
 * Delivers one callback: a decision through `deliverDecision`, a balance crossing through
 * `deliverCrossing`. Either is guarded, signed and sent the same way, under its webhook id.
 */
export const deliverCallback = (
  message: CallbackMessage,
  deps: DeliverDependencies,
): Promise<CallbackOutcome> =>
  isBalanceCrossing(message.detail)
    ? deliverCrossing(message.detail, message, deps)
    : deliverDecision(message.detail, message, deps);

/**
 * A balance crossing goes to its partner's monitorCallbackUrl, from the configuration (never
 * from the message), with the crossing as its body. There is no TransactionLog item to record
 * on: the delivery record (the Webhooks table) is its history.
 */
const deliverCrossing = async (
  crossing: BalanceCrossingDetail,
  message: CallbackMessage,
  deps: DeliverDependencies,
): Promise<CallbackOutcome> => {
  const url = deps.partners.find(crossing.partner_id)?.monitorCallbackUrl;
  if (url === undefined) return { kind: 'skipped', reason: 'NO_CALLBACK_URL' };
  const attempt = await signAndSend(deps, {
    partnerId: crossing.partner_id,
    url,
    id: webhookIdOf(crossing),
    body: JSON.stringify(toBalanceWebhook(crossing)),
    at: deps.clock.now(),
    timeoutMs: message.timeoutMs,
  });
  return outcomeOf(attempt, message.receiveCount >= message.maxReceiveCount);
};

/**
 * Delivers one decision to its partner's callback_url: guard, sign, send, and record the
 * attempt on the TransactionLog item. The webhook id is the transaction_id, the same on every
 * retry, so the partner can dedupe; a decision already delivered is not sent again.
 */
const deliverDecision = async (
  named: TransactionDecidedDetail,
  message: CallbackMessage,
  deps: DeliverDependencies,
): Promise<CallbackOutcome> => {
  // The message only names the decision: what is sent, and where, is what the TransactionLog holds.
  const stored = await deps.deliveries.storedDecision(named.partner_id, named.transaction_id);
  if (stored === null) return { kind: 'skipped', reason: 'UNKNOWN_DECISION' };
  const { decision } = stored;
  const callbackUrl = decision.callback_url;
  if (!callbackUrl) return { kind: 'skipped', reason: 'NO_CALLBACK_URL' };
  const id = decision.transaction_id;
  if (stored.delivery?.delivered_at) return { kind: 'skipped', reason: 'ALREADY_DELIVERED' };

  const at = deps.clock.now();
  const deadLettered = message.receiveCount >= message.maxReceiveCount;
  const outcome = outcomeOf(
    await signAndSend(deps, {
      partnerId: decision.partner_id,
      url: callbackUrl,
      id,
      body: JSON.stringify(toResponse(decision)),
      at,
      timeoutMs: message.timeoutMs,
    }),
    deadLettered,
  );
  const delivered = outcome.kind === 'delivered';
  await deps.deliveries.recordDeliveryAttempt(decision.partner_id, id, {
    at: at.toISOString(),
    status: recordedStatus(outcome),
    delivered,
    deadLettered: deadLettered && !delivered,
  });
  return outcome;
};
