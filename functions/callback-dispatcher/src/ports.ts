import type { Result, TransactionDecidedDetail } from '@creditline/domain';

/** What delivering a callback needs, owned here; adapters in @creditline/adapters implement them. */

/** A partner as the dispatcher needs it (the PARTNERS configuration). */
export interface CallbackPartner {
  readonly id: string;
  readonly callbackHosts: readonly string[];
  readonly webhookSecretArn: string;
  /** Where its balance crossings are called back; without it they are not. */
  readonly monitorCallbackUrl?: string | undefined;
}

export interface PartnerDirectory {
  find(partnerId: string): CallbackPartner | undefined;
}

export interface ClearedTarget {
  readonly url: URL;
  readonly addresses: readonly { readonly address: string; readonly family: 4 | 6 }[];
}

export interface GuardRefusal {
  readonly code: string;
  readonly message: string;
  /** False when trying later can help (DNS did not answer). */
  readonly permanent: boolean;
}

/** The SSRF guard: the URL, its host and every address it resolves to must be allowed. */
export interface CallbackGuard {
  check(
    rawUrl: string,
    allowedHosts: readonly string[],
  ): Promise<Result<ClearedTarget, GuardRefusal>>;
}

/**
 * Standard Webhooks headers for one send. Throws a StoreError: retryable when the secret could
 * not be fetched now, permanent when the configured secret is unusable.
 */
export interface CallbackSigner {
  sign(
    secretArn: string,
    message: { readonly id: string; readonly timestamp: Date; readonly body: string },
  ): Promise<Readonly<Record<string, string>>>;
}

export type SendResult = { readonly latencyMs: number } & (
  | { readonly kind: 'answered'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network-error'; readonly code: string; readonly message: string }
);

/** POSTs to the cleared target only (pinned addresses), bounded in time, no redirects. */
export interface CallbackSender {
  send(request: {
    readonly url: URL;
    readonly addresses: ClearedTarget['addresses'];
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly timeoutMs?: number;
  }): Promise<SendResult>;
}

export interface AttemptRecord {
  readonly at: string;
  readonly status: number | string;
  readonly delivered: boolean;
  readonly deadLettered: boolean;
}

/** The TransactionLog item: the decision as stored, and its delivery state. */
export interface DeliveryLog {
  /** Strongly consistent; null when no such decision was ever recorded. */
  storedDecision(
    partnerId: string,
    transactionId: string,
  ): Promise<{
    readonly decision: TransactionDecidedDetail;
    readonly delivery: { readonly delivered_at: string | null } | undefined;
  } | null>;
  recordDeliveryAttempt(
    partnerId: string,
    transactionId: string,
    attempt: AttemptRecord,
  ): Promise<unknown>;
}
