import type { AuroraUserFigures, DepositRecord } from '@creditline/domain';
import { PermanentStoreError } from '@creditline/domain';
import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReconciliationRepository } from './reconciliation-repository.js';

const at = '2026-11-25T10:00:00.000Z';

describe('reconciliation repository (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  // The repository names users by `partner#user_id` (as reconciliation does); the rows hold the parts.
  const parts = (key: string) => {
    const [partner_id = '', user_id = ''] = key.split('#');
    return { partner_id, user_id };
  };
  const plantUser = async (userKey: string, balance: number | null): Promise<void> => {
    await db.sql.query(
      'INSERT INTO users (partner_id, user_id) VALUES (:partner_id, :user_id)',
      parts(userKey),
    );
    if (balance !== null)
      await db.sql.query(
        'INSERT INTO credit_balance (partner_id, user_id, balance) VALUES (:partner_id, :user_id, :balance)',
        { ...parts(userKey), balance },
      );
  };
  const plantDeposit = (depositId: string, userKey: string, amount: number) =>
    db.sql.query(
      "INSERT INTO deposits (partner_id, deposit_id, user_id, amount, deposited_at, source_key, source_line) VALUES (:partner_id, :id, :user_id, :amount, :at::timestamptz, 'inbox/a.csv', 2)",
      { ...parts(userKey), id: depositId, amount, at },
    );
  const plantTransaction = (
    transactionId: string,
    userId: string,
    amount: number,
    status: 'PERMITTED' | 'REJECTED',
  ) =>
    db.sql.query(
      `INSERT INTO transactions (partner_id, transaction_id, user_id, amount, status, reason, remaining_credit, decided_at)
       VALUES (:partner_id, :id, :user_id, :amount, :status, :reason, 0, :at::timestamptz)`,
      {
        ...parts(userId),
        id: transactionId,
        amount,
        status,
        reason: status === 'REJECTED' ? 'INSUFFICIENT_FUNDS' : null,
        at,
      },
    );
  const balanceOf = async (userId: string) =>
    (
      await db.sql.query(
        'SELECT balance FROM credit_balance WHERE partner_id = :partner_id AND user_id = :user_id',
        parts(userId),
      )
    ).rows[0]?.balance ?? null;

  it('pages every user with deposits, settled permits (rejections excluded) and balance in user_id order', async () => {
    // Prepare
    await plantUser('acme#u1', 700);
    await plantUser('acme#u2', 5);
    await plantUser('acme#u3', null);
    await plantUser('acme#u4', 0);
    await plantUser('acme#u5', 100);
    await plantDeposit('d1', 'acme#u1', 500);
    await plantDeposit('d2', 'acme#u1', 500);
    await plantTransaction('t1', 'acme#u1', 300, 'PERMITTED');
    await plantTransaction('t2', 'acme#u1', 9_999, 'REJECTED');
    await plantDeposit('d3', 'acme#u2', 5);
    await plantDeposit('d4', 'acme#u5', 100);
    await plantTransaction('t3', 'acme#u5', 1, 'PERMITTED');
    const repository = createReconciliationRepository(db.sql, { usersPerPage: 2 });
    const pages: AuroraUserFigures[][] = [];

    // Act
    await repository.eachUserFiguresPage((rows) => pages.push(rows));

    // Assess
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual([
      { user_id: 'acme#u1', deposits_total: 1_000, permitted_total: 300, balance: 700 },
      { user_id: 'acme#u2', deposits_total: 5, permitted_total: 0, balance: 5 },
      { user_id: 'acme#u3', deposits_total: 0, permitted_total: 0, balance: null },
      { user_id: 'acme#u4', deposits_total: 0, permitted_total: 0, balance: 0 },
      { user_id: 'acme#u5', deposits_total: 100, permitted_total: 1, balance: 100 },
    ]);
  });

  it('ends after a full last page without an empty callback', async () => {
    // Prepare
    await plantUser('acme#u1', 0);
    await plantUser('acme#u2', 0);
    const repository = createReconciliationRepository(db.sql, { usersPerPage: 2 });
    const pages: AuroraUserFigures[][] = [];

    // Act
    await repository.eachUserFiguresPage((rows) => pages.push(rows));

    // Assess
    expect(pages.map((page) => page.map((row) => row.user_id))).toEqual([['acme#u1', 'acme#u2']]);
  });

  it("keeps two partners' users of one id apart, paging across partners in (partner, user) order", async () => {
    // Prepare: acme and globex both have u1 (and the same deposit id d1); pages of 1 user
    await plantUser('acme#u1', 100);
    await plantUser('globex#u1', 7);
    await plantUser('acme#u2', 0);
    await plantDeposit('d1', 'acme#u1', 100);
    await plantDeposit('d1', 'globex#u1', 7);
    const repository = createReconciliationRepository(db.sql, {
      usersPerPage: 1,
      depositsPerPage: 1,
    });
    const users: AuroraUserFigures[] = [];
    const deposits: DepositRecord[] = [];

    // Act
    await repository.eachUserFiguresPage((rows) => users.push(...rows));
    await repository.eachDepositPage((rows) => deposits.push(...rows));

    // Assess
    expect(users).toEqual([
      { user_id: 'acme#u1', deposits_total: 100, permitted_total: 0, balance: 100 },
      { user_id: 'acme#u2', deposits_total: 0, permitted_total: 0, balance: 0 },
      { user_id: 'globex#u1', deposits_total: 7, permitted_total: 0, balance: 7 },
    ]);
    expect(deposits).toEqual([
      { deposit_id: 'acme#d1', user_id: 'acme#u1', amount: 100 },
      { deposit_id: 'globex#d1', user_id: 'globex#u1', amount: 7 },
    ]);
    expect(await repository.userFigures('globex#u1')).toMatchObject({ deposits_total: 7 });
    expect(await repository.rebalance('globex#u1')).toBeNull();
  });

  it('streams every deposit exactly once over keyset pages', async () => {
    // Prepare
    await plantUser('acme#u1', 0);
    await plantUser('acme#u2', 0);
    for (let index = 1; index <= 7; index += 1)
      await plantDeposit(`d${index}`, index % 2 === 0 ? 'acme#u2' : 'acme#u1', index * 100);
    const repository = createReconciliationRepository(db.sql, { depositsPerPage: 3 });
    const pages: DepositRecord[][] = [];

    // Act
    await repository.eachDepositPage((rows) => pages.push(rows));

    // Assess
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(
      [1, 2, 3, 4, 5, 6, 7].map((index) => ({
        deposit_id: `acme#d${index}`,
        user_id: index % 2 === 0 ? 'acme#u2' : 'acme#u1',
        amount: index * 100,
      })),
    );
  });

  it('counts users and deposits, and reads one user and one deposit', async () => {
    // Prepare
    await plantUser('acme#u1', 250);
    await plantDeposit('d1', 'acme#u1', 300);
    await plantTransaction('t1', 'acme#u1', 50, 'PERMITTED');
    const repository = createReconciliationRepository(db.sql);

    // Act
    const counts = await repository.countRecords();
    const figures = await repository.userFigures('acme#u1');
    const unknown = await repository.userFigures('acme#nobody');
    const deposit = await repository.deposit('acme#d1');
    const missing = await repository.deposit('acme#d9');
    const othersDeposit = await repository.deposit('globex#d1');

    // Assess
    expect(counts).toEqual({ users: 1, deposits: 1 });
    expect(figures).toEqual({
      user_id: 'acme#u1',
      deposits_total: 300,
      permitted_total: 50,
      balance: 250,
    });
    expect(unknown).toBeNull();
    expect(othersDeposit).toBeNull();
    expect(deposit).toEqual({
      partner_id: 'acme',
      deposit_id: 'd1',
      user_id: 'u1',
      amount: 300,
      deposited_at: at,
      source_key: 'inbox/a.csv',
      source_line: 2,
      credited_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
    });
    expect(missing).toBeNull();
  });

  it('rebalances to deposits - permitted, and reports nothing to do once it agrees', async () => {
    // Prepare
    await plantUser('acme#u1', 701);
    await plantDeposit('d1', 'acme#u1', 1_000);
    await plantTransaction('t1', 'acme#u1', 300, 'PERMITTED');
    await plantTransaction('t2', 'acme#u1', 50, 'REJECTED');
    const repository = createReconciliationRepository(db.sql);

    // Act
    const first = await repository.rebalance('acme#u1');
    const second = await repository.rebalance('acme#u1');

    // Assess
    expect(first).toEqual({ before: 701, after: 700 });
    expect(second).toBeNull();
    expect(await balanceOf('acme#u1')).toBe(700);
  });

  it('creates a missing credit_balance row when the ledger is not zero; ignores unknown users', async () => {
    // Prepare
    await plantUser('acme#u1', null);
    await plantDeposit('d1', 'acme#u1', 40);
    await plantUser('acme#u2', null);
    const repository = createReconciliationRepository(db.sql);

    // Act
    const created = await repository.rebalance('acme#u1');
    const empty = await repository.rebalance('acme#u2');
    const unknown = await repository.rebalance('acme#nobody');

    // Assess
    expect(created).toEqual({ before: null, after: 40 });
    expect(await balanceOf('acme#u1')).toBe(40);
    expect(empty).toBeNull();
    expect(await balanceOf('acme#u2')).toBeNull();
    expect(unknown).toBeNull();
  });

  describe('rebalance racing a deposit writer (ledger row first, balance second)', () => {
    let writer: pg.Client;
    beforeEach(async () => {
      writer = new pg.Client({ connectionString: db.url });
      await writer.connect();
    });
    afterEach(async () => {
      await writer.end();
    });

    it('keeps a deposit whose ledger row is written but not committed when the rebalance runs', async () => {
      // Prepare
      await plantUser('acme#u1', 999); // off: the ledger says 100
      await plantDeposit('d1', 'acme#u1', 100);
      await writer.query('BEGIN');
      await writer.query(
        "INSERT INTO deposits (partner_id, deposit_id, user_id, amount, deposited_at) VALUES ('acme', 'd2', 'u1', 50, now())",
      );
      const repository = createReconciliationRepository(db.sql);

      // Act
      const rebalanced = await repository.rebalance('acme#u1');
      await writer.query(
        "UPDATE credit_balance SET balance = balance + 50 WHERE partner_id = 'acme' AND user_id = 'u1'",
      );
      await writer.query('COMMIT');

      // Assess
      expect(rebalanced).toEqual({ before: 999, after: 100 });
      expect(await balanceOf('acme#u1')).toBe(150);
    });

    it('waits for a writer holding the balance row, then counts its deposit', async () => {
      // Prepare
      await plantUser('acme#u1', 999);
      await plantDeposit('d1', 'acme#u1', 100);
      await writer.query('BEGIN');
      await writer.query(
        "INSERT INTO deposits (partner_id, deposit_id, user_id, amount, deposited_at) VALUES ('acme', 'd2', 'u1', 50, now())",
      );
      await writer.query(
        "UPDATE credit_balance SET balance = balance + 50 WHERE partner_id = 'acme' AND user_id = 'u1'",
      );
      const repository = createReconciliationRepository(db.sql);

      // Act
      const rebalancing = repository.rebalance('acme#u1');
      await new Promise((resolve) => setTimeout(resolve, 200)); // the rebalance is now blocked on the row lock
      await writer.query('COMMIT');
      const rebalanced = await rebalancing;

      // Assess
      expect(rebalanced).toEqual({ before: 1_049, after: 150 });
      expect(await balanceOf('acme#u1')).toBe(150);
    });
  });

  it('records a run, then its repairs', async () => {
    // Prepare
    const repository = createReconciliationRepository(db.sql);

    // Act
    await repository.recordRun({
      run_id: 'r1',
      started_at: at,
      finished_at: '2026-11-25T10:00:05.000Z',
      users_checked: 3,
      drifted_users: 1,
      drift_amount: 17,
      unsettled_decisions: 2,
      report_key: 'reports/reconciliation/2026-11-25/r1.summary.json',
      summary: { differences: 4 },
    });
    await repository.recordRepairs('r1', 2, '2026-11-25T10:00:09.000Z', {
      differences: 4,
      repairs: { repaired: 2 },
    });

    // Assess
    const { rows } = await db.sql.query('SELECT * FROM reconciliation_runs');
    expect(
      rows.map((row) => ({ ...row, summary: JSON.parse(String(row.summary)) as unknown })),
    ).toEqual([
      {
        run_id: 'r1',
        started_at: at,
        finished_at: '2026-11-25T10:00:09.000Z',
        users_checked: 3,
        drifted_users: 1,
        drift_amount: 17,
        unsettled_decisions: 2,
        repaired: 2,
        report_key: 'reports/reconciliation/2026-11-25/r1.summary.json',
        summary: { differences: 4, repairs: { repaired: 2 } },
      },
    ]);
    await expect(repository.recordRepairs('r2', 0, at, {})).rejects.toBeInstanceOf(
      PermanentStoreError,
    );
  });
});
