import {
  StoreError,
  toResponse,
  type Clock,
  type TransactionDecidedDetail,
} from '@creditline/domain';
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
  readonly decision: TransactionDecidedDetail;
  /** How many times the queue has delivered this message, this time included. */
  readonly receiveCount: number;
  /** The queue's redrive setting: after this many receives the message goes to the DLQ. */
  readonly maxReceiveCount: number;
  /** This send's bound (the invocation's remaining time, less what recording needs). */
  readonly timeoutMs?: number;
}

/**
 * - skipped: nothing to send (no callback_url) or already delivered (a redelivered message);
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

/**
 * Delivers one decision to its partner's callback_url: guard, sign, send, and record the
 * attempt on the TransactionLog item. The webhook id is the transaction_id, the same on every
 * retry, so the partner can dedupe; a decision already delivered is not sent again.
 */
export const deliverCallback = async (
  message: CallbackMessage,
  deps: DeliverDependencies,
): Promise<CallbackOutcome> => {
  // The message only names the decision: what is sent, and where, is what the TransactionLog holds.
  const stored = await deps.deliveries.storedDecision(
    message.decision.partner_id,
    message.decision.transaction_id,
  );
  if (stored === null) return { kind: 'skipped', reason: 'UNKNOWN_DECISION' };
  const { decision } = stored;
  const callbackUrl = decision.callback_url;
  if (!callbackUrl) return { kind: 'skipped', reason: 'NO_CALLBACK_URL' };
  const id = decision.transaction_id;
  if (stored.delivery?.delivered_at) return { kind: 'skipped', reason: 'ALREADY_DELIVERED' };

  const at = deps.clock.now();
  const deadLettered = message.receiveCount >= message.maxReceiveCount;
  const record = async <O extends CallbackOutcome>(
    status: number | string,
    delivered: boolean,
    outcome: O,
  ): Promise<O> => {
    await deps.deliveries.recordDeliveryAttempt(decision.partner_id, id, {
      at: at.toISOString(),
      status,
      delivered,
      deadLettered: deadLettered && !delivered,
    });
    return outcome;
  };

  const attempt = await (async (): Promise<Refusal | Failure | SendResult> => {
    const partner: CallbackPartner | undefined = deps.partners.find(decision.partner_id);
    if (!partner)
      return {
        kind: 'refused',
        code: 'UNKNOWN_PARTNER',
        message: `no partner "${decision.partner_id}" is configured`,
      };
    const cleared = await deps.guard.check(callbackUrl, partner.callbackHosts);
    if (!cleared.ok) {
      return cleared.error.permanent
        ? { kind: 'refused', code: cleared.error.code, message: cleared.error.message }
        : { kind: 'failed', status: cleared.error.code };
    }
    const body = JSON.stringify(toResponse(decision));
    let headers: Readonly<Record<string, string>>;
    try {
      headers = await deps.signer.sign(partner.webhookSecretArn, { id, timestamp: at, body });
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
      body,
      ...(message.timeoutMs !== undefined ? { timeoutMs: message.timeoutMs } : {}),
    });
  })();

  switch (attempt.kind) {
    case 'refused':
      return record(attempt.code, false, { ...attempt, deadLettered });
    case 'failed':
      return record(attempt.status, false, { ...attempt, deadLettered });
    default: {
      const status = statusOf(attempt);
      const { latencyMs } = attempt;
      if (typeof status === 'number' && status >= 200 && status < 300)
        return record(status, true, { kind: 'delivered', status, latencyMs });
      const retryAfter = attempt.kind === 'answered' ? attempt.retryAfter : undefined;
      return record(status, false, {
        kind: 'failed',
        status,
        deadLettered,
        latencyMs,
        ...(retryAfter ? { retryAfter } : {}),
      });
    }
  }
};
