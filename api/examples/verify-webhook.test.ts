import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { signWebhook, webhookSecretSchema } from '../../functions/adapters/src/webhooks/signer.js';
import { generateWebhookSecret } from '../../functions/adapters/src/webhooks/webhook-keys.js';
// The documented example, run as a partner would run it.
import { createWebhookEndpoint, verifyCreditlineWebhook } from './verify-webhook.mjs';

const oldSecret = generateWebhookSecret();
const newSecret = generateWebhookSecret();
const body = JSON.stringify({ transaction_id: 'tx-1', status: 'PERMITTED', reason: null, remaining_credit: 8766, decided_at: '2026-12-01T10:00:00.000Z' });
const sign = (...secrets: string[]) => signWebhook({ id: 'tx-1', timestamp: new Date(), body, keys: secrets.map((secret) => webhookSecretSchema.parse(secret)) });

describe('the Node verify-a-webhook example (api/examples/verify-webhook.mjs)', () => {
  const received: [string, unknown][] = [];
  const server = createWebhookEndpoint([newSecret], (id: string, decision: unknown) => received.push([id, decision]));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts what creditline signs, with one key or two (rotation), and refuses a forgery', async () => {
    // Prepare
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });

    // Act
    const rotating = await post(sign(oldSecret, newSecret));
    const forged = await post(sign(generateWebhookSecret()));

    // Assess
    expect(rotating.status).toBe(204);
    expect(forged.status).toBe(400);
    expect(received).toEqual([['tx-1', JSON.parse(body)]]);
    expect(verifyCreditlineWebhook(body, sign(oldSecret), [oldSecret, newSecret])).toEqual(JSON.parse(body));
    expect(() => verifyCreditlineWebhook(body, sign(oldSecret), [newSecret])).toThrow();
  });
});
