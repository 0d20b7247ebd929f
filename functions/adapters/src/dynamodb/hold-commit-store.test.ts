import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  authorizeHold,
  executeHoldOperation,
  operationKey,
  type CreditAccount,
  type HoldOperation,
  type HoldState,
} from '@creditline/domain';
import { createTestDynamo, type TestDynamo } from '@creditline/stand-ins/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createHoldCommitStore,
  holdOperationItemKey,
  type HoldCommitStore,
} from './hold-commit-store.js';

const authorizedAt = new Date('2026-03-01T12:00:00.000Z');
const later = new Date('2026-03-02T12:00:00.000Z');
const afterExpiry = new Date('2026-03-08T12:00:00.000Z');
const account: CreditAccount = {
  user_id: 'alice',
  available: 100_000,
  pending: 0,
  version: 0,
  status: 'ACTIVE',
  currency: 'USD',
  per_transaction_limit: null,
};

describe('hold commit store (the hold side of a lifecycle step, on DynamoDB Local)', () => {
  let dynamo: TestDynamo;
  let store: HoldCommitStore;
  beforeAll(async () => {
    dynamo = await createTestDynamo();
    store = createHoldCommitStore(dynamo.doc, dynamo.tables);
  });

  const open = async (itemKey: string, amount = 10_000): Promise<HoldState> => {
    const { hold } = authorizeHold(
      {
        partner_id: 'demo',
        transaction_id: itemKey.replace('demo#', ''),
        user_id: 'alice',
        amount,
        capture_method: 'manual',
        hold_expires_at: '2026-03-08T12:00:00.000Z',
      },
      account,
      authorizedAt,
    );
    expect(await store.openHold(itemKey, hold)).toBe('opened');
    return hold;
  };

  /** One request as the use-case runs it: read, decide, commit; on a moved hold, again. */
  const operate = async (itemKey: string, operation: HoldOperation, now = later) => {
    for (;;) {
      const hold = await store.readHold(itemKey);
      if (hold === null) throw new Error('no hold');
      const execution = executeHoldOperation(
        hold,
        operation,
        await store.readOperation(itemKey, operationKey(operation)),
        { now, account },
      );
      if (execution.kind !== 'applied') return execution;
      const outcome = await store.commitStep({
        itemKey,
        operationKey: execution.key,
        fingerprint: execution.fingerprint,
        operation,
        before: hold,
        step: execution.step,
      });
      if (outcome === 'committed') return execution;
    }
  };
  const item = async (key: string) =>
    (
      await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.transactionLog,
          Key: { pk: key },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it('commits a step on the hold and stores its result under its key; a retry replays it, another body is a conflict', async () => {
    // Prepare
    await open('demo#tx-1');

    // Act
    const first = await operate('demo#tx-1', {
      kind: 'capture',
      capture_id: 'cap-1',
      amount: 4_000,
    });
    const retry = await operate('demo#tx-1', {
      kind: 'capture',
      capture_id: 'cap-1',
      amount: 4_000,
    });
    const other = await operate('demo#tx-1', {
      kind: 'capture',
      capture_id: 'cap-1',
      amount: 5_000,
    });

    // Assess
    if (first.kind !== 'applied') throw new Error(first.kind);
    expect(await store.readHold('demo#tx-1')).toEqual(first.step.hold);
    expect(retry).toEqual({ kind: 'replay', key: 'capture#cap-1', result: first.step.result });
    expect(other.kind).toBe('conflict');
    expect(await store.readHold('demo#tx-1')).toMatchObject({ captured: 4_000 });
    expect(await item(holdOperationItemKey('demo#tx-1', 'capture#cap-1'))).toMatchObject({
      record_kind: 'HOLD_OPERATION',
      partner_id: 'demo',
      deltas: { pending: -4_000, posted: 4_000, available: 0 },
    });
  });

  it('lets exactly one of a capture, a void and an expiry racing on one hold commit; the others are then refused', async () => {
    // Prepare
    const hold = await open('demo#tx-race');
    const contenders: [HoldOperation, Date][] = [
      [{ kind: 'capture', capture_id: 'c-all' }, later],
      [{ kind: 'void', void_id: 'v-1' }, later],
      [{ kind: 'expire' }, afterExpiry],
    ];

    // Act: all three from the same snapshot, at once; then each loser runs again as its retry would.
    const raced = await Promise.all(
      contenders.map(([operation, now]) => {
        const execution = executeHoldOperation(hold, operation, null, { now, account });
        if (execution.kind !== 'applied') throw new Error(execution.kind);
        return store.commitStep({
          itemKey: 'demo#tx-race',
          operationKey: execution.key,
          fingerprint: execution.fingerprint,
          operation,
          before: hold,
          step: execution.step,
        });
      }),
    );
    const retried = await Promise.all(
      contenders.map(([operation, now]) => operate('demo#tx-race', operation, now)),
    );

    // Assess
    expect(raced.filter((o) => o === 'committed')).toHaveLength(1);
    expect(raced.filter((o) => o === 'hold-moved')).toHaveLength(2);
    const winner = raced.indexOf('committed');
    expect(retried[winner]?.kind).toBe('replay');
    expect(retried.filter((r) => r.kind === 'refused')).toHaveLength(2);
    const after = await store.readHold('demo#tx-race');
    expect(after === null ? null : after.captured + after.released).toBe(10_000);
    expect((await item('demo#tx-race'))?.['expiry_bucket']).toBeUndefined();
  });

  it('gives the same answer to the same request sent twice at once, with one effect', async () => {
    // Prepare
    await open('demo#tx-dup');
    const capture: HoldOperation = { kind: 'capture', capture_id: 'c-dup', amount: 2_500 };

    // Act
    const [a, b] = await Promise.all([
      operate('demo#tx-dup', capture),
      operate('demo#tx-dup', capture),
    ]);

    // Assess
    const results = [a, b].map((r) =>
      r.kind === 'applied' ? r.step.result : r.kind === 'replay' ? r.result : null,
    );
    expect(results[0]).toEqual(results[1]);
    expect([a.kind, b.kind].sort()).toEqual(['applied', 'replay']);
    expect(await store.readHold('demo#tx-dup')).toMatchObject({ captured: 2_500 });
  });

  it('serializes many concurrent captures of one hold without losing or doubling one', async () => {
    // Prepare
    await open('demo#tx-many', 800);

    // Act: 10 captures of 1.00 on a hold of 8.00: 8 land, 2 are refused, none twice.
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        operate('demo#tx-many', { kind: 'capture', capture_id: `c-${n}`, amount: 100 }),
      ),
    );

    // Assess
    expect(outcomes.filter((o) => o.kind === 'applied')).toHaveLength(8);
    expect(outcomes.flatMap((o) => (o.kind === 'refused' ? [o.refusal.code] : []))).toEqual(
      Array(2).fill('INVALID_STATE'),
    );
    expect(await store.readHold('demo#tx-many')).toMatchObject({
      captured: 800,
      closed_by: 'capture',
    });
  });

  it('files an open manual hold in its expiry bucket and takes it out when the hold closes', async () => {
    // Prepare
    await open('demo#tx-exp');
    const opened = await item('demo#tx-exp');

    // Act
    await operate('demo#tx-exp', { kind: 'capture', capture_id: 'c', amount: 1_000 });
    const partly = await item('demo#tx-exp');
    await operate('demo#tx-exp', { kind: 'expire' }, afterExpiry);

    // Assess
    expect(opened).toMatchObject({
      expiry_bucket: expect.stringMatching(/^2026-03-08T12#\d{2}$/) as unknown,
      hold_expires_at: '2026-03-08T12:00:00.000Z',
    });
    expect(partly?.['expiry_bucket']).toBe(opened?.['expiry_bucket']);
    expect((await item('demo#tx-exp'))?.['expiry_bucket']).toBeUndefined();
    expect(await store.readHold('demo#tx-exp')).toMatchObject({
      captured: 1_000,
      released: 9_000,
      closed_by: 'expiry',
    });
    expect(await store.openHold('demo#tx-exp', await open('demo#tx-other'))).toBe('exists');
  });
});
