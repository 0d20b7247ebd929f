import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PermanentStoreError, RetryableStoreError } from '@creditline/domain';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startAwsJsonEndpoint,
  testClientConfig,
  type AwsJsonEndpoint,
} from '../testing/aws-json-endpoint.js';
import { createSecretSource } from './secret-source.js';

const arn =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:creditline/partners/acme/webhook-AbCdEf';

describe('secret source', () => {
  let server: AwsJsonEndpoint | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const manualClock = () => {
    let now = Date.parse('2026-11-25T16:00:00Z');
    return { clock: { now: () => new Date(now) }, advance: (ms: number) => (now += ms) };
  };

  it('fetches with GetSecretValue and serves the cached value until the TTL passes', async () => {
    // Prepare
    let version = 0;
    server = await startAwsJsonEndpoint(() => ({
      body: { ARN: arn, Name: 'acme', SecretString: `whsec_v${(version += 1)}` },
    }));
    const { clock, advance } = manualClock();
    const source = createSecretSource({
      client: new SecretsManagerClient(testClientConfig(server.endpoint)),
      clock,
      ttlMs: 60_000,
    });

    // Act
    const first = await Promise.all([source.get(arn), source.get(arn)]);
    advance(59_000);
    const cached = await source.get(arn);
    advance(2_000);
    const refreshed = await source.get(arn);

    // Assess
    expect(first).toEqual(['whsec_v1', 'whsec_v1']);
    expect(cached).toBe('whsec_v1');
    expect(refreshed).toBe('whsec_v2');
    expect(server.requests.map((request) => request.target)).toEqual([
      'secretsmanager.GetSecretValue',
      'secretsmanager.GetSecretValue',
    ]);
    expect(server.requests[0]?.body).toEqual({ SecretId: arn });
  });

  it('resolves local: ARNs from the local configuration without calling AWS', async () => {
    const source = createSecretSource({
      localSecrets: { demo: 'whsec_local' },
      clock: manualClock().clock,
    });
    await expect(source.get('local:demo')).resolves.toBe('whsec_local');
    await expect(source.get('local:missing')).rejects.toBeInstanceOf(PermanentStoreError);
  });

  it.each([
    { errorType: 'ThrottlingException', status: 400, kind: RetryableStoreError },
    { errorType: 'InternalServiceError', status: 500, kind: RetryableStoreError },
    { errorType: 'ResourceNotFoundException', status: 400, kind: PermanentStoreError },
    { errorType: 'AccessDeniedException', status: 400, kind: PermanentStoreError },
  ])('maps $errorType to $kind.name', async ({ errorType, status, kind }) => {
    // Prepare
    server = await startAwsJsonEndpoint(() => ({ status, errorType, body: { message: 'no' } }));
    const source = createSecretSource({
      client: new SecretsManagerClient(testClientConfig(server.endpoint)),
      clock: manualClock().clock,
    });

    // Act / Assess
    await expect(source.get(arn)).rejects.toBeInstanceOf(kind);
  });
});
