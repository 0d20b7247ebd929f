import { PermanentStoreError } from '@creditline/domain';
import type { SecretSource } from '../secrets/secret-source.js';
import { signWebhook, webhookSecretSchema, type WebhookHeaders } from './signer.js';

/**
 * Signs a callback with its partner's secret, fetched (and cached) by ARN. A secret that is
 * not a valid `whsec_` key is a configuration error: PermanentStoreError, so the callback is
 * parked rather than retried for hours; a Secrets Manager outage stays retryable.
 */
export interface PartnerSigner {
  sign(
    secretArn: string,
    message: { readonly id: string; readonly timestamp: Date; readonly body: string },
  ): Promise<WebhookHeaders>;
}

export const createPartnerSigner = (secrets: SecretSource): PartnerSigner => ({
  async sign(secretArn, message) {
    const parsed = webhookSecretSchema.safeParse(await secrets.get(secretArn));
    if (!parsed.success) {
      throw new PermanentStoreError(
        `webhook secret ${secretArn} is unusable: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
        'SECRET_INVALID',
      );
    }
    return signWebhook({ ...message, key: parsed.data });
  },
});
