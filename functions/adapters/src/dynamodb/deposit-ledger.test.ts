import { itemKey } from '../definitions/tenancy.js';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DepositBatch, DepositCredit } from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDepositLedger } from './deposit-ledger.js';

const deposit = (
  deposit_id: string,
  user_id: string,
  amount: number,
  source_line = 2,
  source_key = 'inbox/a.csv',
): DepositCredit => ({
  deposit_id,
  user_id,
  amount,
  deposited_at: '2026-01-15T10:00:00.000Z',
  source_key,
  source_line,
});

const batchOf = (
  deposits: DepositCredit[],
  source_upload = 'upload-1',
  partner_id = 'acme',
): DepositBatch => ({
  partner_id,
  source_upload,
  credited_at: '2026-01-15T12:00:00.000Z',
  deposits,
});

describe('DynamoDB deposit ledger', () => {
  let dynamo: TestDynamo;
  beforeEach(async () => {
    dynamo = await createTestDynamo();
  });

  const ledger = () =>
    createDynamoDepositLedger(dynamo.doc, dynamo.tables, { sleep: () => Promise.resolve() });
  const available = async (userId: string, partnerId = 'acme'): Promise<unknown> =>
    (
      await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.creditCache,
          Key: itemKey(partnerId, userId),
          ConsistentRead: true,
        }),
      )
    ).Item?.available;
  const depositEvents = async () =>
    (
      await dynamo.doc.send(
        new ScanCommand({ TableName: dynamo.tables.depositEvents, ConsistentRead: true }),
      )
    ).Items ?? [];

  it("records every deposit and adds each user's sum to CreditCache in one transaction", async () => {
    // Prepare
    const batch = batchOf([
      deposit('d1', 'u1', 1000, 2),
      deposit('d2', 'u2', 250, 3),
      deposit('d3', 'u1', 5, 4),
    ]);

    // Act
    const outcome = await ledger().record(batch);

    // Assess
    expect(outcome).toEqual({ credited: batch.deposits, resumed: [], duplicates: [] });
    expect(await available('u1')).toBe(1005);
    expect(await available('u2')).toBe(250);
    expect(await depositEvents()).toContainEqual({
      pk: 'acme#d3',
      partner_id: 'acme',
      deposit_id: 'd3',
      user_id: 'u1',
      amount: 5,
      deposited_at: '2026-01-15T10:00:00.000Z',
      source_key: 'inbox/a.csv',
      source_line: 4,
      credited_at: '2026-01-15T12:00:00.000Z',
      source_upload: 'upload-1',
    });
  });

  it('grows an item a hold already versioned without touching its version or settings', async () => {
    // Prepare
    const item = {
      ...itemKey('acme', 'u1'),
      partner_id: 'acme',
      user_id: 'u1',
      available: 700,
      version: 4,
      account_status: 'ACTIVE',
      currency: 'USD',
    };
    await dynamo.doc.send(new PutCommand({ TableName: dynamo.tables.creditCache, Item: item }));

    // Act
    await ledger().record(batchOf([deposit('d1', 'u1', 300)]));

    // Assess
    const { Item } = await dynamo.doc.send(
      new GetCommand({ TableName: dynamo.tables.creditCache, Key: itemKey('acme', 'u1') }),
    );
    expect(Item).toEqual({ ...item, available: 1000 });
  });

  it('sets aside deposits another file recorded, as recorded, credits the rest, and adds only their sums', async () => {
    // Prepare
    await ledger().record(
      batchOf([deposit('d1', 'u1', 1000, 2), deposit('d2', 'u2', 250, 3)], 'upload-1'),
    );
    const overlapping = batchOf(
      [
        deposit('d1', 'u1', 1000, 2, 'inbox/b.csv'),
        deposit('d4', 'u1', 40, 3, 'inbox/b.csv'),
        deposit('d2', 'u9', 999, 4, 'inbox/b.csv'),
        deposit('d5', 'u3', 7, 5, 'inbox/b.csv'),
      ],
      'upload-9',
    );

    // Act
    const outcome = await ledger().record(overlapping);

    // Assess
    expect(outcome.duplicates).toEqual([
      {
        offered: deposit('d1', 'u1', 1000, 2, 'inbox/b.csv'),
        recorded: deposit('d1', 'u1', 1000, 2, 'inbox/a.csv'),
      },
      {
        offered: deposit('d2', 'u9', 999, 4, 'inbox/b.csv'),
        recorded: deposit('d2', 'u2', 250, 3, 'inbox/a.csv'),
      },
    ]);
    expect(outcome.credited.map((d) => d.deposit_id)).toEqual(['d4', 'd5']);
    expect(outcome.resumed).toEqual([]);
    expect([await available('u1'), await available('u2'), await available('u3')]).toEqual([
      1040, 250, 7,
    ]);
    expect(await depositEvents()).toHaveLength(4);
  });

  it('tells deposits an earlier attempt at the same upload of the file recorded from duplicates', async () => {
    // Prepare: the first attempt recorded d1 and d2, then failed
    await ledger().record(
      batchOf([deposit('d1', 'u1', 1000), deposit('d2', 'u2', 250)], 'upload-1'),
    );

    // Act: the retried event brings the whole batch again
    const retried = await ledger().record(
      batchOf(
        [deposit('d1', 'u1', 1000), deposit('d2', 'u2', 250), deposit('d3', 'u2', 1)],
        'upload-1',
      ),
    );
    const reuploaded = await ledger().record(batchOf([deposit('d1', 'u1', 1000)], 'upload-2'));
    const otherFileSameUploadId = await ledger().record(
      batchOf([deposit('d2', 'u2', 250, 2, 'inbox/b.csv')], 'upload-1'),
    );

    // Assess
    expect(retried.resumed.map((d) => d.deposit_id)).toEqual(['d1', 'd2']);
    expect(retried.credited.map((d) => d.deposit_id)).toEqual(['d3']);
    expect(reuploaded.duplicates.map((d) => d.offered.deposit_id)).toEqual(['d1']);
    expect(otherFileSameUploadId.duplicates).toHaveLength(1);
    expect([await available('u1'), await available('u2')]).toEqual([1000, 251]);
  });

  it('credits every deposit exactly once when concurrent batches share users and deposit ids', async () => {
    // Prepare: 12 batches at once, all crediting the same 3 users (their transactions conflict),
    // and every deposit id sent by two different uploads
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 9 }, (_, i) => deposit(`d-${b}-${i}`, `u${i % 3}`, 100 + i)),
    ).flatMap((deposits, b) => [
      batchOf(deposits, `upload-a-${b}`),
      batchOf([...deposits].reverse(), `upload-b-${b}`),
    ]);
    const concurrentLedger = createDynamoDepositLedger(dynamo.doc, dynamo.tables, {
      maxConflictAttempts: 50,
    });

    // Act
    const outcomes = await Promise.all(batches.map((batch) => concurrentLedger.record(batch)));

    // Assess
    const credited = outcomes.flatMap((outcome) => outcome.credited.map((d) => d.deposit_id));
    expect(credited).toHaveLength(54);
    expect(new Set(credited).size).toBe(54);
    expect(outcomes.flatMap((outcome) => outcome.duplicates)).toHaveLength(54);
    const perUser = (u: number) =>
      6 *
      [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((i) => i % 3 === u).reduce((sum, i) => sum + 100 + i, 0);
    expect([await available('u0'), await available('u1'), await available('u2')]).toEqual([
      perUser(0),
      perUser(1),
      perUser(2),
    ]);
  });

  it("credits two partners' deposits of one deposit_id and one user_id separately: neither is the other's duplicate", async () => {
    // Act
    const acme = await ledger().record(batchOf([deposit('d1', 'u1', 1000)], 'upload-a', 'acme'));
    const globex = await ledger().record(batchOf([deposit('d1', 'u1', 40)], 'upload-g', 'globex'));

    // Assess
    expect(acme.credited.map((d) => d.deposit_id)).toEqual(['d1']);
    expect(globex.credited.map((d) => d.deposit_id)).toEqual(['d1']);
    expect(globex.duplicates).toEqual([]);
    expect([await available('u1', 'acme'), await available('u1', 'globex')]).toEqual([1000, 40]);
    expect((await depositEvents()).map((item) => String(item['pk'])).sort()).toEqual([
      'acme#d1',
      'globex#d1',
    ]);
  });

  it('refuses for good, without retrying, when DynamoDB cancels for a lasting reason', async () => {
    // Prepare: an item whose available is not a number cannot be ADDed to
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: { ...itemKey('acme', 'u1'), user_id: 'u1', available: 'ten' },
      }),
    );

    // Act
    const outcome = ledger().record(batchOf([deposit('d1', 'u1', 1000)]));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'PermanentStoreError', retryable: false });
    expect(await depositEvents()).toEqual([]);
  });
});
