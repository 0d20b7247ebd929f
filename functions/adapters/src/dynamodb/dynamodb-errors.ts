import { PermanentStoreError, RetryableStoreError, StoreError } from '@creditline/domain';

/** Errors after which the same request can succeed: capacity, a concurrent transaction, the service. */
const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
  'LimitExceededException',
  'TimeoutError',
  'RequestTimeout',
]);
const RETRYABLE_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * Turns what the DynamoDB SDK throws (after its own retries) into the port's typed errors, so a
 * handler can choose between 503 + Retry-After and a hard failure without knowing the SDK.
 */
export const mapDynamoDbError = (error: unknown, operation: string): StoreError => {
  if (error instanceof StoreError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const name = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const message = `DynamoDB ${operation} failed: ${error instanceof Error ? error.message : String(error)}`;
  const status = shape.$metadata?.httpStatusCode ?? 0;
  const retryable =
    RETRYABLE_NAMES.has(name) ||
    (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) ||
    shape.$retryable !== undefined ||
    status >= 500;
  return retryable
    ? new RetryableStoreError(message, code ?? name, { cause: error })
    : new PermanentStoreError(message, code ?? name, { cause: error });
};
