import { ScanCommand, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  PermanentStoreError,
  type DepositRecord,
  type UnsettledDecision,
} from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createReconciliationScans, type CacheItemSnapshot } from './reconciliation-scans.js';
import { unsettledShardKey } from './transaction-log-item.js';

const putAll = async (
  dynamo: TestDynamo,
  table: string,
  items: Record<string, unknown>[],
): Promise<void> => {
  for (let start = 0; start < items.length; start += 25) {
    await dynamo.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [table]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
};

/** Records the Scan inputs the real SDK client sends (the requests themselves are asserted). */
const recordScans = (dynamo: TestDynamo): ScanCommandInput[] => {
  const inputs: ScanCommandInput[] = [];
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === ScanCommand.name) inputs.push(args.input as ScanCommandInput);
      return next(args);
    },
    { step: 'initialize', name: 'recordScans' },
  );
  return inputs;
};

describe('reconciliation scans (DynamoDB Local)', () => {
  let dynamo: TestDynamo;

  beforeEach(async () => {
    dynamo = await createTestDynamo();
  });

  it.each([1, 4])(
    'scans CreditCache in %i segment(s): every item once, only its key (partner#user_id), available and version',
    async (segments) => {
      // Prepare
      // Two partners, and ids they share: each account is its own key.
      const items = Array.from({ length: 60 }, (_, index) => ({
        pk: `${index % 2 === 0 ? 'acme' : 'globex'}#u${String(Math.floor(index / 2)).padStart(3, '0')}`,
        partner_id: index % 2 === 0 ? 'acme' : 'globex',
        user_id: `u${String(Math.floor(index / 2)).padStart(3, '0')}`,
        available: index * 10,
        // Items only deposits have touched carry no version.
        ...(index % 3 === 0 ? {} : { version: index }),
        account_status: 'ACTIVE',
        currency: 'USD',
      }));
      await putAll(dynamo, dynamo.tables.creditCache, items);
      const sent = recordScans(dynamo);
      const scans = createReconciliationScans(dynamo.client, dynamo.tables);
      const seen: CacheItemSnapshot[] = [];

      // Act
      await scans.eachCacheItemPage(segments, (page) => seen.push(...page));

      // Assess
      expect(seen.sort((a, b) => a.user_id.localeCompare(b.user_id))).toEqual(
        [...items]
          .sort((a, b) => a.pk.localeCompare(b.pk))
          .map((item) => ({
            user_id: item.pk,
            available: item.available,
            version: item.version ?? 0,
          })),
      );
      expect(sent.map((input) => input.Segment ?? 0).sort()).toEqual(
        Array.from({ length: segments }, (_, index) => index),
      );
      for (const input of sent) {
        expect(input.TotalSegments).toBe(segments > 1 ? segments : undefined);
        expect(input.Limit).toBe(5_000);
        expect(input.ProjectionExpression).toBe('#a0, #a1, #a2');
        expect(input.ExpressionAttributeNames).toEqual({
          '#a0': 'pk',
          '#a1': 'available',
          '#a2': 'version',
        });
      }
    },
  );

  it('scans DepositEvents over many pages in parallel, projecting deposit_id, user_id and amount', async () => {
    // Prepare: pages end at the item limit or at 1 MB, whichever comes first
    const padding = 'x'.repeat(3_000);
    const items = Array.from({ length: 1_200 }, (_, index) => ({
      pk: `acme#d${String(index).padStart(5, '0')}`,
      partner_id: 'acme',
      deposit_id: `d${String(index).padStart(5, '0')}`,
      user_id: `u${index % 7}`,
      amount: index + 1,
      deposited_at: '2026-11-25T10:00:00.000Z',
      source_key: `inbox/${padding}.csv`,
      source_line: index + 2,
      credited_at: '2026-11-25T10:00:01.000Z',
    }));
    await putAll(dynamo, dynamo.tables.depositEvents, items);
    const sent = recordScans(dynamo);
    const scans = createReconciliationScans(dynamo.client, dynamo.tables, { pageLimit: 100 });
    const seen: DepositRecord[] = [];

    // Act
    await scans.eachDepositEventPage(3, (page) => seen.push(...page));

    // Assess
    // 1,200 items at most 100 a page over 3 segments: at least 12 pages, plus each segment's last.
    expect(sent.length).toBeGreaterThanOrEqual(12);
    expect(
      sent.every(
        (input) => input.Limit === 100 && input.ExpressionAttributeNames?.['#a3'] === 'amount',
      ),
    ).toBe(true);
    expect(seen.sort((a, b) => a.deposit_id.localeCompare(b.deposit_id))).toEqual(
      items.map(({ pk, user_id, amount }) => ({
        deposit_id: pk,
        user_id: `acme#${user_id}`,
        amount,
      })),
    );
  });

  it('reads only the unsettled decisions from the sparse index', async () => {
    // Prepare
    const decision = (id: string, status: 'PERMITTED' | 'REJECTED', settled: boolean) => ({
      pk: `acme#${id}`,
      account_key: 'acme#u1',
      partner_id: 'acme',
      transaction_id: id,
      user_id: 'u1',
      amount: 125,
      status,
      reason: status === 'PERMITTED' ? null : 'INSUFFICIENT_FUNDS',
      remaining_credit: 0,
      decided_at: `2026-11-25T10:00:0${id.slice(1)}.000Z`,
      fingerprint: 'f',
      ...(settled
        ? { settled_at: '2026-11-25T10:01:00.000Z' }
        : { settlement_state: unsettledShardKey(id) }),
    });
    await putAll(dynamo, dynamo.tables.transactionLog, [
      decision('t1', 'PERMITTED', false),
      decision('t2', 'PERMITTED', true),
      decision('t3', 'REJECTED', false),
      decision('t4', 'REJECTED', true),
    ]);
    const scans = createReconciliationScans(dynamo.client, dynamo.tables);
    const seen: UnsettledDecision[] = [];

    // Act
    await scans.eachUnsettledDecisionPage((page) => seen.push(...page));

    // Assess: one Query per shard, so in no particular order
    seen.sort((a, b) => a.transaction_id.localeCompare(b.transaction_id));
    expect(seen).toEqual([
      {
        transaction_id: 'acme#t1',
        user_id: 'acme#u1',
        status: 'PERMITTED',
        amount: 125,
        decided_at: '2026-11-25T10:00:01.000Z',
      },
      {
        transaction_id: 'acme#t3',
        user_id: 'acme#u1',
        status: 'REJECTED',
        amount: 125,
        decided_at: '2026-11-25T10:00:03.000Z',
      },
    ]);
  });

  it('fails loudly, naming the item, when a money attribute is not an integer', async () => {
    // Prepare
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: {
          pk: 'acme#u-bad',
          partner_id: 'acme',
          user_id: 'u-bad',
          available: 1.5,
          version: 0,
        },
      }),
    );
    const scans = createReconciliationScans(dynamo.client, dynamo.tables);

    // Act
    const scanning = scans.eachCacheItemPage(2, () => undefined);

    // Assess
    await expect(scanning).rejects.toThrow(PermanentStoreError);
    await expect(scanning).rejects.toThrow(
      /item acme#u-bad cannot be reconciled: available is not an integer \(1\.5\)/,
    );
  });

  it('refuses a segment count DynamoDB would refuse', async () => {
    // Prepare
    const scans = createReconciliationScans(dynamo.client, dynamo.tables);

    // Act
    const scanning = scans.eachDepositEventPage(0, () => undefined);

    // Assess
    await expect(scanning).rejects.toThrow(RangeError);
  });
});
