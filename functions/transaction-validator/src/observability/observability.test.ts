import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorizeCommand } from '../authorize.js';
import {
  createValidatorHarness,
  type EmittedMetrics,
  type ValidatorHarness,
} from '../fixtures/validator-harness.js';

const values = (emitted: readonly EmittedMetrics[], name: string): number[] =>
  emitted.flatMap((document) => {
    const value = document[name];
    return Array.isArray(value) ? (value as number[]) : typeof value === 'number' ? [value] : [];
  });
const command = (transaction_id: string, amount: string, user_id = 'u-1'): AuthorizeCommand => ({
  body: { transaction_id, user_id, amount },
  partner_id: 'acme',
  onInvalidAmount: 'refuse',
});

describe('metrics the validator emits (EMF, as CloudWatch reads them)', () => {
  let harness: ValidatorHarness;
  afterEach(async () => {
    await harness.drop();
  });

  it('counts permits, rejects by reason, refusals and conflicts, and times each answer', async () => {
    // Prepare
    harness = await createValidatorHarness();
    await harness.seedCache({ user_id: 'u-1', available: 1_000, version: 0 });
    await harness.seedCache({
      user_id: 'u-2',
      available: 1_000,
      version: 0,
      account_status: 'SUSPENDED',
    });

    // Act
    await harness.deps.authorize(command('tx-1', '4.00'));
    await harness.deps.authorize(command('tx-1', '4.00'));
    await harness.deps.authorize(command('tx-2', '99.00'));
    await harness.deps.authorize(command('tx-3', '1.00', 'u-2'));
    await harness.deps.authorize(command('tx-4', '1.00', 'u-nobody'));
    await harness.deps.authorize(command('tx-1', '5.00'));
    await harness.deps.authorize(command('tx-5', '-1'));
    harness.deps.metrics.publishStoredMetrics();

    // Assess
    const { emitted } = harness;
    expect(values(emitted, 'Permitted')).toEqual([1]);
    const rejected = emitted.filter((document) => 'Rejected' in document);
    expect(rejected.map((document) => document.reason).sort()).toEqual([
      'ACCOUNT_SUSPENDED',
      'INSUFFICIENT_FUNDS',
      'UNKNOWN_USER',
    ]);
    for (const document of rejected)
      expect(document._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'reason']]);
    expect(values(emitted, 'DuplicateTransactionIds')).toEqual([1]);
    expect(values(emitted, 'InvalidRequests')).toEqual([1]);
    // Every answer but the refused one is timed: 4 decisions, 1 replay, 1 conflict
    expect(values(emitted, 'DecisionLatency')).toHaveLength(6);
    expect(values(emitted, 'DecisionLatency').every((ms) => ms > 0)).toBe(true);
  });

  it('counts a take-over (a hold whose answer was lost) and each 503', async () => {
    // Prepare: the first hold lands but its answer is lost; later, a store that only throttles
    let holds = 0;
    harness = await createValidatorHarness({
      faults: (sent) => {
        if (
          sent.operation !== 'UpdateItem' ||
          sent.body.TableName !== harness.dynamo.tables.creditCache
        )
          return undefined;
        holds += 1;
        if (holds === 1) return { kind: 'lost-response' };
        return sent.body.Key && JSON.stringify(sent.body.Key).includes('u-2')
          ? { kind: 'aws-error', type: 'ProvisionedThroughputExceededException' }
          : undefined;
      },
    });
    await harness.seedCache({ user_id: 'u-1', available: 1_000, version: 0 });
    await harness.seedCache({ user_id: 'u-2', available: 1_000, version: 0 });

    // Act
    const first = await harness.deps.authorize(command('tx-1', '1.00'));
    const throttled = await harness.deps.authorize(command('tx-2', '1.00', 'u-2'));
    harness.deps.metrics.publishStoredMetrics();

    // Assess
    expect(first).toMatchObject({ type: 'decided', decision: { status: 'PERMITTED' } });
    expect(throttled).toMatchObject({ type: 'unavailable' });
    expect(values(harness.emitted, 'ClaimTakeOvers')).toEqual([1]);
    expect(values(harness.emitted, 'ServiceUnavailable')).toEqual([1]);
    expect(values(harness.emitted, 'Permitted')).toEqual([1]);
  });
});
