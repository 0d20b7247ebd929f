import { createHmac } from 'node:crypto';
import { z } from 'zod';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`, HMAC-SHA256 with the partner's key, sent as
 * `webhook-signature: v1,<base64>`. Secrets are `whsec_<base64 key>`; the spec asks for keys
 * of 24 to 64 bytes.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export const webhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by a base64 key')
  .transform((secret) => Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64'))
  .refine((key) => key.length >= 24 && key.length <= 64, 'key must be 24 to 64 bytes');

// A type alias (not an interface) so it is assignable to a plain header record.
export type WebhookHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

export interface SignInput {
  /** Stable across retries (creditline uses the transaction_id) so receivers can dedupe. */
  readonly id: string;
  readonly timestamp: Date;
  /** The exact bytes sent: the signature covers the body as sent, not a re-serialisation. */
  readonly body: string;
  /**
   * The decoded keys (`webhookSecretSchema` output): one signature each, space-separated, as
   * the spec provides for key rotation. A receiver accepts the message when any one verifies.
   */
  readonly keys: readonly Uint8Array[];
}

export const signWebhook = ({ id, timestamp, body, keys }: SignInput): WebhookHeaders => {
  if (keys.length === 0) throw new Error('signWebhook needs at least one key');
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  const signatures = keys.map(
    (key) => `v1,${createHmac('sha256', key).update(`${id}.${seconds}.${body}`, 'utf8').digest('base64')}`,
  );
  return { 'webhook-id': id, 'webhook-timestamp': seconds, 'webhook-signature': signatures.join(' ') };
};
