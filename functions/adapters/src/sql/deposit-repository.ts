import type { DepositRepository, SqlClient } from '@creditline/domain';

/**
 * New users first, in user_id order: concurrent batches then take their row locks in one order
 * and cannot deadlock each other.
 */
const UPSERT_USERS = `
INSERT INTO users (partner_id, user_id)
SELECT DISTINCT :partner_id, r.user_id FROM jsonb_to_recordset(:users::jsonb) AS r(user_id text)
ORDER BY r.user_id
ON CONFLICT (partner_id, user_id) DO NOTHING`;

/**
 * The deposits the books lack, and their sums added to credit_balance, in one statement: the
 * balance grows by exactly what `RETURNING` says was inserted, so a batch written twice (a retried
 * event healing a crash) adds nothing the second time.
 */
const INSERT_DEPOSITS_AND_CREDIT = `
WITH inserted AS (
  INSERT INTO deposits (partner_id, deposit_id, user_id, amount, deposited_at, source_key, source_line, credited_at)
  SELECT :partner_id, r.deposit_id, r.user_id, r.amount, r.deposited_at, r.source_key, r.source_line, :credited_at::timestamptz
  FROM jsonb_to_recordset(:deposits::jsonb)
    AS r(deposit_id text, user_id text, amount bigint, deposited_at timestamptz, source_key text, source_line integer)
  ORDER BY r.deposit_id
  ON CONFLICT (partner_id, deposit_id) DO NOTHING
  RETURNING deposit_id, user_id, amount
), credited AS (
  INSERT INTO credit_balance AS b (partner_id, user_id, balance, updated_at)
  SELECT :partner_id, user_id, sum(amount)::bigint, :credited_at::timestamptz FROM inserted GROUP BY user_id ORDER BY user_id
  ON CONFLICT (partner_id, user_id) DO UPDATE SET balance = b.balance + EXCLUDED.balance, updated_at = EXCLUDED.updated_at
)
SELECT deposit_id FROM inserted`;

/**
 * Aurora's side of a deposit batch: one SQL transaction of two statements (each a round trip on
 * the Data API), the batch travelling as JSON parameters since the Data API has no arrays.
 */
export const createSqlDepositRepository = (sql: SqlClient): DepositRepository => ({
  async record(batch) {
    if (batch.deposits.length === 0) return { insertedDepositIds: [] };
    const users = [...new Set(batch.deposits.map((deposit) => deposit.user_id))].map((user_id) => ({
      user_id,
    }));
    const deposits = batch.deposits.map(
      ({ deposit_id, user_id, amount, deposited_at, source_key, source_line }) => ({
        deposit_id,
        user_id,
        amount,
        deposited_at,
        source_key,
        source_line,
      }),
    );
    return sql.transaction(async (tx) => {
      await tx.query(UPSERT_USERS, { partner_id: batch.partner_id, users: JSON.stringify(users) });
      const { rows } = await tx.query<{ deposit_id: string }>(INSERT_DEPOSITS_AND_CREDIT, {
        partner_id: batch.partner_id,
        deposits: JSON.stringify(deposits),
        credited_at: batch.credited_at,
      });
      return { insertedDepositIds: rows.map((row) => row.deposit_id) };
    });
  },
});
