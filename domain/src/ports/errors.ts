/**
 * Errors adapters raise. Business outcomes are never errors; these say whether trying again
 * can help, which is all a handler needs to choose between 503 + retry and a hard failure.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Throttled, timed out, a resuming Aurora, a lock or serialization conflict: try again later. */
export class RetryableStoreError extends StoreError {
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, true, code, options);
  }
}

/** A bad statement, a constraint the caller should have checked, missing permissions: a bug. */
export class PermanentStoreError extends StoreError {
  constructor(message: string, code?: string, options?: ErrorOptions) {
    super(message, false, code, options);
  }
}

export const isRetryable = (error: unknown): boolean =>
  error instanceof StoreError && error.retryable;

/**
 * A write that failed in a way that leaves its effect unknown (a timeout, a dropped connection,
 * a 5xx): it may have been applied. Retryable, but never blindly for a write that is not
 * idempotent by its own condition: a debit is redone only under a new attempt of its claim, so
 * the journal can release the first one if it landed.
 */
export class UnknownOutcomeStoreError extends RetryableStoreError {}
