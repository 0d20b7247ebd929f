import { PermanentStoreError } from '@creditline/domain';
import type { SecretSource } from '../secrets/secret-source.js';
import { signWebhook, type WebhookHeaders } from './signer.js';
import { parseKeyring, signingKeys } from './webhook-keys.js';

/**
 * Signs a callback with every active key of its partner's secret (two during a rotation),
 * fetched (and cached) by ARN. A secret that holds no usable key is a configuration error:
 * PermanentStoreError, so the callback is refused rather than retried for hours; a Secrets
 * Manager outage stays retryable.
 */
export interface PartnerSigner {
  sign(
    secretArn: string,
    message: { readonly id: string; readonly timestamp: Date; readonly body: string },
  ): Promise<WebhookHeaders>;
}

export const createPartnerSigner = (secrets: SecretSource): PartnerSigner => ({
  async sign(secretArn, message) {
    const unusable = (problem: string) =>
      new PermanentStoreError(`webhook secret ${secretArn} is unusable: ${problem}`, 'SECRET_INVALID');
    const keyring = parseKeyring(await secrets.get(secretArn));
    if ('problem' in keyring) throw unusable(keyring.problem);
    let keys: Uint8Array[];
    try {
      keys = signingKeys(keyring, message.timestamp);
    } catch (error) {
      throw unusable(error instanceof Error ? error.message : String(error));
    }
    return signWebhook({ ...message, keys });
  },
});
