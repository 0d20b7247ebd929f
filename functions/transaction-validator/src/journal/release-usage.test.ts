import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createOrphanHolds } from '@creditline/adapters/dynamodb/orphan-holds';
import { transactionLogKey } from '@creditline/adapters/dynamodb/transaction-log-item';
import { dayIndex, noProgramControls, planControlledHold } from '@creditline/domain';
import { afterEach, expect, it } from 'vitest';
import { httpEvent } from '../fixtures/test-events.js';
import { createValidatorHarness, type ValidatorHarness } from '../fixtures/validator-harness.js';
import { createHttpHandler } from '../http/http-handler.js';
import { createHealHold } from './heal-hold.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
let harness: ValidatorHarness;
afterEach(async () => {
  await harness.drop();
});

it('the journal gives back an orphaned hold’s usage with its credit, once (DynamoDB Local)', async () => {
  // Prepare: a daily limit, one recorded hold, and a hold whose attempt lost its claim
  harness = await createValidatorHarness({ clock: { now: () => NOW } });
  await harness.seedBooks({ user_id: 'u-1', balance: 10_000 });
  await harness.seedCache({ user_id: 'u-1', available: 10_000, version: 0 });
  const handle = createHttpHandler(harness.deps);
  const event = httpEvent({
    method: 'PUT',
    path: '/v1/users/u-1/controls',
    body: { velocity_limits: [{ interval: 'daily', max_amount: '50.00', max_count: 5 }] },
  });
  event.headers['if-match'] = '"0"';
  expect((await handle(event)).statusCode).toBe(200);
  const first = await handle(
    httpEvent({ body: { transaction_id: 'tx-1', user_id: 'u-1', amount: '10.00' } }),
  );
  expect(JSON.parse(first.body)).toMatchObject({ status: 'PERMITTED' });

  const planned = planControlledHold({
    request: { transaction_id: 'tx-orphan', user_id: 'u-1', amount: 700 },
    account: await harness.stores.accounts.read('acme', 'u-1'),
    program: noProgramControls,
    deadline: null,
    now: NOW,
    stamp: { key: 'tx-orphan', attempt: 1, at: NOW.toISOString() },
  });
  if (planned.kind !== 'hold') throw new Error('expected a hold');
  const applied = await harness.stores.accounts.apply('acme', planned.plan);
  expect(applied.kind).toBe('applied');
  expect(await harness.cacheItem('u-1')).toMatchObject({ available: 8_300, uda: 1_700, udc: 2 });
  // a retry took the claim over (attempt 2): attempt 1's hold belongs to no decision
  await harness.doc.send(
    new PutCommand({
      TableName: harness.dynamo.tables.transactionLog,
      Item: {
        ...transactionLogKey('acme', 'tx-orphan'),
        partner_id: 'acme',
        account_key: 'acme#u-1',
        transaction_id: 'tx-orphan',
        user_id: 'u-1',
        amount: 700,
        fingerprint: 'f',
        state: 'CLAIMED',
        owner: 'o-2',
        attempt: 2,
        lease_until: new Date(NOW.getTime() + 10_000).toISOString(),
      },
    }),
  );
  const heal = createHealHold({
    decisions: harness.stores.decisions,
    orphans: createOrphanHolds(harness.doc, harness.dynamo.tables),
    accounts: harness.stores.accounts,
    clock: { now: () => NOW },
  });
  const entry = {
    partner_id: 'acme',
    user_id: 'u-1',
    stamp: planned.plan.stamp,
    available_after: 8_300,
  };

  // Act
  const outcomes = [await heal(entry), await heal(entry)];

  // Assess: credit and usage back, once
  expect(outcomes).toEqual(['released', 'already-released']);
  expect(await harness.cacheItem('u-1')).toMatchObject({
    available: 9_000,
    pending: 1_000,
    ud: dayIndex(NOW),
    uda: 1_000,
    udc: 1,
  });
});
