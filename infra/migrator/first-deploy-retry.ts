/**
 * On a first deploy the migrator runs seconds after its role, its policy, the cluster and the
 * secrets were created, and AWS is eventually consistent about all of them: for a while the
 * Data API answers AccessDenied (the role's policy has not propagated), "not authorized to
 * perform secretsmanager:GetSecretValue / kms:Decrypt", "HttpEndpoint is not enabled" (the Data
 * API is still being switched on) or that the database is resuming. Each of these goes away by
 * itself; a bad statement does not. So the migrator retries the first kind until a deadline
 * (inside its own timeout) and fails the deploy at once on anything else.
 */
const transientNames = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'KMSAccessDeniedException',
  'KMSInvalidStateException',
  'UnrecognizedClientException',
  'DatabaseResumingException',
  'DatabaseUnavailableException',
  'DatabaseNotFoundException',
  'ServiceUnavailableError',
  'ThrottlingException',
]);

const transientMessages = [
  /not authorized to perform/i,
  /HttpEndpoint is not enabled/i,
  /is not enabled for the Data API/i,
  /resuming after being auto-paused/i,
  /Communications link failure/i,
  /cannot be assumed by Lambda/i,
];

/** Walks `cause` chains: the adapters wrap the SDK's error in a StoreError. */
const chain = (error: unknown): unknown[] => {
  const errors: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && errors.length < 5) {
    errors.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return errors;
};

export const isFirstDeployTransient = (error: unknown): boolean =>
  chain(error).some((link) => {
    if (!(link instanceof Error)) return false;
    if ((link as { retryable?: unknown }).retryable === true) return true;
    const code = (link as { code?: unknown }).code;
    if (transientNames.has(link.name) || (typeof code === 'string' && transientNames.has(code)))
      return true;
    return transientMessages.some((pattern) => pattern.test(link.message));
  });

export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Delays between attempts: 2 s doubling to 30 s. */
export const retryDelayMs = (attempt: number): number =>
  Math.min(30_000, 2_000 * 2 ** Math.max(0, attempt - 1));

/**
 * Runs `work` until it succeeds, a non-transient error is thrown, or the next attempt would
 * start after `deadline` (epoch ms); then the last error is thrown.
 */
export const retryFirstDeploy = async <T>(
  work: () => Promise<T>,
  options: {
    readonly deadline: number;
    readonly clock: RetryClock;
    readonly onRetry?: (attempt: number, error: unknown) => void;
  },
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = retryDelayMs(attempt);
      if (!isFirstDeployTransient(error) || options.clock.now() + delay > options.deadline)
        throw error;
      options.onRetry?.(attempt, error);
      await options.clock.sleep(delay);
    }
  }
};
