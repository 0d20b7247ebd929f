import {
  PermanentStoreError,
  RetryableStoreError,
  StoreError,
  UnknownOutcomeStoreError,
} from '@creditline/domain';

/** Socket failures after which the same request can succeed. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Refusals the service names before doing anything: the request was certainly not applied. */
const REFUSED_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'TransactionInProgressException',
  'LimitExceededException',
]);

/**
 * Turns what an AWS SDK client throws (after its own retries) into the port's typed errors, so a
 * caller can choose between retry-later (503 + Retry-After, a redelivery) and a hard failure
 * without knowing the SDK. Retryable: the service's named transient errors, network failures,
 * anything the SDK marks `$retryable`, and 5xx.
 */
export const createSdkErrorMapper =
  (service: string, retryableNames: ReadonlySet<string>) =>
  (error: unknown, operation: string): StoreError => {
    if (error instanceof StoreError) return error;
    const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
    const name = typeof shape.name === 'string' ? shape.name : 'UnknownError';
    const code = typeof shape.code === 'string' ? shape.code : undefined;
    const message = `${service} ${operation} failed: ${error instanceof Error ? error.message : String(error)}`;
    const status = shape.$metadata?.httpStatusCode ?? 0;
    const retryable =
      retryableNames.has(name) ||
      (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) ||
      shape.$retryable !== undefined ||
      status >= 500;
    // A refusal the service named (throttling, a conflict) was not applied; a 5xx, a timeout or a
    // broken connection may have been.
    if (retryable && !REFUSED_NAMES.has(name))
      return new UnknownOutcomeStoreError(message, code ?? name, { cause: error });
    return retryable
      ? new RetryableStoreError(message, code ?? name, { cause: error })
      : new PermanentStoreError(message, code ?? name, { cause: error });
  };
