import pg from 'pg';
import {
  PermanentStoreError,
  RetryableStoreError,
  type SqlClient,
  type SqlExecutor,
  type SqlParams,
  type SqlResult,
  type SqlRow,
} from '@creditline/domain';
import { toPositional } from './named-parameters.js';

/** Integers come back as numbers, refused when beyond exact range (money must stay exact). */
const toSafeInteger = (text: string): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new PermanentStoreError(`integer ${text} is beyond the exact range`);
  return value;
};
const toIsoTimestamp = (text: string): string => new Date(text.includes('+') || text.endsWith('Z') ? text : `${text}Z`).toISOString();

/** Type OIDs PostgreSQL sends (pg_type); parsed here so both adapters return the same values. */
const INT8 = 20;
const JSON_OID = 114;
const NUMERIC = 1700;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const JSONB = 3802;

const keepText = (text: string): string => text;
const parsers = new Map<number, (text: string) => unknown>([
  [INT8, toSafeInteger],
  [TIMESTAMP, toIsoTimestamp],
  [TIMESTAMPTZ, toIsoTimestamp],
  [JSON_OID, keepText],
  [JSONB, keepText],
  [NUMERIC, keepText],
]);

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number) =>
    parsers.get(oid) ??
    // pg types the OID as a numeric enum; the server sends plain numbers, every one valid here.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
    (pg.types.getTypeParser(oid) as (text: string) => unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/** SQLSTATE classes where trying again can succeed. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P03', '53300', '08000', '08003', '08006']);

const mapError = (error: unknown): Error => {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code && (RETRYABLE_SQLSTATES.has(code) || code.startsWith('08'))) return new RetryableStoreError(message, code, { cause: error });
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT') return new RetryableStoreError(message, code, { cause: error });
  return new PermanentStoreError(message, code, { cause: error });
};

const run = async <R extends SqlRow>(
  target: pg.Pool | pg.PoolClient,
  sql: string,
  params?: SqlParams,
): Promise<SqlResult<R>> => {
  const { text, values } = toPositional(sql, params);
  try {
    const result = await target.query<R>({ text, values, types });
    return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.rowCount ?? 0) };
  } catch (error) {
    throw mapError(error);
  }
};

export interface PgSqlClient extends SqlClient {
  close(): Promise<void>;
}

/** The SQL port over node-postgres: PostgreSQL locally and in tests. */
export const createPgSqlClient = (connectionString: string, options: { max?: number } = {}): PgSqlClient => {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    query: (sql, params) => run(pool, sql, params),
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect().catch((error: unknown) => {
        throw mapError(error);
      });
      try {
        await run(client, 'BEGIN');
        const result = await work({ query: (sql, params) => run(client, sql, params) });
        await run(client, 'COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
};
