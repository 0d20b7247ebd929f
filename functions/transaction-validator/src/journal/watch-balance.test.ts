import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { itemKey } from '@creditline/adapters/definitions';
import { afterEach, expect, it } from 'vitest';
import { httpEvent } from '../fixtures/test-events.js';
import { acmePartner, createValidatorHarness, type ValidatorHarness } from '../fixtures/validator-harness.js';
import { createHttpHandler } from '../http/http-handler.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const USER = 'u-monitored';
let harness: ValidatorHarness;
afterEach(async () => {
  await harness.drop();
});

it('balance monitors fire once per crossing, either way, judged from the account item’s stream (DynamoDB Local)', async () => {
  // Prepare: the user watches 50.00, the program watches 20.00 for every acme user
  harness = await createValidatorHarness({
    clock: { now: () => NOW },
    partners: [{ ...acmePartner, controls: { max_per_transaction: null, velocity_limits: [], balance_monitors: [2_000] } }],
  });
  await harness.seedBooks({ user_id: USER, balance: 10_000 });
  await harness.seedCache({ user_id: USER, available: 10_000, version: 0 });
  const handle = createHttpHandler(harness.deps);
  const put = httpEvent({ method: 'PUT', path: `/v1/users/${USER}/controls`, body: { balance_monitors: ['50.00'] } });
  put.headers['if-match'] = '"0"';
  expect((await handle(put)).statusCode).toBe(200);
  const authorize = async (transaction_id: string, amount: string) =>
    JSON.parse((await handle(httpEvent({ body: { transaction_id, user_id: USER, amount } }))).body) as { remaining_credit: number };
  const runJournal = async () => {
    const before = harness.published.length;
    expect((await harness.runJournal()).batchItemFailures).toEqual([]);
    return harness.published.slice(before).filter((event) => event.detailType !== 'ControlsChanged');
  };

  // Act: 100.00 → 60.00 → 40.00 (below 50) → 39.00 → 15.00 (below 20), then a deposit brings 60.00
  expect((await authorize('tx-1', '40.00')).remaining_credit).toBe(6_000);
  expect((await authorize('tx-2', '20.00')).remaining_credit).toBe(4_000);
  expect((await authorize('tx-3', '1.00')).remaining_credit).toBe(3_900);
  expect((await authorize('tx-4', '24.00')).remaining_credit).toBe(1_500);
  // The deposit step's own write: ADD available, no stamp (the journal's heal ignores it, the monitors do not).
  await harness.dynamo.doc.send(
    new UpdateCommand({
      TableName: harness.dynamo.tables.creditCache,
      Key: itemKey('acme', USER),
      UpdateExpression: 'ADD available :sum',
      ExpressionAttributeValues: { ':sum': 6_000 },
    }),
  );
  const first = await runJournal();
  // The stream is read again from the start (a retried batch): the same changes, the same events.
  const again = await runJournal();

  // Assert
  const crossing = (type: string, threshold: number, scope: string, previous: number, available: number) => ({
    source: 'creditline.controls',
    detailType: type,
    detail: { type, partner_id: 'acme', user_id: USER, threshold, scope, previous, available, change_id: expect.any(String) as unknown },
  });
  // Each change is judged from its own images, so the order the shards are read in does not matter.
  expect(first).toHaveLength(4);
  expect(first).toEqual(expect.arrayContaining([
    crossing('BalanceLow', 5_000, 'user', 6_000, 4_000),
    crossing('BalanceLow', 2_000, 'program', 3_900, 1_500),
    crossing('BalanceRestored', 2_000, 'program', 1_500, 7_500),
    crossing('BalanceRestored', 5_000, 'user', 1_500, 7_500),
  ]));
  const byName = (events: typeof first) =>
    [...events].sort((a, b) => JSON.stringify(a.detail).localeCompare(JSON.stringify(b.detail)));
  expect(byName(again)).toEqual(byName(first));
  const names = first.map((event) => {
    const detail = event.detail as { change_id: string; threshold: number };
    return `${detail.change_id}:${detail.threshold}`;
  });
  expect(new Set(names).size).toBe(4);
}, 120_000);
