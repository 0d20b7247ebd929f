import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretSource } from '../secrets/secret-source.js';
import { createPartnerSigner } from './partner-signer.js';
import { generateWebhookSecret, parseKeyring, rotateKeyring, type WebhookKeyring } from './webhook-keys.js';

/**
 * Key rotation judged by the reference verifier (standardwebhooks): during the overlap a
 * partner holding only the old secret, only the new one, or both, accepts every delivery;
 * after the retirement time only the new secret verifies.
 */
const oldSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const newSecret = generateWebhookSecret();
const body = JSON.stringify({ transaction_id: 'tx-1', status: 'PERMITTED', reason: null, remaining_credit: 8750, decided_at: '2026-11-25T16:08:00.123Z' });
const rotatedAt = new Date('2026-11-25T16:00:00.000Z');
const retireAt = new Date('2026-11-26T16:00:00.000Z');

/** What a partner's endpoint does with the secrets it holds: accept when any verifies. */
const acceptedBy = (secrets: readonly string[], headers: Record<string, string>): boolean =>
  secrets.some((secret) => {
    try {
      new Webhook(secret).verify(body, headers);
      return true;
    } catch (error) {
      if (error instanceof WebhookVerificationError) return false;
      throw error;
    }
  });

describe('webhook key rotation', () => {
  let stored: string;
  const signer = createPartnerSigner(
    createSecretSource({ localSecrets: { get acme() { return stored; } }, clock: { now: () => new Date() } }),
  );
  /** Signs as the dispatcher does at `at`, with the verifier's clock at the same moment. */
  const deliverAt = async (at: Date): Promise<Record<string, string>> => {
    vi.setSystemTime(at);
    return { ...(await signer.sign('local:acme', { id: 'tx-1', timestamp: at, body })) };
  };
  const rotated = (): WebhookKeyring => {
    const current = parseKeyring(oldSecret);
    if ('problem' in current) throw new Error(current.problem);
    return rotateKeyring(current, { secret: newSecret, now: rotatedAt, retireAt }).keyring;
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    stored = oldSecret;
  });
  afterEach(() => vi.useRealTimers());

  it('signs once with a bare whsec_ secret (the format before rotation)', async () => {
    const headers = await deliverAt(rotatedAt);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(acceptedBy([oldSecret], headers)).toBe(true);
    expect(acceptedBy([newSecret], headers)).toBe(false);
  });

  it('during the overlap carries both v1 signatures: only-old, only-new and both-secrets receivers all accept', async () => {
    // Prepare
    stored = JSON.stringify(rotated());

    // Act
    const headers = await deliverAt(new Date(retireAt.getTime() - 1000));

    // Assess
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+$/);
    expect(acceptedBy([oldSecret], headers)).toBe(true);
    expect(acceptedBy([newSecret], headers)).toBe(true);
    expect(acceptedBy([oldSecret, newSecret], headers)).toBe(true);
    expect(acceptedBy([generateWebhookSecret()], headers)).toBe(false);
  });

  it('from the retirement time on signs with the new key only: the old secret no longer verifies', async () => {
    // Prepare
    stored = JSON.stringify(rotated());

    // Act
    const headers = await deliverAt(retireAt);

    // Assess
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(1);
    expect(acceptedBy([oldSecret], headers)).toBe(false);
    expect(acceptedBy([newSecret], headers)).toBe(true);
    expect(acceptedBy([oldSecret, newSecret], headers)).toBe(true);
  });

  it('a second rotation drops retired keys and never postpones a retirement already set', () => {
    // Prepare
    const first = rotated();
    const third = generateWebhookSecret();

    // Act: during the overlap, with a later retirement asked; then after it.
    const during = rotateKeyring(first, { secret: third, now: new Date(rotatedAt.getTime() + 1000), retireAt: new Date(retireAt.getTime() + 3600_000) });
    const after = rotateKeyring(first, { secret: third, now: new Date(retireAt.getTime() + 1000), retireAt: new Date(retireAt.getTime() + 7200_000) });

    // Assess
    expect(during.keyring.keys.map((key) => [key.secret, key.retire_at])).toEqual([
      [oldSecret, retireAt.toISOString()],
      [newSecret, new Date(retireAt.getTime() + 3600_000).toISOString()],
      [third, null],
    ]);
    expect(after.keyring.keys.map((key) => key.secret)).toEqual([newSecret, third]);
  });

  it('refuses a retirement in the past and reports a keyring with no usable key as a configuration error', async () => {
    expect(() => rotateKeyring(rotated(), { secret: generateWebhookSecret(), now: retireAt, retireAt: rotatedAt })).toThrow(/must retire after now/);
    stored = JSON.stringify({ keys: [{ secret: oldSecret, created_at: rotatedAt.toISOString(), retire_at: rotatedAt.toISOString() }] });
    await expect(deliverAt(retireAt)).rejects.toMatchObject({ code: 'SECRET_INVALID', message: expect.stringMatching(/every key has retired/) as string });
    stored = '{"keys": "nope"}';
    await expect(deliverAt(retireAt)).rejects.toMatchObject({ code: 'SECRET_INVALID' });
  });
});
