import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signWebhook, webhookSecretSchema } from './signer.js';

/** The reference implementation (standardwebhooks, tests only) is the judge of our signatures. */
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = JSON.stringify({
  transaction_id: 'tx-1',
  status: 'PERMITTED',
  reason: null,
  remaining_credit: 8750,
  decided_at: '2026-11-25T16:08:00.123Z',
});

const sign = (timestamp: Date, payload = body) =>
  signWebhook({ id: 'tx-1', timestamp, body: payload, keys: [webhookSecretSchema.parse(secret)] });

describe('Standard Webhooks signer', () => {
  it('produces headers the reference implementation verifies', () => {
    // Act
    const headers = sign(new Date());

    // Assess
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(headers['webhook-id']).toBe('tx-1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('matches the reference signature for a fixed id, time and body', () => {
    // Prepare
    const at = new Date('2026-11-25T16:08:00.999Z');

    // Act / Assess: the timestamp is whole seconds, as the spec says
    expect(sign(at)['webhook-timestamp']).toBe('1795622880');
    expect(sign(at)['webhook-signature']).toBe(new Webhook(secret).sign('tx-1', at, body));
  });

  it('fails verification when the body is tampered with', () => {
    const headers = sign(new Date());
    const tampered = body.replace('8750', '875000');
    expect(() => new Webhook(secret).verify(tampered, { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it.each([
    { label: 'too old', offsetSeconds: -6 * 60, message: 'Message timestamp too old' },
    { label: 'too new', offsetSeconds: 6 * 60, message: 'Message timestamp too new' },
  ])(
    'fails verification when the timestamp is $label for the 5-minute tolerance',
    ({ offsetSeconds, message }) => {
      const headers = sign(new Date(Date.now() + offsetSeconds * 1000));
      expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow(message);
    },
  );

  it('fails verification under another partner’s secret', () => {
    const headers = sign(new Date());
    expect(() =>
      new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(body, { ...headers }),
    ).toThrow(WebhookVerificationError);
  });

  it.each([
    { secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', why: 'no whsec_ prefix' },
    { secret: 'whsec_c2hvcnQ=', why: 'a 5-byte key' },
    { secret: 'whsec_not base64!', why: 'not base64' },
  ])('refuses a secret with $why', ({ secret: candidate }) => {
    expect(webhookSecretSchema.safeParse(candidate).success).toBe(false);
  });
});
