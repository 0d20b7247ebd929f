import { describe, expect, it } from 'vitest';
import { signRequest, verifyRequest, type SignableRequest } from './sigv4.js';

const credentials = { accessKeyId: 'AKIALOCALDEMO0000001', secretAccessKey: 'demo-secret' };
const scope = { region: 'us-east-1', service: 'execute-api' };
const secretOf = (key: string) =>
  key === credentials.accessKeyId ? credentials.secretAccessKey : undefined;
const NOW = new Date('2026-12-01T12:00:00Z');

const request = (overrides: Partial<SignableRequest> = {}): SignableRequest => ({
  method: 'POST',
  url: new URL('http://127.0.0.1:4000/v1/transactions?x=1'),
  headers: { 'content-type': 'application/json' },
  body: '{"transaction_id":"tx-1"}',
  ...overrides,
});

/** The request as the server receives it: the signed headers, lower-cased, plus whatever else the caller adds. */
const received = async (
  base: SignableRequest,
  extra: Record<string, string> = {},
  signedBy = credentials,
  at = NOW,
) => {
  const headers = await signRequest(base, signedBy, scope, at);
  return {
    ...base,
    headers: Object.fromEntries(
      Object.entries({ ...headers, ...extra }).map(([k, v]) => [k.toLowerCase(), v]),
    ),
  };
};

describe('local SigV4', () => {
  it('verifies what the signer signed, whatever unsigned headers are added on the way', async () => {
    // Prepare
    const signed = await received(request(), {
      'user-agent': 'anything',
      'x-forwarded-for': '203.0.113.9',
    });

    // Act / Assess
    expect(await verifyRequest(signed, secretOf, scope, NOW)).toEqual({
      ok: true,
      accessKeyId: credentials.accessKeyId,
    });
  });

  it.each([
    ['unsigned', () => Promise.resolve(request()), 'not signed'],
    [
      'signed with another secret',
      async () => received(request(), {}, { ...credentials, secretAccessKey: 'guess' }),
      'does not match',
    ],
    [
      'signed by an unknown key',
      async () => received(request(), {}, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }),
      'not known',
    ],
    [
      'with its body changed',
      async () => ({ ...(await received(request())), body: '{"transaction_id":"tx-2"}' }),
      'x-amz-content-sha256',
    ],
    [
      'with its path changed',
      async () => ({
        ...(await received(request())),
        url: new URL('http://127.0.0.1:4000/v1/users/u/balance?x=1'),
      }),
      'does not match',
    ],
    [
      'with a signed header changed',
      async () => received(request(), { 'content-type': 'text/plain' }),
      'does not match',
    ],
    [
      'signed 10 minutes ago',
      async () => received(request(), {}, credentials, new Date(NOW.getTime() - 600_000)),
      '5 minutes',
    ],
    [
      'with a made-up Authorization header',
      () => Promise.resolve(request({ headers: { authorization: 'partner demo' } })),
      'not a SigV4',
    ],
  ])('refuses a request %s', async (_name, build, reason) => {
    // Prepare
    const candidate = await build();

    // Act
    const verdict = await verifyRequest(candidate, secretOf, scope, NOW);

    // Assess
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });
});
