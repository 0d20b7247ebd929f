import type { SqlExecutor } from '@creditline/domain';

/**
 * What the relational books say, read directly (the final phase only): one file holds the SQL
 * that knows the schema, so a schema change is one edit here.
 */
export interface Books {
  /** Sum of deposits per user. */
  readonly credited: Map<string, number>;
  /** Permitted transactions: id → amount. */
  readonly permitted: Map<string, { readonly user: string; readonly amount: number }>;
  /** Every settled decision id. */
  readonly settled: Set<string>;
}

export const readBooks = async (
  sql: SqlExecutor,
  scopeKey: (partner: string | null, id: string) => string,
): Promise<Books> => {
  const credited = new Map<string, number>();
  for (const row of (
    await sql.query<{ user_id: string; total: number }>(
      'SELECT user_id, sum(amount)::bigint AS total FROM deposits GROUP BY user_id',
    )
  ).rows) {
    credited.set(scopeKey(null, row.user_id), row.total);
  }
  const permitted = new Map<string, { user: string; amount: number }>();
  const settled = new Set<string>();
  for (const row of (
    await sql.query<{ transaction_id: string; user_id: string; amount: number; status: string }>(
      'SELECT transaction_id, user_id, amount, status FROM transactions',
    )
  ).rows) {
    settled.add(scopeKey(null, row.transaction_id));
    if (row.status === 'PERMITTED')
      permitted.set(scopeKey(null, row.transaction_id), { user: row.user_id, amount: row.amount });
  }
  return { credited, permitted, settled };
};
