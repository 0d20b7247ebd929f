import { RetryableStoreError } from '@creditline/domain';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FIXTURE_ACME_ACCOUNT,
  fixtures,
  transactionRequestedEvent,
} from '../fixtures/test-events.js';
import {
  acmePartner,
  createValidatorHarness,
  globexPartner,
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
        pk: 'acme#tx-evt-0001',
        account_key: 'acme#user-42',
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

  it.each([
    ['an unknown partner source', 'partner.globex', FIXTURE_ACME_ACCOUNT],
    ["acme's source from another account", 'partner.acme', '999988887777'],
    ["another partner's source from acme's account", 'partner.globex', FIXTURE_ACME_ACCOUNT],
    ["creditline's own source", 'creditline.authorization', FIXTURE_ACME_ACCOUNT],
  ])(
    'drops %s with a metric and a log line, and decides nothing',
    async (_name, source, account) => {
      // Prepare: globex is configured, with its own account
      const handle = await setUp({ partners: [acmePartner, globexPartner] });
      const error = vi.spyOn(harness.deps.logger, 'error');

      // Act
      await handle(
        transactionRequestedEvent(
          { transaction_id: 'tx-g', user_id: 'user-42', amount: 1 },
          source,
          account,
        ),
      );
      harness.deps.metrics.publishStoredMetrics();

      // Assess
      expect(error).toHaveBeenCalledWith(
        expect.stringContaining('no partner'),
        expect.objectContaining({ source, account }),
      );
      expect(metricValue(harness.emitted, 'UnattributedEvents')).toBe(1);
      expect(await harness.logItems()).toEqual([]);
      expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000, version: 0 });
    },
  );

  it('decides an event whose callback_url the partner may not use as REJECTED INVALID_CALLBACK_URL, with no callback recorded', async () => {
    // Prepare
    const handle = await setUp({ stage: 'prod' });

    // Act
    await handle(
      transactionRequestedEvent({
        transaction_id: 'tx-cb',
        user_id: 'user-42',
        amount: '1.00',
        callback_url: 'https://evil.example/cb',
      }),
    );

    // Assess
    const [item] = await harness.logItems();
    expect(item).toMatchObject({
      transaction_id: 'tx-cb',
      status: 'REJECTED',
      reason: 'INVALID_CALLBACK_URL',
      remaining_credit: 10_000,
    });
    expect(item?.callback_url).toBeUndefined();
    expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000, version: 0 });
  });

  it('hands an event over the partner rate limit back to Lambda (thrown, retried later), deciding nothing', async () => {
    // Prepare: a burst of 1 on a clock that does not move
    const handle = await setUp({
      partners: [{ ...acmePartner, rateLimit: { perSecond: 1, burst: 1 } }],
    });
    await handle(
      transactionRequestedEvent({ transaction_id: 'tx-1', user_id: 'user-42', amount: 1 }),
    );

    // Act
    const second = handle(
      transactionRequestedEvent({ transaction_id: 'tx-2', user_id: 'user-42', amount: 1 }),
    );

    // Assess
    await expect(second).rejects.toBeInstanceOf(RetryableStoreError);
    expect((await harness.logItems()).map((item) => item.transaction_id)).toEqual(['tx-1']);
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
    expect(await harness.stores.decisions.read('acme', 'tx-evt-0001')).toMatchObject({
      state: 'CLAIMED',
      claim: { lease_until: new Date(0).toISOString() },
    });
  });
});
