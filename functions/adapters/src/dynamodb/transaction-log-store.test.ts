import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactionClaim, Verdict } from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { transactionLogItemSchema } from './transaction-log-item.js';
import { createTransactionLogStore } from './transaction-log-store.js';

describe('TransactionLog store: claim, take over, finalize', () => {
  let dynamo: TestDynamo;
  beforeAll(async () => {
    dynamo = await createTestDynamo();
  });
  const store = () => createTransactionLogStore(dynamo.doc, dynamo.tables);

  const claim = (
    transaction_id: string,
    overrides: Partial<TransactionClaim> = {},
  ): TransactionClaim => ({
    transaction_id,
    user_id: 'u-1',
    amount: 250,
    currency: 'USD',
    callback_url: 'https://hooks.acme.example/creditline',
    partner_id: 'acme',
    fingerprint: `fp-${transaction_id}`,
    owner: 'owner-a',
    attempt: 1,
    lease_until: '2026-11-25T16:28:06.000Z',
    ...overrides,
  });
  const permit: Verdict = {
    status: 'PERMITTED',
    reason: null,
    remaining_credit: 750,
    decided_at: '2026-11-25T16:28:00.000Z',
  };
  const logItem = async (transaction_id: string) =>
    (
      await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.transactionLog,
          Key: { pk: `acme#${transaction_id}` },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('claims an id once; the second claim learns the first in the same call', async () => {
    // Act
    const first = await store().claim(claim('tx-claim'));
    const second = await store().claim(
      claim('tx-claim', { owner: 'owner-b', fingerprint: 'other' }),
    );

    // Assess
    expect(first).toEqual({ kind: 'claimed' });
    expect(second).toEqual({
      kind: 'taken',
      existing: { state: 'CLAIMED', claim: claim('tx-claim') },
    });
    expect(await store().find('acme', 'tx-claim')).toBeNull();
  });

  it("keeps two partners' claims on the same id apart: each is its own item, neither sees the other's", async () => {
    // Act
    const acme = await store().claim(claim('tx-both'));
    const globex = await store().claim(
      claim('tx-both', { partner_id: 'globex', owner: 'owner-g' }),
    );
    await store().finalize('acme', 'tx-both', 1, permit);

    // Assess
    expect([acme, globex]).toEqual([{ kind: 'claimed' }, { kind: 'claimed' }]);
    expect(await store().find('acme', 'tx-both')).toMatchObject({
      partner_id: 'acme',
      status: 'PERMITTED',
    });
    expect(await store().find('globex', 'tx-both')).toBeNull();
    expect(await store().read('globex', 'tx-both')).toMatchObject({
      state: 'CLAIMED',
      claim: { owner: 'owner-g' },
    });
    expect(await store().read('initech', 'tx-both')).toBeNull();
    expect(await logItem('tx-both')).toMatchObject({ pk: 'acme#tx-both', account_key: 'acme#u-1' });
  });

  it('finalizes the current attempt to DECIDED with a sharded unsettled key, and returns the record', async () => {
    // Prepare
    await store().claim(claim('tx-final'));

    // Act
    const outcome = await store().finalize('acme', 'tx-final', 1, permit);

    // Assess
    const { transaction_id, user_id, amount, currency, callback_url, partner_id, fingerprint } =
      claim('tx-final');
    const record = {
      transaction_id,
      user_id,
      amount,
      currency,
      callback_url,
      partner_id,
      fingerprint,
      ...permit,
    };
    expect(outcome).toEqual({ kind: 'decided', record });
    const item = transactionLogItemSchema.parse(await logItem('tx-final'));
    expect(item).toMatchObject({
      state: 'DECIDED',
      attempt: 1,
      settlement_state: expect.stringMatching(/^PENDING#(0\d|1[0-5])$/) as unknown,
    });
    expect(await logItem('tx-final')).not.toHaveProperty('owner');
    expect(await store().find('acme', 'tx-final')).toEqual(record);
    expect(await store().read('acme', 'tx-final')).toEqual({
      state: 'DECIDED',
      attempt: 1,
      record,
    });
  });

  it('refuses to finalize an attempt that was taken over, returning what is there', async () => {
    // Prepare
    await store().claim(claim('tx-stolen'));
    const taken = await store().takeOver('acme', 'tx-stolen', 1, {
      owner: 'owner-b',
      attempt: 2,
      lease_until: '2026-11-25T16:28:20.000Z',
    });

    // Act
    const late = await store().finalize('acme', 'tx-stolen', 1, permit);
    const again = await store().takeOver('acme', 'tx-stolen', 1, {
      owner: 'owner-c',
      attempt: 2,
      lease_until: '2026-11-25T16:28:20.000Z',
    });

    // Assess: of two take-overs of attempt 1, one wins
    expect(taken).toEqual({ kind: 'claimed' });
    expect(late).toMatchObject({
      kind: 'lost',
      existing: { state: 'CLAIMED', claim: { owner: 'owner-b', attempt: 2 } },
    });
    expect(again).toMatchObject({
      kind: 'taken',
      existing: { state: 'CLAIMED', claim: { owner: 'owner-b', attempt: 2 } },
    });
    expect(await store().finalize('acme', 'tx-stolen', 2, permit)).toMatchObject({
      kind: 'decided',
    });
    expect(await store().finalize('acme', 'tx-stolen', 2, permit)).toMatchObject({
      kind: 'lost',
      existing: { state: 'DECIDED', attempt: 2 },
    });
  });

  it('abandons a lease only for its owner at its attempt', async () => {
    // Prepare
    await store().claim(claim('tx-abandon'));

    // Act
    await store().abandon('acme', 'tx-abandon', 1, 'someone-else');
    const kept = await store().read('acme', 'tx-abandon');
    await store().abandon('acme', 'tx-abandon', 1, 'owner-a');

    // Assess
    expect(kept).toMatchObject({ claim: { lease_until: '2026-11-25T16:28:06.000Z' } });
    expect(await store().read('acme', 'tx-abandon')).toMatchObject({
      claim: { lease_until: '1970-01-01T00:00:00.000Z' },
    });
  });

  it('reads an item written before claims existed (no state) as a decision', async () => {
    // Prepare
    await store().claim(claim('tx-legacy'));
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.transactionLog,
        Key: { pk: 'acme#tx-legacy' },
        UpdateExpression:
          'SET #status = :s, reason = :r, remaining_credit = :c, decided_at = :at REMOVE #state, #owner, attempt, lease_until',
        ExpressionAttributeNames: { '#status': 'status', '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':s': 'REJECTED',
          ':r': 'INSUFFICIENT_FUNDS',
          ':c': 10,
          ':at': '2026-11-25T16:28:00.000Z',
        },
      }),
    );

    // Act / Assess
    expect(await store().read('acme', 'tx-legacy')).toMatchObject({
      state: 'DECIDED',
      attempt: 1,
      record: { status: 'REJECTED', remaining_credit: 10 },
    });
  });
});
