import { GetSecretValueCommand, PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { generateWebhookSecret, parseKeyring, rotateKeyring } from './webhook-keys.js';

export interface RotationReport {
  readonly secret_id: string;
  /** The new secret, to hand to the partner: shown once, stored only in the secret. */
  readonly new_secret: string;
  /** When the previous key(s) stop signing. */
  readonly old_keys_retire_at: string;
  /** Keys signing now (the old ones until their retirement, and the new one). */
  readonly active_keys: number;
}

/**
 * The operator's rotation: reads the partner's secret, adds a fresh key, gives the current
 * keys their retirement time, and writes it back as a new version (PutSecretValue), so the
 * dispatcher signs with both from its next read of the secret on. Works the same on Secrets
 * Manager and on the local runtime's endpoint.
 */
export const rotateWebhookSecret = async (
  client: SecretsManagerClient,
  request: { readonly secretId: string; readonly retireAt: Date; readonly now: Date; readonly newSecret?: string },
): Promise<RotationReport> => {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: request.secretId }));
  const current = parseKeyring(SecretString ?? '');
  if ('problem' in current) throw new Error(`secret ${request.secretId} ${current.problem}`);
  const rotation = rotateKeyring(current, { secret: request.newSecret ?? generateWebhookSecret(), now: request.now, retireAt: request.retireAt });
  await client.send(new PutSecretValueCommand({ SecretId: request.secretId, SecretString: JSON.stringify(rotation.keyring) }));
  return {
    secret_id: request.secretId,
    new_secret: rotation.secret,
    old_keys_retire_at: rotation.retireAt,
    active_keys: rotation.keyring.keys.filter((key) => key.retire_at === null || Date.parse(key.retire_at) > request.now.getTime()).length,
  };
};
