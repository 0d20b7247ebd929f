import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PermanentStoreError, RetryableStoreError, type Clock } from '@creditline/domain';

/**
 * Secret values by ARN, cached for `ttlMs` so a burst of callbacks costs one Secrets Manager
 * call per partner (and a rotated secret is picked up within the TTL: harmless, since the
 * old key keeps signing until its retirement time). Concurrent misses for one ARN share a
 * single fetch. `local:<name>` ARNs are the local runtime's: they resolve from the map it
 * passes in (read on every call, never cached) and never reach AWS.
 */
export interface SecretSource {
  get(arn: string): Promise<string>;
}

export interface SecretSourceOptions {
  /** Absent in the local runtime when every ARN is `local:`. */
  readonly client?: SecretsManagerClient;
  readonly localSecrets?: Readonly<Record<string, string>>;
  readonly ttlMs?: number;
  readonly clock: Clock;
}

export const LOCAL_SECRET_PREFIX = 'local:';

const RETRYABLE = new Set([
  'ThrottlingException',
  'InternalServiceError',
  'TooManyRequestsException',
  'ServiceUnavailableException',
]);

export const createSecretSource = (options: SecretSourceOptions): SecretSource => {
  const { client, localSecrets = {}, ttlMs = 5 * 60_000, clock } = options;
  const cache = new Map<string, { readonly value: string; readonly expiresAt: number }>();
  const inFlight = new Map<string, Promise<string>>();

  const fetchSecret = async (arn: string): Promise<string> => {
    if (arn.startsWith(LOCAL_SECRET_PREFIX)) {
      const value = localSecrets[arn.slice(LOCAL_SECRET_PREFIX.length)];
      if (value === undefined)
        throw new PermanentStoreError(
          `local secret ${arn} is not configured`,
          'LocalSecretMissing',
        );
      return value;
    }
    if (!client)
      throw new PermanentStoreError(
        `secret ${arn} needs Secrets Manager, and no client is configured`,
        'NoSecretsClient',
      );
    try {
      const output = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      if (output.SecretString === undefined)
        throw new PermanentStoreError(`secret ${arn} has no string value`, 'NoSecretString');
      return output.SecretString;
    } catch (error) {
      if (error instanceof PermanentStoreError) throw error;
      const name = error instanceof Error ? error.name : 'UnknownError';
      const message = `secret ${arn}: ${error instanceof Error ? error.message : String(error)}`;
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      if (RETRYABLE.has(name) || status === undefined || status >= 500)
        throw new RetryableStoreError(message, name, { cause: error });
      throw new PermanentStoreError(message, name, { cause: error });
    }
  };

  return {
    async get(arn) {
      // Local secrets live in process memory: read every time, so a rotation shows at once.
      if (arn.startsWith(LOCAL_SECRET_PREFIX)) return fetchSecret(arn);
      const cached = cache.get(arn);
      if (cached && cached.expiresAt > clock.now().getTime()) return cached.value;
      const pending = inFlight.get(arn);
      if (pending) return pending;
      const fetching = fetchSecret(arn)
        .then((value) => {
          cache.set(arn, { value, expiresAt: clock.now().getTime() + ttlMs });
          return value;
        })
        .finally(() => inFlight.delete(arn));
      inFlight.set(arn, fetching);
      return fetching;
    },
  };
};
