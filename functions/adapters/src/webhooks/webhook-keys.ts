import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { WEBHOOK_SECRET_PREFIX, webhookSecretSchema } from './signer.js';

/**
 * A partner's webhook signing keys, as the value of its secret (Secrets Manager, or the local
 * runtime's secret store). Standard Webhooks lets a delivery carry several signatures, which is
 * how a key is rotated without downtime:
 * 1. `rotate` adds a new key and gives every current key a retirement time (`retire_at`);
 * 2. until then each delivery is signed with the old and the new key (`v1,a v1,b`), so the
 *    partner's verifier accepts it holding either secret, and the partner switches when ready;
 * 3. from `retire_at` on, the old key no longer signs (decided at signing time from the stored
 *    time, so a cached secret value retires it on the dot), and the next rotation drops it.
 * A plain `whsec_...` string (the format before rotation existed) is one key that never retires.
 */
export const webhookKeySchema = z.object({
  secret: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  retire_at: z.iso.datetime({ offset: true }).nullable(),
});
export type WebhookKey = z.infer<typeof webhookKeySchema>;

export const webhookKeyringSchema = z.object({ keys: z.array(webhookKeySchema).min(1) });
export type WebhookKeyring = z.infer<typeof webhookKeyringSchema>;

/** Parses a secret value: a keyring document, or a bare `whsec_` secret. */
export const parseKeyring = (value: string): WebhookKeyring | { readonly problem: string } => {
  const trimmed = value.trim();
  if (trimmed.startsWith(WEBHOOK_SECRET_PREFIX))
    return { keys: [{ secret: trimmed, created_at: new Date(0).toISOString(), retire_at: null }] };
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch {
    return { problem: 'is neither a whsec_ secret nor a JSON keyring' };
  }
  const parsed = webhookKeyringSchema.safeParse(document);
  return parsed.success ? parsed.data : { problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
};

const isActive = (key: WebhookKey, at: Date): boolean => key.retire_at === null || Date.parse(key.retire_at) > at.getTime();

/**
 * The decoded keys that sign a message sent at `at`, newest first. Throws a description of the
 * problem when a key is malformed or none is active (a configuration error, not an outage).
 */
export const signingKeys = (keyring: WebhookKeyring, at: Date): Uint8Array[] => {
  const active = keyring.keys.filter((key) => isActive(key, at)).sort((a, b) => b.created_at.localeCompare(a.created_at));
  if (active.length === 0) throw new Error('every key has retired: rotate in a new one');
  return active.map((key) => {
    const parsed = webhookSecretSchema.safeParse(key.secret);
    if (!parsed.success) throw new Error(`a key ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    return parsed.data;
  });
};

/** A fresh secret: 32 random bytes, the middle of the spec's 24 to 64. */
export const generateWebhookSecret = (): string => `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

export interface Rotation {
  readonly keyring: WebhookKeyring;
  readonly secret: string;
  readonly retireAt: string;
}

/**
 * Adds `secret` as the newest key; the keys still active retire at `retireAt` (or earlier, if
 * they were already due to); keys already retired are dropped. Refuses a retirement in the
 * past, which would be a cut-over with downtime rather than a rotation.
 */
export const rotateKeyring = (current: WebhookKeyring, options: { readonly secret: string; readonly now: Date; readonly retireAt: Date }): Rotation => {
  const { now, retireAt, secret } = options;
  if (retireAt.getTime() <= now.getTime()) throw new Error(`the old key must retire after now (${now.toISOString()}), not at ${retireAt.toISOString()}`);
  if (!webhookSecretSchema.safeParse(secret).success) throw new Error('the new secret is not a usable whsec_ key');
  const retireAtIso = retireAt.toISOString();
  const kept = current.keys
    .filter((key) => isActive(key, now))
    .map((key) => ({ ...key, retire_at: key.retire_at !== null && key.retire_at < retireAtIso ? key.retire_at : retireAtIso }));
  return { keyring: { keys: [...kept, { secret, created_at: now.toISOString(), retire_at: null }] }, secret, retireAt: retireAtIso };
};
