import { isRetryable, type DepositLedger, type DepositRepository } from '@creditline/domain';

export interface RetryPolicy {
  /** Calls in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 200 };

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `operation` again after a retryable store error, with jittered exponential backoff. */
export const withRetries = async <T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
): Promise<T> => {
  const sleep = policy.sleep ?? wait;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.attempts) throw error;
      await sleep(policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
    }
  }
};

/**
 * Both deposit steps may be repeated safely: the ledger tells an earlier attempt's records from
 * duplicates, and the books insert only what they lack. A batch is retried here a few times
 * before the whole file fails (and its S3 event is retried).
 */
export const retryingLedger = (
  ledger: DepositLedger,
  policy: RetryPolicy = defaultRetryPolicy,
): DepositLedger => ({
  maxBatchItems: ledger.maxBatchItems,
  record: (batch) => withRetries(() => ledger.record(batch), policy),
});

export const retryingRepository = (
  repository: DepositRepository,
  policy: RetryPolicy = defaultRetryPolicy,
): DepositRepository => ({
  record: (batch) => withRetries(() => repository.record(batch), policy),
});
