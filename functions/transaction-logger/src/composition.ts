import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createTransactionLogPublication } from '@creditline/adapters/dynamodb/transaction-log-publication';
import { createBatchingAuditSink } from '@creditline/adapters/firehose/batching-audit-sink';
import type { RecordBatchWriter } from '@creditline/adapters/firehose/record-batch-writer';
import { createTransactionRepository } from '@creditline/adapters/sql/transaction-repository';
import type { Clock, SqlClient } from '@creditline/domain';
import type { AuditRecord } from './ports.js';
import type { SettleDependencies } from './settle-decision.js';

/** The clients the adapters are built over: AWS in Lambda, the stand-ins locally and in tests. */
export interface LoggerClients {
  readonly sql: SqlClient;
  readonly doc: Parameters<typeof createTransactionLogPublication>[0];
  readonly transactionLogTable: string;
  /** Firehose PutRecordBatch in AWS; gzip files locally. */
  readonly auditWriter: RecordBatchWriter;
}

export interface LoggerDependencies extends SettleDependencies {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * The audit sink gathers the records of one SQS batch (processed in parallel) into shared
 * PutRecordBatch calls; 25 ms is far below the function's budget and long enough for a
 * batch's SQL transactions to finish together.
 */
export const composeDependencies = (
  clients: LoggerClients,
  observability: { readonly logger: Logger; readonly metrics: Metrics },
  clock: Clock = systemClock,
): LoggerDependencies => ({
  books: createTransactionRepository(clients.sql),
  audit: createBatchingAuditSink<AuditRecord>(clients.auditWriter, { lingerMs: 25 }),
  marks: createTransactionLogPublication(clients.doc, clients.transactionLogTable),
  clock,
  ...observability,
});
