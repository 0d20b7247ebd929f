import {
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';

/** One Secrets Manager client per cold start; `config` points it elsewhere in tests. */
export const createSecretsManagerClient = (
  config: SecretsManagerClientConfig = {},
): SecretsManagerClient => new SecretsManagerClient({ maxAttempts: 3, ...config });
