import {
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RollbackTransactionCommand,
  type ColumnMetadata,
  type Field,
  type RDSDataClient,
  type SqlParameter,
} from '@aws-sdk/client-rds-data';
import {
  PermanentStoreError,
  RetryableStoreError,
  type SqlClient,
  type SqlExecutor,
  type SqlParams,
  type SqlResult,
  type SqlRow,
  type SqlValue,
} from '@creditline/domain';
import { usedParameterNames } from './named-parameters.js';

export interface DataApiTarget {
  /** Aurora cluster ARN. */
  readonly resourceArn: string;
  /** Secrets Manager ARN of the database credentials. */
  readonly secretArn: string;
  readonly database: string;
}

const toParameter = (name: string, value: SqlValue | undefined): SqlParameter => {
  if (value === null || value === undefined) return { name, value: { isNull: true } };
  switch (typeof value) {
    case 'string':
      return { name, value: { stringValue: value } };
    case 'boolean':
      return { name, value: { booleanValue: value } };
    case 'number':
      return Number.isInteger(value) ? { name, value: { longValue: value } } : { name, value: { doubleValue: value } };
  }
};

const TIMESTAMP_TYPES = new Set(['timestamp', 'timestamptz']);

/** The Data API prints timestamps as `2026-11-25 16:28:00.123` in UTC; the port speaks ISO-8601. */
const toIso = (text: string): string => new Date(`${text.replace(' ', 'T')}${/[zZ]|[+-]\d\d(:?\d\d)?$/.test(text) ? '' : 'Z'}`).toISOString();

const fromField = (field: Field, column: ColumnMetadata | undefined): SqlValue => {
  if (field.isNull) return null;
  if (field.longValue !== undefined) {
    if (!Number.isSafeInteger(field.longValue)) throw new PermanentStoreError(`integer ${field.longValue} is beyond the exact range`);
    return field.longValue;
  }
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.stringValue !== undefined) {
    return TIMESTAMP_TYPES.has(column?.typeName ?? '') ? toIso(field.stringValue) : field.stringValue;
  }
  throw new PermanentStoreError(`unsupported Data API value in column ${column?.name ?? '?'}`);
};

const RETRYABLE_EXCEPTIONS = new Set([
  'StatementTimeoutException',
  'DatabaseResumingException',
  'DatabaseUnavailableException',
  'ServiceUnavailableError',
  'InternalServerErrorException',
  'ThrottlingException',
  'TooManyRequestsException',
]);
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '53300']);

/** Maps an SDK error to the port's typed errors; the SQLSTATE is parsed from the message. */
export const mapDataApiError = (error: unknown): Error => {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const message = error instanceof Error ? error.message : String(error);
  const sqlState = /SQLState: ([0-9A-Z]{5})/.exec(message)?.[1];
  if (RETRYABLE_EXCEPTIONS.has(name) || (sqlState !== undefined && RETRYABLE_SQLSTATES.has(sqlState))) {
    return new RetryableStoreError(message, sqlState ?? name, { cause: error });
  }
  return new PermanentStoreError(message, sqlState ?? name, { cause: error });
};

/** The SQL port over the RDS Data API: Aurora PostgreSQL in AWS, same SQL as node-postgres. */
export const createDataApiSqlClient = (client: RDSDataClient, target: DataApiTarget): SqlClient => {
  const execute = async <R extends SqlRow>(sql: string, params: SqlParams = {}, transactionId?: string): Promise<SqlResult<R>> => {
    const parameters = usedParameterNames(sql).map((name) => {
      if (!(name in params)) throw new Error(`SQL parameter :${name} has no value`);
      return toParameter(name, params[name]);
    });
    try {
      const output = await client.send(
        new ExecuteStatementCommand({
          resourceArn: target.resourceArn,
          secretArn: target.secretArn,
          database: target.database,
          sql,
          parameters,
          includeResultMetadata: true,
          ...(transactionId ? { transactionId } : {}),
        }),
      );
      const columns = output.columnMetadata ?? [];
      const rows = (output.records ?? []).map((record) => {
        const row: SqlRow = {};
        record.forEach((field, index) => {
          const column = columns[index];
          row[column?.label ?? column?.name ?? String(index)] = fromField(field, column);
        });
        return row as R;
      });
      return { rows, rowCount: output.records ? rows.length : (output.numberOfRecordsUpdated ?? 0) };
    } catch (error) {
      throw error instanceof PermanentStoreError ? error : mapDataApiError(error);
    }
  };

  return {
    query: (sql, params) => execute(sql, params),
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const { resourceArn, secretArn, database } = target;
      const begun = await client.send(new BeginTransactionCommand({ resourceArn, secretArn, database })).catch((error: unknown) => {
        throw mapDataApiError(error);
      });
      const transactionId = begun.transactionId;
      if (!transactionId) throw new PermanentStoreError('BeginTransaction returned no transactionId');
      try {
        const result = await work({ query: (sql, params) => execute(sql, params, transactionId) });
        await client.send(new CommitTransactionCommand({ resourceArn, secretArn, transactionId })).catch((error: unknown) => {
          throw mapDataApiError(error);
        });
        return result;
      } catch (error) {
        await client.send(new RollbackTransactionCommand({ resourceArn, secretArn, transactionId })).catch(() => undefined);
        throw error;
      }
    },
  };
};
