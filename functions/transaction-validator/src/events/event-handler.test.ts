import { RetryableStoreError } from '@creditline/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtures, transactionRequestedEvent } from '../fixtures/test-events.js';
import {
  createValidatorHarness,
  type EmittedMetrics,
  type HarnessOptions,
  type ValidatorHarness,
} from '../fixtures/validator-harness.js';
import { createEventHandler } from './event-handler.js';

const NOW = new Date('2026-11-25T16:28:00.000Z');

/** The value a flushed EMF document carries for `name`, if any. */
const metricValue = (emitted: readonly EmittedMetrics[], name: string): unknown =>
  emitted.find((document) => name in document)?.[name];

describe('TransactionRequested events', () => {
  let harness: ValidatorHarness;
  afterEach(async () => {
    await harness.drop();
  });
  const setUp = async (options: HarnessOptions = {}) => {
    harness = await createValidatorHarness({ clock: { now: () => NOW }, ...options });
    await harness.seedCache({ user_id: 'user-42', available: 10_000, version: 0 });
    return createEventHandler(harness.deps);
  };

  it('decides the fixture event and records the partner and callback the dispatcher needs', async () => {
    // Prepare
    const handle = await setUp();

    // Act
    await handle(fixtures.transactionRequested());

    // Assess
    expect(await harness.logItems()).toEqual([
      {
        transaction_id: 'tx-evt-0001',
        user_id: 'user-42',
        amount: 1_250,
        currency: 'USD',
        status: 'PERMITTED',
        reason: null,
        remaining_credit: 8_750,
        decided_at: NOW.toISOString(),
        callback_url: 'https://hooks.acme.example/creditline',
        partner_id: 'acme',
        fingerprint: expect.any(String) as string,
        state: 'DECIDED',
        attempt: 1,
        settlement_state: expect.stringMatching(/^PENDING#\d\d$/) as string,
      },
    ]);
  });

  it('names the partner from the source when the configuration does not list it', async () => {
    // Prepare
    const handle = await setUp({ partners: [] });

    // Act
    await handle(
      transactionRequestedEvent(
        { transaction_id: 'tx-g', user_id: 'user-42', amount: 1 },
        'partner.globex',
      ),
    );

    // Assess
    expect(await harness.logItems()).toMatchObject([
      { transaction_id: 'tx-g', partner_id: 'globex' },
    ]);
  });

  it.each([
    ['negative', '-3.00'],
    ['zero', '0'],
    ['three decimals', '3.001'],
    ['not a number', 'three'],
  ])(
    'records a %s amount as REJECTED INVALID_AMOUNT, so the partner hears it by callback',
    async (_name, amount) => {
      // Prepare
      const handle = await setUp();
      const event = transactionRequestedEvent({
        transaction_id: 'tx-bad',
        user_id: 'user-42',
        amount,
        callback_url: 'https://hooks.acme.example/cb',
      });

      // Act
      await handle(event);

      // Assess
      expect(await harness.logItems()).toMatchObject([
        {
          transaction_id: 'tx-bad',
          status: 'REJECTED',
          reason: 'INVALID_AMOUNT',
          amount: 0,
          callback_url: 'https://hooks.acme.example/cb',
          partner_id: 'acme',
        },
      ]);
      expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000, version: 0 });
    },
  );

  it('decides a redelivered event once', async () => {
    // Prepare: EventBridge delivers at least once
    const handle = await setUp();

    // Act
    await handle(fixtures.transactionRequested());
    await handle(fixtures.transactionRequested());

    // Assess
    expect(await harness.logItems()).toHaveLength(1);
    expect(await harness.cacheItem('user-42')).toMatchObject({ available: 8_750, version: 1 });
  });

  it.each([
    ['no transaction_id', { user_id: 'user-42', amount: '1.00' }],
    ['a bad user_id', { transaction_id: 'tx-1', user_id: 'user 42', amount: '1.00' }],
    ['a detail that is not an object', 'tx-1'],
  ])(
    'logs and counts an event with %s, records nothing and does not throw',
    async (_name, detail) => {
      // Prepare
      const handle = await setUp();
      const error = vi.spyOn(harness.deps.logger, 'error');

      // Act
      await handle(transactionRequestedEvent(detail));
      harness.deps.metrics.publishStoredMetrics();

      // Assess
      expect(error).toHaveBeenCalledWith(
        'refused a TransactionRequested event that cannot be decided',
        expect.objectContaining({
          event_id: '2f1e4c7a-8b9d-4e3f-a1b2-c3d4e5f6a7b8',
          source: 'partner.acme',
        }),
      );
      expect(metricValue(harness.emitted, 'InvalidRequests')).toBe(1);
      expect(await harness.logItems()).toEqual([]);
    },
  );

  it.each([
    [
      'another detail-type',
      { ...fixtures.transactionRequested(), 'detail-type': 'TransactionDecided' },
    ],
    ['an envelope without its time', { ...fixtures.transactionRequested(), time: undefined }],
    ['something else entirely', { hello: 'world' }],
  ])('logs and counts %s, and does not throw', async (_name, event) => {
    // Prepare
    const handle = await setUp();
    const error = vi.spyOn(harness.deps.logger, 'error');

    // Act
    await handle(event);
    harness.deps.metrics.publishStoredMetrics();

    // Assess
    expect(error).toHaveBeenCalledTimes(1);
    expect(metricValue(harness.emitted, 'UnrecognizedEvents')).toBe(1);
    expect(await harness.logItems()).toEqual([]);
  });

  it('logs and counts a different request under a used id, and does not throw', async () => {
    // Prepare
    const handle = await setUp();
    await handle(fixtures.transactionRequested());
    const warn = vi.spyOn(harness.deps.logger, 'warn');

    // Act
    await handle(
      transactionRequestedEvent({
        transaction_id: 'tx-evt-0001',
        user_id: 'user-42',
        amount: '99.00',
      }),
    );
    harness.deps.metrics.publishStoredMetrics();

    // Assess
    expect(warn).toHaveBeenCalledWith(
      'refused a TransactionRequested event reusing a transaction_id for a different request',
      expect.objectContaining({ transaction_id: 'tx-evt-0001' }),
    );
    expect(metricValue(harness.emitted, 'DuplicateTransactionIds')).toBe(1);
    expect(await harness.logItems()).toMatchObject([{ amount: 1_250 }]);
  });

  it('throws when the store throttles through the whole deadline, so Lambda retries the event instead of losing it', async () => {
    // Prepare: every hold on the account is refused as AWS refuses it under throttling
    const handle = await setUp({
      faults: (sent) =>
        sent.operation === 'UpdateItem' && sent.body.TableName === harness.dynamo.tables.creditCache
          ? { kind: 'aws-error', type: 'ProvisionedThroughputExceededException' }
          : undefined,
    });

    // Act
    const outcome = handle(fixtures.transactionRequested());

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(RetryableStoreError);
    expect(await harness.logItems()).toEqual([]);
    expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000 });
    // The claim is left with its lease ended, so Lambda's retry takes it over at once
    expect(await harness.stores.decisions.read('tx-evt-0001')).toMatchObject({
      state: 'CLAIMED',
      claim: { lease_until: new Date(0).toISOString() },
    });
  });
});
