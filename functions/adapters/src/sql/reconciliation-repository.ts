import type {
  AuroraUserFigures,
  Cents,
  DepositRecord,
  SqlClient,
  SqlExecutor,
} from '@creditline/domain';
import { PermanentStoreError } from '@creditline/domain';
import { scopedKey, splitScopedKey } from '../definitions/tenancy.js';

/**
 * Aurora's side of the nightly reconciliation, set-based: the per-user figures come from one
 * aggregate query per page of users (never one query per user), the deposits from keyset pages.
 * Pages stay well under the Data API's 1 MB response limit; the next page is requested while
 * the caller digests the current one.
 *
 * Users and deposits are each a partner's: reconciliation names them by their scoped key
 * (`partner#user_id`, `partner#deposit_id`, as DynamoDB keys them), so one partner's user is
 * never compared with another's of the same id.
 */

export interface RecordCounts {
  readonly users: number;
  readonly deposits: number;
}

/** A deposits row with what a DepositEvents item needs (restoring one that DynamoDB lost). */
export interface AuroraDepositRow {
  readonly partner_id: string;
  readonly deposit_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  readonly deposited_at: string;
  readonly source_key: string | null;
  readonly source_line: number | null;
  readonly credited_at: string;
}

export interface Rebalanced {
  /** The stored balance before, null when the user had no credit_balance row. */
  readonly before: Cents | null;
  readonly after: Cents;
}

export interface ReconciliationRunRow {
  readonly run_id: string;
  readonly started_at: string;
  readonly finished_at: string;
  readonly users_checked: number;
  readonly drifted_users: number;
  readonly drift_amount: Cents;
  readonly unsettled_decisions: number;
  readonly report_key: string;
  /** Stored as jsonb. */
  readonly summary: unknown;
}

export interface ReconciliationRepository {
  /** Row counts, for a progress estimate. */
  countRecords(): Promise<RecordCounts>;
  /** Every user's deposits_total, permitted_total and balance, page by page in (partner, user) order, named `partner#user_id`. */
  eachUserFiguresPage(onPage: (rows: AuroraUserFigures[]) => void): Promise<void>;
  /** Every deposit, page by page in (partner, deposit) order, named `partner#deposit_id` of user `partner#user_id`. */
  eachDepositPage(onPage: (rows: DepositRecord[]) => void): Promise<void>;
  /** One user's figures, read again right before a repair. Null when Aurora has no such user. */
  userFigures(accountKey: string): Promise<AuroraUserFigures | null>;
  /** By `partner#deposit_id`; the row has the plain ids. */
  deposit(depositKey: string): Promise<AuroraDepositRow | null>;
  /**
   * Sets credit_balance to the ledger's deposits - permitted, under the row lock. Null when it
   * already agreed (someone else healed it) or the user is unknown.
   */
  rebalance(accountKey: string): Promise<Rebalanced | null>;
  recordRun(run: ReconciliationRunRow): Promise<void>;
  recordRepairs(
    runId: string,
    repaired: number,
    finishedAt: string,
    summary: unknown,
  ): Promise<void>;
}

export interface ReconciliationRepositoryOptions {
  /** Users per aggregate query. */
  readonly usersPerPage?: number;
  /** Deposits per keyset page. */
  readonly depositsPerPage?: number;
}

/**
 * The page's users are bounded by a key range, so each ledger table is read once per page by
 * range (the partial index `transactions_permitted_user_idx` covers the permitted sums) and
 * grouped, rather than probed once per user.
 */
const USER_FIGURES_PAGE = `
WITH page AS (
  SELECT partner_id, user_id FROM users
  WHERE (partner_id, user_id) > (:after_partner, :after_user)
  ORDER BY partner_id, user_id LIMIT :limit
), bounds AS (
  SELECT (array_agg(partner_id ORDER BY partner_id, user_id))[1] AS first_partner,
         (array_agg(user_id ORDER BY partner_id, user_id))[1] AS first_user,
         (array_agg(partner_id ORDER BY partner_id DESC, user_id DESC))[1] AS last_partner,
         (array_agg(user_id ORDER BY partner_id DESC, user_id DESC))[1] AS last_user
  FROM page
)
SELECT p.partner_id, p.user_id,
       coalesce(d.total, 0)::bigint AS deposits_total,
       coalesce(t.total, 0)::bigint AS permitted_total,
       b.balance
FROM page p
LEFT JOIN (
  SELECT deposits.partner_id, deposits.user_id, sum(deposits.amount) AS total
  FROM deposits, bounds
  WHERE (deposits.partner_id, deposits.user_id) BETWEEN (bounds.first_partner, bounds.first_user) AND (bounds.last_partner, bounds.last_user)
  GROUP BY deposits.partner_id, deposits.user_id
) d ON d.partner_id = p.partner_id AND d.user_id = p.user_id
LEFT JOIN (
  SELECT transactions.partner_id, transactions.user_id, sum(transactions.amount) AS total
  FROM transactions, bounds
  WHERE transactions.status = 'PERMITTED'
    AND (transactions.partner_id, transactions.user_id) BETWEEN (bounds.first_partner, bounds.first_user) AND (bounds.last_partner, bounds.last_user)
  GROUP BY transactions.partner_id, transactions.user_id
) t ON t.partner_id = p.partner_id AND t.user_id = p.user_id
LEFT JOIN credit_balance b ON b.partner_id = p.partner_id AND b.user_id = p.user_id
ORDER BY p.partner_id, p.user_id`;

const ONE_USER_FIGURES = `
SELECT u.partner_id, u.user_id,
       (SELECT coalesce(sum(amount), 0) FROM deposits WHERE partner_id = u.partner_id AND user_id = u.user_id)::bigint AS deposits_total,
       (SELECT coalesce(sum(amount), 0) FROM transactions WHERE partner_id = u.partner_id AND user_id = u.user_id AND status = 'PERMITTED')::bigint AS permitted_total,
       b.balance
FROM users u LEFT JOIN credit_balance b ON b.partner_id = u.partner_id AND b.user_id = u.user_id
WHERE u.partner_id = :partner_id AND u.user_id = :user_id`;

const DEPOSITS_PAGE = `
SELECT partner_id, deposit_id, user_id, amount FROM deposits
WHERE (partner_id, deposit_id) > (:after_partner, :after_deposit)
ORDER BY partner_id, deposit_id LIMIT :limit`;

/** The lifecycle rows (004) count too: increments take, releases and refunds give back. */
const BOOKS_OF_USER = `
SELECT ((SELECT coalesce(sum(amount), 0) FROM deposits WHERE partner_id = :partner_id AND user_id = :user_id)
      - (SELECT coalesce(sum(amount), 0) FROM transactions WHERE partner_id = :partner_id AND user_id = :user_id AND status = 'PERMITTED')
      - (SELECT coalesce(sum(increments - released - refunded), 0) FROM user_hold_books WHERE partner_id = :partner_id AND user_id = :user_id))::bigint AS books`;

/** A scoped key back to its parts; '' sorts before every partner, so it starts a keyset. */
const keyParts = (key: string): { partner_id: string; id: string } =>
  splitScopedKey(key) ?? { partner_id: '', id: '' };

type Row = Record<string, unknown>;

const text = (row: Row, column: string): string => {
  const value = row[column];
  if (typeof value !== 'string')
    throw new PermanentStoreError(`column ${column} is not text: ${String(value)}`);
  return value;
};
const integer = (row: Row, column: string): number => {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new PermanentStoreError(`column ${column} is not an integer: ${String(value)}`);
  return value;
};
const nullableInteger = (row: Row, column: string): number | null =>
  row[column] === null ? null : integer(row, column);
const nullableText = (row: Row, column: string): string | null =>
  row[column] === null ? null : text(row, column);

const toUserFigures = (row: Row): AuroraUserFigures => ({
  user_id: scopedKey(text(row, 'partner_id'), text(row, 'user_id')),
  deposits_total: integer(row, 'deposits_total'),
  permitted_total: integer(row, 'permitted_total'),
  balance: nullableInteger(row, 'balance'),
});

/**
 * Keyset pagination on one text key with the next page fetched while the caller digests the
 * current one, so database time and the caller's CPU overlap.
 */
const eachKeysetPage = async <T>(
  fetch: (after: string) => Promise<T[]>,
  keyOf: (row: T) => string,
  limit: number,
  onPage: (rows: T[]) => void,
): Promise<void> => {
  let pending = fetch('');
  for (;;) {
    const rows = await pending;
    const last = rows.at(-1);
    const full = rows.length === limit && last !== undefined;
    if (full) pending = fetch(keyOf(last));
    if (rows.length > 0) onPage(rows);
    if (!full) return;
  }
};

/**
 * Writers insert their ledger row first and touch credit_balance second (the deposit repository
 * and the transaction logger alike). Locking the balance
 * row before summing the ledger (in a separate statement, so its snapshot is taken after the
 * lock) means a writer that committed is in the sums and a writer still in flight adds its
 * amount after this commit; one UPDATE with sub-selects would sum from a snapshot older than
 * the lock and erase such a writer's amount.
 */
const rebalanceUser = async (tx: SqlExecutor, accountKey: string): Promise<Rebalanced | null> => {
  const { partner_id, id: user_id } = keyParts(accountKey);
  const account = { partner_id, user_id };
  const known = await tx.query(
    'SELECT 1 AS known FROM users WHERE partner_id = :partner_id AND user_id = :user_id',
    account,
  );
  if (known.rows.length === 0) return null;
  const locked = await tx.query(
    'SELECT balance FROM credit_balance WHERE partner_id = :partner_id AND user_id = :user_id FOR UPDATE',
    account,
  );
  const lockedRow = locked.rows[0];
  const before = lockedRow === undefined ? null : integer(lockedRow, 'balance');
  const books = await tx.query(BOOKS_OF_USER, account);
  const booksRow = books.rows[0];
  if (booksRow === undefined) throw new PermanentStoreError('the books query returned no row');
  const after = integer(booksRow, 'books');
  if (before === after || (before === null && after === 0)) return null;
  if (before === null) {
    const created = await tx.query(
      'INSERT INTO credit_balance (partner_id, user_id, balance) VALUES (:partner_id, :user_id, :balance) ON CONFLICT (partner_id, user_id) DO NOTHING RETURNING user_id',
      { ...account, balance: after },
    );
    // A deposit created the row meanwhile: it holds that deposit, the next run judges the rest.
    return created.rows.length === 0 ? null : { before, after };
  }
  await tx.query(
    'UPDATE credit_balance SET balance = :balance, updated_at = now() WHERE partner_id = :partner_id AND user_id = :user_id',
    { ...account, balance: after },
  );
  return { before, after };
};

export const createReconciliationRepository = (
  sql: SqlClient,
  options: ReconciliationRepositoryOptions = {},
): ReconciliationRepository => {
  const usersPerPage = options.usersPerPage ?? 5_000;
  const depositsPerPage = options.depositsPerPage ?? 10_000;

  return {
    async countRecords() {
      const { rows } = await sql.query(
        'SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM deposits) AS deposits',
      );
      const row = rows[0] ?? {};
      return { users: integer(row, 'users'), deposits: integer(row, 'deposits') };
    },

    eachUserFiguresPage: (onPage) =>
      eachKeysetPage(
        async (after) =>
          (
            await sql.query(USER_FIGURES_PAGE, {
              after_partner: keyParts(after).partner_id,
              after_user: keyParts(after).id,
              limit: usersPerPage,
            })
          ).rows.map(toUserFigures),
        (row) => row.user_id,
        usersPerPage,
        onPage,
      ),

    eachDepositPage: (onPage) =>
      eachKeysetPage(
        async (after) =>
          (
            await sql.query(DEPOSITS_PAGE, {
              after_partner: keyParts(after).partner_id,
              after_deposit: keyParts(after).id,
              limit: depositsPerPage,
            })
          ).rows.map((row) => ({
            deposit_id: scopedKey(text(row, 'partner_id'), text(row, 'deposit_id')),
            user_id: scopedKey(text(row, 'partner_id'), text(row, 'user_id')),
            amount: integer(row, 'amount'),
          })),
        (row) => row.deposit_id,
        depositsPerPage,
        onPage,
      ),

    async userFigures(accountKey) {
      const { partner_id, id: user_id } = keyParts(accountKey);
      const { rows } = await sql.query(ONE_USER_FIGURES, { partner_id, user_id });
      const row = rows[0];
      return row === undefined ? null : toUserFigures(row);
    },

    async deposit(depositKey) {
      const { partner_id, id: deposit_id } = keyParts(depositKey);
      const { rows } = await sql.query(
        'SELECT partner_id, deposit_id, user_id, amount, deposited_at, source_key, source_line, credited_at FROM deposits WHERE partner_id = :partner_id AND deposit_id = :deposit_id',
        { partner_id, deposit_id },
      );
      const row = rows[0];
      if (row === undefined) return null;
      return {
        partner_id: text(row, 'partner_id'),
        deposit_id: text(row, 'deposit_id'),
        user_id: text(row, 'user_id'),
        amount: integer(row, 'amount'),
        deposited_at: text(row, 'deposited_at'),
        source_key: nullableText(row, 'source_key'),
        source_line: nullableInteger(row, 'source_line'),
        credited_at: text(row, 'credited_at'),
      };
    },

    rebalance: (accountKey) => sql.transaction((tx) => rebalanceUser(tx, accountKey)),

    async recordRun(run) {
      await sql.query(
        `INSERT INTO reconciliation_runs
           (run_id, started_at, finished_at, users_checked, drifted_users, drift_amount, unsettled_decisions, repaired, report_key, summary)
         VALUES (:run_id, :started_at::timestamptz, :finished_at::timestamptz, :users_checked, :drifted_users, :drift_amount,
                 :unsettled_decisions, 0, :report_key, :summary::jsonb)`,
        { ...run, summary: JSON.stringify(run.summary) },
      );
    },

    async recordRepairs(runId, repaired, finishedAt, summary) {
      const { rowCount } = await sql.query(
        `UPDATE reconciliation_runs SET repaired = :repaired, finished_at = :finished_at::timestamptz, summary = :summary::jsonb
         WHERE run_id = :run_id`,
        { run_id: runId, repaired, finished_at: finishedAt, summary: JSON.stringify(summary) },
      );
      if (rowCount !== 1)
        throw new PermanentStoreError(`reconciliation run ${runId} is not recorded`);
    },
  };
};
