/**
 * The one SQL port. Two adapters implement it with the same SQL: node-postgres (local, tests)
 * and the RDS Data API (Aurora in AWS).
 *
 * Conventions every repository query follows so the SQL runs unchanged on both:
 * - named parameters `:name` (Data API style); casts written `::type` are left alone;
 * - parameters are scalars: batches travel as one JSON text parameter expanded in SQL with
 *   `jsonb_to_recordset(:rows::jsonb)` (the Data API has no array parameters);
 * - integer columns (int, bigint) come back as `number` (adapters refuse unsafe integers);
 *   `sum()` over bigint yields numeric, so cast it: `sum(amount)::bigint`;
 * - timestamps come back as ISO-8601 strings in UTC; json/jsonb as text.
 */
export type SqlValue = string | number | boolean | null;
export type SqlParams = Readonly<Record<string, SqlValue | undefined>>;
export type SqlRow = Record<string, SqlValue>;

export interface SqlResult<R extends SqlRow = SqlRow> {
  readonly rows: R[];
  /** Rows returned, or affected by an INSERT/UPDATE/DELETE without RETURNING. */
  readonly rowCount: number;
}

export interface SqlExecutor {
  query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<SqlResult<R>>;
}

export interface SqlClient extends SqlExecutor {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
