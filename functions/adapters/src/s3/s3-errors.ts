import { PermanentStoreError, RetryableStoreError, StoreError } from '@creditline/domain';

const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'TimeoutError',
]);
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

/** What the S3 SDK throws (after its own retries), as the port's typed errors. */
export const mapS3Error = (error: unknown, operation: string): StoreError => {
  if (error instanceof StoreError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const name = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const message = `S3 ${operation} failed: ${error instanceof Error ? error.message : String(error)}`;
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
