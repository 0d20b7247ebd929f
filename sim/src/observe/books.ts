import type { SqlExecutor } from '@creditline/domain';

/**
 * What the relational books say, read directly (the final phase only): one file holds the SQL
 * that knows the schema. Keys are `partner\0id`; books without a partner column (before
 * tenancy) belong to the one partner given.
 */
export interface Books {
  /** Sum of deposits per (partner, user). */
  readonly credited: Map<string, number>;
  /** Permitted transactions per (partner, transaction): user and amount. */
  readonly permitted: Map<
    string,
    { readonly partner: string; readonly user: string; readonly amount: number }
  >;
  /** Every settled decision, per (partner, transaction). */
  readonly settled: Set<string>;
}

export const booksKey = (partner: string, id: string): string => `${partner}\u0000${id}`;

export const readBooks = async (sql: SqlExecutor, onlyPartner: string): Promise<Books> => {
  const columns = await sql.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.columns WHERE column_name = 'partner_id' AND table_name IN ('deposits', 'transactions')",
  );
  const scoped = new Set(columns.rows.map((row) => row.table_name));
  const partnerOf = (table: string) => (scoped.has(table) ? 'partner_id' : ':only');
  const credited = new Map<string, number>();
  const deposits = await sql.query<{ partner: string; user_id: string; total: number }>(
    `SELECT ${partnerOf('deposits')}::text AS partner, user_id, sum(amount)::bigint AS total FROM deposits GROUP BY 1, 2`,
    { only: onlyPartner },
  );
  for (const row of deposits.rows) credited.set(booksKey(row.partner, row.user_id), row.total);
  const permitted = new Map<string, { partner: string; user: string; amount: number }>();
  const settled = new Set<string>();
  const transactions = await sql.query<{
    partner: string;
    transaction_id: string;
    user_id: string;
    amount: number;
    status: string;
  }>(
    `SELECT ${partnerOf('transactions')}::text AS partner, transaction_id, user_id, amount, status FROM transactions`,
    { only: onlyPartner },
  );
  for (const row of transactions.rows) {
    const id = booksKey(row.partner, row.transaction_id);
    settled.add(id);
    if (row.status === 'PERMITTED')
      permitted.set(id, { partner: row.partner, user: row.user_id, amount: row.amount });
  }
  return { credited, permitted, settled };
};
