import {
  authorizeHold,
  executeHoldOperation,
  PermanentStoreError,
  type CreditAccount,
  type HoldOperation,
  type HoldState,
} from '@creditline/domain';
import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHoldRepository,
  HoldFiguresError,
  HoldMissingError,
  type HoldOperationSettlement,
  type HoldRepository,
  type UserHoldBooks,
} from './hold-repository.js';
import { createReconciliationRepository } from './reconciliation-repository.js';
import { createTransactionRepository } from './transaction-repository.js';

const authorizedAt = '2026-03-01T12:00:00.000Z';
const later = new Date('2026-03-02T12:00:00.000Z');
const afterExpiry = new Date('2026-03-08T12:00:00.000Z');
const settledAt = '2026-03-02T12:00:01.000Z';

/**
 * Drives one hold through the domain exactly as the validator would, and settles each step the
 * way the TransactionLogger would: the decision into `transactions`, the hold and each
 * operation into the lifecycle rows. The books must then agree with the domain at every step.
 */
class Story {
  hold!: HoldState;
  available: number;
  constructor(
    readonly db: TestDatabase,
    readonly repository: HoldRepository,
    readonly partner: string,
    readonly user: string,
    readonly credited: number,
  ) {
    this.available = credited;
  }

  account(): CreditAccount {
    return {
      user_id: this.user,
      available: this.available,
      pending: 0,
      version: 0,
      status: 'ACTIVE',
      currency: 'USD',
      per_transaction_limit: null,
    };
  }

  async authorize(
    transactionId: string,
    amount: number,
    capture_method: 'manual' | 'automatic' = 'manual',
  ) {
    const { decision, hold, deltas } = authorizeHold(
      {
        partner_id: this.partner,
        transaction_id: transactionId,
        user_id: this.user,
        amount,
        currency: 'USD',
        capture_method,
        hold_expires_at: '2026-03-08T12:00:00.000Z',
      },
      this.account(),
      new Date(authorizedAt),
    );
    await createTransactionRepository(this.db.sql).settle(
      { ...decision, partner_id: this.partner },
      settledAt,
    );
    await this.repository.recordHold(hold, authorizedAt, settledAt);
    this.hold = hold;
    this.available += deltas.available;
  }

  /** Applies the operation in the domain and returns what the logger would settle. */
  step(operation: HoldOperation, now = later): HoldOperationSettlement {
    const execution = executeHoldOperation(this.hold, operation, null, {
      now,
      account: this.account(),
    });
    if (execution.kind !== 'applied')
      throw new Error(`${execution.kind}: ${JSON.stringify(execution)}`);
    this.hold = execution.step.hold;
    this.available += execution.step.deltas.available;
    return {
      partner_id: this.partner,
      user_id: this.user,
      operation,
      fingerprint: execution.fingerprint,
      result: execution.step.result,
    };
  }

  async apply(operation: HoldOperation, now = later) {
    return this.repository.settleOperation(this.step(operation, now), settledAt);
  }
}

describe('hold repository (004 lifecycle books)', () => {
  let db: TestDatabase;
  let repository: HoldRepository;

  const balanceOf = async (userId: string, partnerId = 'demo') =>
    (
      await db.sql.query<{ balance: number }>(
        'SELECT balance FROM credit_balance WHERE partner_id = :partnerId AND user_id = :userId',
        { partnerId, userId },
      )
    ).rows[0]?.balance;
  const booksOf = async (partnerId: string, userId: string): Promise<UserHoldBooks | undefined> => {
    const all: UserHoldBooks[] = [];
    await repository.eachUserHoldBooksPage((page) => all.push(...page));
    return all.find((row) => row.partner_id === partnerId && row.user_id === userId);
  };
  const story = async (user: string, credited: number, partner = 'demo'): Promise<Story> => {
    await db.sql.query('INSERT INTO users (partner_id, user_id) VALUES (:partner, :user)', {
      partner,
      user,
    });
    await db.sql.query(
      'INSERT INTO credit_balance (partner_id, user_id, balance) VALUES (:partner, :user, :credited)',
      { partner, user, credited },
    );
    return new Story(db, repository, partner, user, credited);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    repository = createHoldRepository(db.sql);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keeps a manual hold through partial captures, an increment, a refund and a final capture, agreeing with the domain at every step', async () => {
    // Prepare
    const s = await story('alice', 20_000);
    await s.authorize('tx-1', 10_000);
    expect(await repository.findHold('demo', 'tx-1')).toEqual(s.hold);

    // Act + Assess: each step leaves the books where the domain says.
    const steps: HoldOperation[] = [
      { kind: 'capture', capture_id: 'cap-1', amount: 4_000 },
      { kind: 'increment', increment_id: 'inc-1', amount: 1_000 },
      { kind: 'refund', refund_id: 'ref-1', amount: 1_500 },
      { kind: 'capture', capture_id: 'cap-2', amount: 3_000, final: true },
      { kind: 'refund', refund_id: 'ref-2', amount: 500 },
    ];
    for (const operation of steps) {
      expect(await s.apply(operation)).toEqual({ inserted: true });
      expect(await repository.findHold('demo', 'tx-1')).toEqual(s.hold);
      expect(await balanceOf('alice')).toBe(s.available);
    }

    // 100.00 + 10.00 authorized; 70.00 captured; 40.00 released by the final capture; 20.00 refunded.
    expect(s.hold).toMatchObject({
      amount: 11_000,
      captured: 7_000,
      released: 4_000,
      refunded: 2_000,
      closed_by: 'capture',
    });
    expect(await booksOf('demo', 'alice')).toEqual({
      partner_id: 'demo',
      user_id: 'alice',
      pending: 0,
      increments: 1_000,
      released: 4_000,
      refunded: 2_000,
    });
    // available = credited - posted - pending: 200.00 - 50.00 - 0.
    expect(await balanceOf('alice')).toBe(15_000);
  });

  it('derives pending from what is still held, and releases it on a void and on an expiry', async () => {
    // Prepare
    const s = await story('bob', 10_000);
    await s.authorize('tx-v', 3_000);
    const voided = s.hold;
    await s.authorize('tx-e', 2_000);
    await s.apply({ kind: 'capture', capture_id: 'c', amount: 500 });
    const expiring = s.hold;
    expect(await booksOf('demo', 'bob')).toMatchObject({ pending: 4_500 });

    // Act
    s.hold = voided;
    await s.apply({ kind: 'void', void_id: 'v-1' });
    const afterVoid = s.hold;
    s.hold = expiring;
    await s.apply({ kind: 'expire' }, afterExpiry);

    // Assess
    expect(await repository.findHold('demo', 'tx-v')).toEqual(afterVoid);
    expect(await repository.findHold('demo', 'tx-e')).toEqual(s.hold);
    expect(s.hold).toMatchObject({ closed_by: 'expiry', captured: 500, released: 1_500 });
    expect(await booksOf('demo', 'bob')).toEqual({
      partner_id: 'demo',
      user_id: 'bob',
      pending: 0,
      increments: 0,
      released: 4_500,
      refunded: 0,
    });
    expect(await balanceOf('bob')).toBe(10_000 - 500);
  });

  it('settles an operation once however often it is delivered, also by concurrent consumers', async () => {
    // Prepare
    const s = await story('carol', 10_000);
    await s.authorize('tx-r', 5_000, 'automatic');
    const refund = s.step({ kind: 'refund', refund_id: 'ref-1', amount: 1_234 });

    // Act
    const results = await Promise.all(
      Array.from({ length: 8 }, () => repository.settleOperation(refund, settledAt)),
    );
    const again = await repository.settleOperation(refund, settledAt);

    // Assess
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(again).toEqual({ inserted: false });
    expect(await balanceOf('carol')).toBe(10_000 - 5_000 + 1_234);
    expect(await repository.findHold('demo', 'tx-r')).toEqual(s.hold);
    expect(await repository.recordHold(s.hold, authorizedAt, settledAt)).toEqual({
      inserted: false,
    });
  });

  it('keeps an increment REJECT under its key without moving the balance', async () => {
    // Prepare
    const s = await story('dave', 1_000);
    await s.authorize('tx-i', 1_000);

    // Act: nothing is left to increment by.
    const settlement = s.step({ kind: 'increment', increment_id: 'inc-x', amount: 1 });
    await repository.settleOperation(settlement, settledAt);

    // Assess
    expect(settlement.result).toMatchObject({ status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' });
    const { rows } = await db.sql.query(
      "SELECT status, reason, fingerprint FROM increments WHERE increment_id = 'inc-x'",
    );
    expect(rows).toEqual([
      { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS', fingerprint: settlement.fingerprint },
    ]);
    expect(await balanceOf('dave')).toBe(0);
    expect(await repository.findHold('demo', 'tx-i')).toMatchObject({ amount: 1_000 });
  });

  it('refuses, retryably, an operation whose hold is not settled yet, writing nothing', async () => {
    // Prepare: the authorization's settlement is behind the capture's.
    const s = await story('erin', 5_000);
    s.hold = authorizeHold(
      {
        partner_id: 'demo',
        transaction_id: 'tx-late',
        user_id: 'erin',
        amount: 100,
        capture_method: 'manual',
        hold_expires_at: '2026-03-08T12:00:00.000Z',
      },
      s.account(),
      new Date(authorizedAt),
    ).hold;

    // Act
    const outcome = repository.settleOperation(
      s.step({ kind: 'capture', capture_id: 'c-1' }),
      settledAt,
    );

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(HoldMissingError);
    await expect(outcome).rejects.toMatchObject({ retryable: true, code: 'HOLD_MISSING' });
    expect(
      (await db.sql.query("SELECT 1 FROM captures WHERE transaction_id = 'tx-late'")).rows,
    ).toHaveLength(0);
  });

  it('refuses rows that would break the hold: more captured than held, a second void', async () => {
    // Prepare
    const s = await story('frank', 10_000);
    await s.authorize('tx-f', 1_000);
    const forged = s.step({ kind: 'capture', capture_id: 'c-1', amount: 600 });
    const tooMuch: HoldOperationSettlement = {
      ...forged,
      result: { ...forged.result, operation_id: 'c-2', amount: 1_001 },
    };
    await s.authorize('tx-g', 1_000);
    const firstVoid = s.step({ kind: 'void', void_id: 'v-1' });
    await repository.settleOperation(firstVoid, settledAt);
    const secondVoid: HoldOperationSettlement = {
      ...firstVoid,
      result: { ...firstVoid.result, operation_id: 'v-2' },
    };

    // Act + Assess
    await expect(repository.settleOperation(tooMuch, settledAt)).rejects.toBeInstanceOf(
      HoldFiguresError,
    );
    await expect(repository.settleOperation(secondVoid, settledAt)).rejects.toBeInstanceOf(
      PermanentStoreError,
    );
    await expect(
      repository.settleOperation({ ...firstVoid, fingerprint: 'another body' }, settledAt),
    ).rejects.toMatchObject({ code: 'KEY_CONFLICT' });
    expect(
      (await db.sql.query("SELECT 1 FROM captures WHERE transaction_id = 'tx-f'")).rows,
    ).toHaveLength(0);
    expect(await balanceOf('frank')).toBe(10_000 - 1_000 - 1_000 + 1_000);
  });

  it('lets exactly one of a capture, a void and an expiry racing into the books close a hold', async () => {
    // Prepare: three steps each computed from the same open hold, as if three writers had each
    // believed they won (the DynamoDB commit lets only one; the books must refuse the others too).
    const s = await story('judy', 10_000);
    await s.authorize('tx-race', 4_000);
    const open = s.hold;
    const contenders = [
      { kind: 'capture', capture_id: 'c-all' },
      { kind: 'void', void_id: 'v-1' },
      { kind: 'expire' },
    ] as const satisfies readonly HoldOperation[];
    const settlements = contenders.map((operation) => {
      s.hold = open;
      return s.step(operation, operation.kind === 'expire' ? afterExpiry : later);
    });

    // Act
    const outcomes = await Promise.allSettled(
      settlements.map((settlement) => repository.settleOperation(settlement, settledAt)),
    );

    // Assess
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const reason of lost) expect(reason).toBeInstanceOf(HoldFiguresError);
    const hold = await repository.findHold('demo', 'tx-race');
    expect(hold === null ? 0 : hold.captured + hold.released).toBe(4_000);
    // The winner's effect on available, once: a capture keeps 40.00 posted, a release gives it back.
    expect(await balanceOf('judy')).toBe(hold?.captured === 4_000 ? 6_000 : 10_000);
  });

  it('is append-only: rows cannot be changed or removed', async () => {
    // Prepare
    const s = await story('grace', 1_000);
    await s.authorize('tx-a', 500);
    await s.apply({ kind: 'capture', capture_id: 'c-1', amount: 100 });

    // Act + Assess
    await expect(
      db.sql.query("UPDATE captures SET amount = 1 WHERE transaction_id = 'tx-a'"),
    ).rejects.toThrow(/append-only/);
    await expect(db.sql.query("DELETE FROM holds WHERE transaction_id = 'tx-a'")).rejects.toThrow(
      /append-only/,
    );
    expect(await repository.findHold('demo', 'tx-a')).toMatchObject({ captured: 100 });
  });

  it('keeps partners apart: the same transaction_id under two partners is two holds', async () => {
    // Prepare
    const demo = await story('henry', 5_000, 'demo');
    await demo.authorize('tx-shared', 1_000);
    const acme = await story('henry', 4_000, 'acme');
    await acme.authorize('tx-shared', 2_000);

    // Act
    await acme.apply({ kind: 'void', void_id: 'v' });

    // Assess
    expect(await repository.findHold('demo', 'tx-shared')).toMatchObject({
      partner_id: 'demo',
      amount: 1_000,
      closed_by: null,
    });
    expect(await repository.findHold('acme', 'tx-shared')).toMatchObject({
      partner_id: 'acme',
      amount: 2_000,
      closed_by: 'void',
    });
    expect(await repository.findHold('acme', 'tx-nope')).toBeNull();
  });

  it('gives a rebalance the lifecycle terms, so a repair restores available and never erases a release or refund', async () => {
    // Prepare: 100.00 credited; a hold of 60.00, final capture of 20.00 (40.00 released), 5.00 refunded.
    const s = await story('ivan', 10_000);
    await db.sql.query(
      "INSERT INTO deposits (partner_id, deposit_id, user_id, amount, deposited_at) VALUES ('demo', 'dep-ivan', 'ivan', 10000, now())",
    );
    await s.authorize('tx-ivan', 6_000);
    await s.apply({ kind: 'capture', capture_id: 'c', amount: 2_000, final: true });
    await s.apply({ kind: 'refund', refund_id: 'r', amount: 500 });
    await db.sql.query(
      "UPDATE credit_balance SET balance = 1 WHERE partner_id = 'demo' AND user_id = 'ivan'",
    );

    // Act
    const rebalanced = await createReconciliationRepository(db.sql).rebalance('demo#ivan');

    // Assess
    expect(rebalanced).toEqual({ before: 1, after: 8_500 });
    expect(s.available).toBe(8_500);
  });

  it('pages the per-user books in (partner, user) order', async () => {
    // Prepare
    const pages: UserHoldBooks[][] = [];

    // Act
    await repository.eachUserHoldBooksPage((page) => pages.push(page), 2);

    // Assess
    const keys = pages.flat().map((row) => `${row.partner_id}/${row.user_id}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('acme/henry');
    expect(keys).toContain('demo/henry');
    expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
  });
});
